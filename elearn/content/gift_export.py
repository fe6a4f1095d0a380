"""A module's quizzes as a Moodle GIFT question bank (``elearn export-gift``), and what GIFT cannot carry.

It reads the parsed module (stage 1 of the pipeline, after the checker found no error), so questions
travel as the trainer wrote them, in Markdown: every question text starts with ``[markdown]``, which
Moodle renders, and its answers and feedback take that format too. Each quiz becomes a ``$CATEGORY``
named after the module and the section, so ``elearn import-gift`` gives back one section per quiz.

What GIFT has no syntax for is listed in :attr:`GiftExport.notices`, with the module line it concerns,
and repeated in a comment at the top of the file:

- a question's weight (``{poids=N}``) goes into a ``// poids: N`` comment, which ``import-gift`` reads
  back but Moodle ignores (set the question's default mark there);
- a several-answer question is all or nothing in elearn; in Moodle each right answer is worth its share
  (``~%50%``) and a wrong one cancels the mark (``~%-100%``), so a partly right answer earns part of it;
- reflection blocks, the module's pass mark and attempt limit, media and links to other modules stay
  behind.

``import-gift`` of an exported bank gives the same questions, weights, choices, feedback and explanations
(a property test checks it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from elearn.content.blocks import RawChoice, RawQuestion
from elearn.content.parse import ParsedModule, RawBlock

_RESERVED = str.maketrans({"\\": "\\\\", "#": "\\#", "=": "\\=", "~": "\\~", "{": "\\{", "}": "\\}", ":": "\\:", "\n": "\\n", "\r": ""})
_MEDIA_RE = re.compile(r"\]\(\s*media/")
_MODULE_LINK_RE = re.compile(r"\]\(\s*module:")
#: Moodle accepts only these shares of a mark (question/format: ``get_grade_options``): one right answer
#: in k is worth 100/k, which this list holds for k up to 10 (and not for 11, 12...).
MOODLE_SHARES = {1: "100", 2: "50", 3: "33.33333", 4: "25", 5: "20", 6: "16.66667", 7: "14.28571", 8: "12.5", 9: "11.11111", 10: "10"}


@dataclass(frozen=True)
class ExportNotice:
    """Something of the module the GIFT file does not carry (or carries only for elearn), by module line."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class GiftExport:
    text: str
    questions: int
    notices: list[ExportNotice] = field(default_factory=list)


def export_gift(parsed: ParsedModule) -> GiftExport:
    """The GIFT text of every quiz of ``parsed`` (a module the checker accepted) and what it leaves out."""
    title = str(parsed.front.get("titre", parsed.slug))
    notices = _module_notices(parsed)
    body: list[str] = []
    count = 0
    for section in parsed.sections:
        for part in section.parts:
            if not isinstance(part, RawBlock):
                continue
            if part.kind == "reflexion":
                notices.append(ExportNotice(part.path, part.line, "bloc « reflexion » non exporté : GIFT n'a pas de question ouverte sans note"))
                continue
            if part.kind != "quiz" or not part.questions:
                continue
            body += ["", f"$CATEGORY: $course$/top/{_category(title)}/{_category(part.title or section.title)}", ""]
            for question in part.questions:
                count += 1
                body += _question(question, f"{section.title} — {count}", part.path, notices)
    header = ["// Questions du module « " + " ".join(title.split()) + " » (elearn export-gift)."]
    if notices:
        header.append("// Ce que ce fichier ne transporte pas, ou seulement pour elearn :")
        header += [f"//   {notice.path}:{notice.line} : {' '.join(notice.message.split())}" for notice in notices]
    return GiftExport("\n".join(header + body).rstrip() + "\n", count, notices)


def _module_notices(parsed: ParsedModule) -> list[ExportNotice]:
    notices = []
    for key, meaning in (("seuil", "seuil de réussite"), ("tentatives_max", "nombre de tentatives")):
        if key in parsed.front:
            line = parsed.front_lines.get(key, parsed.front_line)
            notices.append(ExportNotice(parsed.front_path, line, f"{meaning} du module (« {key}: {parsed.front[key]} ») à régler dans le test Moodle"))
    return notices


def _category(name: str) -> str:
    """A category path segment: GIFT ends the category at the line's end, and ``/`` separates levels."""
    return " ".join(name.replace("/", "-").split())


def _question(question: RawQuestion, name: str, path: str, notices: list[ExportNotice]) -> list[str]:
    prompt = question.prompt_text
    for pattern, what in ((_MEDIA_RE, "image ou média"), (_MODULE_LINK_RE, "lien vers un autre module")):
        texts = [prompt, *("\n".join(choice.text + choice.feedback) for choice in question.choices), "\n".join(question.explanation)]
        if any(pattern.search(text) for text in texts):
            notices.append(ExportNotice(path, question.line, f"{what} dans la question : à refaire dans Moodle"))
    lines = []
    if question.weight and float(question.weight.replace(",", ".")) != 1:
        lines.append(f"// poids: {question.weight}")
        notices.append(ExportNotice(path, question.line, f"poids {question.weight} écrit en commentaire « // poids » : Moodle l'ignore, réglez la note par défaut de la question"))
    head = f"::{_escape(name)}::[markdown]{_escape(prompt)}"
    explanation = "\n".join(question.explanation).strip()
    general = f"####{_escape(explanation)}" if explanation else ""
    if _is_true_false(question.choices):
        lines.append(head + "{" + _true_false(question.choices) + general + "}")
        return lines + [""]
    several = any(choice.style == "checkbox" for choice in question.choices)
    right = sum(choice.correct for choice in question.choices)
    if several:
        if right > len(MOODLE_SHARES):
            notices.append(ExportNotice(path, question.line, f"{right} bonnes réponses : Moodle n'accepte pas la part de 1/{right} de la note"))
        notices.append(ExportNotice(path, question.line, "question à plusieurs réponses : dans Moodle, une réponse en partie juste rapporte une partie des points"))
    lines.append(head + "{")
    for choice in question.choices:
        if several:
            mark = f"~%{MOODLE_SHARES.get(right, f'{100 / right:.5f}')}%" if choice.correct else "~%-100%"
        else:
            mark = "=" if choice.correct else "~"
        text, feedback = _text(choice.text), _text(choice.feedback)
        if mark == "~" and text.startswith("%"):
            mark = "~%0%"  # else a text such as "%50% des cas" would be read as a weight
        lines.append(f"\t{mark}{_escape(text)}" + (f"#{_escape(feedback)}" if feedback else ""))
    if general:
        lines.append(f"\t{general}")
    return lines + ["}", ""]


def _is_true_false(choices: list[RawChoice]) -> bool:
    labels = sorted(_text(choice.text).lower() for choice in choices)
    return labels == ["faux", "vrai"] and all(choice.style == "radio" for choice in choices)


def _true_false(choices: list[RawChoice]) -> str:
    """``TRUE`` or ``FALSE``, then the feedback for a wrong answer, then for a right one (GIFT's order)."""
    right = next(choice for choice in choices if choice.correct)
    wrong = next(choice for choice in choices if not choice.correct)
    answer = "TRUE" if _text(right.text).lower() == "vrai" else "FALSE"
    wrong_feedback, right_feedback = _escape(_text(wrong.feedback)), _escape(_text(right.feedback))
    if right_feedback:
        return f"{answer}#{wrong_feedback}#{right_feedback}"
    return f"{answer}#{wrong_feedback}" if wrong_feedback else answer


def _text(lines: list[str]) -> str:
    return " ".join(part.strip() for part in lines if part.strip())


def _escape(text: str) -> str:
    return text.translate(_RESERVED)
