"""A small but complete world for the authorisation matrix and the accessibility tests.

Every kind of object a route can name exists and belongs to someone: the learner's quiz attempt,
reflection answer and certificate, a network situation, a synthesis, a reset link. Modules come from
the fixture trees of the other test packages (learner journey, reflections, certificate path), copied
into one folder so a single app serves them all.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from elearn import groups
from elearn.accounts import issue_reset_token
from elearn.authoring import drafts
from elearn.authoring.sync import sync_folder
from elearn.db import session_scope
from elearn.identity import submit_own_identity
from elearn.models import CareStage, Criterion, Role, SynthesisPart, User
from elearn.network.situations import SituationDraft, submit_situation
from elearn.reflection import answers, synthesis
from tests.certificates.support import MEDIA as CERTIFICATE_MEDIA
from tests.certificates.support import MODULES as CERTIFICATE_MODULES
from tests.certificates.support import complete_path, obtain_certificate
from tests.assessment.conftest import BANK as ASSESSMENT_BANK
from tests.conftest import FIXTURE_MODULES, add_user, make_test_app
from tests.reflection.conftest import REFLECTION_MODULES

ROLES = ("anonymous", "learner", "other_learner", "trainer", "admin")
QUIZ = ("premiers-pas", "verifier-ses-acquis-quiz-1")
REFLECTION = ("atelier", "pratique-reflexion-1")


@dataclass
class World:
    app: object
    root: Path
    users: dict[str, User] = field(default_factory=dict)
    certificate_code: str = ""
    situation_id: int = 0
    synthesis_id: int = 0
    synthesis_item_id: int = 0
    group_id: int = 0
    reset_token: str = ""
    identity_request_id: int = 0
    draft_section_id: int = 0

    def copy(self, root: Path) -> World:
        """The same world in another folder, on its own database file (for tests that change it)."""
        shutil.copytree(self.root, root, dirs_exist_ok=True)
        return World(**{**self.__dict__, "app": _make_app(root), "root": root})

    def client(self, role: str):  # noqa: ANN201 - a FlaskClient
        """A test client logged in as ``role`` (session set directly: no password hashing per request)."""
        client = self.app.test_client()
        user = self.users.get(role)
        if user is not None:
            with client.session_transaction() as session:
                session["_user_id"] = user.get_id()
                session["_fresh"] = True
        return client


def modules_folder(root: Path) -> Path:
    """The three fixture trees side by side; their ``ordre`` numbers are shifted so they do not collide."""
    target = root / "modules"
    shutil.copytree(FIXTURE_MODULES, target)
    shutil.copytree(CERTIFICATE_MODULES, target, dirs_exist_ok=True)
    shutil.copy(REFLECTION_MODULES / "01-atelier.md", target / "05-atelier.md")
    for name, shift in [("01-reperer.md", 10), ("02-agir.md", 10), ("03-bonus.md", 10), ("05-atelier.md", 20)]:
        module = target / name
        text = module.read_text(encoding="utf-8")
        module.write_text(re.sub(r"^ordre: (\d+)$", lambda m: f"ordre: {int(m[1]) + shift}", text, flags=re.M), encoding="utf-8")
    # The path's assessments, without making the certificate depend on the final one.
    shutil.copy(ASSESSMENT_BANK, target / "_evaluation.md")
    with (target / "parcours.yml").open("a", encoding="utf-8") as parcours:
        parcours.write("evaluation:\n  banque: _evaluation.md\n  positionnement: true\n  finale: true\n")
    return target


def _make_app(root: Path, **config: object):  # noqa: ANN202 - a Flask app
    return make_test_app(
        root, ELEARN_MODULES_DIR=str(root / "modules"), ELEARN_MEDIA_DIR=str(CERTIFICATE_MEDIA),
        ELEARN_BASE_URL="https://formation.exemple.fr", **config,
    )


def build_world(root: Path, **config: object) -> World:
    """Create the app, the users of every role and one object of each kind."""
    modules_folder(root)
    world = World(_make_app(root, **config), root)
    world.users = {
        "learner": add_user(world.app, "apprenant@exemple.fr", Role.LEARNER, "Camille Martin", profession="Infirmière"),
        "other_learner": add_user(world.app, "autre@exemple.fr", Role.LEARNER, "Dominique Petit"),
        "trainer": add_user(world.app, "formateur@exemple.fr", Role.TRAINER, "Sacha Durand"),
        "admin": add_user(world.app, "admin@exemple.fr", Role.ADMIN, "Alex Bernard"),
    }
    _learner_activity(world)
    _shared_objects(world)
    return world


def _learner_activity(world: World) -> None:
    """The learner's own objects: a quiz attempt, a shared reflection answer, a certificate."""
    learner = world.client("learner")
    slug, quiz_id = QUIZ
    assert learner.post(f"/modules/{slug}/quiz/{quiz_id}", data={"q1": "c1", "q2": ["c1"], "tentative": 1}).status_code == 302
    slug, reflection_id = REFLECTION
    with world.app.app_context(), session_scope() as session:
        answer = answers.save_answer(session, world.users["learner"].id, slug, reflection_id,
                                     "Des rendez-vous refusés aux patients bénéficiaires de l'AME.")
        answers.share(session, answer)
    complete_path(world.app, world.users["learner"].id)
    world.certificate_code = obtain_certificate(learner)
    assert learner.post("/evaluation/finale/commencer").status_code == 302  # final assessment attempt 1, open


def _shared_objects(world: World) -> None:
    """A network situation, a workshop synthesis with one item, a reset link for the learner."""
    with world.app.app_context(), session_scope() as session:
        situation = submit_situation(session, SituationDraft(
            what_happened="Un cabinet a refusé un rendez-vous à une patiente bénéficiaire de la complémentaire santé solidaire.",
            care_stage=next(iter(CareStage)).value, criterion=next(iter(Criterion)).value,
        ))
        made = synthesis.create_synthesis(session, title="Atelier de Lyon", territory="Lyon", held_on=None,
                                          author=world.users["trainer"])
        item = synthesis.add_item(session, made, next(iter(SynthesisPart)), "Des refus de soins répétés.")
        world.situation_id, world.synthesis_id, world.synthesis_item_id = situation.id, made.id, item.id
        world.group_id = groups.create_group(session, "Atelier de Lyon", actor=None).id
        world.reset_token = issue_reset_token(session, session.get(User, world.users["learner"].id), actor=None)
        # The learner, who holds a certificate, asks to change their name: it awaits an administrator.
        request = submit_own_identity(session, session.get(User, world.users["learner"].id), "Camille Martin-Roux",
                                      "apprenant@exemple.fr", "Infirmière")
        world.identity_request_id = request.id
        # The modules' first publication (history, rollback) and a draft with a section (the editor).
        sync_folder(session, world.root / "modules", world.root / "instance", import_edits=True)
        draft = drafts.open_draft(session, QUIZ[0], world.root / "modules")
        world.draft_section_id = drafts.sections_of(session, draft)[1].id
