"""Eligibility: the required modules of parcours.yml, completed; the measured facts of the path."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from elearn.certificates.eligibility import attendance, certificate_status
from elearn.certificates.errors import CertificateError
from elearn.certificates.issue import issue_certificate, reissue_certificate, revoke_certificate
from elearn.db import session_scope
from elearn.learning.progress import learner_overview
from elearn.models import ModuleProgress, QuizAttempt
from tests.certificates.support import complete_path


def test_nothing_done_lists_every_required_module_in_path_order(session, learner, issuer):
    status = certificate_status(session, learner, issuer.library, issuer.path)
    assert [(m.slug, m.status_label) for m in status.missing] == [("reperer", "Non commencé"), ("agir", "Non commencé")]
    assert not status.eligible and not status.can_issue and status.certificate is None


def test_one_module_left_is_named(app, learner, issuer):
    complete_path(app, learner.id, ("reperer",))
    with app.app_context(), session_scope() as session:
        status = certificate_status(session, learner, issuer.library, issuer.path)
    assert [m.title for m in status.missing] == ["Agir et orienter"]


def test_optional_module_is_not_required(session, finished, issuer):
    status = certificate_status(session, finished, issuer.library, issuer.path)
    assert status.missing == () and status.eligible and status.can_issue


def test_unknown_required_module_blocks_issuing_with_a_message(session, finished, issuer):
    path = replace(issuer.path, required_modules=("reperer", "agir", "inexistant"))
    status = certificate_status(session, finished, issuer.library, path)
    assert status.problems == ("parcours.yml : le module obligatoire « inexistant » n'existe pas dans le dossier des modules.",)
    assert not status.eligible


def test_attendance_counts_required_modules_only(session, finished, issuer):
    facts = attendance(session, finished, issuer.library, issuer.path)
    assert [(m.slug, m.title, m.duration_minutes, m.score) for m in facts.modules] == [
        ("reperer", "Repérer les discriminations\u00a0: refus de soins et délais", 45, 87.5),
        ("agir", "Agir et orienter", 75, None),
    ]
    assert facts.nominal_minutes == 120
    assert facts.active_seconds == 40 * 60 + 53 * 60 + 30  # the optional module's hour is left out
    assert facts.first_activity_at == datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
    assert facts.last_activity_at == datetime(2026, 11, 20, 16, 0, tzinfo=UTC)


def test_attendance_without_heartbeats_uses_start_and_completion(app, learner, issuer):
    complete_path(app, learner.id, activity=False)
    with app.app_context(), session_scope() as session:
        facts = attendance(session, learner, issuer.library, issuer.path)
    assert facts.active_seconds == 0
    assert facts.first_activity_at == datetime(2026, 11, 2, 7, 30, tzinfo=UTC)
    assert facts.last_activity_at == datetime(2026, 11, 20, 16, 0, tzinfo=UTC)


OPENED = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)


def _opened(app, user_id: int, *slugs: str, failed_quiz: str | None = None) -> None:
    """The learner opened ``slugs`` without finishing them; ``failed_quiz``: and failed this quiz of « reperer »."""
    with app.app_context(), session_scope() as session:
        for slug in slugs:
            session.add(ModuleProgress(user_id=user_id, module_slug=slug, started_at=OPENED, last_activity_at=OPENED))
        if failed_quiz:
            session.add(QuizAttempt(user_id=user_id, module_slug="reperer", quiz_id=failed_quiz, attempt_number=1,
                                    content_hash="fixture", points=0.0, max_points=1.0, percent=0.0, passed=False))


def test_modules_in_progress_or_with_a_quiz_to_retake_are_still_missing(app, learner, issuer):
    _opened(app, learner.id, "reperer", "agir", failed_quiz=issuer.library.get("reperer").quizzes[0].id)
    with app.app_context(), session_scope() as session:
        status = certificate_status(session, learner, issuer.library, issuer.path)
        with pytest.raises(CertificateError, match="Modules restants"):
            issue_certificate(session, learner, issuer)
    assert [(m.slug, m.status_label) for m in status.missing] == [("reperer", "Quiz à repasser"), ("agir", "En cours")]
    assert not status.eligible and not status.can_issue


def test_one_module_completed_and_the_other_in_progress_is_not_eligible(app, learner, issuer):
    complete_path(app, learner.id, ("reperer",))
    _opened(app, learner.id, "agir")
    with app.app_context(), session_scope() as session:
        status = certificate_status(session, learner, issuer.library, issuer.path)
    assert [(m.slug, m.status_label) for m in status.missing] == [("agir", "En cours")]
    assert not status.eligible


def test_status_names_the_valid_certificate_or_else_the_revoked_one_of_its_path_version(session, finished, issuer, admin):
    first = issue_certificate(session, finished, issuer)
    status = certificate_status(session, finished, issuer.library, issuer.path)
    assert (status.path, status.certificate.code, status.revoked) == (issuer.path, first.code, None)
    revoke_certificate(session, first, "Erreur", actor=admin)
    status = certificate_status(session, finished, issuer.library, issuer.path)
    assert (status.certificate, status.revoked.code, status.eligible, status.can_issue) == (None, first.code, True, False)
    second = reissue_certificate(session, first, "Révocation faite par erreur", issuer, actor=admin)
    status = certificate_status(session, finished, issuer.library, issuer.path)
    assert (status.certificate.code, status.revoked) == (second.code, None)
    third = reissue_certificate(session, second, "Changement de nom", issuer, actor=admin)
    assert certificate_status(session, finished, issuer.library, issuer.path).certificate.code == third.code  # newest first
    newer = replace(issuer.path, version="2027.1")
    assert certificate_status(session, finished, issuer.library, newer).certificate is None


def test_status_from_states_already_read_is_the_same(session, learner, issuer):
    states = learner_overview(session, learner.id, list(issuer.library.modules()))
    status = certificate_status(session, learner, issuer.library, issuer.path, states)
    assert [m.slug for m in status.missing] == ["reperer", "agir"] and not status.eligible
