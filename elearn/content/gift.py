"""Moodle GIFT question banks converted to the module quiz syntax (``elearn import-gift``).

Supported: multiple choice, multiple answers with weights (a positive weight marks a correct answer),
true/false, per-answer feedback, general feedback (-> ``Explication :``), comments, ``$CATEGORY`` (one
section per category), ``::title::`` and the escapes ``\\~ \\= \\# \\{ \\} \\:``. Question types the quiz
format cannot hold are listed in ``GiftResult.skipped`` with their line, never silently dropped; questions
whose Moodle scoring the all-or-nothing quiz format cannot keep (partial credit, several answers each worth
full marks) are imported and listed in ``GiftResult.approximated``, so the trainer knows what to review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

_ESCAPES = {"\\~": "\ue000", "\\=": "\ue001", "\\#": "\ue002", "\\{": "\ue003", "\\}": "\ue004", "\\:": "\ue005"}
_RESTORE = {placeholder: sequence[1] for sequence, placeholder in _ESCAPES.items()}
_FORMAT_RE = re.compile(r"^\s*\[(html|moodle|markdown|plain)\]", re.IGNORECASE)
_TRUE_FALSE_RE = re.compile(r"^(T|TRUE|F|FALSE)\b(.*)$", re.IGNORECASE | re.DOTALL)
_WEIGHT_RE = re.compile(r"^%(-?\d+(?:[.,]\d+)?)%")
_CATEGORY_RE = re.compile(r"^\$CATEGORY:\s*(.*)$")

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
    for line, chunk in _chunks(text):
        category = _CATEGORY_RE.match(chunk.strip())
        if category:
            categories.append((_category_title(category.group(1)), []))
            continue
        try:
            question = parse_question(line, chunk)
        except _Unsupported as exc:
            skipped.append(Notice(line, f"{UNSUPPORTED[exc.kind]} : « {_excerpt(chunk)} »"))
            continue
        categories[-1][1].append(question)
        if question.approximations:
            approximated.append(Notice(line, f"{' ; '.join(question.approximations)} : « {_excerpt(chunk)} »"))
    kept = [(name, questions) for name, questions in categories if questions]
    return GiftResult(_module(title, order, kept), sum(len(q) for _, q in kept), skipped, approximated)


def _chunks(text: str) -> list[tuple[int, str]]:
    """Questions (and ``$CATEGORY`` lines) with their first line; blank lines separate them except
    inside an answer block, and ``//`` comment lines are dropped."""
    chunks: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    depth = 0
    for number, raw in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        line = _protect(raw)
        if line.lstrip().startswith("//"):
            continue
        if _CATEGORY_RE.match(line.strip()) and depth == 0:
            if current:
                chunks.append((start, "\n".join(current)))
                current = []
            chunks.append((number, line))
            continue
        if not line.strip() and depth == 0:
            if current:
                chunks.append((start, "\n".join(current)))
                current = []
            continue
        if not current:
            start = number
        current.append(line)
        depth = max(0, depth + line.count("{") - line.count("}"))
    if current:
        chunks.append((start, "\n".join(current)))
    return chunks


def _protect(text: str) -> str:
    """Hide escaped characters behind placeholders so splitting on ``~ = # { } :`` ignores them."""
    text = text.replace("\\n", "\n")
    for sequence, placeholder in _ESCAPES.items():
        text = text.replace(sequence, placeholder)
    return text


def _restore(text: str) -> str:
    for placeholder, char in _RESTORE.items():
        text = text.replace(placeholder, char)
    return " ".join(text.split())


def parse_question(line: int, chunk: str) -> GiftQuestion:
    """One GIFT question (escapes already protected); raise _Unsupported for types the format lacks."""
    title = ""
    body = chunk.strip()
    if body.startswith("::") and "::" in body[2:]:
        title, body = body[2:].split("::", 1)
    if "{" not in body:
        raise _Unsupported("description")
    stem, _, rest = body.partition("{")
    if "}" not in rest:
        raise _Unsupported("unbalanced")
    answers, _, after = rest.partition("}")
    text_format = _FORMAT_RE.match(stem)
    stem = _FORMAT_RE.sub("", stem).strip()
    prompt = f"{stem} _____ {after.strip()}" if after.strip() else stem
    answers, _, general = answers.partition("####")
    question = _answers(line, _restore(title), _restore(prompt or title), answers.strip())
    question.explanation = _restore(general)
    # Moodle shows the line breaks of its own and plain formats; HTML and Markdown already ignore them.
    if "\n" in prompt and (text_format is None or text_format.group(1).lower() in ("moodle", "plain")):
        question.approximations.append(
            "retours à la ligne du texte remplacés par des espaces (une question tient en un paragraphe)"
        )
    return question


def _answers(line: int, title: str, prompt: str, answers: str) -> GiftQuestion:
    if not answers:
        raise _Unsupported("essay")
    if answers.startswith("#"):
        raise _Unsupported("numerical")
    if (true_false := _TRUE_FALSE_RE.match(answers)) and not re.search(r"[=~]", answers):
        return _true_false(line, title, prompt, true_false.group(1), true_false.group(2))
    tokens = [token for token in re.split(r"(?=[=~])", answers) if token.strip()]
    choices = [_choice(token) for token in tokens]
    if any("->" in choice.text for choice in choices):
        raise _Unsupported("matching")
    if not any(token.startswith("~") for token in tokens):
        raise _Unsupported("short_answer")
    if not prompt.strip() or any(not choice.text.strip() for choice in choices):
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
    question = GiftQuestion(line, title, prompt, choices, multiple)
    question.approximations = _approximations(choices, single)
    return question


def _choice(token: str) -> GiftChoice:
    marker, body = token[0], token[1:].strip()
    weight = _WEIGHT_RE.match(body)
    if weight:
        body = body[weight.end() :]
        fraction = float(weight.group(1).replace(",", "."))
    else:
        fraction = 100.0 if marker == "=" else 0.0
    text, _, feedback = body.partition("#")
    return GiftChoice(_restore(text), fraction > 0, _restore(feedback), fraction, weight is not None)


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


def _true_false(line: int, title: str, prompt: str, answer: str, feedbacks: str) -> GiftQuestion:
    """GIFT's first feedback is for a wrong answer, the second for a right one."""
    parts = feedbacks.split("#")
    wrong = _restore(parts[1]) if len(parts) > 1 else ""
    right = _restore(parts[2]) if len(parts) > 2 else ""
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
    text = _restore(chunk)
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
    lines += [f"### {question.prompt}", ""]
    for choice in question.choices:
        box = ("[x]" if choice.correct else "[ ]") if question.multiple else ("(x)" if choice.correct else "( )")
        lines.append(f"- {box} {choice.text}")
        if choice.feedback:
            lines.append(f"  Retour : {choice.feedback}")
    if question.explanation:
        lines += ["", f"Explication : {question.explanation}"]
    lines.append("")
    return lines
