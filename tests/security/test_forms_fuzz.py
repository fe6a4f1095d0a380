"""Property-based tests: whatever a client sends to a form or a JSON endpoint, the answer is never a 500.

Hypothesis draws field values (any printable or control character, huge strings, lists where one value
is expected, unknown fields) and raw bodies with any content type; each example goes through the
Flask test client against the real app.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from elearn.db import session_scope
from elearn.accounts import find_user_by_email, issue_reset_token
from tests.conftest import PASSWORD

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

#: Anything a browser or a script can put in a form field (surrogates cannot be encoded at all).
texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
values = st.one_of(texts, st.lists(texts, max_size=4), st.sampled_from(["", PASSWORD, "c1", "1", "-1", "99999999999999999999"]))


def form(*fields: str) -> st.SearchStrategy[dict]:
    """Forms with the expected fields (each maybe missing) plus unknown ones."""
    known = st.fixed_dictionaries({}, optional={name: values for name in fields})
    extra = st.dictionaries(texts.filter(bool), values, max_size=3)
    return st.tuples(known, extra).map(lambda pair: {**pair[1], **pair[0]})


bodies = st.tuples(st.binary(max_size=500), st.sampled_from(
    ["application/x-www-form-urlencoded", "multipart/form-data", "application/json", "text/plain", "application/octet-stream"]
))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | texts,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(texts, children, max_size=3),
    max_leaves=10,
)


def assert_handled(response) -> None:
    assert response.status_code < 500, response.get_data(as_text=True)[:500]


@pytest.fixture
def logged_in(client, auth, learner):
    auth.login(learner.email)
    return client


@FUZZ
@given(data=form("full_name", "email", "profession", "password", "confirm"))
def test_registration_never_fails(client, data):
    assert_handled(client.post("/register", data=data))
    client.post("/logout")


@FUZZ
@given(data=form("email", "password", "remember"), next_=texts)
def test_login_never_fails(client, learner, data, next_):
    assert_handled(client.post("/login", query_string={"next": next_}, data=data))
    client.post("/logout")


@FUZZ
@given(data=form("email"))
def test_password_reset_request_never_fails(client, learner, data):
    assert_handled(client.post("/password/forgot", data=data))


@pytest.fixture
def reset_token(app, learner):
    with app.app_context(), session_scope() as session:
        return issue_reset_token(session, find_user_by_email(session, learner.email), actor=None)


@FUZZ
@given(data=form("password", "confirm"), token=st.one_of(texts.filter(lambda t: "/" not in t and t.strip()), st.just("valid")))
def test_password_reset_never_fails(client, reset_token, data, token):
    assert_handled(client.post(f"/password/reset/{reset_token if token == 'valid' else token}", data=data))
    client.post("/logout")


@FUZZ
@given(data=form("tentative", "q1", "q2", "q3"), quiz=st.sampled_from(["verifier-ses-acquis-quiz-1", "inconnu"]))
def test_quiz_submission_never_fails(logged_in, data, quiz):
    assert_handled(logged_in.post(f"/modules/premiers-pas/quiz/{quiz}", data=data))


@FUZZ
@given(payload=json_values)
@example(payload=1)  # JSON that is not an object once made the view crash
@example(payload={"module": "premiers-pas", "section": "accueil", "seconds": float("inf")})
def test_heartbeat_json_never_fails(logged_in, payload):
    assert_handled(logged_in.post("/activite", json=payload))


@FUZZ
@given(data=form("module", "section", "seconds"))
def test_heartbeat_beacon_never_fails(logged_in, data):
    assert_handled(logged_in.post("/activite", data=data))


@FUZZ
@given(body=bodies, path=st.sampled_from(["/login", "/register", "/password/forgot", "/activite", "/modules/premiers-pas/quiz/verifier-ses-acquis-quiz-1"]))
def test_raw_bodies_never_fail(logged_in, body, path):
    raw, content_type = body
    assert_handled(logged_in.post(path, data=raw, content_type=content_type))


@FUZZ
@given(data=form("what_happened", "care_stage", "criterion", "action_taken"))
def test_network_situation_form_never_fails(logged_in, data):
    assert_handled(logged_in.post("/reseau/signaler", data=data))


@pytest.fixture
def reflecting(app, client, auth, learner):
    from tests.reflection.conftest import use_reflection_modules

    use_reflection_modules(app)
    auth.login(learner.email)
    return client


@FUZZ
@given(payload=json_values, as_json=st.booleans(), data=form("text", "partager", "action"))
@example(payload="0", as_json=True, data={})  # JSON that is not an object once made autosave crash
def test_reflection_answers_never_fail(reflecting, payload, as_json, data):
    base = "/reflexions/atelier/pratique-reflexion-1"
    if as_json:
        assert_handled(reflecting.post(f"{base}/autosave", json=payload))
    else:
        assert_handled(reflecting.post(f"{base}/autosave", data=data))
        assert_handled(reflecting.post(base, data=data))


def _nested(depth: int, opening: bytes) -> bytes:
    closing = b"]" if opening == b"[" else b"}"
    return opening * depth + (b"null" if opening == b"[" else b"") + closing * depth


#: Bodies a JSON endpoint must refuse with a 400: unreadable, absurdly nested, not an object, or an
#: object whose fields have the wrong types.
hostile_json = st.one_of(
    st.tuples(st.integers(500, 20_000), st.sampled_from([b"[", b'{"a":'])).map(
        lambda pair: _nested(*pair) if pair[1] == b"[" else pair[1] * pair[0] + b"1" + b"}" * pair[0]
    ),
    st.integers(5_000, 50_000).map(lambda digits: b'{"module": "premiers-pas", "section": "accueil", "seconds": ' + b"9" * digits + b"}"),
    st.integers(5_000, 50_000).map(lambda digits: b'{"text": "x", "n": ' + b"1" * digits + b"}"),
    st.binary(max_size=200).filter(lambda raw: not _is_utf8(raw)),
    st.just(b""),
    st.sampled_from([b"null", b"0", b'"texte"', b"[]", b"true", b"1e999"]),
    st.fixed_dictionaries({
        "module": st.one_of(st.integers(), st.lists(texts, max_size=2), st.none(), st.dictionaries(texts, texts, max_size=2)),
        "section": st.just("accueil"),
        "text": st.one_of(st.integers(), st.lists(texts, max_size=2), st.none(), st.booleans()),
    }).map(lambda data: json.dumps(data).encode()),
)


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@FUZZ
@given(body=hostile_json, endpoint=st.sampled_from(["/activite", "/reflexions/atelier/pratique-reflexion-1/autosave"]))
@example(body=b"[" * 1000 + b"]" * 1000, endpoint="/activite")  # once a RecursionError: a 500
@example(body=b"[" * 1000 + b"]" * 1000, endpoint="/reflexions/atelier/pratique-reflexion-1/autosave")
def test_hostile_json_bodies_get_a_400_with_a_french_message(reflecting, body, endpoint):
    response = reflecting.post(endpoint, data=body, content_type="application/json")
    assert response.status_code == 400, (body[:80], response.status_code)
    message = response.get_json()["message"]
    assert message and message[0].isupper() and message.endswith("."), message
