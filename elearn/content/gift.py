"""Moodle GIFT question banks converted to the module quiz syntax (``elearn import-gift``).

Supported: multiple choice, multiple answers with weights (a positive weight marks a correct answer),
true/false, per-answer feedback, general feedback (-> ``Explication :``), comments, ``$CATEGORY`` (one
section per category), ``::title::``, the escapes ``\\~ \\= \\# \\{ \\} \\: \\\\ \\n``, the
format tags ``[html]``, ``[moodle]``, ``[plain]`` and ``[markdown]`` on every text (question, answer,
feedback, general feedback; answers take the question's format unless they carry their own), and the
``// poids: N`` comment that ``elearn export-gift`` writes before a question whose weight is not 1.
Questions are classified as Moodle's own importer does (``question/format/gift/format.php``): a ``~``
makes a multiple-choice question, ``=`` with ``->`` a matching one, a lone ``T``/``TRUE``/``F``/``FALSE``
(feedback aside) a true/false one, anything else a short answer.

Only ``[markdown]`` text is kept as Markdown. Moodle's own, plain and HTML texts are written so that the
module shows what Moodle showed: Markdown's characters are escaped (``2*3*4`` stays ``2*3*4``, ``## x``
stays a line of text), plain text keeps ``<`` and ``&`` as characters, HTML keeps its tags. Question types the quiz
format cannot hold are listed in ``GiftResult.skipped`` with their line, never silently dropped; questions
whose Moodle scoring the all-or-nothing quiz format cannot keep (partial credit, several answers each worth
full marks) are imported and listed in ``GiftResult.approximated``, so the trainer knows what to review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

# Escaped characters hide behind placeholders while the question is split on ``~ = # { } :``. The
# escaped backslash goes first, so that ``\\n`` is a backslash and an n, not a line break.
_ESCAPES = {
    "\\\\": "\ue007", "\\~": "\ue000", "\\=": "\ue001", "\\#": "\ue002", "\\{": "\ue003", "\\}": "\ue004",
    "\\:": "\ue005", "\\n": "\ue006",
}
_RESTORE = {"\ue007": "\\", "\ue000": "~", "\ue001": "=", "\ue002": "#", "\ue003": "{", "\ue004": "}", "\ue005": ":", "\ue006": "\n"}
_FORMAT_RE = re.compile(r"^\s*\[(html|moodle|markdown|plain)\]", re.IGNORECASE)
_TRUE_FALSE = ("T", "TRUE", "F", "FALSE")
_WEIGHT_RE = re.compile(r"^%(-?\d+(?:[.,]\d+)?)%")
_CATEGORY_RE = re.compile(r"^\$CATEGORY:\s*(.*)$")
#: ``// poids: 2`` just before a question: its weight, which GIFT itself cannot say (elearn export-gift).
_POIDS_COMMENT_RE = re.compile(r"^\s*//\s*poids\s*:\s*(\d+(?:[.,]\d+)?)\s*$", re.IGNORECASE)
# Markdown's inline marks, and the openings that make a line a heading, quote, list or attribute list.
_MARKDOWN_INLINE_RE = re.compile(r"([\\`*_\[\]])")
_MARKDOWN_ATTRIBUTES_RE = re.compile(r"\{(?=\s*[#.:])")
_MARKDOWN_LINE_START_RE = re.compile(r"^(\s*)(#|>|[-+](?=\s)|\d+(?=[.)]\s))", re.MULTILINE)
_HTML_TAG_RE = re.compile(r"(<[^<>]*>)")
# Lines of a quiz block that mean structure: a question (###) or the block's end (:::).
_STRUCTURE_LINE_RE = re.compile(r"^(###|:::)", re.MULTILINE)
_FENCE_LINE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.MULTILINE)
#: Where the answers of a "missing word" question stood; shown as « _____ », never escaped.
_BLANK = "\ue008"

UNSUPPORTED = {
    "short_answer": "question à réponse courte (saisie libre), type non pris en charge",
    "numerical": "question numérique, type non pris en charge",
    "matching": "question d'appariement, type non pris en charge",
    "essay": "question ouverte (composition), type non pris en charge ; utilisez un bloc « reflexion »",
    "description": "texte sans question (description)",
    "no_correct": "question sans bonne réponse",
    "unbalanced": "accolades { } non fermées",
    "no_text": "question sans texte, ou réponse sans texte",
    "one_choice": "question à une seule réponse proposée (il en faut au moins deux)",
}


@dataclass
class GiftChoice:
    text: str
    correct: bool
    feedback: str = ""
    fraction: float = 0.0  # Moodle's share of the question's mark, in percent (``=`` is 100, ``~`` is 0)
    weighted: bool = False  # the fraction was written as ``%n%``


@dataclass
class GiftQuestion:
    line: int
    title: str
    prompt: str
    choices: list[GiftChoice]
    multiple: bool
    explanation: str = ""
    approximations: list[str] = field(default_factory=list)
    weight: str | None = None  # from a ``// poids: N`` comment; None is the default weight, 1


@dataclass(frozen=True)
class Notice:
    """A question the trainer must look at, by its first line in the GIFT file: why, then its text."""

    line: int
    reason: str


@dataclass
class GiftResult:
    markdown: str
    imported: int
    skipped: list[Notice] = field(default_factory=list)
    approximated: list[Notice] = field(default_factory=list)


class _Unsupported(Exception):
    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def convert_gift(text: str, title: str = "questions", order: int = 1) -> GiftResult:
    """Convert a GIFT file's text to a complete module (front matter, a section and a quiz per category).

    ``order`` is the module's ``ordre``: the caller picks a free one (``scaffold.next_order``).
    """
    categories: list[tuple[str, list[GiftQuestion]]] = [("Questions importées", [])]
    skipped: list[Notice] = []
    approximated: list[Notice] = []
    for line, chunk, weight in _chunks(text):
        category = _CATEGORY_RE.match(chunk.strip())
        if category:
            categories.append((_category_title(category.group(1)), []))
            continue
        try:
            question = parse_question(line, chunk)
        except _Unsupported as exc:
            skipped.append(Notice(line, f"{UNSUPPORTED[exc.kind]} : « {_excerpt(chunk)} »"))
            continue
        question.weight = weight
        categories[-1][1].append(question)
        if question.approximations:
            approximated.append(Notice(line, f"{' ; '.join(question.approximations)} : « {_excerpt(chunk)} »"))
    kept = [(name, questions) for name, questions in categories if questions]
    return GiftResult(_module(title, order, kept), sum(len(q) for _, q in kept), skipped, approximated)


def _chunks(text: str) -> list[tuple[int, str, str | None]]:
    """Questions (and ``$CATEGORY`` lines) with their first line and ``// poids`` weight; blank lines
    separate them except inside an answer block, and ``//`` comment lines are dropped."""
    chunks: list[tuple[int, str, str | None]] = []
    current: list[str] = []
    start = 0
    depth = 0
    weight: str | None = None
    for number, raw in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        line = _protect(raw)
        if line.lstrip().startswith("//"):
            if not current and (poids := _POIDS_COMMENT_RE.match(raw)):
                weight = poids.group(1).replace(",", ".")
            continue
        if _CATEGORY_RE.match(line.strip()) and depth == 0:
            if current:
                chunks.append((start, "\n".join(current), weight))
                current, weight = [], None
            chunks.append((number, line, None))
            continue
        if not line.strip() and depth == 0:
            if current:
                chunks.append((start, "\n".join(current), weight))
                current, weight = [], None
            continue
        if not current:
            start = number
        current.append(line)
        depth = max(0, depth + line.count("{") - line.count("}"))
    if current:
        chunks.append((start, "\n".join(current), weight))
    return chunks


