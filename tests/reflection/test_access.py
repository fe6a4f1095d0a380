"""Route by route, from the URL map: a learner reads no situation and no one else's answer, shared or not."""

from __future__ import annotations

import pytest

from elearn.db import session_scope
from elearn.models import SynthesisPart
from elearn.network.situations import SituationDraft, submit_situation
from elearn.reflection import answers
from elearn.reflection import synthesis as syntheses

pytestmark = pytest.mark.sqlite_only

#: Route modules whose every endpoint is for trainers and administrators only.
REVIEW_MODULES = {"elearn.web.network.review", "elearn.web.trainer.reflections"}
#: Route modules a learner may use; none of their pages may show someone else's data.
LEARNER_MODULES = {"elearn.web.network.routes", "elearn.web.learn.reflection"}

SITUATION_TEXT = "Texte confidentiel : un refus de soins dans un cabinet de ville."
PRIVATE_TEXT = "Réponse privée de la première apprenante."
SHARED_TEXT = "Réponse partagée de la première apprenante."
SECRETS = (SITUATION_TEXT, PRIVATE_TEXT, SHARED_TEXT)


@pytest.fixture
def world(app, learner, trainer):
    """One situation, a private and a shared answer of ``learner``, a synthesis quoting nothing secret."""
    with app.app_context(), session_scope() as session:
        situation = submit_situation(session, SituationDraft(SITUATION_TEXT, "soins", "autre"))
        answers.save_answer(session, learner.id, "atelier", "pratique-reflexion-1", PRIVATE_TEXT)
        answers.share(session, answers.save_answer(session, learner.id, "atelier", "pratique-reflexion-2", SHARED_TEXT))
        synthesis = syntheses.create_synthesis(session, title="Synthèse", territory="", held_on=None, author=trainer)
        item = syntheses.add_item(session, synthesis, SynthesisPart.FINDINGS, "Un élément")
        return {"situation_id": situation.id, "synthesis_id": synthesis.id, "item_id": item.id,
                "slug": "atelier", "reflection_id": "pratique-reflexion-1"}


def routes(app, modules: set[str]) -> list[tuple[str, str, str]]:
    """(endpoint, method, rule) for every route whose view lives in ``modules``."""
    found = []
    for rule in app.url_map.iter_rules():
        if app.view_functions[rule.endpoint].__module__ in modules:
            found += [(rule.endpoint, method, rule.rule) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return found


def call(client, app, endpoint: str, method: str, world: dict):
    with app.test_request_context():
        from flask import url_for

        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        url = url_for(endpoint, **{name: world[name] for name in rule.arguments})
    return client.open(url, method=method, data={"text": "x", "part": "constats", "answer_id": "1", "candidate": "1"})


def test_the_route_lists_are_not_empty(app):
    assert len(routes(app, REVIEW_MODULES)) >= 15
    assert len(routes(app, LEARNER_MODULES)) >= 5


def test_learner_is_refused_every_review_route(app, client, auth, other_learner, world):
    auth.login(other_learner.email)
    for endpoint, method, rule in routes(app, REVIEW_MODULES):
        response = call(client, app, endpoint, method, world)
        assert response.status_code == 403, (endpoint, method, rule)
        assert not any(secret in response.get_data(as_text=True) for secret in SECRETS), (endpoint, method)


def test_learner_routes_never_show_or_touch_others_data(app, client, auth, learner, other_learner, world):
    auth.login(other_learner.email)
    for endpoint, method, rule in routes(app, LEARNER_MODULES):
        response = call(client, app, endpoint, method, world)
        assert response.status_code < 500, (endpoint, method, rule)
        assert not any(secret in response.get_data(as_text=True) for secret in SECRETS), (endpoint, method)
    with app.app_context(), session_scope() as session:
        # The other learner's posts wrote their own row, never the first learner's.
        assert answers.get_answer(session, learner.id, "atelier", "pratique-reflexion-1").text == PRIVATE_TEXT
        assert answers.get_answer(session, other_learner.id, "atelier", "pratique-reflexion-1").text == "x"


def test_anonymous_visitor_is_sent_to_login_everywhere(app, client, world):
    for endpoint, method, rule in routes(app, REVIEW_MODULES | LEARNER_MODULES):
        response = call(client, app, endpoint, method, world)
        assert response.status_code == 302 and "/login" in response.headers["Location"], (endpoint, method, rule)


def test_trainer_reaches_every_review_route(app, client, auth, trainer, world):
    auth.login(trainer.email)
    for endpoint, method, rule in routes(app, REVIEW_MODULES):
        response = call(client, app, endpoint, method, world)
        # A page opens; an action is done (its redirect leads back into the area) or refused as malformed.
        # A redirect to the log-in page, or a 403, means the trainer was turned away: a failure.
        expected = (200,) if method == "GET" else (200, 302, 400)
        assert response.status_code in expected, (endpoint, method, rule, response.status_code)
        if response.status_code == 302:
            assert "/login" not in response.headers["Location"], (endpoint, method, rule)
