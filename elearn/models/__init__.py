"""Database tables, one module per domain. Importing this package registers every table on the metadata."""

from sqlmodel import SQLModel

from elearn.models.assessment import AssessmentAttempt, SurveyResponse
from elearn.models.administration import IdentityChangeRequest, ModuleVisibility, ModuleVisibilityGroup
from elearn.models.audit import AuditEvent
from elearn.models.authoring import DraftSection, MediaFile, ModuleDraft, ModulePublication
from elearn.models.certificate import Certificate, CertificateDocument
from elearn.models.operations import HealthProbe
from elearn.models.organisation import OrganisationProfile
from elearn.models.lti import LtiGradeLink, LtiIdentity, LtiNonce, LtiPlatform
from elearn.models.outbox import LrsSettings, OutboxMessage
from elearn.models.network import CareStage, Criterion, ProblemLevel, Situation, SituationNote
from elearn.models.progress import ActiveTime, ActivityClock, ModuleProgress, QuizAttempt, SectionProgress
from elearn.models.reflection import ReflectionAnswer, Synthesis, SynthesisItem, SynthesisPart
from elearn.models.security import RateLimitCounter
from elearn.models.user import (
    EndedSession,
    ErasureRequest,
    PasswordResetRequest,
    PasswordResetToken,
    Role,
    TrainingGroup,
    User,
)

metadata = SQLModel.metadata

__all__ = [
    "AssessmentAttempt", "SurveyResponse",
    "ActiveTime",
    "ActivityClock",
    "ModuleProgress",
    "QuizAttempt",
    "SectionProgress",
    "AuditEvent",
    "IdentityChangeRequest", "ModuleVisibility", "ModuleVisibilityGroup",
    "DraftSection", "MediaFile", "ModuleDraft", "ModulePublication",
    "Certificate",
    "CertificateDocument",
    "OrganisationProfile",
    "CareStage", "Criterion", "ProblemLevel", "Situation", "SituationNote",
    "ReflectionAnswer", "Synthesis", "SynthesisItem", "SynthesisPart",
    "HealthProbe",
    "LtiGradeLink", "LtiIdentity", "LtiNonce", "LtiPlatform",
    "LrsSettings", "OutboxMessage",
    "RateLimitCounter",
    "EndedSession", "ErasureRequest", "PasswordResetRequest", "PasswordResetToken", "Role", "TrainingGroup", "User", "metadata"]
