"""Knowledge gain: each learner's positioning score (before) against their final assessment (after).

« After » is the final attempt that counts (best score, earliest on ties), as for the certificate.
The per-question table compares, question by question of the bank, the share of right answers
before and after: a question that stays missed after the training points to a passage to rewrite.
Learners are chosen with the reports' own filters (:func:`elearn.reporting.conditions.learner_conditions`),
so a trainer's group page, the dashboard and an export describe the same people.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from elearn.assessment.attempts import Kind, learner_attempts
from elearn.assessment.bank import QuestionBank
from elearn.models import AssessmentAttempt, TrainingGroup, User
from elearn.reporting.catalog import Catalog
from elearn.reporting.conditions import learner_conditions
from elearn.reporting.filters import ReportFilters

#: Below this share of right answers after the training, a question « stays missed ».
STILL_MISSED_BELOW = 50.0
#: Width of the distribution's bins, in percentage points.
BIN_WIDTH = 20


@dataclass
class LearnerGain:
    """One learner's before and after (None when not taken), with the attempts behind them."""

    user_id: int
    full_name: str
    email: str
    profession: str
    #: The learner's training group, for the exports' « Groupe » column (empty without one).
    group: str = ""
    before: float | None = None
    before_at: datetime | None = None
    after: float | None = None
    after_at: datetime | None = None
    passed: bool | None = None
    final_attempts: int = 0
    before_outcome: dict = field(default_factory=dict)
    after_outcome: dict = field(default_factory=dict)

    @property
    def gain(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return round(self.after - self.before, 2)


def _fill(gains: dict[int, LearnerGain], row: Sequence) -> None:
    user_id, name, email, profession, group, kind, number, percent, passed, at, outcome = row
    learner = gains.setdefault(user_id, LearnerGain(user_id, name, email, profession or "", group or ""))
    if kind == Kind.POSITIONING.value:
        if learner.before is None:
            learner.before, learner.before_at, learner.before_outcome = percent, at, outcome or {}
        return
    learner.final_attempts += 1
    learner.passed = bool(learner.passed or passed)
    if learner.after is None or (percent or 0.0) > learner.after:
        learner.after, learner.after_at, learner.after_outcome = percent, at, outcome or {}


def learner_gains(session: Session, filters: ReportFilters, catalog: Catalog) -> list[LearnerGain]:
    """Every learner matching ``filters`` who took an assessment, by name."""
    attempt = AssessmentAttempt
    statement = (
        select(
            col(User.id), col(User.full_name), col(User.email), col(User.profession), col(TrainingGroup.name), col(attempt.kind),
            col(attempt.attempt_number), col(attempt.percent), col(attempt.passed), col(attempt.submitted_at),
            col(attempt.outcome),
        )
        .join(User, col(User.id) == col(attempt.user_id))
        .outerjoin(TrainingGroup, col(TrainingGroup.id) == col(User.group_id))
        .where(col(attempt.submitted_at).is_not(None))
        .where(*learner_conditions(filters, catalog))
        .order_by(col(User.full_name), col(User.id), col(attempt.attempt_number))
    )
    gains: dict[int, LearnerGain] = {}
    for row in session.exec(statement):
        _fill(gains, row)
    return list(gains.values())


def learner_gain(session: Session, user: User) -> LearnerGain | None:
    """One learner's before and after, on the learner's own pages (which show the scores: the group,
    for the exports, is left empty), from the attempts the transaction has read
    (:func:`elearn.assessment.attempts.learner_attempts`: the catalog reads them once for all its panels)."""
    gains: dict[int, LearnerGain] = {}
    for a in learner_attempts(session, user.id):  # type: ignore[arg-type]
        if a.submitted_at is not None:
            _fill(gains, (user.id, user.full_name, user.email, user.profession, "", a.kind, a.attempt_number, a.percent, a.passed,
                          a.submitted_at, a.outcome))
    return gains.get(user.id)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Distribution:
    """How many learners fall in each bin of ``BIN_WIDTH`` points, before and after, and the medians."""

    bins: tuple[str, ...]
    before: tuple[int, ...]
    after: tuple[int, ...]
    median_before: float | None
    median_after: float | None
    median_gain: float | None
    #: Learners with both scores (the gain is measured on them only).
    paired: int
    #: Gains, one per paired learner, for the gain chart.
    gains: tuple[float, ...]


def _bin_labels() -> tuple[str, ...]:
    return tuple(f"{low}–{low + BIN_WIDTH - 1 if low + BIN_WIDTH < 100 else 100}" for low in range(0, 100, BIN_WIDTH))


def _counts(values: Iterable[float]) -> tuple[int, ...]:
    counts = [0] * (100 // BIN_WIDTH)
    for value in values:
        counts[min(int(value // BIN_WIDTH), len(counts) - 1)] += 1
    return tuple(counts)


def _median(values: Sequence[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def distribution(gains: Sequence[LearnerGain]) -> Distribution:
    before = [g.before for g in gains if g.before is not None]
    after = [g.after for g in gains if g.after is not None]
    paired = [g.gain for g in gains if g.gain is not None]
    return Distribution(
        _bin_labels(), _counts(before), _counts(after), _median(before), _median(after), _median(paired), len(paired),
        tuple(paired),
    )


@dataclass(frozen=True)
class QuestionRow:
    """One bank question: right answers before and after, among the learners who were asked it."""

    number: int
    question_id: str
    prompt: str
    asked_before: int
    right_before: int
    asked_after: int
    right_after: int
    #: (module slug, section id or None) of the passage that teaches the answer, when the bank says.
    reference: tuple[str, str | None] | None = None

    @staticmethod
    def _rate(right: int, asked: int) -> float | None:
        return round(100 * right / asked, 1) if asked else None

    @property
    def rate_before(self) -> float | None:
        return self._rate(self.right_before, self.asked_before)

    @property
    def rate_after(self) -> float | None:
        return self._rate(self.right_after, self.asked_after)

    @property
    def change(self) -> float | None:
        if self.rate_before is None or self.rate_after is None:
            return None
        return round(self.rate_after - self.rate_before, 1)

    @property
    def still_missed(self) -> bool:
        return self.rate_after is not None and self.rate_after < STILL_MISSED_BELOW


def question_table(gains: Sequence[LearnerGain], bank: QuestionBank, prompt_text: callable = str) -> list[QuestionRow]:
    """One row per bank question, in the bank's order; ``prompt_text`` turns its HTML into plain text."""
    rows = []
    for number, question in enumerate(bank.quiz.questions, start=1):
        before = [g.before_outcome[question.id] for g in gains if question.id in g.before_outcome]
        after = [g.after_outcome[question.id] for g in gains if question.id in g.after_outcome]
        rows.append(QuestionRow(number, question.id, prompt_text(question.prompt_html), len(before), sum(map(bool, before)),
                                len(after), sum(map(bool, after)), question.reference))
    return rows