def _protect(text: str) -> str:
    """Hide escaped characters behind placeholders so splitting on ``~ = # { } :`` ignores them."""
    for sequence, placeholder in _ESCAPES.items():
        text = text.replace(sequence, placeholder)
    return text


def _unescape(text: str) -> str:
    for placeholder, char in _RESTORE.items():
        text = text.replace(placeholder, char)
    return text


def _with_format(text: str, default: str) -> tuple[str, str]:
    """A text's own format tag (``[html]``...) and the text without it; ``default`` when it has none."""
    tag = _FORMAT_RE.match(text)
    return (tag.group(1).lower(), text[tag.end() :]) if tag else (default, text)


def as_markdown(text: str, text_format: str, *, one_line: bool = True) -> str:
    """A GIFT text (escapes still protected) as module Markdown showing what Moodle showed.

    ``one_line`` joins the lines (questions, answers and feedback are one paragraph each); otherwise line
    breaks are kept and the lines that would mean structure in a quiz block are made plain text.
    """
    text = _unescape(text).replace("<!--", "&lt;!--")  # an HTML comment would hide the rest of the quiz
    if text_format == "plain":
        text = _escape_markdown(text.replace("&", "&amp;").replace("<", "&lt;"))
    elif text_format == "moodle":
        text = _escape_markdown(text)
    elif text_format == "html":
        text = "".join(part if _HTML_TAG_RE.fullmatch(part) else _escape_markdown(part) for part in _HTML_TAG_RE.split(text))
    if one_line:
        return " ".join(text.split()).replace(_BLANK, "_____")
    lines = [line.rstrip() for line in text.strip().split("\n")]
    text = _STRUCTURE_LINE_RE.sub(r" \1", "\n".join(lines))
    if len(_FENCE_LINE_RE.findall(text)) % 2:  # an unclosed code fence would swallow the rest of the module
        text = _FENCE_LINE_RE.sub(lambda fence: "\\" + fence.group(0).lstrip(), text)
    return text


