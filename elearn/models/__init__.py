"""Database tables, one module per domain. Importing this package registers every table on the metadata."""

from sqlmodel import SQLModel

from elearn.models.audit import AuditEvent
from elearn.models.authoring import DraftSection, MediaFile, ModuleDraft, ModulePublication
from elearn.models.certificate import Certificate
from elearn.models.operations import HealthProbe
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
    "DraftSection", "MediaFile", "ModuleDraft", "ModulePublication",
    "Certificate",
    "CareStage", "Criterion", "ProblemLevel", "Situation", "SituationNote",
    "ReflectionAnswer", "Synthesis", "SynthesisItem", "SynthesisPart",
    "HealthProbe",
    "RateLimitCounter",
    "PasswordResetRequest", "PasswordResetToken", "Role", "TrainingGroup", "User", "metadata"]
