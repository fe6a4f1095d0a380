"""Attempts at the path's assessments: a fresh draw per attempt, one submission, a withheld correction.

The rules, each of which a test breaks on purpose:

- **Opening** an attempt stores its draw (questions picked from the bank, choices shuffled) before the
  learner sees it; reloading the page shows the same draw, and the unique constraint on
  (learner, kind, attempt number) turns a double click on « Commencer » into the attempt already open.
- **Submitting** needs the open attempt's secret token (carried by its form) and closes the attempt by
  one conditional update (``WHERE submitted_at IS NULL``): a second submission, a replayed form or the
  form of an earlier attempt changes nothing.
- The form names questions and choices by their **position** in this attempt's draw, never by their ids
  in the bank, so nothing learnt from one attempt's page identifies an answer in the next.
- The **correction** (right answers, explanations) is shown only once the assessment is closed for the
  learner: final assessment passed or out of attempts; the positioning test's once the final assessment
  is closed (both share the bank). Until then a result page shows the score only.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import bindparam, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from elearn.assessment.bank import QuestionBank
from elearn.content.model import Question
from elearn.content.quiz import score_question
from elearn.db import once_per_transaction
from elearn.i18n import _
from elearn.models import AssessmentAttempt
from elearn.models.base import utcnow


class Kind(StrEnum):
    """The two assessments of a path; the value is the URL segment and the stored kind."""

    POSITIONING = "positionnement"
    FINAL = "finale"

    @property
    def label(self) -> str:
        return _("Test de positionnement") if self is Kind.POSITIONING else _("Évaluation finale")


class AttemptRefused(Exception):
    """The attempt cannot be opened or submitted; ``message`` says why, in French."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class DrawnQuestion:
    """A question as this attempt shows it: its position, the bank's question, choices in shown order."""

    position: int
    question: Question
    choice_ids: tuple[str, ...]

    @property
    def field(self) -> str:
        return f"q{self.position}"

    @property
    def choices(self) -> list:
        by_id = {c.id: c for c in self.question.choices}
        return [by_id[cid] for cid in self.choice_ids if cid in by_id]


def attempts_of(session: Session, user_id: int, kind: Kind) -> list[AssessmentAttempt]:
    """A learner's attempts at one assessment, oldest first."""
    statement = select(AssessmentAttempt).where(AssessmentAttempt.user_id == user_id, AssessmentAttempt.kind == kind.value)
    return list(session.exec(statement.order_by(col(AssessmentAttempt.attempt_number))))


def allowed_attempts(kind: Kind, bank: QuestionBank) -> int:
    """The positioning test is taken once; the final assessment as often as the bank's quiz allows."""
    return 1 if kind is Kind.POSITIONING else bank.rules.attempts


@dataclass(frozen=True)
class Standing:
    """Where a learner stands with one assessment."""

    kind: Kind
    attempts: tuple[AssessmentAttempt, ...]
    allowed: int

    @property
    def open_attempt(self) -> AssessmentAttempt | None:
        return next((a for a in self.attempts if a.submitted_at is None), None)

    @property
    def closed(self) -> tuple[AssessmentAttempt, ...]:
        return tuple(a for a in self.attempts if a.submitted_at is not None)

    @property
    def passed(self) -> bool:
        return any(a.passed for a in self.closed)

    @property
    def finished(self) -> bool:
        """Nothing more to take: passed, or every allowed attempt closed."""
        return self.passed or len(self.closed) >= self.allowed

    @property
    def remaining(self) -> int:
        return max(0, self.allowed - len(self.attempts))

    @property
    def best(self) -> AssessmentAttempt | None:
        """The attempt that counts: highest score, earliest on ties."""
        return max(self.closed, key=lambda a: (a.percent or 0.0, -a.attempt_number), default=None)


def standing(session: Session, user_id: int, kind: Kind, bank: QuestionBank) -> Standing:
    return Standing(kind, tuple(attempts_of(session, user_id, kind)), allowed_attempts(kind, bank))


#: A learner's attempts at both assessments, oldest first; built once.
_LEARNER_ATTEMPTS = (
    select(AssessmentAttempt).where(AssessmentAttempt.user_id == bindparam("user_id")).order_by(col(AssessmentAttempt.attempt_number))
)
#: Where :func:`learner_attempts` keeps its answer in ``Session.info``.
_ATTEMPTS_KEY = "elearn.assessment_attempts"


def learner_attempts(session: Session, user_id: int) -> tuple[AssessmentAttempt, ...]:
    """A learner's attempts at both assessments, oldest first, read once per transaction.

    The catalog asks three times (its certificate line: is the final assessment passed? its panel: the
    standings; its before/after), so the answer is kept in the session for the transaction that read
    it (:func:`elearn.db.once_per_transaction`). Pages
    that open or submit an attempt read it with :func:`attempts_of`, and commit before reading again.
    """
    return once_per_transaction(
        session, (_ATTEMPTS_KEY, user_id), lambda: tuple(session.exec(_LEARNER_ATTEMPTS, params={"user_id": user_id}))  # type: ignore[call-overload]
    )


