"""Property-based tests of the administrators' and trainers' forms and of the report pages' query strings.

Whatever is posted or asked: never a 500, every message shown in French, and when the application
refuses (an error status, the form shown again, an error message) nothing in the database has changed.
One world (tests/security/world.py) serves every example of the module; examples that succeed may change
it, which the following examples then meet, as a real administrator's later requests would.
"""

from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from elearn.db import get_engine
from elearn.models import (
    AuditEvent,
    Certificate,
    PasswordResetToken,
    Role,
    Situation,
    SituationNote,
    Synthesis,
    SynthesisItem,
    TrainingGroup,
    User,
)
from tests.conftest import add_user
from tests.security.world import World, build_world

FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ROLE_TARGET = "cible@exemple.fr"
ERASE_TARGET = "effacer@exemple.fr"

texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
#: Values the forms understand, among which the fuzzer picks now and then so that some requests succeed.
MEANINGFUL = [
    "", " ", "0", "1", "-1", "99999999999999999999", "learner", "trainer", "admin", "y", "on", ERASE_TARGET,
    "2026-03-01", "0001-01-01", "9999-12-31", "31/02/2026", "constats", "soins", "origine", "systemique",
    "Un motif", "x" * 2100,
]
values = st.one_of(texts, st.lists(texts, max_size=3), st.sampled_from(MEANINGFUL))


def form(*fields: str) -> st.SearchStrategy[dict]:
    """Forms with the expected fields (each maybe missing) plus unknown ones."""
    known = st.fixed_dictionaries({}, optional={name: values for name in fields})
    extra = st.dictionaries(texts.filter(bool), values, max_size=2)
    return st.tuples(known, extra).map(lambda pair: {**pair[1], **pair[0]})


#: Tables a form of these pages may write; a refused request must leave every one as it was.
STORED = (User, AuditEvent, Situation, SituationNote, Synthesis, SynthesisItem, Certificate, PasswordResetToken, TrainingGroup)

#: Words of the English messages WTForms and Flask would show if a message escaped translation.
ENGLISH = re.compile(
    r"\b(?:the|this|field|is|are|must|required|invalid|valid|choice|not|value|please|should|between|characters|error)\b",
    re.IGNORECASE,
)
_PAGE_MESSAGES = re.compile(r'<p class="error"[^>]*>(.*?)</p>|<div class="error-summary".*?<ul>(.*?)</ul>', re.S)


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    world = build_world(tmp_path_factory.mktemp("fuzz-world"))
    world.users["target"] = add_user(world.app, ROLE_TARGET, Role.LEARNER, "Claude Cible")
    world.users["erase_target"] = add_user(world.app, ERASE_TARGET, Role.LEARNER, "Lou Effacer")
    return world


def stored(world: World) -> dict[str, list[tuple]]:
    with world.app.app_context(), get_engine(world.app).connect() as connection:
        return {
            model.__name__: [tuple(row) for row in connection.execute(sa.select(model.__table__).order_by(*model.__table__.primary_key))]
            for model in STORED
        }


def shown_messages(client, response) -> tuple[list[str], bool]:  # noqa: ANN001
    """Messages the answer shows or flashes for the next page (taken, so none leaks to the next example), and whether one is an error."""
    with client.session_transaction() as session:
        flashes = session.pop("_flashes", [])
    body = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
    on_page = [re.sub(r"<[^>]+>", " ", html.unescape(part)) for match in _PAGE_MESSAGES.finditer(body) for part in match.groups() if part]
    return [message for _, message in flashes] + on_page, any(category == "error" for category, _ in flashes) or bool(on_page)


def assert_french(messages: list[str]) -> None:
    for message in messages:
        assert message.strip() and not ENGLISH.search(message), message


def check(world: World, role: str, method: str, url: str, **request: object):  # noqa: ANN201
    """Send one request; the invariants of this module hold for its answer."""
    client = world.client(role)
    before = stored(world)
    response = client.open(url, method=method, **request)
    response.get_data()  # a download streams: an error would only surface while reading it
    assert response.status_code < 500
    messages, error_shown = shown_messages(client, response)
    assert_french(messages)
    if response.status_code >= 400 or error_shown or (method == "POST" and response.status_code == 200):
        assert stored(world) == before, (url, request)
    return response


# Administrators' forms ------------------------------------------------------------------------------


@FUZZ
@given(data=form("role"))
@example(data={"role": "bogus"})
def test_role_form(world, data):
    check(world, "admin", "POST", f"/admin/users/{world.users['target'].id}", data=data)


@FUZZ
@given(data=form("active"))
@example(data={"active": "2"})
def test_activation_form(world, data):
    check(world, "admin", "POST", f"/admin/users/{world.users['target'].id}/active", data=data)


@FUZZ
@given(data=form("confirmation"))
@example(data={"confirmation": "autre@exemple.fr"})
def test_erase_form(world, data):
    check(world, "admin", "POST", f"/admin/users/{world.users['erase_target'].id}/erase", data=data)


@FUZZ
@given(data=form("name"), existing=st.booleans())
@example(data={"name": " "}, existing=False)
@example(data={"name": "x" * 200}, existing=True)
@example(data={"name": "atelier de LYON"}, existing=False)  # the world's group, in other letters
def test_group_forms(world, data, existing):
    check(world, "admin", "POST", f"/admin/groups/{world.group_id}" if existing else "/admin/groups", data=data)


