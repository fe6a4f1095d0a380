"""The minimum active time: read from parcours.yml, checked before issuing, shown as what is left."""

from __future__ import annotations

from dataclasses import replace

import pytest

from elearn.certificates.active_time import rule_lines
from elearn.certificates.eligibility import certificate_status
from elearn.certificates.errors import CertificateError
from elearn.certificates.issue import issue_certificate
from elearn.certificates.path import ActiveTimeMinimum, ActiveTimeRule, PathConfigError, parse_path
from elearn.certificates.eligibility import certificates_of
from tests.certificates.support import MEDIA, MODULES

VALID = (MODULES / "parcours.yml").read_text(encoding="utf-8")
#: The fixture learner's active time in the required modules: 40 min + 53 min 30 s (see support.py).
ACTIVE = 40 * 60 + 53 * 60 + 30


def rule(text: str) -> ActiveTimeRule | None:
    return parse_path(VALID + text, MEDIA).active_time


def problems(text: str) -> list[str]:
    with pytest.raises(PathConfigError) as caught:
        parse_path(VALID + text, MEDIA)
    return caught.value.problems


def test_no_key_means_no_minimum():
    assert parse_path(VALID, MEDIA).active_time is None


@pytest.mark.parametrize(
    ("written", "minimum"),
    [
        ("40 %", ActiveTimeMinimum(share=0.4)),
        ("12,5%", ActiveTimeMinimum(share=0.125)),
        ("90 min", ActiveTimeMinimum(minutes=90)),
        ("1 h 30", ActiveTimeMinimum(minutes=90)),
        ("1h30min", ActiveTimeMinimum(minutes=90)),
        ("2 h", ActiveTimeMinimum(minutes=120)),
    ],
)
def test_a_minimum_is_a_duration_or_a_share_of_the_nominal_duration(written, minimum):
    assert rule(f"temps_actif_minimum:\n  parcours: {written}\n") == ActiveTimeRule(minimum)


def test_modules_may_have_their_own_minimum():
    found = rule("temps_actif_minimum:\n  modules:\n    agir: 50 %\n    reperer: 20 min\n")
    assert found == ActiveTimeRule(None, (("agir", ActiveTimeMinimum(share=0.5)), ("reperer", ActiveTimeMinimum(minutes=20))))


def test_every_wrong_value_is_reported_with_its_line():
    found = problems(
        "temps_actif_minimum:\n  parcours: 90\n  modules:\n    bonus: 10 min\n    agir: 150 %\n    reperer: 0 min\n  total: 1 h\n"
    )
    assert found == [
        "parcours.yml, ligne 26 : clé inconnue « temps_actif_minimum.total » (clés permises : parcours, modules).",
        "parcours.yml, ligne 21 : « temps_actif_minimum.parcours » : « 90 » n'est pas compris ; écrivez une durée "
        "(« 90 min », « 1 h 30 ») ou une part de la durée prévue (« 40 % »).",
        "parcours.yml, ligne 23 : « temps_actif_minimum.modules.bonus » : « bonus » n'est pas un module obligatoire du "
        "parcours (clé « modules »).",
        "parcours.yml, ligne 24 : « temps_actif_minimum.modules.agir » : « 150 % » doit être un pourcentage supérieur à 0 "
        "et au plus 100 %.",
        "parcours.yml, ligne 25 : « temps_actif_minimum.modules.reperer » doit être supérieur à zéro ; supprimez la clé "
        "pour n'exiger aucun temps minimum.",
    ]


def test_an_empty_rule_is_refused():
    assert problems("temps_actif_minimum:\n  modules: {}\n") == [
        "parcours.yml, ligne 20 : « temps_actif_minimum » est vide : indiquez « parcours » et/ou « modules »."
    ]


def with_rule(issuer, text: str):  # noqa: ANN001, ANN201
    return replace(issuer, path=parse_path(VALID + text, MEDIA))


def test_finished_path_below_the_minimum_is_not_eligible_and_says_what_is_left(session, finished, issuer):
    strict = with_rule(issuer, "temps_actif_minimum:\n  parcours: 2 h\n")
    status = certificate_status(session, finished, strict.library, strict.path)
    assert status.missing == () and not status.eligible and not status.can_issue
    assert status.active_time.active_seconds == ACTIVE
    assert status.active_time.remaining_seconds == 2 * 3600 - ACTIVE
    assert status.active_time.remaining_minutes == 27  # 26 min 30 s, rounded up


def test_what_is_left_meets_the_path_and_every_module(session, finished, issuer):
    strict = with_rule(issuer, "temps_actif_minimum:\n  parcours: 80 %\n  modules:\n    agir: 1 h\n    reperer: 45 min\n")
    left = certificate_status(session, finished, strict.library, strict.path).active_time
    # The path: 96 min - 93 min 30 s = 150 s; the modules: 6 min 30 s + 5 min = 690 s, which also meets the path.
    assert [(m.slug, m.remaining_seconds) for m in left.modules] == [("agir", 390), ("reperer", 300)]
    assert left.remaining_seconds == 690 and left.remaining_minutes == 12


def test_minimum_met_gives_the_certificate(session, finished, issuer):
    met = with_rule(issuer, "temps_actif_minimum:\n  parcours: 40 %\n  modules:\n    agir: 50 min\n")
    status = certificate_status(session, finished, met.library, met.path)
    assert status.eligible and status.active_time.met
    assert issue_certificate(session, finished, met).code


def test_issuing_below_the_minimum_is_refused_and_creates_nothing(session, finished, issuer):
    strict = with_rule(issuer, "temps_actif_minimum:\n  parcours: 2 h\n")
    with pytest.raises(CertificateError) as caught:
        issue_certificate(session, finished, strict)
    assert "il reste environ 27 min de lecture active" in caught.value.message
    assert certificates_of(session, finished.id) == []


def test_the_rule_is_resolved_for_the_administrator(issuer):
    path = parse_path(VALID + "temps_actif_minimum:\n  parcours: 40 %\n  modules:\n    agir: 1 h 05\n", MEDIA)
    lines = rule_lines(path, issuer.library)
    assert [(line.module_title, line.seconds, line.share_label) for line in lines] == [
        (None, 48 * 60, "40\u00a0%"),
        ("Agir et orienter", 65 * 60, None),
    ]
