"""Database tables, one module per domain. Importing this package registers every table on the metadata."""

from sqlmodel import SQLModel

from elearn.models.audit import AuditEvent
from elearn.models.certificate import Certificate
from elearn.models.lti import LtiGradeLink, LtiIdentity, LtiNonce, LtiPlatform
from elearn.models.outbox import LrsSettings, OutboxMessage
from elearn.models.network import CareStage, Criterion, ProblemLevel, Situation, SituationNote
from elearn.models.progress import ActiveTime, ActivityClock, ModuleProgress, QuizAttempt, SectionProgress
from elearn.models.reflection import ReflectionAnswer, Synthesis, SynthesisItem, SynthesisPart
from elearn.models.security import RateLimitCounter
from elearn.models.user import PasswordResetRequest, PasswordResetToken, Role, TrainingGroup, User

metadata = SQLModel.metadata

__all__ = [
    "ActiveTime",
    "ActivityClock",
    "ModuleProgress",
    "QuizAttempt",
    "SectionProgress",
    "AuditEvent",
    "Certificate",
    "CareStage", "Criterion", "ProblemLevel", "Situation", "SituationNote",
    "ReflectionAnswer", "Synthesis", "SynthesisItem", "SynthesisPart",
    "LtiGradeLink", "LtiIdentity", "LtiNonce", "LtiPlatform",
    "LrsSettings", "OutboxMessage",
    "RateLimitCounter",
    "PasswordResetRequest", "PasswordResetToken", "Role", "TrainingGroup", "User", "metadata"]