def standings(session: Session, user_id: int, bank: QuestionBank) -> dict[Kind, Standing]:
    """Where a learner stands with each assessment, in one query (the pages that show both)."""
    by_kind: dict[str, list[AssessmentAttempt]] = {kind.value: [] for kind in Kind}
    for attempt in learner_attempts(session, user_id):
        by_kind.setdefault(attempt.kind, []).append(attempt)
    return {kind: Standing(kind, tuple(by_kind[kind.value]), allowed_attempts(kind, bank)) for kind in Kind}


def draw(bank: QuestionBank, rng: random.Random) -> list[dict]:
    """Questions picked from the bank and their choices shuffled, as stored on the attempt.

    True/false questions keep « Vrai » before « Faux »: shuffling them only confuses.
    """
    pool = list(bank.quiz.questions)
    count = min(bank.rules.draw or len(pool), len(pool))
    picked = rng.sample(pool, count)
    drawn = []
    for question in picked:
        ids = [c.id for c in question.choices]
        if question.kind != "true_false":
            rng.shuffle(ids)
        drawn.append({"q": question.id, "c": ids})
    return drawn


def open_attempt(session: Session, user_id: int, kind: Kind, bank: QuestionBank, rng: random.Random | None = None) -> AssessmentAttempt:
    """The learner's open attempt, opening a new one (with its draw) when allowed.

    Raises :class:`AttemptRefused` when the assessment is finished.
    """
    current = standing(session, user_id, kind, bank)
    if current.open_attempt is not None:
        return current.open_attempt
    if current.finished:
        raise AttemptRefused(_("Vous n'avez plus de tentative pour cette évaluation."))
    attempt = AssessmentAttempt(
        user_id=user_id,
        kind=kind.value,
        attempt_number=len(current.attempts) + 1,
        token=secrets.token_urlsafe(32),
        bank_hash=bank.content_hash,
        drawn=draw(bank, rng or random.SystemRandom()),
    )
    session.add(attempt)
    try:
        session.commit()
    except IntegrityError:  # another request opened this attempt meanwhile: use it
        session.rollback()
        again = standing(session, user_id, kind, bank).open_attempt
        if again is None:
            raise
        return again
    return attempt


def drawn_questions(attempt: AssessmentAttempt, bank: QuestionBank) -> list[DrawnQuestion]:
    """The attempt's questions as shown; a question removed from the bank since the draw is skipped."""
    shown = []
    for entry in attempt.drawn:
        question = bank.quiz.question(entry["q"])
        if question is not None:
            shown.append(DrawnQuestion(len(shown) + 1, question, tuple(entry["c"])))
    return shown


def read_form(questions: Sequence[DrawnQuestion], form: Mapping) -> dict[str, list[str]]:
    """Selected choice ids per bank question id, from a form naming them by position (``q3`` = ``2``)."""
    answers: dict[str, list[str]] = {}
    for drawn in questions:
        picked = form.getlist(drawn.field) if hasattr(form, "getlist") else [form.get(drawn.field)]
        chosen = set()
        for value in picked:
            if isinstance(value, str) and value.isdigit() and 1 <= int(value) <= len(drawn.choice_ids):
                chosen.add(drawn.choice_ids[int(value) - 1])
        answers[drawn.question.id] = sorted(chosen)
    return answers


def submit(
    session: Session,
    user_id: int,
    kind: Kind,
    bank: QuestionBank,
    number: int,
    token: str,
    answers: Mapping[str, Sequence[str]],
) -> AssessmentAttempt:
    """Score and close attempt ``number``; raises :class:`AttemptRefused` unless it is the open one and
    ``token`` is its own. The conditional update makes the close happen once, whatever the race."""
    attempt = next((a for a in attempts_of(session, user_id, kind) if a.attempt_number == number), None)
    if attempt is None:
        raise AttemptRefused(_("Cette tentative n'existe pas."))
    if attempt.submitted_at is not None:
        raise AttemptRefused(_("Cette tentative est déjà close : ses réponses ne peuvent plus changer."))
    if not secrets.compare_digest(attempt.token, token or ""):
        raise AttemptRefused(_("Ce formulaire ne correspond pas à votre tentative en cours : rechargez la page."))
    questions = drawn_questions(attempt, bank)
    results = [score_question(d.question, answers.get(d.question.id, ())) for d in questions]
    points = sum(r.points for r in results)
    maximum = sum(r.weight for r in results)
    percent = round(100 * points / maximum, 2) if maximum else 0.0
    values = {
        "submitted_at": utcnow(),
        "answers": {d.question.id: sorted(answers.get(d.question.id, ())) for d in questions},
        "outcome": {r.question_id: r.correct for r in results},
        "points": points,
        "max_points": maximum,
        "percent": percent,
        "passed": percent >= bank.rules.pass_mark if kind is Kind.FINAL else None,
    }
    closed = session.execute(
        update(AssessmentAttempt)
        .where(col(AssessmentAttempt.id) == attempt.id, col(AssessmentAttempt.submitted_at).is_(None))
        .values(**values)
    )
    session.commit()
    if closed.rowcount != 1:
        raise AttemptRefused(_("Cette tentative est déjà close : ses réponses ne peuvent plus changer."))
    session.refresh(attempt)
    return attempt


def correction_visible(attempt: AssessmentAttempt, final: Standing | None) -> bool:
    """Whether the result page may show right answers (see the module docstring).

    ``final``: the learner's standing at the final assessment, None when the path has none.
    """
    if attempt.submitted_at is None:
        return False
    return final is None or final.finished
