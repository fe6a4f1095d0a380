"""The files of one learner's evidence: what was recorded of their training, as CSV (French headers, ``;``).

Times are written in French local time (Europe/Paris) with their offset, so a reader in a spreadsheet
and a script both read them right. Text cells that a spreadsheet would run as a formula are protected.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from elearn.formatting import local
from elearn.models import ActiveTime, ModuleProgress, QuizAttempt
from elearn.reporting.cells import protect_formula


@dataclass(frozen=True)
class LearnerRecords:
    """Everything recorded of one learner's training, read in three queries as plain rows.

    Rows, not ORM objects: a group pack reads tens of thousands of them, and only the columns written
    (a quiz attempt's answers, the bulk of its row, are not part of the evidence files).
    """

    activity: Sequence[Any]
    attempts: Sequence[Any]
    completions: Sequence[Any]

    @property
    def active_seconds(self) -> int:
        return sum(row.seconds for row in self.activity)

    @property
    def completed(self) -> list[Any]:
        return [row for row in self.completions if row.completed_at is not None]


_ACTIVITY = (ActiveTime.day, ActiveTime.first_activity_at, ActiveTime.last_activity_at, ActiveTime.module_slug,
             ActiveTime.section_id, ActiveTime.seconds)
_ATTEMPTS = (QuizAttempt.submitted_at, QuizAttempt.module_slug, QuizAttempt.quiz_id, QuizAttempt.attempt_number,
             QuizAttempt.points, QuizAttempt.max_points, QuizAttempt.percent, QuizAttempt.passed, QuizAttempt.content_hash)
_COMPLETIONS = (ModuleProgress.module_slug, ModuleProgress.started_at, ModuleProgress.completed_at,
                ModuleProgress.completion_score, ModuleProgress.completion_content_hash)


def read_records(session: Session, user_ids: Sequence[int]) -> dict[int, LearnerRecords]:
    """The records of several learners in three queries (a group pack reads them by batches)."""
    found: dict[int, tuple[list, list, list]] = {user_id: ([], [], []) for user_id in user_ids}
    for index, (model, columns, order) in enumerate((
        (ActiveTime, _ACTIVITY, ActiveTime.first_activity_at),
        (QuizAttempt, _ATTEMPTS, QuizAttempt.submitted_at),
        (ModuleProgress, _COMPLETIONS, ModuleProgress.started_at),
    )):
        owner = model.user_id  # type: ignore[attr-defined]
        for row in session.exec(select(owner, *columns).where(col(owner).in_(user_ids)).order_by(col(order))):
            found[row[0]][index].append(row)
    return {user_id: LearnerRecords(*lists) for user_id, lists in found.items()}


def moment(value: datetime | None) -> str:
    return local(value).isoformat(timespec="seconds") if value else ""


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 with BOM (spreadsheets read the accents), ``;``-separated (French spreadsheets' default)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([protect_formula(v) if isinstance(v, str) else v for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def connection_log(records: LearnerRecords, titles: dict[str, str]) -> bytes:
    """« Relevé de connexion »: each day, page by page, when the learner was active and for how long."""
    return to_csv(
        ("jour", "début d'activité", "fin d'activité", "module", "titre du module", "section", "temps actif (secondes)"),
        (
            (row.day.isoformat(), moment(row.first_activity_at), moment(row.last_activity_at), row.module_slug,
             titles.get(row.module_slug, ""), row.section_id, row.seconds)
            for row in records.activity
        ),
    )


def quiz_attempts(records: LearnerRecords, titles: dict[str, str]) -> bytes:
    """Every quiz attempt with its score, the pass and the version of the content it was taken on."""
    return to_csv(
        ("envoyé le", "module", "titre du module", "quiz", "tentative", "points", "sur", "score (%)", "réussi",
         "version du contenu (empreinte)"),
        (
            (moment(a.submitted_at), a.module_slug, titles.get(a.module_slug, ""), a.quiz_id, a.attempt_number,
             a.points, a.max_points, round(a.percent, 1), "oui" if a.passed else "non", a.content_hash)
            for a in records.attempts
        ),
    )


def completions(records: LearnerRecords, titles: dict[str, str]) -> bytes:
    """Each module started, and completed with its score and the version of the content completed."""
    return to_csv(
        ("module", "titre du module", "commencé le", "terminé le", "score (%)", "version du contenu (empreinte)"),
        (
            (p.module_slug, titles.get(p.module_slug, ""), moment(p.started_at), moment(p.completed_at),
             "" if p.completion_score is None else round(p.completion_score, 1), p.completion_content_hash or "")
            for p in records.completions
        ),
    )


def active_time_by_day(records: LearnerRecords, titles: dict[str, str]) -> bytes:
    """Active time per day and module (the sum of the connection log's rows)."""
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for row in records.activity:
        totals[(row.day.isoformat(), row.module_slug)] += row.seconds
    return to_csv(
        ("jour", "module", "titre du module", "temps actif (secondes)", "temps actif (minutes)"),
        ((day, slug, titles.get(slug, ""), seconds, round(seconds / 60, 1)) for (day, slug), seconds in sorted(totals.items())),
    )
