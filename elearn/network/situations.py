"""Situations of the vigilance network: submission (only once nothing identifies anyone) and triage.

Submitting stores no trace of the author: no user id, no keyed hash, no audit event, and only the day.
Triage actions by trainers and administrators (notes, tags, candidate case study, publication) are
recorded in the audit trail; publication needs an explicit, stated decision.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import Session, col, select

from elearn.accounts import record
from elearn.i18n import _
from elearn.models import CareStage, Criterion, ProblemLevel, Situation, SituationNote, User
from elearn.models.base import utcnow
from elearn.models.network import MAX_SITUATION_TEXT
from elearn.network.detect import Finding, check_fields


class SituationError(Exception):
    """A rule was broken. ``errors`` maps form field names to French messages."""

    def __init__(self, errors: Mapping[str, list[str]], findings: Mapping[str, list[Finding]] | None = None) -> None:
        super().__init__("; ".join(m for messages in errors.values() for m in messages))
        self.errors = dict(errors)
        self.findings = dict(findings or {})


@dataclass(frozen=True)
class SituationDraft:
    """What the author typed, before any check."""

    what_happened: str
    care_stage: str
    criterion: str
    action_taken: str = ""

    def texts(self) -> dict[str, str]:
        return {"what_happened": self.what_happened, "action_taken": self.action_taken}


def _choice_errors(draft: SituationDraft) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if draft.care_stage not in set(CareStage):
        errors["care_stage"] = [_("Choisissez l'étape du parcours de soins concernée.")]
    if draft.criterion not in set(Criterion):
        errors["criterion"] = [_("Choisissez un critère (ou « Autre / je ne sais pas »).")]
    return errors


def _text_errors(draft: SituationDraft) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not draft.what_happened.strip():
        errors["what_happened"] = [_("Décrivez ce qui s'est passé.")]
    for name, value in draft.texts().items():
        if len(value) > MAX_SITUATION_TEXT:
            errors.setdefault(name, []).append(_("%(max)d caractères au plus.", max=MAX_SITUATION_TEXT))
    return errors


def submit_situation(session: Session, draft: SituationDraft) -> Situation:
    """Store a situation, or raise :class:`SituationError` listing every problem (nothing is stored then)."""
    errors = _choice_errors(draft) | _text_errors(draft)
    findings = check_fields(draft.texts())
    for name, found in findings.items():
        errors.setdefault(name, []).extend(f.message for f in found)
    if errors:
        raise SituationError(errors, findings)
    situation = Situation(
        what_happened=draft.what_happened.strip(),
        care_stage=draft.care_stage,
        criterion=draft.criterion,
        action_taken=draft.action_taken.strip(),
    )
    session.add(situation)
    session.commit()
    return situation


# Triage ----------------------------------------------------------------------------------------------


class Filter(StrEnum):
    ALL = "toutes"
    NEW = "nouvelles"
    CANDIDATES = "candidates"
    PUBLISHED = "publiees"


def list_situations(session: Session, which: Filter = Filter.ALL) -> list[Situation]:
    statement = select(Situation).order_by(col(Situation.submitted_on).desc(), col(Situation.id).desc())
    if which is Filter.NEW:
        statement = statement.where(col(Situation.reviewed).is_(False))
    elif which is Filter.CANDIDATES:
        statement = statement.where(col(Situation.case_study_candidate).is_(True))
    elif which is Filter.PUBLISHED:
        statement = statement.where(col(Situation.published_at).is_not(None))
    return list(session.exec(statement))


def notes_for(session: Session, situation: Situation) -> list[tuple[SituationNote, User | None]]:
    rows = session.exec(
        select(SituationNote, User)
        .join(User, User.id == SituationNote.author_id, isouter=True)  # type: ignore[arg-type]
        .where(SituationNote.situation_id == situation.id)
        .order_by(SituationNote.created_at)
    )
    return list(rows)


def mark_reviewed(session: Session, situation: Situation) -> None:
    """A trainer opened it: it is no longer « nouvelle »."""
    if not situation.reviewed:
        situation.reviewed = True
        session.add(situation)
        session.commit()


def add_note(session: Session, situation: Situation, text: str, *, actor: User) -> SituationNote:
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise SituationError({"text": [_("Écrivez une note avant de l'enregistrer.")]})
    if len(text) > MAX_SITUATION_TEXT:
        raise SituationError({"text": [_("%(max)d caractères au plus.", max=MAX_SITUATION_TEXT)]})
    note = SituationNote(situation_id=situation.id, author_id=actor.id, text=text)
    session.add(note)
    record(session, "network.note_added", actor=actor, target=f"situation:{situation.id}")
    session.commit()
    return note


def _only(values: Iterable[str], allowed: type[StrEnum]) -> list[str]:
    """Known values only, in the enum's order, without duplicates."""
    chosen = set(values)
    return [member.value for member in allowed if member.value in chosen]


def set_tags(
    session: Session, situation: Situation, *, criteria: Iterable[str], stages: Iterable[str], levels: Iterable[str], actor: User
) -> None:
    situation.tag_criteria = _only(criteria, Criterion)
    situation.tag_stages = _only(stages, CareStage)
    situation.tag_levels = _only(levels, ProblemLevel)
    session.add(situation)
    record(
        session, "network.tagged", actor=actor, target=f"situation:{situation.id}",
        criteria=situation.tag_criteria, stages=situation.tag_stages, levels=situation.tag_levels,
    )
    session.commit()


def set_candidate(session: Session, situation: Situation, candidate: bool, *, actor: User) -> None:
    """Mark (or unmark) a situation as a candidate case study; this alone publishes nothing."""
    if situation.case_study_candidate == candidate:
        return
    if not candidate and situation.published_at is not None:
        raise SituationError({"candidate": [_("Retirez d'abord la publication.")]})
    situation.case_study_candidate = candidate
    session.add(situation)
    record(session, "network.candidate_marked" if candidate else "network.candidate_unmarked", actor=actor, target=f"situation:{situation.id}")
    session.commit()


def publish(session: Session, situation: Situation, *, decision: str, actor: User) -> None:
    """Record the explicit decision to publish a candidate case study (who, when, on what grounds)."""
    decision = " ".join(decision.split())
    errors: dict[str, list[str]] = {}
    if not situation.case_study_candidate:
        errors["decision"] = [_("Seule une situation marquée « cas d'étude possible » peut être publiée.")]
    elif not decision:
        errors["decision"] = [_("Indiquez la décision qui autorise la publication (par exemple : accord du réseau, réunion du …).")]
    elif len(decision) > 500:
        errors["decision"] = [_("%(max)d caractères au plus.", max=500)]
    if situation.published_at is not None:
        errors["decision"] = [_("Cette situation est déjà publiée.")]
    if errors:
        raise SituationError(errors)
    situation.published_at = utcnow()
    session.add(situation)
    record(session, "network.published", actor=actor, target=f"situation:{situation.id}", decision=decision)
    session.commit()


def unpublish(session: Session, situation: Situation, *, actor: User) -> None:
    if situation.published_at is None:
        return
    situation.published_at = None
    session.add(situation)
    record(session, "network.unpublished", actor=actor, target=f"situation:{situation.id}")
    session.commit()
