"""Live xAPI: a learner's journey reaches Ralph through the outbox, in order, exactly once, even when
Ralph is down for part of it; the statements are the export's."""

from __future__ import annotations

import json

from sqlmodel import select

from elearn.cli.xapi import xapi
from elearn.db import session_scope
from elearn.models import OutboxMessage
from elearn.models.outbox import XAPI
from elearn.outbox.queue import backlog
from elearn.reporting.filters import ReportFilters
from elearn.reporting.xapi import statements
from elearn.xapi.sender import statement_context
from elearn.xapi.statements import actors, render
from tests.reporting.test_xapi import check_statement

MODULE = "/modules/premiers-pas"
QUIZ = f"{MODULE}/quiz/verifier-ses-acquis-quiz-1"
RIGHT = {"q1": "c1", "q2": ["c1", "c2"]}
WRONG = {"q1": "c2", "q2": ["c3"]}
VERB = "http://adlnet.gov/expapi/verbs/"


def first_half(client) -> None:
    """Open the module, read its first section, fail the quiz once."""
    client.get(f"{MODULE}/accueil")
    client.post(f"{MODULE}/accueil/suivant")
    client.get(f"{MODULE}/notions")
    client.post(QUIZ, data={**WRONG, "tentative": 1})


def second_half(client) -> None:
    """Pass the quiz, read the remaining sections: the module is complete."""
    client.post(QUIZ, data={**RIGHT, "tentative": 2})
    client.post(f"{MODULE}/notions/suivant")
    client.post(f"{MODULE}/verifier-ses-acquis/suivant")


def queued(app) -> list[OutboxMessage]:
    with app.app_context(), session_scope() as session:
        return list(session.exec(select(OutboxMessage).where(OutboxMessage.channel == XAPI).order_by(OutboxMessage.id)))


def statement_ids(app) -> list[str]:
    """Ids of every statement the queued messages make, in queue order."""
    return [json.loads(text)["id"] for text in _rendered(app)]


def test_a_learners_journey_reaches_the_lrs(app, client, auth, learner, runner, lrs):
    auth.login(learner.email)
    first_half(client)
    second_half(client)
    result = runner.invoke(xapi, ["send"])
    assert result.exit_code == 0, result.output
    stored = {s["id"]: s for s in lrs.fetch()}
    assert set(stored) == set(statement_ids(app))
    verbs = [s["verb"]["id"].removeprefix(VERB) for s in lrs.arrived()]
    assert verbs[0] == "launched"
    assert verbs.count("experienced") == 3 and verbs.count("answered") == 4
    assert verbs.count("failed") == 1 and verbs.count("passed") == 1 and verbs[-1] == "completed"
    for statement in lrs.arrived():
        assert statement["actor"]["account"] == {"homePage": "https://formation.exemple.fr/", "name": str(learner.id)}
    status = runner.invoke(xapi, ["status"])
    assert "En attente : 0" in status.output and "Dernière erreur" not in status.output


def test_live_completion_and_attempts_are_the_exports_statements(app, client, auth, learner, runner, lrs):
    auth.login(learner.email)
    first_half(client)
    second_half(client)
    runner.invoke(xapi, ["send"])
    live = {s["id"]: s for s in (json.loads(text) for text in _rendered(app))}
    with app.app_context(), session_scope() as session:
        exported = [json.loads(text) for text in statements(session, ReportFilters(), statement_context(app.config))]
    shared = [s for s in exported if s["verb"]["id"] != VERB + "experienced"]
    assert len(shared) == 3  # completed, failed, passed
    for statement in shared:
        assert live[statement["id"]] == statement
        check_statement(statement)
    sent = {s["id"]: s for s in lrs.arrived()}
    assert all(statement["id"] in sent for statement in shared)


def _rendered(app) -> list[str]:
    """The queued messages as the sender renders them."""
    with app.app_context(), session_scope() as session:
        ctx = statement_context(app.config)
        messages = list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)))
        actor = actors(session, ctx, messages)
        return [text for message in messages for text in render(ctx, message, actor(message))]


def test_statements_queue_while_the_lrs_is_down_and_arrive_once_in_order(app, client, auth, learner, runner, lrs):
    auth.login(learner.email)
    first_half(client)
    assert runner.invoke(xapi, ["send"]).exit_code == 0
    delivered_before = len(lrs.arrived())
    assert delivered_before == len(statement_ids(app)) > 0

    lrs.stop()
    second_half(client)
    result = runner.invoke(xapi, ["send"])
    assert result.exit_code == 1 and "LRS injoignable" in result.output
    with app.app_context(), session_scope() as session:
        state = backlog(session, XAPI)
    assert state.pending > 0
    assert state.attempts == 1 and state.next_attempt_at is not None and "injoignable" in state.last_error
    assert "LRS injoignable" in runner.invoke(xapi, ["status"]).output

    lrs.start()
    result = runner.invoke(xapi, ["send"])
    assert result.exit_code == 0, result.output
    arrived = [s["id"] for s in lrs.arrived()]
    assert arrived == statement_ids(app)  # every statement, exactly once, in the order it was recorded
    assert sorted(s["id"] for s in lrs.fetch()) == sorted(arrived)
    assert runner.invoke(xapi, ["send"]).output.strip() == "Envoyées : 0"


def test_a_resend_after_a_lost_answer_duplicates_nothing(app, client, auth, learner, runner, lrs):
    auth.login(learner.email)
    first_half(client)
    runner.invoke(xapi, ["send"])
    with app.app_context(), session_scope() as session:  # as if the LRS's answer had been lost
        for message in session.exec(select(OutboxMessage)):
            message.sent_at = None
            session.add(message)
    second_half(client)
    assert runner.invoke(xapi, ["send"]).exit_code == 0
    arrived = [s["id"] for s in lrs.arrived()]
    assert len(arrived) == len(set(arrived)) == len(statement_ids(app))


def test_an_attempt_lost_to_a_race_queues_nothing(app, learner):
    """Two tabs send attempt 1 at once: the loser's transaction (attempt and statements) is rolled back."""
    from elearn.learning.quizzes import submit_quiz
    from elearn.models import QuizAttempt
    from elearn.web.modules import get_library

    with app.app_context():
        module = get_library().get("premiers-pas")
        quiz = next(q for s in module.sections for q in s.quizzes)
        with session_scope() as session:  # the other tab's attempt, stored meanwhile
            session.add(QuizAttempt(user_id=learner.id, module_slug=module.slug, quiz_id=quiz.id, attempt_number=1,
                                    content_hash=module.content_hash, points=0, max_points=2, percent=0, passed=False))
        with session_scope() as session:
            submission = submit_quiz(session, learner.id, module, quiz, 1, {"q1": ["c1"], "q2": ["c1", "c2"]}, previous=[])
    assert submission.duplicate
    assert queued(app) == []
