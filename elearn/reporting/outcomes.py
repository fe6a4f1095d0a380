"""Learning outcomes as exported rows: knowledge gain per learner (and, with surveys, satisfaction).

Rows are tuples in the order of their columns, like :mod:`elearn.reporting.records`, so every format of
:mod:`elearn.reporting.exports` writes them. Learners are chosen with the reports' filters.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlmodel import Session

from elearn.assessment.gain import learner_gains
from elearn.reporting.catalog import Catalog
from elearn.reporting.filters import ReportFilters
from elearn.reporting.records import LEARNER_COLUMNS, Column

KNOWLEDGE_COLUMNS = (
    *LEARNER_COLUMNS,
    Column("before_percent", "Avant : test de positionnement (%)", "decimal"),
    Column("before_at", "Test de positionnement passé le", "datetime"),
    Column("after_percent", "Après : évaluation finale (%)", "decimal"),
    Column("after_at", "Évaluation finale (tentative retenue) le", "datetime"),
    Column("gain_points", "Progression (points)", "decimal"),
    Column("final_attempts", "Tentatives à l'évaluation finale", "int"),
    Column("final_result", "Évaluation finale", "text"),
)


def final_result(passed: bool | None, attempts: int) -> str:
    """« réussie », « non réussie » or empty when not taken (a key, the same in every format)."""
    if not attempts:
        return ""
    return "réussie" if passed else "non réussie"


def knowledge_rows(session: Session, filters: ReportFilters, catalog: Catalog) -> Iterator[tuple[Any, ...]]:
    """One row per learner who took an assessment, in :data:`KNOWLEDGE_COLUMNS` order."""
    for g in learner_gains(session, filters, catalog):
        yield (
            g.user_id, g.full_name, g.email, g.profession, g.group, g.before, g.before_at, g.after, g.after_at, g.gain,
            g.final_attempts, final_result(g.passed, g.final_attempts),
        )
