"""Helpers shared by the certificate tests (unit, web and browser): the fixture path and a finished learner."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

from elearn.db import session_scope
from elearn.models import ActiveTime, ModuleProgress
from tests.conftest import make_test_app

FIXTURES = Path(__file__).parent / "fixtures"
MODULES = FIXTURES / "modules"
MEDIA = FIXTURES / "media"
BASE_URL = "https://formation.exemple.fr"

#: When and how the fixture learner completed each required module, and their active time.
COMPLETIONS = {
    "reperer": (datetime(2026, 11, 2, 10, 30, tzinfo=UTC), 87.5),
    "agir": (datetime(2026, 11, 20, 16, 0, tzinfo=UTC), None),
}
ACTIVITY = [  # (module, section, day, seconds, first, last)
    ("reperer", "les-situations", date(2026, 11, 1), 40 * 60, datetime(2026, 11, 1, 8, 0, tzinfo=UTC), datetime(2026, 11, 1, 9, 0, tzinfo=UTC)),
    ("agir", "orienter", date(2026, 11, 20), 53 * 60 + 30, datetime(2026, 11, 20, 15, 0, tzinfo=UTC), datetime(2026, 11, 20, 16, 0, tzinfo=UTC)),
    ("bonus", "ressources", date(2026, 11, 21), 3600, datetime(2026, 11, 21, 8, 0, tzinfo=UTC), datetime(2026, 11, 21, 9, 0, tzinfo=UTC)),
]


def obtain_certificate(client) -> str:  # noqa: ANN001 - a FlaskClient
    """Press « Obtenir mon attestation »: it confirms on the certificate page, whose code is returned."""
    response = client.post("/attestation")
    assert response.status_code == 302 and response.headers["Location"] == "/attestation", response.get_data(as_text=True)
    page = client.get("/attestation").get_data(as_text=True)
    return re.search(r'<code class="certificate-code">([^<]+)</code>', page).group(1)


def certificate_app(tmp_path: Path, **overrides: object):
    """An app on the certificate fixture modules, with a fixed public address."""
    config = {"ELEARN_MODULES_DIR": str(MODULES), "ELEARN_MEDIA_DIR": str(MEDIA), "ELEARN_BASE_URL": BASE_URL}
    return make_test_app(tmp_path, **{**config, **overrides})


def complete_path(app, user_id: int, slugs: tuple[str, ...] = ("reperer", "agir"), activity: bool = True) -> None:  # noqa: ANN001
    """Record the completion of ``slugs`` (and the activity log) as the learner pages would have."""
    with app.app_context(), session_scope() as session:
        for slug in slugs:
            completed_at, score = COMPLETIONS[slug]
            session.add(
                ModuleProgress(
                    user_id=user_id, module_slug=slug, started_at=completed_at.replace(hour=7),
                    last_activity_at=completed_at, completed_at=completed_at, completion_score=score,
                    completion_content_hash="fixture",
                )
            )
        for slug, section, day, seconds, first, last in ACTIVITY if activity else []:
            session.add(ActiveTime(user_id=user_id, module_slug=slug, section_id=section, day=day, seconds=seconds,
                                   first_activity_at=first, last_activity_at=last))


def modules_with_example_values(tmp_path: Path) -> Path:
    """A copy of the fixture modules whose parcours.yml still holds example values, as the shipped one does."""
    modules = tmp_path / "modules-example"
    shutil.copytree(MODULES, modules)
    parcours = modules / "parcours.yml"
    text = parcours.read_text(encoding="utf-8")
    text = text.replace("nom: Association Santé Égalité", 'nom: "Association organisatrice (À REMPLACER)"')
    text = text.replace("fonction: directrice", 'fonction: "Fonction du signataire (a\u0300 remplacer)"')  # à typed as a + ◌̀
    parcours.write_text(text, encoding="utf-8")
    return modules


def modules_with_rule(tmp_path: Path, rule: str) -> Path:
    """A copy of the fixture modules whose parcours.yml ends with ``rule`` (a ``temps_actif_minimum`` block)."""
    modules = tmp_path / "modules-rule"
    shutil.copytree(MODULES, modules)
    parcours = modules / "parcours.yml"
    parcours.write_text(parcours.read_text(encoding="utf-8") + rule, encoding="utf-8")
    return modules


def signed_pdf(data, credential_json: str, instance: Path) -> bytes:  # noqa: ANN001
    """The attestation PDF as issued: rendered, then signed with the instance's PDF signer."""
    from elearn.certificates.documents import ATTESTATION, DocumentMaker

    return DocumentMaker(instance, MEDIA).render(ATTESTATION, data, credential_json)