@FUZZ
@given(data=form("group"))
@example(data={"group": "999999"})
@example(data={"group": ""})
def test_account_group_form(world, data):
    check(world, "admin", "POST", f"/admin/users/{world.users['target'].id}/group", data=data)


@FUZZ
@given(data=form("revoke-reason", "reissue-reason"), action=st.sampled_from(["revoke", "reissue"]))
@example(data={"revoke-reason": ""}, action="revoke")
@example(data={"reissue-reason": "x" * 5000}, action="reissue")
def test_reason_forms(world, data, action):
    check(world, "admin", "POST", f"/admin/certificates/{world.certificate_code}/{action}", data=data)


# Trainers' forms ------------------------------------------------------------------------------------


@FUZZ
@given(data=form("title", "territory", "held_on"), existing=st.booleans())
@example(data={"title": "Atelier", "held_on": "31/02/2026"}, existing=False)
@example(data={"title": " "}, existing=True)
def test_synthesis_form(world, data, existing):
    url = f"/trainer/syntheses/{world.synthesis_id}" if existing else "/trainer/syntheses"
    check(world, "trainer", "POST", url, data=data)


@FUZZ
@given(data=form("part", "text"))
def test_synthesis_item_form(world, data):
    check(world, "trainer", "POST", f"/trainer/syntheses/{world.synthesis_id}/elements", data=data)


@FUZZ
@given(data=form("criteria", "stages", "levels"))
@example(data={"criteria": ["origine", "inconnu"]})
def test_tag_form(world, data):
    check(world, "trainer", "POST", f"/reseau/situations/{world.situation_id}/etiquettes", data=data)


@FUZZ
@given(data=form("text"))
@example(data={"text": "   "})
def test_note_form(world, data):
    check(world, "trainer", "POST", f"/reseau/situations/{world.situation_id}/notes", data=data)


@FUZZ
@given(data=form("decision", "confirm"), candidate=form("candidate"))
@example(data={"decision": "Décision du comité", "confirm": ""}, candidate={})
def test_publish_and_candidate_forms(world, data, candidate):
    check(world, "trainer", "POST", f"/reseau/situations/{world.situation_id}/cas-d-etude", data=candidate)
    check(world, "trainer", "POST", f"/reseau/situations/{world.situation_id}/publication", data=data)


@FUZZ
@given(data=form("full_name", "email", "profession"))
@example(data={"full_name": " ", "email": "pas-une-adresse", "profession": ""})
@example(data={"full_name": "Claude Cible", "email": ERASE_TARGET, "profession": ""})  # someone else's address
def test_identity_form(world, data):
    check(world, "admin", "POST", f"/admin/users/{world.users['target'].id}/identity", data=data)


@FUZZ
@given(data=form("email", "new_password", "confirm_password", "current_password"))
@example(data={"email": "autre@exemple.fr", "current_password": "password123!"})
def test_own_access_form(world, data):
    check(world, "admin", "POST", "/admin/me", data=data)


@FUZZ
@given(data=form("audience", "groups"), slug=st.sampled_from(["premiers-pas", "inconnu"]))
@example(data={"audience": "groups", "groups": ["999999"]}, slug="premiers-pas")
@example(data={"audience": "groups"}, slug="premiers-pas")
def test_visibility_form(world, data, slug):
    check(world, "admin", "POST", f"/admin/modules/{slug}/visibility", data=data)


@FUZZ
@given(data=form("rows", "invite"))
@example(data={"rows": "W10.forged"})
def test_import_confirmation_form(world, data):
    check(world, "admin", "POST", "/admin/users/import/confirm", data=data)


# Report query strings -------------------------------------------------------------------------------

QUERY_KEYS = ("from", "to", "module", "status", "profession", "q", "dates", "action", "page", "person", "role")
REPORT_PAGES = ("/admin/dashboard", "/admin/learners", "/admin/audit", "/admin/exports")
DOWNLOADS = ("/admin/exports/completions.csv-fr", "/admin/exports/attendance.xlsx", "/admin/exports/completions.xapi",
             "/admin/exports/attendance.jsonl", "/admin/exports/nope.csv", "/admin/audit.csv-fr", "/admin/audit.xlsx")
queries = st.dictionaries(
    st.sampled_from(QUERY_KEYS),
    st.one_of(values, st.dates().map(str), st.sampled_from(["completed", "export", "account.", "200000000000000000"])),
    max_size=5,
)


def export_events(world: World) -> int:
    return len(stored(world)["AuditEvent"])


@FUZZ
@given(query=queries, url=st.sampled_from(REPORT_PAGES))
@example(query={"from": "0001-01-01"}, url="/admin/dashboard")
@example(query={"page": "200000000000000000"}, url="/admin/audit")
def test_report_pages_answer_any_query(world, query, url):
    # 400 only for what no form can send (a NUL character is refused before any page runs)
    assert check(world, "admin", "GET", url, query_string=query).status_code in (200, 400)


@FUZZ
@given(query=queries, url=st.sampled_from(DOWNLOADS))
@example(query={"to": "9999-12-31"}, url="/admin/exports/completions.csv-fr")
def test_a_download_is_either_refused_unrecorded_or_recorded_once(world, query, url):
    before = export_events(world)
    response = check(world, "admin", "GET", url, query_string=query)
    assert export_events(world) == before + (1 if response.status_code == 200 else 0)
