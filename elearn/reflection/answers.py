"""A learner's answers to the reflection blocks of a module: saved as they type, private until shared.

Sharing copies the current text into ``shared_text``: trainers read that snapshot (never the drafts
written afterwards) and never learn who wrote it. Before a text is shared it is checked for what could
identify a person (the vigilance network's check), since it leaves the learner's private space.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlmodel import Session, select

from elearn.learning.upsert import upsert
from elearn.i18n import _
from elearn.models import ReflectionAnswer, User
from elearn.models.base import utcnow
from elearn.models.reflection import MAX_TEXT_LENGTH
from elearn.network.detect import Finding, find_identifying_details

if TYPE_CHECKING:
    from elearn.content.model import Module, Reflection


class ReflectionError(Exception):
    """A rule was broken; ``message`` is French and shown as is, ``findings`` lists identifying details."""

    def __init__(self, message: str, findings: Iterable[Finding] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.findings = list(findings)


def clean_text(text: str) -> str:
    """Normalise line endings and refuse texts longer than the column holds."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > MAX_TEXT_LENGTH:
        raise ReflectionError(_("La réponse ne peut pas dépasser %(max)s caractères.", max=f"{MAX_TEXT_LENGTH:,}".replace(",", " ")))
    return text


def get_answer(session: Session, user_id: int, module_slug: str, reflection_id: str) -> ReflectionAnswer | None:
    return session.exec(
        select(ReflectionAnswer).where(
            ReflectionAnswer.user_id == user_id,
            ReflectionAnswer.module_slug == module_slug,
            ReflectionAnswer.reflection_id == reflection_id,
        )
    ).first()


def answers_for_module(session: Session, user_id: int, module_slug: str) -> dict[str, ReflectionAnswer]:
    """The learner's answers in a module, by reflection id."""
    rows = session.exec(
        select(ReflectionAnswer).where(ReflectionAnswer.user_id == user_id, ReflectionAnswer.module_slug == module_slug)
    )
    return {row.reflection_id: row for row in rows}


def save_answer(session: Session, user_id: int, module_slug: str, reflection_id: str, text: str) -> ReflectionAnswer:
    """Store the text (insert or update, safe when an autosave and a page-hide beacon race) and commit."""
    text = clean_text(text)
    now = utcnow()
    upsert(
        session,
        ReflectionAnswer.__table__,  # type: ignore[attr-defined]
        {"user_id": user_id, "module_slug": module_slug, "reflection_id": reflection_id, "text": text, "updated_at": now},
        keys=["user_id", "module_slug", "reflection_id"],
        update={"text": text, "updated_at": now},
    )
    session.commit()
    answer = get_answer(session, user_id, module_slug, reflection_id)
    if answer is None:  # pragma: no cover - the row was written just above
        raise ReflectionError(_("La réponse n'a pas pu être enregistrée. Réessayez."))
    session.refresh(answer)  # the identity map may hold the row as it was before the upsert
    return answer


def share(session: Session, answer: ReflectionAnswer) -> ReflectionAnswer:
    """Share the current text with the trainers, anonymously, once it identifies nobody."""
    if not answer.text.strip():
        raise ReflectionError(_("Écrivez d'abord une réponse : une réponse vide ne peut pas être partagée."))
    findings = find_identifying_details(answer.text)
    if findings:
        raise ReflectionError(
            _("Votre réponse n'a pas été partagée : elle contient des éléments qui pourraient identifier quelqu'un."),
            findings,
        )
    answer.shared_text = answer.text
    answer.shared_at = utcnow()
    session.add(answer)
    session.commit()
    return answer


def unshare(session: Session, answer: ReflectionAnswer) -> ReflectionAnswer:
    """Withdraw the shared copy; trainers no longer see it (items already copied into a synthesis stay)."""
    answer.shared_text = None
    answer.shared_at = None
    session.add(answer)
    session.commit()
    return answer


def is_answered(answer: ReflectionAnswer | None) -> bool:
    """An answer counts once it holds some text (whitespace alone does not count)."""
    return answer is not None and bool(answer.text.strip())


def missing_reflections(session: Session, user: User, module: Module) -> list[Reflection]:
    """Reflection blocks still to answer before ``module`` can be completed (none unless it requires them)."""
    if not module.reflection_required:
        return []
    answers = answers_for_module(session, user.id, module.slug)  # type: ignore[arg-type]
    return [block for block in module.reflections if not is_answered(answers.get(block.id))]
