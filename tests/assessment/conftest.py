"""An app whose path declares the positioning test and the final assessment over a four-question bank.

The bank draws three questions per attempt and allows two final attempts; the path requires both
fixture modules (tests/fixtures/modules) and the final assessment passed.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from elearn.db import get_engine, session_scope
from elearn.models import ModuleProgress
from tests.certificates.support import MEDIA, MODULES
from tests.conftest import FIXTURE_MODULES, make_test_app

BANK = Path(__file__).parent / "fixtures" / "_evaluation.md"
PATH_MODULES = ("premiers-pas", "suite")
EVALUATION = """
evaluation:
  banque: _evaluation.md
  positionnement: true
  finale: true
  finale_exigee: true
"""


def assessment_modules(target: Path) -> Path:
    """tests/fixtures/modules with the bank and a parcours.yml that declares the assessments."""
    modules = target / "modules"
    shutil.copytree(FIXTURE_MODULES, modules)
    shutil.copy(BANK, modules / "_evaluation.md")
    parcours = (MODULES / "parcours.yml").read_text(encoding="utf-8")
    parcours = parcours.replace("  - reperer\n  - agir\n", "".join(f"  - {slug}\n" for slug in PATH_MODULES))
    (modules / "parcours.yml").write_text(parcours + EVALUATION, encoding="utf-8")
    return modules


@pytest.fixture
def app(tmp_path):
    """SQLite only: the rules are the database's unique constraint and one conditional update."""
    app = make_test_app(tmp_path, ELEARN_MODULES_DIR=str(assessment_modules(tmp_path)), ELEARN_MEDIA_DIR=str(MEDIA))
    yield app
    get_engine(app).dispose()


def complete_path(app, user_id: int) -> None:
    """The learner completed every module of the path (the final assessment opens)."""
    now = datetime.now(UTC)
    with app.app_context(), session_scope() as session:
        for slug in PATH_MODULES:
            session.add(ModuleProgress(user_id=user_id, module_slug=slug, started_at=now, last_activity_at=now, completed_at=now))
