"""An app whose modules folder is a writable copy of the fixture modules, and a trainer on it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from elearn.models import Role
from tests.conftest import FIXTURE_MODULES, add_user, make_test_app


@pytest.fixture
def modules_dir(tmp_path: Path) -> Path:
    target = tmp_path / "modules"
    shutil.copytree(FIXTURE_MODULES, target)
    return target


@pytest.fixture
def app(tmp_path: Path, modules_dir: Path):
    (tmp_path / "media").mkdir()
    return make_test_app(tmp_path, ELEARN_MODULES_DIR=str(modules_dir), ELEARN_MEDIA_DIR=str(tmp_path / "media"))


@pytest.fixture
def second_trainer(app):
    return add_user(app, "formateur@example.org", Role.TRAINER, full_name="Louis Formateur")
