"""Time on task in a real browser (elearn/static/js/activity.js), with Playwright's fake clock.

The script counts seconds while the tab is visible and the learner interacted in the last two minutes,
and reports them every minute; a hidden tab sends what is pending with ``sendBeacon`` and counts no more.
The page's clock is paused: only the test moves it (``run_for``), so every claim is exact. The server
credits no more than the seconds that passed on its own clock, whatever the page claims; that clock is
replaced by a stored one the test moves too, so what it credits is exact as well.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import Page, Request
from sqlmodel import func, select

from elearn.db import session_scope
from elearn.learning import tracking
from elearn.learning.tracking import as_utc
from elearn.models import ActiveTime, ModuleProgress
from tests.conftest import add_user
from tests.e2e.test_learner_journey import log_in

pytestmark = pytest.mark.e2e

SECTION = "/modules/premiers-pas/accueil"
IDLE_LIMIT = 120  # seconds, as in activity.js
#: The page's fake time: the tests move it, never the real clock.
PAGE_TIME = datetime(2026, 11, 2, 9, 0)


def claimed_seconds(request: Request) -> int:
    """The seconds a heartbeat claims: JSON from fetch, form data from sendBeacon."""
    if "json" in (request.headers.get("content-type") or ""):
        return int(request.post_data_json["seconds"])
    body = request.post_data or ""
    if "multipart/form-data" in (request.headers.get("content-type") or ""):
        part = body.split('name="seconds"', 1)[1]
        return int(part.split("\r\n\r\n", 1)[1].split("\r\n", 1)[0])
    return int(parse_qs(body)["seconds"][0])


def credited(app, user_id: int, beats: list[Request]) -> int:
    """The seconds credited once the server has answered every heartbeat sent (a request is seen as it
    leaves the page, not when the server is done with it)."""
    for beat in beats:
        beat.response()
    with app.app_context(), session_scope() as session:
        return session.exec(select(func.coalesce(func.sum(ActiveTime.seconds), 0)).where(ActiveTime.user_id == user_id)).one()


@pytest.fixture
def reader(page: Page, live_server):
    """A logged-in learner on a section page whose clock the test drives; heartbeats are collected."""
    learner = add_user(live_server.app, "chloe@exemple.fr")
    log_in(page, live_server, "chloe@exemple.fr")
    beats: list[Request] = []
    page.on("request", lambda request: beats.append(request) if request.url.endswith("/activite") else None)
    page.clock.install(time=PAGE_TIME)
    page.clock.pause_at(PAGE_TIME + timedelta(minutes=1))
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


def test_an_active_reader_reports_every_minute(reader):
    page, beats, _learner = reader
    run_for(page, 240, interact_every=5)
    claims = [claimed_seconds(b) for b in beats]
    assert claims == [60, 60, 60, 60]


def test_an_idle_reader_stops_counting_after_two_minutes(reader):
    page, beats, _learner = reader
    page.mouse.move(50, 50)
    run_for(page, 10 * 60, interact_every=None)  # ten minutes without touching anything
    total = sum(claimed_seconds(b) for b in beats)
    assert total == IDLE_LIMIT, [claimed_seconds(b) for b in beats]
    before = len(beats)
    page.mouse.move(60, 60)  # back: counting resumes
    run_for(page, 60, interact_every=5)
    assert sum(claimed_seconds(b) for b in beats[before:]) == 60


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
    # Sent by sendBeacon on the way out: the seconds read before the tab was hidden.
    [beacon] = beats
    assert claimed_seconds(beacon) == 10 and "multipart/form-data" in beacon.headers["content-type"]
    run_for(page, 120, interact_every=5)  # hidden: mouse events or not, nothing counts
    assert len(beats) == 1


def test_the_server_credits_no_more_than_its_own_clock(reader, live_server, monkeypatch):
    """The server's clock is the page-view time stored for the module, then moved by hand: exact credits."""
    page, beats, learner = reader
    with live_server.app.app_context(), session_scope() as session:
        opened = as_utc(session.exec(select(ModuleProgress.started_at).where(ModuleProgress.user_id == learner.id)).one())
    server_time = [opened]
    monkeypatch.setattr(tracking, "utcnow", lambda: server_time[0])
    run_for(page, 120, interact_every=5)  # the page claims 120 s while no time passes on the server
    assert sum(claimed_seconds(b) for b in beats) == 120
    assert credited(live_server.app, learner.id, beats) == 0
    server_time[0] = opened + timedelta(seconds=40)
    run_for(page, 120, interact_every=5)  # 120 s more claimed; 40 s passed on the server since the page opened
    assert sum(claimed_seconds(b) for b in beats) == 240
    # The first heartbeat to count takes 40 s (less than it claims: no more than the time since opening),
    # the second comes at the same server instant and takes nothing.
    assert credited(live_server.app, learner.id, beats) == 40


def test_reading_a_quiz_correction_counts_for_the_quiz_section(page: Page, live_server):
    add_user(live_server.app, "yanis@exemple.fr")
    log_in(page, live_server, "yanis@exemple.fr")
    beats: list[Request] = []
    page.on("request", lambda request: beats.append(request) if request.url.endswith("/activite") else None)
    page.clock.install(time=PAGE_TIME)
    page.clock.pause_at(PAGE_TIME + timedelta(minutes=1))
    page.goto(live_server("/modules/premiers-pas/verifier-ses-acquis"))
    page.get_by_label("D'un refus de soins discriminatoire").check()
    page.get_by_label("L'origine").check()
    page.get_by_role("button", name="Valider mes réponses").click()
    page.wait_for_url("**/tentative/1")
    beats.clear()  # what the quiz page itself reported
    run_for(page, 120, interact_every=5)
    assert len(beats) == 2
    assert all(b.post_data_json["section"] == "verifier-ses-acquis" for b in beats)
    assert [claimed_seconds(b) for b in beats] == [60, 60]