def _escape_markdown(text: str) -> str:
    """Text that Markdown shows as it is: inline marks escaped, and line openings that would make a
    heading, a quote or a list (``# x``, ``- x``, ``1. x``)."""
    text = _MARKDOWN_ATTRIBUTES_RE.sub(r"\\{", _MARKDOWN_INLINE_RE.sub(r"\\\1", text))

    def escape(start: re.Match) -> str:
        indent, opening = start.group(1), start.group(2)
        return f"{indent}{opening}\\" if opening[0].isdigit() else f"{indent}\\{opening}"

    return _MARKDOWN_LINE_START_RE.sub(escape, text)


def parse_question(line: int, chunk: str) -> GiftQuestion:
    """One GIFT question (escapes already protected); raise _Unsupported for types the format lacks."""
    title = ""
    body = chunk.strip()
    if body.startswith("::") and "::" in body[2:]:
        title, body = body[2:].split("::", 1)
    if "{" not in body and "}" not in body:
        raise _Unsupported("description")
    stem, _, rest = body.partition("{")
    if "}" not in rest:
        raise _Unsupported("unbalanced")
    answers, _, after = rest.partition("}")
    question_format, stem = _with_format(stem.strip(), "moodle")
    prompt = f"{stem.strip()} {_BLANK} {after.strip()}" if after.strip() else stem.strip()
    answers, separator, general = answers.rpartition("####")
    if not separator:
        answers, general = general, ""
    question = _answers(line, _unescape(" ".join(title.split())), prompt, answers.strip(), question_format)
    if general.strip():
        general_format, general = _with_format(general.strip(), question_format)
        question.explanation = as_markdown(general, general_format, one_line=False)
    # Moodle shows the line breaks of its own and plain formats; HTML and Markdown already ignore them.
    if "\n" in _unescape(prompt).strip() and question_format in ("moodle", "plain"):
        question.approximations.append(
            "retours à la ligne du texte remplacés par des espaces (une question tient en un paragraphe)"
        )
    return question


def _answers(line: int, title: str, prompt: str, answers: str, question_format: str) -> GiftQuestion:
    """Classify as Moodle does, then read the answers of the types the quiz format can hold."""
    shown = as_markdown(prompt, question_format) or as_markdown(title, "plain")
    if not answers:
        raise _Unsupported("essay")
    if answers.startswith("#"):
        raise _Unsupported("numerical")
    if "~" not in answers:
        if "=" in answers and "->" in answers:
            raise _Unsupported("matching")
        answer, _, feedbacks = answers.partition("#")
        if answer.strip() not in _TRUE_FALSE:
            raise _Unsupported("short_answer")
        return _true_false(line, title, shown, answer.strip(), feedbacks, question_format)
    tokens = [token for token in re.split(r"(?=[=~])", answers) if token.strip()]
    choices = [_choice(token, question_format) for token in tokens]
    if not shown.strip() or any(not choice.text.strip() for choice in choices):
        raise _Unsupported("no_text")
    if len(choices) < 2:
        raise _Unsupported("one_choice")
    # Moodle's rule: one "=" answer makes a one-answer question, whose best answer earns the mark;
    # without "=", every answer with a positive weight is part of the expected set.
    single = any(token.startswith("=") for token in tokens)
    best = max(choice.fraction for choice in choices)
    if best <= 0:
        raise _Unsupported("no_correct")
    for choice in choices:
        choice.correct = choice.fraction == best if single else choice.fraction > 0
    multiple = not single or sum(choice.correct for choice in choices) > 1
    question = GiftQuestion(line, title, shown, choices, multiple)
    question.approximations = _approximations(choices, single)
    return question


def _choice(token: str, question_format: str) -> GiftChoice:
    marker, body = token[0], token[1:].strip()
    # As Moodle reads it: "=" is worth the whole mark, and only "~" may carry a "%n%" weight.
    weight = _WEIGHT_RE.match(body) if marker == "~" else None
    if weight:
        body = body[weight.end() :]
        fraction = float(weight.group(1).replace(",", "."))
    else:
        fraction = 100.0 if marker == "=" else 0.0
    text, _, feedback = body.partition("#")
    return GiftChoice(_text(text, question_format), fraction > 0, _text(feedback, question_format), fraction, weight is not None)


