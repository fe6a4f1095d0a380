"""Situations: stored only when clean, without their author; triage recorded in the audit trail."""

from __future__ import annotations

import pytest
from sqlmodel import select

from elearn.db import session_scope
from elearn.models import AuditEvent, Situation, User
from elearn.network import situations as network
from elearn.network.situations import SituationDraft, SituationError, submit_situation

CLEAN = SituationDraft("Un dentiste a refusé une patiente bénéficiaire de l'AME.", "soins", "vulnerabilite", "Orientation vers la PASS.")


def test_clean_situation_is_stored(app):
    with app.app_context(), session_scope() as session:
        situation = submit_situation(session, CLEAN)
        assert situation.id is not None and situation.what_happened.startswith("Un dentiste")


def test_identifying_details_store_nothing_and_say_where(app):
    draft = SituationDraft("Karim a appelé du 06 12 34 56 78.", "soins", "origine", "Rappelé le 3 mars 2024.")
    with app.app_context(), session_scope() as session:
        with pytest.raises(SituationError) as caught:
            submit_situation(session, draft)
        assert session.exec(select(Situation)).all() == []
    assert set(caught.value.errors) == {"what_happened", "action_taken"}
    assert any("prénom" in m for m in caught.value.errors["what_happened"])
    assert any("téléphone" in m for m in caught.value.errors["what_happened"])


def test_unknown_choices_and_empty_text_are_refused(app):
    with app.app_context(), session_scope() as session, pytest.raises(SituationError) as caught:
        submit_situation(session, SituationDraft("  ", "ailleurs", "x"))
    assert set(caught.value.errors) == {"what_happened", "care_stage", "criterion"}


def test_situation_table_has_no_link_to_any_account():
    assert Situation.__table__.foreign_keys == set()  # type: ignore[attr-defined]
    assert not {"user_id", "author_id", "author_hash", "created_by_id"} & set(Situation.__table__.columns.keys())  # type: ignore[attr-defined]


def test_submitting_writes_no_audit_event(app):
    with app.app_context(), session_scope() as session:
        submit_situation(session, CLEAN)
        assert session.exec(select(AuditEvent).where(AuditEvent.action.startswith("network"))).all() == []  # type: ignore[attr-defined]


def test_erasing_an_account_leaves_situations_and_their_notes(app, trainer):
    with app.app_context(), session_scope() as session:
        situation = submit_situation(session, CLEAN)
        network.add_note(session, situation, "À discuter en réunion.", actor=trainer)
        for event in session.exec(select(AuditEvent)):
            session.delete(event)
        session.delete(session.get(User, trainer.id))
        session.commit()
        (note, author) = network.notes_for(session, situation)[0]
        assert author is None and note.text == "À discuter en réunion."
        assert session.get(Situation, situation.id) is not None


def test_publication_needs_candidate_and_decision_and_is_audited(app, trainer):
    with app.app_context(), session_scope() as session:
        situation = submit_situation(session, CLEAN)
        with pytest.raises(SituationError):
            network.publish(session, situation, decision="Accord du réseau", actor=trainer)
        network.set_candidate(session, situation, True, actor=trainer)
        with pytest.raises(SituationError):
            network.publish(session, situation, decision="   ", actor=trainer)
        assert situation.published_at is None
        network.publish(session, situation, decision="Accord du réseau, réunion de juin", actor=trainer)
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "network.published")).one()
        assert event.actor_id == trainer.id and event.target == f"situation:{situation.id}"
        assert event.details == {"decision": "Accord du réseau, réunion de juin"}
        with pytest.raises(SituationError):
            network.set_candidate(session, situation, False, actor=trainer)


def test_tags_keep_known_values_in_order(app, trainer):
    with app.app_context(), session_scope() as session:
        situation = submit_situation(session, CLEAN)
        network.set_tags(session, situation, criteria=["sexe", "origine", "bogus"], stages=["soins"], levels=["systemique", "individuel"], actor=trainer)
        assert situation.tag_criteria == ["origine", "sexe"]
        assert situation.tag_levels == ["individuel", "systemique"]


def test_filters(app, trainer):
    with app.app_context(), session_scope() as session:
        first = submit_situation(session, CLEAN)
        second = submit_situation(session, CLEAN)
        network.mark_reviewed(session, first)
        network.set_candidate(session, second, True, actor=trainer)
        assert [s.id for s in network.list_situations(session, network.Filter.NEW)] == [second.id]
        assert [s.id for s in network.list_situations(session, network.Filter.CANDIDATES)] == [second.id]
        assert network.list_situations(session, network.Filter.PUBLISHED) == []
        assert len(network.list_situations(session)) == 2


def test_erasing_a_learner_leaves_their_situations_and_their_data_file_has_none(app, client, auth, learner, admin):
    from elearn.privacy import erase_person, personal_data

    auth.login(learner.email)
    client.post("/reseau/signaler", data={"what_happened": CLEAN.what_happened, "care_stage": "soins", "criterion": "autre"})
    with app.app_context(), session_scope() as session:
        person = session.get(User, learner.id)
        assert CLEAN.what_happened not in repr(personal_data(session, person))
        erase_person(session, person, actor=admin, confirmation=learner.email)
        assert [s.what_happened for s in session.exec(select(Situation))] == [CLEAN.what_happened]
