"""Publications: every version a module had, who published it, when, why, and its full text.

Publishing never edits a row: each publication is a new one (a rollback too), numbered per module by
the database's unique constraint, so two processes publishing at once cannot both take a number.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from elearn.authoring.files import Files, files_hash
from elearn.models import AuditEvent, MediaFile, ModulePublication, User
from elearn.models.authoring import PATH_SLUG

MAX_MESSAGE = 300


class PublishError(Exception):
    """The publication is refused; the message is for the trainer (French)."""


@dataclass(frozen=True)
class Author:
    """Who publishes: an account, or a label for the command line and the start-up import."""

    name: str
    user_id: int | None = None

    @classmethod
    def of(cls, user: User) -> Author:
        return cls(user.full_name or user.email, user.id)


def latest(session: Session, slug: str) -> ModulePublication | None:
    statement = select(ModulePublication).where(ModulePublication.module_slug == slug)
    return session.exec(statement.order_by(ModulePublication.number.desc()).limit(1)).first()


def latest_of_each(session: Session) -> dict[str, ModulePublication]:
    """The current publication of every module (the ones learners get)."""
    newest = (
        select(ModulePublication.module_slug, func.max(ModulePublication.number).label("number"))
        .group_by(ModulePublication.module_slug)
        .subquery()
    )
    statement = select(ModulePublication).join(
        newest,
        (ModulePublication.module_slug == newest.c.module_slug) & (ModulePublication.number == newest.c.number),
    )
    return {publication.module_slug: publication for publication in session.exec(statement)}


def last_change(session: Session) -> tuple[int, int]:
    """The newest publication's and uploaded media's ids ((0, 0) when none): the one cheap query workers poll."""
    newest_media = select(func.max(MediaFile.id)).scalar_subquery()
    publication, media = session.exec(select(func.max(ModulePublication.id), newest_media)).one()
    return publication or 0, media or 0


def history(session: Session, slug: str) -> list[ModulePublication]:
    """A module's publications, newest first."""
    statement = select(ModulePublication).where(ModulePublication.module_slug == slug)
    return list(session.exec(statement.order_by(ModulePublication.number.desc())))


def publish(
    session: Session, slug: str, entry: str, files: Files, author: Author, message: str, source: str
) -> ModulePublication:
    """Record a new publication of ``slug`` and commit it; refused without a message."""
    message = " ".join(message.split())
    if not message:
        raise PublishError("Écrivez un court message qui dit ce qui change (il apparaît dans l'historique).")
    if len(message) > MAX_MESSAGE:
        raise PublishError(f"Le message de publication dépasse {MAX_MESSAGE} caractères : résumez-le.")
    previous = latest(session, slug)
    publication = ModulePublication(
        module_slug=slug,
        number=(previous.number + 1) if previous else 1,
        entry=entry,
        files=dict(sorted(files.items())),
        content_hash=files_hash(files),
        message=message,
        source=source,
        author_id=author.user_id,
        author_name=author.name[:200],
    )
    session.add(publication)
    # Every publication is in the audit trail too, with who published, which version and why.
    session.add(AuditEvent(
        actor_id=author.user_id, action="path.published" if slug == PATH_SLUG else "module.version_published",
        target=f"module:{slug}", details={"version": publication.number, "message": message, "source": source},
    ))
    session.commit()
    session.refresh(publication)
    return publication


def revert(session: Session, publication: ModulePublication, author: Author) -> ModulePublication:
    """« Revenir à cette version »: a new publication carrying an older one's text."""
    message = f"Retour à la version {publication.number} ({publication.message})"[:MAX_MESSAGE]
    return publish(session, publication.module_slug, publication.entry, publication.files, author, message, "retour")


@dataclass(frozen=True)
class FileDiff:
    """One file's changes between two publications, as unified-diff lines."""

    name: str
    lines: tuple[str, ...]


def compare(older: ModulePublication, newer: ModulePublication) -> list[FileDiff]:
    """The files that differ between two publications (added and removed files included)."""
    diffs = []
    for name in sorted(set(older.files) | set(newer.files)):
        before, after = older.files.get(name, ""), newer.files.get(name, "")
        if before == after:
            continue
        lines = difflib.unified_diff(
            before.splitlines(), after.splitlines(),
            f"version {older.number}", f"version {newer.number}", lineterm="", n=2,
        )
        diffs.append(FileDiff(name, tuple(lines)))
    return diffs