def _text(text: str, default_format: str) -> str:
    """An answer's or a feedback's text, in its own format or the question's."""
    text_format, text = _with_format(text.strip(), default_format)
    return as_markdown(text, text_format)


def _approximations(choices: list[GiftChoice], single: bool) -> list[str]:
    """Why the quiz format, which scores a question all or nothing, scores this one unlike Moodle.

    Empty when nothing changes: full (100 %) and null (0 %) weights, and -100 % in a several-answer
    question (it cancels the mark, as ticking a wrong box does here), score the same in both.
    """
    reasons = []
    neutral = (0.0, 100.0) if single else (0.0, 100.0, -100.0)
    partial = [choice.fraction for choice in choices if choice.weighted and choice.fraction not in neutral]
    if partial:
        correct = [choice.text for choice in choices if choice.correct]
        label = "comptées justes" if len(correct) > 1 else "comptée juste"
        weights = ", ".join(map(_percent, partial))
        reasons.append(
            f"note partielle devenue tout ou rien : pourcentages Moodle ignorés ({weights}) ;"
            f" {label} : {_quoted(correct)}, seule combinaison qui rapporte les points"
        )
    full = [choice.text for choice in choices if choice.fraction >= 100]
    if len(full) > 1:
        reasons.append(
            f"plusieurs réponses valaient chacune tous les points ({_quoted(full)}) : la question devient"
            " à plusieurs réponses, et il faut toutes les cocher"
        )
    return reasons


def _percent(fraction: float) -> str:
    return f"{fraction:g} %".replace(".", ",")


def _quoted(texts: list[str]) -> str:
    """``« a », « b » et « c »``: choices named as the trainer reads them."""
    quoted = [f"« {text} »" for text in texts]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} et {quoted[-1]}"


def _true_false(line: int, title: str, prompt: str, answer: str, feedbacks: str, question_format: str) -> GiftQuestion:
    """GIFT's first feedback is for a wrong answer, the second for a right one."""
    if not prompt.strip():
        raise _Unsupported("no_text")
    parts = feedbacks.split("#", 1) if feedbacks else []
    wrong = _text(parts[0], question_format) if parts else ""
    right = _text(parts[1], question_format) if len(parts) > 1 else ""
    is_true = answer.upper().startswith("T")
    choices = [
        GiftChoice("Vrai", is_true, right if is_true else wrong),
        GiftChoice("Faux", not is_true, wrong if is_true else right),
    ]
    return GiftQuestion(line, title, prompt, choices, multiple=False)


def _category_title(path: str) -> str:
    name = path.strip().rstrip("/").split("/")[-1].strip()
    return name if name and not name.startswith("$") else "Questions importées"


def _excerpt(chunk: str, limit: int = 60) -> str:
    text = " ".join(_unescape(chunk).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _module(title: str, order: int, categories: list[tuple[str, list[GiftQuestion]]]) -> str:
    front = {
        "titre": f"Questions importées : {title}",
        "resume": "Questions importées d'une banque Moodle (GIFT) ; relisez-les et complétez ce résumé.",
        "duree": 10,
        "objectifs": ["À compléter"],
        "ordre": order,
    }
    lines = ["---", yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000).strip(), "---", ""]
    lines.append("<!-- Importé depuis Moodle : relisez chaque question, puis déplacez les quiz dans vos modules. -->")
    used: dict[str, int] = {}
    for name, questions in categories:
        used[name] = used.get(name, 0) + 1
        heading = name if used[name] == 1 else f"{name} ({used[name]})"
        lines += ["", f"## {heading}", "", "::: quiz"]
        for question in questions:
            lines += _question_lines(question)
        lines.append(":::")
    return "\n".join(lines) + "\n"


def _question_lines(question: GiftQuestion) -> list[str]:
    lines = [f"<!-- Titre Moodle : {question.title.replace('--', '- -')} -->"] if question.title else []
    weight = f" {{poids={question.weight}}}" if question.weight not in (None, "1") else ""
    lines += [f"### {question.prompt}{weight}", ""]
    for choice in question.choices:
        box = ("[x]" if choice.correct else "[ ]") if question.multiple else ("(x)" if choice.correct else "( )")
        lines.append(f"- {box} {choice.text}")
        if choice.feedback:
            lines.append(f"  Retour : {choice.feedback}")
    if question.explanation:
        lines += ["", f"Explication : {question.explanation}"]
    lines.append("")
    return lines
