"""xAPI statements checked against the rules of the xAPI 1.0.3 specification (Data part, section 2.4)."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from elearn.reporting.durations import iso8601
from elearn.reporting.xapi import StatementContext, timestamp
from tests.reporting.helpers import BASE_URL, export_bytes
from tests.reporting.seed import CATALOG

ADL_VERBS = {
    "http://adlnet.gov/expapi/verbs/completed",
    "http://adlnet.gov/expapi/verbs/passed",
    "http://adlnet.gov/expapi/verbs/failed",
    "http://adlnet.gov/expapi/verbs/experienced",
}
#: ISO 8601 durations as xAPI allows them (time part only here, but date parts are legal too).
DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
IFIS = {"mbox", "mbox_sha1sum", "openid", "account"}


def check_statement(statement: dict) -> None:
    """Fail on the first rule of xAPI 1.0.3 the statement breaks."""
    assert {"actor", "verb", "object"} <= statement.keys()
    parsed = uuid.UUID(statement["id"])
    assert parsed.variant == uuid.RFC_4122 and str(parsed) == statement["id"]
    actor = statement["actor"]
    assert actor.get("objectType", "Agent") == "Agent" and len(IFIS & actor.keys()) == 1
    if "account" in actor:
        assert actor["account"]["homePage"].startswith(("http://", "https://")) and actor["account"]["name"]
    if "mbox" in actor:
        assert actor["mbox"].startswith("mailto:")
    assert statement["verb"]["id"] in ADL_VERBS
    assert all(re.match(r"^[a-z]{2}(-[A-Z]{2})?$", lang) for lang in statement["verb"]["display"])
    obj = statement["object"]
    assert obj["objectType"] == "Activity" and obj["id"].startswith(BASE_URL + "/")
    result = statement.get("result", {})
    if "score" in result:
        score = result["score"]
        assert -1 <= score["scaled"] <= 1
        assert score["min"] < score["max"] and score["min"] <= score["raw"] <= score["max"]
    if "duration" in result:
        assert DURATION.match(result["duration"]), result["duration"]
    for flag in ("success", "completion"):
        assert isinstance(result.get(flag, True), bool)
    assert TIMESTAMP.match(statement["timestamp"]) and datetime.fromisoformat(statement["timestamp"]).tzinfo
    assert statement["version"].startswith("1.0.")
    assert statement["context"]["language"] == "fr-FR"


def statements(session, **options) -> list[dict]:  # noqa: ANN001
    return json.loads(export_bytes(session, "completions", "xapi", **options))


def test_every_statement_follows_the_xapi_rules(session, seeded):
    found = statements(session)
    for statement in found:
        check_statement(statement)
    verbs = sorted(s["verb"]["id"].rsplit("/", 1)[1] for s in found)
    # Élodie: 1 completion, 2 attempts, 3 days; the other learner: 1 failed attempt, 1 day; no trainer.
    assert verbs == ["completed", "experienced", "experienced", "experienced", "experienced", "failed", "failed", "passed"]


def test_completion_statement_of_a_known_learner(session, seeded):
    completed = next(s for s in statements(session) if s["verb"]["id"].endswith("/completed"))
    assert completed["actor"]["account"] == {"homePage": BASE_URL + "/", "name": str(seeded.elodie)}
    assert completed["object"]["id"] == f"{BASE_URL}/modules/premiers-pas"
    assert completed["object"]["definition"]["name"] == {"fr-FR": "Premiers pas"}
    assert completed["result"] == {
        "completion": True, "success": True, "duration": "PT40M",
        "score": {"scaled": 0.875, "raw": 87.5, "min": 0, "max": 100.0},
    }
    assert completed["timestamp"] == "2026-03-10T09:30:00.000Z"


def test_quiz_attempts_are_passed_or_failed_with_their_score(session, seeded):
    attempts = [s for s in statements(session, module="premiers-pas") if "/quiz/" in s["object"]["id"]]
    passed = next(s for s in attempts if s["verb"]["id"].endswith("/passed"))
    assert passed["result"]["score"] == {"scaled": 0.875, "raw": 3.5, "min": 0, "max": 4.0}
    assert passed["result"]["success"] is True
    assert passed["context"]["contextActivities"]["parent"][0]["id"] == f"{BASE_URL}/modules/premiers-pas"


def test_the_actor_is_not_the_email_unless_configured(session, seeded):
    assert "elodie.marchand@exemple.fr" not in json.dumps(statements(session))
    by_mail = statements(session, xapi_actor="mbox")
    assert {"objectType": "Agent", "name": "Élodie Marchand", "mbox": "mailto:elodie.marchand@exemple.fr"} in [s["actor"] for s in by_mail]


def test_statement_ids_are_unique_and_stable_across_exports(session):
    first, second = statements(session), statements(session)
    ids = [s["id"] for s in first]
    assert len(set(ids)) == len(ids)
    assert ids == [s["id"] for s in second]


def test_statements_are_written_as_json_dumps_writes_them(session):
    """Statements are assembled as text from fragments: each must be exactly what json.dumps gives."""
    for actor in ("account", "mbox"):
        text = export_bytes(session, "completions", "xapi", xapi_actor=actor).decode()
        lines = text.removeprefix("[\n").removesuffix("\n]\n").split(",\n")
        assert len(lines) == 8
        for line in lines:
            assert line == json.dumps(json.loads(line), ensure_ascii=False)


@given(st.text())
def test_statement_ids_are_the_uuid5_of_their_key(key):
    ctx = StatementContext(BASE_URL, CATALOG)
    assert ctx.statement_id(key) == str(uuid.uuid5(uuid.uuid5(uuid.NAMESPACE_URL, BASE_URL), key))


def test_timestamps_are_utc_with_milliseconds():
    assert timestamp(datetime(2026, 3, 10, 9, 30)) == "2026-03-10T09:30:00.000Z"  # naive: stored UTC
    assert timestamp(datetime(2026, 3, 10, 9, 30, 0, 123987, tzinfo=UTC)) == "2026-03-10T09:30:00.123Z"
    assert timestamp(datetime(2026, 3, 10, 10, 30, 5, 1000, tzinfo=ZoneInfo("Europe/Paris"))) == "2026-03-10T09:30:05.001Z"


def test_period_filter_applies_to_statement_times(session):
    april = statements(session, **{"from": "2026-04-01", "to": "2026-04-30"})
    assert [s["verb"]["id"].rsplit("/", 1)[1] for s in april] == ["experienced"]
    assert april[0]["result"]["duration"] == "PT40M"


def test_empty_export_is_an_empty_json_array(session):
    assert statements(session, **{"from": "2030-01-01"}) == []


def test_iso8601_durations():
    assert [iso8601(s) for s in (0, 59, 60, 3600, 3930)] == ["PT0S", "PT59S", "PT1M", "PT1H", "PT1H5M30S"]
    assert all(DURATION.match(iso8601(s)) for s in (0, 1, 61, 86_400 * 3))
