"""Who may receive the certificate, what is still missing, and the facts a certificate records.

The rule: every module the path requires is completed (its completion is recorded once all sections
are read and every quiz passed, see :mod:`elearn.learning.progress`), when ``parcours.yml`` says so
(``evaluation.finale_exigee``) the final assessment is passed, and the path's minimum active time, if
any, is met (:mod:`elearn.certificates.active_time`). The catalog and the progress
page call :func:`certificate_status`; issuing calls :func:`attendance` for the printed facts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from elearn.assessment.attempts import learner_attempts
from elearn.certificates.active_time import ActiveTimeShortfall, active_time_shortfall
from elearn.certificates.credential import ModuleRecord
from elearn.certificates.path import TrainingPath
from elearn.learning.progress import ModuleState, Status, active_seconds_by_module, learner_overview
from elearn.learning.tracking import as_utc
from elearn.i18n import _
from elearn.models import Certificate, User
from elearn.visibility import visible_slugs

#: The stored kind of final-assessment attempts (``elearn.assessment.attempts.Kind.FINAL``).
FINAL_KIND = "finale"

if TYPE_CHECKING:
    from elearn.content.library import ModuleLibrary


@dataclass(frozen=True)
class MissingModule:
    """A required module the learner has not completed yet."""

    slug: str
    title: str
    status_label: str
    #: True for the path's final assessment, which is no module (see :func:`final_assessment_missing`).
    assessment: bool = False


@dataclass(frozen=True)
class CertificateStatus:
    """Where a learner stands with the certificate of ``path``."""

    path: TrainingPath
    missing: tuple[MissingModule, ...]
    #: The learner's valid certificate for this path version, if issued.
    certificate: Certificate | None
    #: Their latest revoked one when no valid one exists: only an administrator may reissue.
    revoked: Certificate | None
    #: Configuration problems that prevent issuing (a required module that does not exist).
    problems: tuple[str, ...] = ()
    #: The minimum active time still to read; None when the path asks for none or a certificate exists.
    active_time: ActiveTimeShortfall | None = None

    @property
    def active_time_met(self) -> bool:
        return self.active_time is None or self.active_time.met

    @property
    def eligible(self) -> bool:
        return not self.missing and not self.problems and self.active_time_met

    @property
    def can_issue(self) -> bool:
        """The learner may obtain the certificate themselves (first issue only)."""
        return self.eligible and self.certificate is None and self.revoked is None


@dataclass(frozen=True)
class Attendance:
    """The measured facts of a learner's path: modules, time on task, first and last activity."""

    modules: tuple[ModuleRecord, ...]
    nominal_minutes: int
    active_seconds: int
    first_activity_at: datetime
    last_activity_at: datetime


def path_problems(path: TrainingPath, library: ModuleLibrary) -> tuple[str, ...]:
    """Required modules that the library does not know (renamed, deleted, or a typo in the file)."""
    return tuple(
        f"parcours.yml : le module obligatoire « {slug} » n'existe pas dans le dossier des modules."
        for slug in path.required_modules
        if library.get(slug) is None
    )


def _required_states(
    session: Session, user: User, library: ModuleLibrary, path: TrainingPath, states: Sequence[ModuleState] | None = None
) -> list[ModuleState]:
    """The states of the path's modules that ``user`` may see (:mod:`elearn.visibility`: a module
    restricted to other groups is not part of their path), taken from ``states`` when given."""
    required = visible_slugs(session, user, path.required_modules)
    if states is not None:
        by_slug = {s.module.slug: s for s in states}
        return [by_slug[slug] for slug in required if slug in by_slug]
    modules = [m for slug in required if (m := library.get(slug)) is not None]
    return learner_overview(session, user.id, modules)  # type: ignore[arg-type]


def certificates_of(session: Session, user_id: int, path_version: str | None = None) -> list[Certificate]:
    """A learner's certificates, newest first (of one path version when given)."""
    statement = select(Certificate).where(Certificate.user_id == user_id)
    if path_version is not None:
        statement = statement.where(Certificate.path_version == path_version)
    return list(session.exec(statement.order_by(col(Certificate.sequence).desc(), col(Certificate.issued_at).desc())))


def certificate_status(
    session: Session, user: User, library: ModuleLibrary, path: TrainingPath, states: Sequence[ModuleState] | None = None
) -> CertificateStatus:
    """Eligibility, missing modules and the existing certificate of ``user`` for ``path``.

    ``states``: the learner's module states when the page has already read them (the catalog and the
    progress page), which spares reading them again.
    """
    states = _required_states(session, user, library, path, states)
    missing = tuple(
        MissingModule(s.module.slug, s.module.title, s.status.label) for s in states if s.status is not Status.COMPLETED
    ) + final_assessment_missing(session, user.id, path)  # type: ignore[arg-type]
    existing = certificates_of(session, user.id, path.version)  # type: ignore[arg-type]
    valid = next((c for c in existing if c.revoked_at is None), None)
    problems = path_problems(path, library)
    if not states and not problems:
        problems = ("Aucun module du parcours ne vous est encore ouvert.",)
    return CertificateStatus(
        path=path,
        missing=missing,
        certificate=valid,
        revoked=existing[0] if existing and valid is None else None,
        problems=problems,
        active_time=None if valid is not None else _active_time(session, user, path, states),
    )


def final_assessment_missing(session: Session, user_id: int, path: TrainingPath) -> tuple[MissingModule, ...]:
    """The final assessment, when ``parcours.yml`` makes the certificate require it and it is not passed yet."""
    plan = path.assessment
    if plan is None or not plan.final_required:
        return ()
    passed = any(a.kind == FINAL_KIND and a.passed for a in learner_attempts(session, user_id))
    return () if passed else (MissingModule(FINAL_KIND, _("Évaluation finale"), _("à réussir"), assessment=True),)


def _active_time(
    session: Session, user: User, path: TrainingPath, states: Sequence[ModuleState]
) -> ActiveTimeShortfall | None:
    """The shortfall against the path's minimum active time; its query runs only when there is a rule."""
    if path.active_time is None:
        return None
    seconds = active_seconds_by_module(session, user.id)  # type: ignore[arg-type]
    return active_time_shortfall(path, [s.module for s in states], seconds)


def attendance(session: Session, user: User, library: ModuleLibrary, path: TrainingPath) -> Attendance:
    """The facts printed on the certificate; call only for an eligible learner.

    Active time is the measured time on task in the required modules. The first and last activity
    come from that measurement, widened by the modules' start and completion records so that a path
    completed without any heartbeat (JavaScript off) still has true dates.
    """
    states = _required_states(session, user, library, path)
    records = tuple(
        ModuleRecord(
            s.module.slug, s.module.title, s.module.duration_minutes, s.progress.completed_at, s.score  # type: ignore[union-attr,arg-type]
        )
        for s in states
    )
    starts = [s.first_activity_at for s in states if s.first_activity_at] + [s.progress.started_at for s in states if s.progress]
    ends = [s.last_activity_at for s in states if s.last_activity_at] + [r.completed_at for r in records]
    return Attendance(
        modules=records,
        nominal_minutes=sum(s.module.duration_minutes for s in states),
        active_seconds=sum(s.active_seconds for s in states),
        first_activity_at=min(as_utc(m) for m in starts),
        last_activity_at=max(as_utc(m) for m in ends),
    )
