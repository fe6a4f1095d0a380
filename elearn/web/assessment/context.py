"""What the assessment pages need from the configuration: the path's plan and its question bank."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from elearn.assessment.attempts import Kind, Standing, standing, standings
from elearn.assessment.bank import QuestionBank, load_bank
from elearn.certificates.path import AssessmentPlan, TrainingPath
from elearn.content.model import ContentError
from elearn.db import get_session
from elearn.web.certificates import path_or_problems

log = logging.getLogger("elearn")


@dataclass(frozen=True)
class Assessments:
    """The path with its plan and bank, ready for the pages (only built when both are usable)."""

    path: TrainingPath
    plan: AssessmentPlan
    bank: QuestionBank

    def offers(self, kind: Kind) -> bool:
        return self.plan.positioning if kind is Kind.POSITIONING else self.plan.final

    def standing(self, user_id: int, kind: Kind) -> Standing:
        return standing(get_session(), user_id, kind, self.bank)

    def standings(self, user_id: int) -> dict[Kind, Standing]:
        """Both assessments' standings, in one query."""
        return standings(get_session(), user_id, self.bank)

    def final_standing(self, user_id: int) -> Standing | None:
        """From :meth:`standings` (the attempts read once per transaction: the catalog's panels ask too)."""
        return self.standings(user_id)[Kind.FINAL] if self.plan.final else None


def current_assessments() -> Assessments | None:
    """The path's assessments, or None when none is declared or the bank cannot be read (logged)."""
    path, _problems = path_or_problems()
    if path is None or path.assessment is None:
        return None
    try:
        bank = load_bank(
            Path(current_app.config["ELEARN_MODULES_DIR"]), Path(current_app.config["ELEARN_MEDIA_DIR"]), path.assessment.bank
        )
    except (ContentError, OSError) as error:
        log.error("The question bank %s cannot be used:\n%s", path.assessment.bank, error)
        return None
    return Assessments(path, path.assessment, bank)
