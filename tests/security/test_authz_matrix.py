"""Who may do what: every route of the URL map × every role, against a table of expected answers.

The routes come from ``app.url_map``, so a route added later is tested without anyone remembering to;
an endpoint missing from ``EXPECTED`` fails ``test_every_endpoint_has_an_expectation`` until someone
decides who may use it. URL arguments name real objects of the world in :mod:`tests.security.world`
(the learner's own quiz attempt and certificate, a network situation, a synthesis ...): the
"other learner" column therefore tests access to somebody else's data, not to nothing.

Answers, from the role's point of view:
- ``ok``: the view ran (2xx, 400 for an empty form, or a redirect that is not to the log-in page);
- ``login``: redirected to the log-in page, with ``next=``;
- ``denied``: 403, the French error page;
- ``hidden``: 404, someone else's object is not even admitted to exist.
"""

from __future__ import annotations

import re
import tempfile

import pytest
from werkzeug.routing import Rule

from elearn import create_app
from tests.security.world import QUIZ, REFLECTION, ROLES, World, build_world

ANYONE = dict.fromkeys(ROLES, "ok")
MEMBERS = {**ANYONE, "anonymous": "login"}
OWNER = {"anonymous": "login", "learner": "ok", "other_learner": "hidden", "trainer": "hidden", "admin": "hidden"}
TRAINERS = {"anonymous": "login", "learner": "denied", "other_learner": "denied", "trainer": "ok", "admin": "ok"}
ADMINS = {**TRAINERS, "trainer": "denied"}

#: endpoint -> role -> answer, for every method of the endpoint.
EXPECTED: dict[str, dict[str, str]] = {
    # Public pages, the accounts pages, files.
    "public.home": ANYONE,
    "public.healthz": ANYONE,
    "public.verify": ANYONE,
    "public.verify_code": ANYONE,
    "public.certificate_key": ANYONE,
    "public.language": ANYONE,  # a preference cookie, nothing else
    "static": ANYONE,
    "media": ANYONE,  # training material only; nothing personal is stored under media/
    "auth.login": ANYONE,
    "auth.register": ANYONE,
    "auth.forgot_password": ANYONE,
    "auth.reset_password": ANYONE,  # the unguessable token is the credential
    "auth.logout": MEMBERS,
    "auth.account": MEMBERS,
    "auth.change_identity": MEMBERS,
    "auth.change_password": MEMBERS,
    "auth.download_data": MEMBERS,
    "auth.request_erasure": MEMBERS,
    "auth.log_out_everywhere": MEMBERS,
    # Learning: any account may learn; attempts and certificates are their owner's alone.
    "learn.catalog": MEMBERS,
    "learn.module_overview": MEMBERS,
    "learn.section": MEMBERS,
    "learn.next_section": MEMBERS,
    "learn.submit_quiz": MEMBERS,
    "learn.quiz_result": OWNER,
    "learn.heartbeat": MEMBERS,
    "learn.progress": MEMBERS,
    "learn.save_reflection": MEMBERS,
    "learn.autosave_reflection": MEMBERS,
    "learn.certificate": MEMBERS,
    "learn.obtain_certificate": MEMBERS,
    "learn.certificate_pdf": OWNER,
    # Assessments and surveys: any account may take them; an attempt is its owner's alone.
    "assessment.landing": MEMBERS,
    "assessment.start": MEMBERS,
    "assessment.attempt": OWNER,
    "assessment.submit": OWNER,
    "assessment.survey": MEMBERS,
    "learn.realisation_pdf": OWNER,
    "learn.own_evidence": MEMBERS,  # everyone's own pack, whatever their role
    # Vigilance network: anyone logged in may share a situation; only trainers read and publish them.
    "network.index": MEMBERS,
    "network.submit": MEMBERS,
    "network.thanks": MEMBERS,
    "network.situations": TRAINERS,
    "network.situation": TRAINERS,
    "network.add_note": TRAINERS,
    "network.tag": TRAINERS,
    "network.candidate": TRAINERS,
    "network.publish": TRAINERS,
    "network.unpublish": TRAINERS,
    # Trainers' area.
    "trainer.index": TRAINERS,
    "trainer.preview": TRAINERS,
    "trainer.export_gift_file": TRAINERS,
    "trainer.download_package": TRAINERS,
    "trainer.editor_index": TRAINERS,
    "trainer.editor_create": TRAINERS,
    "trainer.editor_open": TRAINERS,
    "trainer.editor_module": TRAINERS,
    "trainer.editor_add_section": TRAINERS,
    "trainer.editor_move_section": TRAINERS,
    "trainer.editor_delete_section": TRAINERS,
    "trainer.editor_section": TRAINERS,
    "trainer.editor_preview": TRAINERS,
    "trainer.editor_publish": TRAINERS,
    "trainer.editor_discard": TRAINERS,
    "trainer.editor_history": TRAINERS,
    "trainer.editor_revert": TRAINERS,
    "trainer.editor_settings": TRAINERS,
    "trainer.editor_path": TRAINERS,
    "trainer.media_index": TRAINERS,
    "trainer.media_upload": TRAINERS,
    "trainer.media_resolve": TRAINERS,
    "trainer.media_delete": TRAINERS,
    "trainer.shared_reflections": TRAINERS,
    "trainer.syntheses_index": TRAINERS,
    "trainer.synthesis": TRAINERS,
    "trainer.add_synthesis_item": TRAINERS,
    "trainer.quote_shared_answer": TRAINERS,
    "trainer.change_synthesis_item": TRAINERS,
    "trainer.synthesis_markdown": TRAINERS,
    "trainer.synthesis_pdf": TRAINERS,
    "trainer.outcomes_page": TRAINERS,
    # Administration.
    "admin.index": ADMINS,
    "admin.dashboard": ADMINS,
    "admin.learners": ADMINS,
    "admin.learner": ADMINS,
    "admin.exports": ADMINS,
    "admin.export_download": ADMINS,
    "admin.audit": ADMINS,
    "admin.xapi_settings": ADMINS,
    "admin.lti_platforms": ADMINS,
    # LTI endpoints a platform calls: anyone reaches them, the signed messages decide.
    "lti.jwks": ANYONE,
    "lti.login": ANYONE,
    "lti.launch": ANYONE,
    "lti.deep_link": ANYONE,
    "admin.users": ADMINS,
    "admin.user_detail": ADMINS,
    "admin.set_active": ADMINS,
    "admin.personal_data": ADMINS,
    "admin.erase": ADMINS,
    "admin.decline_erasure": ADMINS,
    "admin.reset_link": ADMINS,
    "admin.set_group": ADMINS,
    "admin.groups_index": ADMINS,
    "admin.group_detail": ADMINS,
    "admin.delete_group": ADMINS,
    "admin.renew_join_code": ADMINS,
    "admin.certificates": ADMINS,
    "admin.certificate": ADMINS,
    "admin.certificate_pdf": ADMINS,
    "admin.realisation_pdf": ADMINS,
    "admin.organisation": ADMINS,
    # The world stores no logo: the administrator reaches the view, which answers 404.
    "admin.organisation_image": {**ADMINS, "admin": "hidden"},
    "admin.learner_evidence": ADMINS,
    "admin.group_evidence": ADMINS,
    "admin.revoke": ADMINS,
    "admin.reissue": ADMINS,
    # Administration without a terminal (issue 23).
    "admin.create_user": ADMINS,
    "admin.import_users": ADMINS,
    "admin.confirm_import": ADMINS,
    "admin.correct_identity": ADMINS,
    "admin.decide_identity_change": ADMINS,
    "admin.own_access": ADMINS,
    "admin.modules": ADMINS,
    "admin.set_module_visibility": ADMINS,
    "admin.audit_export": ADMINS,
    "trainer.authoring_guide": TRAINERS,
}

