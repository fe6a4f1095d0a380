"""Time on task in a real browser (elearn/static/js/activity.js), with Playwright's fake clock.

The script counts seconds while the tab is visible and the learner interacted in the last two minutes,
and reports them every 15 s; a hidden tab sends what is pending with ``sendBeacon`` and counts no more.
The fake clock runs the page's timers without waiting; the server keeps real time, so it credits no
more than the seconds that really passed, whatever the page claims.
"""

from __future__ import annotations

import time
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import Page, Request
from sqlmodel import func, select

from elearn.db import session_scope
from elearn.models import ActiveTime
from tests.conftest import add_user
from tests.e2e.test_learner_journey import log_in

pytestmark = pytest.mark.e2e

SECTION = "/modules/premiers-pas/accueil"
IDLE_LIMIT = 120  # seconds, as in activity.js


def claimed_seconds(request: Request) -> int:
    """The seconds a heartbeat claims: JSON from fetch, form data from sendBeacon."""
    if "json" in (request.headers.get("content-type") or ""):
        return int(request.post_data_json["seconds"])
    body = request.post_data or ""
    if "multipart/form-data" in (request.headers.get("content-type") or ""):
        part = body.split('name="seconds"', 1)[1]
        return int(part.split("\r\n\r\n", 1)[1].split("\r\n", 1)[0])
    return int(parse_qs(body)["seconds"][0])


def credited(app, user_id: int) -> int:
    with app.app_context(), session_scope() as session:
        return session.exec(select(func.coalesce(func.sum(ActiveTime.seconds), 0)).where(ActiveTime.user_id == user_id)).one()


@pytest.fixture
def reader(page: Page, live_server):
    """A logged-in learner on a section page whose clock the test drives; heartbeats are collected."""
    learner = add_user(live_server.app, "chloe@exemple.fr")
    log_in(page, live_server, "chloe@exemple.fr")
    beats: list[Request] = []
    page.on("request", lambda request: beats.append(request) if request.url.endswith("/activite") else None)
    page.clock.install()
    page.goto(live_server(SECTION))
    return page, beats, learner


def run_for(page: Page, seconds: int, interact_every: int | None = None) -> None:
    """Advance the page's clock; with ``interact_every``, move the mouse that often."""
    step = interact_every or seconds
    for _ in range(seconds // step):
        if interact_every:
            page.mouse.move(100 + _ % 7, 200)
        page.clock.run_for(step * 1000)
    page.wait_for_load_state("networkidle")


def test_an_active_reader_reports_every_15_seconds(reader):
    page, beats, _learner = reader
    run_for(page, 60, interact_every=5)
    claims = [claimed_seconds(b) for b in beats]
    assert len(claims) == 4 and all(14 <= claim <= 16 for claim in claims), claims


def test_an_idle_reader_stops_counting_after_two_minutes(reader):
    page, beats, _learner = reader
    page.mouse.move(50, 50)
    run_for(page, 10 * 60, interact_every=None)  # ten minutes without touching anything
    total = sum(claimed_seconds(b) for b in beats)
    assert IDLE_LIMIT - 15 <= total <= IDLE_LIMIT + 16, total
    before = len(beats)
    page.mouse.move(60, 60)  # back: counting resumes
    run_for(page, 30, interact_every=5)
    assert len(beats) > before and sum(claimed_seconds(b) for b in beats[before:]) >= 25


def test_a_hidden_tab_sends_what_is_pending_then_counts_nothing(reader):
    page, beats, _learner = reader
    run_for(page, 10, interact_every=5)  # 10 s pending, no heartbeat yet
    assert beats == []
    page.evaluate(
        """() => {
            Object.defineProperty(document, "visibilityState", {value: "hidden", configurable: true});
            document.dispatchEvent(new Event("visibilitychange"));
        }"""
    )
    page.wait_for_load_state("networkidle")
    # Sent by sendBeacon on the way out: the seconds read before the tab was hidden (the fake clock also
    # moves with real time, hence the margin).
    [beacon] = beats
    assert 10 <= claimed_seconds(beacon) <= 12 and "multipart/form-data" in beacon.headers["content-type"]
    run_for(page, 120, interact_every=5)  # hidden: mouse events or not, nothing counts
    assert len(beats) == 1


def test_the_server_credits_no_more_than_real_time(reader, live_server):
    page, beats, learner = reader
    started = time.monotonic()
    run_for(page, 90, interact_every=5)  # the page claims 90 s within a second or two of real time
    claimed = sum(claimed_seconds(b) for b in beats)
    elapsed = time.monotonic() - started
    assert claimed >= 85
    assert credited(live_server.app, learner.id) <= elapsed + 2  # the page was opened just before


def test_reading_a_quiz_correction_counts_for_the_quiz_section(page: Page, live_server):
    add_user(live_server.app, "yanis@exemple.fr")
    log_in(page, live_server, "yanis@exemple.fr")
    beats: list[Request] = []
    page.on("request", lambda request: beats.append(request) if request.url.endswith("/activite") else None)
    page.clock.install()
    page.goto(live_server("/modules/premiers-pas/verifier-ses-acquis"))
    page.get_by_label("D'un refus de soins discriminatoire").check()
    page.get_by_label("L'origine").check()
    page.get_by_role("button", name="Valider mes réponses").click()
    page.wait_for_url("**/tentative/1")
    beats.clear()  # what the quiz page itself reported
    run_for(page, 30, interact_every=5)
    assert len(beats) == 2
    assert all(b.post_data_json["section"] == "verifier-ses-acquis" for b in beats)
    assert all(14 <= claimed_seconds(b) <= 16 for b in beats)
