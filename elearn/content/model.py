"""The objects the content pipeline hands to the rest of the app: problems, and rendered modules.

Everything here is a frozen dataclass so one parsed module can be shared by every request and thread
without copying; the web layer only reads these objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One authoring problem, located in a source file so a trainer can go straight to it."""

    path: str
    line: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class ContentError(Exception):
    """The only exception the pipeline raises: a module has errors, all of them listed in ``problems``."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems) or "contenu invalide")


@dataclass(frozen=True)
class Choice:
    id: str
    html: str
    correct: bool
    feedback_html: str


@dataclass(frozen=True)
class Question:
    id: str
    kind: Literal["single", "multiple", "true_false"]
    prompt_html: str
    choices: tuple[Choice, ...]
    explanation_html: str
    weight: float
    line: int
    #: (module slug, section id or None): the passage that teaches the answer (``{renvoi=…}``).
    reference: tuple[str, str | None] | None = None

    @property
    def correct_ids(self) -> frozenset[str]:
        return frozenset(c.id for c in self.choices if c.correct)


@dataclass(frozen=True)
class Certifying:
    """The rules of a certifying quiz (see :mod:`elearn.content.certifying`)."""

    #: Questions drawn for each attempt; None draws the whole pool (in a shuffled order).
    draw: int | None
    attempts: int
    pass_mark: int


@dataclass(frozen=True)
class Quiz:
    id: str
    title: str
    questions: tuple[Question, ...]
    line: int
    #: None for a practice quiz (retries, correction at once); the rules of a certifying one otherwise.
    certifying: Certifying | None = None

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


@dataclass(frozen=True)
class Reflection:
    id: str
    prompt_html: str
    guidance_html: str
    line: int


@dataclass(frozen=True)
class HtmlBlock:
    html: str


Block = HtmlBlock | Quiz | Reflection


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    blocks: tuple[Block, ...]
    line: int
    path: str

    # Cached: modules are immutable, and the learner's pages ask for these dozens of times per request.
    @cached_property
    def quizzes(self) -> tuple[Quiz, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Quiz))

    @cached_property
    def reflections(self) -> tuple[Reflection, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Reflection))


@dataclass(frozen=True)
class Module:
    slug: str
    path: str
    title: str
    summary: str
    duration_minutes: int
    objectives: tuple[str, ...]
    order: int
    pass_mark: int
    max_attempts: int | None
    prerequisites: tuple[str, ...]
    reflection_required: bool
    intro_html: str
    sections: tuple[Section, ...]
    content_hash: str
    authors: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    _index: dict[str, int] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._index.update({s.id: i for i, s in enumerate(self.sections)})

    def section(self, section_id: str | None) -> Section | None:
        """The section with this id, or None (ids come from URLs, so unknown ones are expected)."""
        index = self.section_index(section_id)
        return None if index is None else self.sections[index]

    def section_index(self, section_id: str | None) -> int | None:
        return self._index.get(section_id) if section_id is not None else None

    @cached_property
    def quizzes(self) -> tuple[Quiz, ...]:
        return tuple(q for s in self.sections for q in s.quizzes)

    @cached_property
    def reflections(self) -> tuple[Reflection, ...]:
        return tuple(r for s in self.sections for r in s.reflections)

    def quiz(self, quiz_id: str) -> Quiz | None:
        return next((q for q in self.quizzes if q.id == quiz_id), None)

    def section_of(self, block_id: str) -> Section | None:
        """The section holding the quiz or reflection ``block_id`` (result pages link back to it)."""
        for section in self.sections:
            if any(getattr(b, "id", None) == block_id for b in section.blocks):
                return section
        return None
