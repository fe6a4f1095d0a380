"""Reflection answers: saved and edited, private until shared, shared anonymously, counted for completion."""

from __future__ import annotations

import pytest

from elearn.content.model import Module, Reflection, Section
from elearn.db import session_scope
from elearn.reflection import answers
from elearn.reflection.shared import group_by_question, shared_answer, shared_answers


def make_module(slug: str = "atelier", required: bool = True) -> Module:
    blocks = (Reflection("constats-reflexion-1", "<p>Quelles situations ?</p>", "", 3), Reflection("constats-reflexion-2", "<p>Quels freins ?</p>", "", 9))
    section = Section("constats", "Constats", blocks, 1, "x.md")
    return Module(slug, "x.md", "Atelier", "", 10, ("o",), 1, 70, None, (), required, "", (section,), "h")


def test_save_then_edit_keeps_one_row(app, learner):
    with app.app_context(), session_scope() as session:
        first = answers.save_answer(session, learner.id, "atelier", "r1", "Premier jet")
        second = answers.save_answer(session, learner.id, "atelier", "r1", "Version revue\r\nsur deux lignes")
        assert first.id == second.id
        assert answers.get_answer(session, learner.id, "atelier", "r1").text == "Version revue\nsur deux lignes"


def test_too_long_answer_is_refused(app, learner):
    with app.app_context(), session_scope() as session, pytest.raises(answers.ReflectionError):
        answers.save_answer(session, learner.id, "atelier", "r1", "x" * 10_001)


def test_missing_reflections_only_when_required(app, learner):
    module = make_module(required=True)
    with app.app_context(), session_scope() as session:
        assert [r.id for r in answers.missing_reflections(session, learner, module)] == ["constats-reflexion-1", "constats-reflexion-2"]
        answers.save_answer(session, learner.id, "atelier", "constats-reflexion-1", "Des refus de soins.")
        answers.save_answer(session, learner.id, "atelier", "constats-reflexion-2", "   \n ")
        assert [r.id for r in answers.missing_reflections(session, learner, module)] == ["constats-reflexion-2"]
        assert answers.missing_reflections(session, learner, make_module(required=False)) == []


def test_answers_are_private_until_shared(app, learner):
    with app.app_context(), session_scope() as session:
        answers.save_answer(session, learner.id, "atelier", "constats-reflexion-1", "Ma réponse privée")
        assert shared_answers(session) == []


def test_sharing_takes_a_snapshot_without_author(app, learner):
    with app.app_context(), session_scope() as session:
        answer = answers.save_answer(session, learner.id, "atelier", "constats-reflexion-1", "Des refus de rendez-vous.")
        answers.share(session, answer)
        answers.save_answer(session, learner.id, "atelier", "constats-reflexion-1", "Brouillon non partagé")
        (shared,) = shared_answers(session)
        assert shared.text == "Des refus de rendez-vous."
        assert not hasattr(shared, "user_id") and not hasattr(shared, "shared_at")
        assert shared_answer(session, shared.id) == shared


def test_sharing_refuses_empty_or_identifying_text(app, learner):
    with app.app_context(), session_scope() as session:
        empty = answers.save_answer(session, learner.id, "atelier", "r1", "  ")
        with pytest.raises(answers.ReflectionError):
            answers.share(session, empty)
        named = answers.save_answer(session, learner.id, "atelier", "r2", "J'ai accompagné Karim au 06 12 34 56 78.")
        with pytest.raises(answers.ReflectionError) as caught:
            answers.share(session, named)
        assert len(caught.value.findings) == 2
        assert shared_answers(session) == []


def test_unshare_withdraws_the_copy(app, learner):
    with app.app_context(), session_scope() as session:
        answer = answers.share(session, answers.save_answer(session, learner.id, "atelier", "r1", "Un constat."))
        answers.unshare(session, answer)
        assert shared_answers(session) == [] and shared_answer(session, answer.id) is None


def test_grouping_follows_module_order_and_keeps_removed_questions(app, learner, other_learner):
    module = make_module()
    with app.app_context(), session_scope() as session:
        for user, rid, text in [
            (learner, "constats-reflexion-2", "b"),
            (other_learner, "constats-reflexion-2", "A"),
            (learner, "constats-reflexion-1", "c"),
            (learner, "ancienne-question", "d"),
            (learner, "retire", "e"),
        ]:
            slug = "disparu" if rid == "retire" else "atelier"
            answers.share(session, answers.save_answer(session, user.id, slug, rid, text))
        groups = group_by_question(shared_answers(session), [module])
    assert [(g.slug, [q.reflection_id for q in g.questions]) for g in groups] == [
        ("atelier", ["constats-reflexion-1", "constats-reflexion-2", "ancienne-question"]),
        ("disparu", ["retire"]),
    ]
    assert [a.text for a in groups[0].questions[1].answers] == ["A", "b"]
    assert groups[0].questions[2].prompt_html == "" and groups[0].answer_count == 4
