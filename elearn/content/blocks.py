"""The inside of ``::: quiz`` and ``::: reflexion`` blocks, read line by line with line numbers.

The syntax is plain Markdown lists so a quiz stays readable on a git forge: ``### question``,
``- (x) choice`` / ``- [ ] choice``, an indented ``Retour :`` under a choice, ``Explication :``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from elearn.content.messages import problem
from elearn.content.model import Problem

Lines = list[tuple[int, str]]

_QUESTION_RE = re.compile(r"^###(?!#)(.*)$")
#: ``{poids=2 renvoi=definition#loi-2008}`` at the end of a question: every word in the braces is key=value.
_QUESTION_OPTIONS_RE = re.compile(r"\s*\{((?:\s*[\w-]+\s*=\s*[^\s{}=]*\s*)+)\}\s*$")
_OPTION_RE = re.compile(r"([\w-]+)\s*=\s*([^\s{}=]*)")
_CHOICE_RE = re.compile(r"^ {0,3}[-*+]\s+([(\[])\s?([xX]?)\s?([)\]])(?:\s+(.*)|\s*)$")
_FEEDBACK_RE = re.compile(r"^\s+Retour\s*:\s*(.*)$", re.IGNORECASE)
_EXPLANATION_RE = re.compile(r"^Explication\s*:\s*(.*)$", re.IGNORECASE)
_OPTIONS_RE = re.compile(r"\s*\{([^{}]*)\}\s*$")


@dataclass
class RawChoice:
    line: int
    style: str  # "radio" for ( ), "checkbox" for [ ]
    correct: bool
    text: list[str]
    feedback: list[str] = field(default_factory=list)
    in_feedback: bool = False


@dataclass
class RawQuestion:
    line: int
    prompt: list[str]
    weight: str | None
    choices: list[RawChoice] = field(default_factory=list)
    #: ``renvoi=module#section``: the passage that teaches the answer (the trainer's results link to it).
    reference: str | None = None
    #: Options of the braces this syntax does not know, reported by ``validate``.
    unknown_options: list[str] = field(default_factory=list)
    explanation: list[str] = field(default_factory=list)
    in_explanation: bool = False

    @property
    def prompt_text(self) -> str:
        return " ".join(part.strip() for part in self.prompt if part.strip())


def split_options(title: str) -> tuple[str, str | None]:
    """``Évaluation {certifiant tirage=10}`` -> (``Évaluation``, ``certifiant tirage=10``).

    The braces at the end of a quiz's opening line carry its mode (see ``docs/authoring.md``);
    they are judged by ``validate``, never here.
    """
    options = _OPTIONS_RE.search(title)
    if options is None:
        return title, None
    return title[: options.start()].strip(), options.group(1).strip()


@dataclass
class RawReflection:
    line: int
    prompt: str
    guidance: list[str] = field(default_factory=list)


def parse_quiz(lines: Lines, path: str, problems: list[Problem]) -> list[RawQuestion]:
    """Questions of a quiz block; lines that fit nowhere are reported, never silently dropped."""
    questions: list[RawQuestion] = []
    reported_preamble = False
    for number, text in lines:
        heading = _QUESTION_RE.match(text)
        if heading:
            questions.append(_new_question(number, heading.group(1)))
        elif not questions:
            if text.strip() and not reported_preamble:
                reported_preamble = True
                problems.append(problem("quiz_text_before_question", path, number))
        elif not _add_to_question(questions[-1], number, text):
            problems.append(problem("quiz_unexpected_line", path, number))
    return questions


def _new_question(number: int, heading: str) -> RawQuestion:
    braces = _QUESTION_OPTIONS_RE.search(heading)
    options: dict[str, str] = {}
    unknown: list[str] = []
    if braces:
        heading = heading[: braces.start()]
        for key, value in _OPTION_RE.findall(braces.group(1)):
            if key.lower() in ("poids", "renvoi"):
                options[key.lower()] = value.strip()
            else:
                unknown.append(f"{key}={value}")
    return RawQuestion(number, [heading.strip()], options.get("poids"), reference=options.get("renvoi"), unknown_options=unknown)


def split_reference(target: str) -> tuple[str, str | None]:
    """``definition#loi-2008`` -> (``definition``, ``loi-2008``); a module alone has no section."""
    slug, _, section = target.partition("#")
    return slug, section or None


def _add_to_question(question: RawQuestion, number: int, text: str) -> bool:
    """Attach one line to the current question; False when the line has no place there."""
    if question.in_explanation:
        question.explanation.append(text)
        return True
    if explanation := _EXPLANATION_RE.match(text):
        question.in_explanation = True
        question.explanation.append(explanation.group(1))
        return True
    if choice := _CHOICE_RE.match(text):
        style = "radio" if choice.group(1) == "(" else "checkbox"
        question.choices.append(RawChoice(number, style, bool(choice.group(2)), [choice.group(4) or ""]))
        return True
    if not text.strip():
        return True
    if not question.choices:
        question.prompt.append(text)
        return True
    return _add_to_choice(question.choices[-1], text)


def _add_to_choice(choice: RawChoice, text: str) -> bool:
    if not text[:1].isspace():
        return False
    if feedback := _FEEDBACK_RE.match(text):
        choice.in_feedback = True
        choice.feedback.append(feedback.group(1))
    elif choice.in_feedback:
        choice.feedback.append(text.strip())
    else:
        choice.text.append(text.strip())
    return True


def parse_reflection(lines: Lines, line: int, path: str, problems: list[Problem]) -> RawReflection | None:
    """The one open question of a reflection block and its guidance text."""
    reflection: RawReflection | None = None
    for number, text in lines:
        heading = _QUESTION_RE.match(text)
        if heading and reflection is None:
            reflection = RawReflection(number, heading.group(1).strip())
        elif heading:
            problems.append(problem("reflection_two_questions", path, number))
        elif reflection is not None:
            reflection.guidance.append(text)
        elif text.strip():
            problems.append(problem("reflection_text_before", path, number))
            return None
    if reflection is None:
        problems.append(problem("reflection_no_question", path, line))
    elif not reflection.prompt:
        problems.append(problem("question_empty", path, reflection.line))
    return reflection