#: Bodies that let an allowed request reach the view's real work instead of an "unknown" answer.
BODIES = {
    "learn.heartbeat": {"json": {"module": QUIZ[0], "section": "accueil", "seconds": 5}},
}


def _rules() -> list[Rule]:
    with tempfile.TemporaryDirectory() as instance:
        app = create_app({"TESTING": True, "SECRET_KEY": "listing", "ELEARN_INSTANCE_DIR": instance,
                          "ELEARN_DATABASE_URL": "sqlite://"})
    return sorted(app.url_map.iter_rules(), key=lambda rule: (rule.rule, rule.endpoint))


RULES = _rules()
CASES = [(rule, method) for rule in RULES for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]


def url_for_rule(rule: Rule, world: World) -> str:
    """The rule's URL with each argument naming a real object of ``world``."""
    values = {
        "slug": REFLECTION[0] if "reflection_id" in rule.arguments else QUIZ[0],
        "section_id": "accueil",
        "quiz_id": QUIZ[1],
        "draft_section": world.draft_section_id,
        "name": "signature.svg",  # a media file the path uses: deleting it is refused
        "number": 1,
        "reflection_id": REFLECTION[1],
        "code": world.certificate_code,
        "kind": "logo",
        "user_id": world.users["learner"].id,
        "situation_id": world.situation_id,
        "synthesis_id": world.synthesis_id,
        "group_id": world.group_id,
        "item_id": world.synthesis_item_id,
        "token": world.reset_token,
        "request_id": world.identity_request_id,
        "decision": "approve",
        "lang": "en",
        "kind": "chaud" if rule.endpoint == "assessment.survey" else "finale",
        "dataset": "completions",
        "fmt": "xlsx" if rule.endpoint == "admin.audit_export" else "csv",
        "filename": "signature.svg" if rule.endpoint == "media" else "css/elearn.css",
    }
    missing = rule.arguments - values.keys()
    assert not missing, f"give {rule.rule} a value for {missing} in url_for_rule"
    return re.sub(r"<(?:[^:<>]+:)?(\w+)>", lambda m: str(values[m[1]]), rule.rule)


def answer(response) -> str:  # noqa: ANN001
    location = response.headers.get("Location", "")
    if response.status_code == 302 and location.startswith("/login?next="):
        return "login"
    if response.status_code <= 400:  # the log-out's own redirect to the log-in page included
        return "ok"
    return {403: "denied", 404: "hidden"}.get(response.status_code, f"HTTP {response.status_code}")


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    return build_world(tmp_path_factory.mktemp("world"))


def test_every_endpoint_has_an_expectation():
    endpoints = {rule.endpoint for rule in RULES}
    assert endpoints - EXPECTED.keys() == set(), "declare who may use these new endpoints in EXPECTED"
    assert EXPECTED.keys() - endpoints == set(), "these endpoints no longer exist: remove them from EXPECTED"


@pytest.mark.parametrize(("rule", "method"), CASES, ids=[f"{method} {rule.rule}" for rule, method in CASES])
def test_route_answers_each_role_as_declared(world, tmp_path, rule, method):
    expected = EXPECTED.get(rule.endpoint)
    if expected is None:
        pytest.fail(f"no expectation declared for {rule.endpoint}")
    # Writes run on a copy: an administrator's erasure must not change what the next test sees.
    here = world.copy(tmp_path / "world") if method != "GET" else world
    url = url_for_rule(rule, here)
    observed = {}
    for role in ROLES:
        response = here.client(role).open(url, method=method, buffered=True, **BODIES.get(rule.endpoint, {}))
        observed[role] = answer(response)
    assert observed == expected, f"{method} {url}"
