"""Quiz scoring, done on the server only: a question scores its weight when the learner selected
exactly its correct choices, nothing otherwise; an attempt passes when its percentage reaches the
module's pass mark (``seuil``), the mark itself included."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from elearn.content.model import Question, Quiz


@dataclass(frozen=True)
class QuestionResult:
    question_id: str
    correct: bool
    points: float
    weight: float
    selected: frozenset[str]


@dataclass(frozen=True)
class QuizResult:
    questions: tuple[QuestionResult, ...]
    points: float
    max_points: float
    percent: float

    def question(self, question_id: str) -> QuestionResult | None:
        return next((q for q in self.questions if q.question_id == question_id), None)


def score_question(question: Question, selected: Collection[str]) -> QuestionResult:
    """Selected ids the question does not have are ignored: they can only come from a forged form."""
    if isinstance(selected, str):
        selected = (selected,)
    valid = {choice.id for choice in question.choices}
    chosen = frozenset(selected) & valid
    correct = bool(chosen) and chosen == question.correct_ids
    return QuestionResult(question.id, correct, question.weight if correct else 0.0, question.weight, chosen)


def score_quiz(quiz: Quiz, answers: Mapping[str, Collection[str]]) -> QuizResult:
    """Score every question of ``quiz``; ``answers`` maps question id -> selected choice ids."""
    results = tuple(score_question(q, answers.get(q.id, ())) for q in quiz.questions)
    points = sum(r.points for r in results)
    max_points = sum(r.weight for r in results)
    percent = round(100 * points / max_points, 2) if max_points else 0.0
    return QuizResult(results, points, max_points, percent)


def passes(percent: float, pass_mark: int) -> bool:
    """True when a score of ``percent`` passes a quiz whose pass mark is ``pass_mark``: reaching the mark is enough."""
    return percent >= pass_mark
