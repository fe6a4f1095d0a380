"""Workshop syntheses built by trainers: four parts (constats, enjeux, pistes d'action, initiatives).

Items are written by the trainer or copied from a shared answer; a copy belongs to the synthesis from then
on (editing or withdrawing the answer later does not change it), which the sharing explanation says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from elearn.groups import reader_scope
from elearn.i18n import N_, _
from elearn.models import Synthesis, SynthesisItem, SynthesisPart, User
from elearn.models.base import utcnow
from elearn.models.reflection import MAX_TEXT_LENGTH


class SynthesisError(Exception):
    """A rule was broken; ``message`` is French, ``field`` the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class SynthesisView:
    """A synthesis and its items, part by part, in print order."""

    synthesis: Synthesis
    parts: dict[SynthesisPart, list[SynthesisItem]] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not any(self.parts.values())


def _clean(text: str, *, field_name: str, label: str, limit: int, required: bool = True) -> str:
    text = text.replace("\r\n", "\n").strip()
    if required and not text:
        raise SynthesisError(_("%(label)s : ce champ est obligatoire.", label=_(label)), field_name)
    if len(text) > limit:
        raise SynthesisError(_("%(label)s : %(max)d caractères au plus.", label=_(label), max=limit), field_name)
    return text


def create_synthesis(session: Session, *, title: str, territory: str, held_on: date | None, author: User) -> Synthesis:
    synthesis = Synthesis(
        title=_clean(title, field_name="title", label=N_("Titre"), limit=200),
        territory=_clean(territory, field_name="territory", label=N_("Territoire ou groupe"), limit=200, required=False),
        held_on=held_on,
        created_by_id=author.id,
        # The syntheses of a group are read by its trainers, as its shared answers are.
        group_id=reader_scope(author),
    )
    session.add(synthesis)
    session.commit()
    return synthesis


def update_synthesis(session: Session, synthesis: Synthesis, *, title: str, territory: str, held_on: date | None) -> None:
    synthesis.title = _clean(title, field_name="title", label=N_("Titre"), limit=200)
    synthesis.territory = _clean(territory, field_name="territory", label=N_("Territoire ou groupe"), limit=200, required=False)
    synthesis.held_on = held_on
    _touch(session, synthesis)
    session.commit()


def visible_to(synthesis: Synthesis, scope: int | None) -> bool:
    """Whether a reader of ``scope`` (:func:`elearn.groups.reader_scope`) may open ``synthesis``."""
    return scope is None or synthesis.group_id == scope


def list_syntheses(session: Session, *, scope: int | None = None) -> list[Synthesis]:
    statement = select(Synthesis).order_by(Synthesis.updated_at.desc())  # type: ignore[attr-defined]
    if scope is not None:
        statement = statement.where(Synthesis.group_id == scope)
    return list(session.exec(statement))


def load(session: Session, synthesis: Synthesis) -> SynthesisView:
    items = session.exec(
        select(SynthesisItem).where(SynthesisItem.synthesis_id == synthesis.id).order_by(SynthesisItem.position, SynthesisItem.id)
    )
    view = SynthesisView(synthesis, {part: [] for part in SynthesisPart})
    for item in items:
        view.parts[SynthesisPart(item.part)].append(item)
    return view


def _touch(session: Session, synthesis: Synthesis) -> None:
    synthesis.updated_at = utcnow()
    session.add(synthesis)


def add_item(session: Session, synthesis: Synthesis, part: SynthesisPart, text: str, *, from_shared_answer: bool = False) -> SynthesisItem:
    """Append an item at the end of ``part``."""
    text = _clean(text, field_name="text", label=N_("Texte"), limit=MAX_TEXT_LENGTH)
    last = session.exec(
        select(func.max(SynthesisItem.position)).where(SynthesisItem.synthesis_id == synthesis.id, SynthesisItem.part == part.value)
    ).one()
    item = SynthesisItem(
        synthesis_id=synthesis.id, part=part.value, position=(last or 0) + 1, text=text, from_shared_answer=from_shared_answer
    )
    session.add(item)
    _touch(session, synthesis)
    session.commit()
    return item


def edit_item(session: Session, synthesis: Synthesis, item: SynthesisItem, text: str) -> None:
    item.text = _clean(text, field_name="text", label=N_("Texte"), limit=MAX_TEXT_LENGTH)
    session.add(item)
    _touch(session, synthesis)
    session.commit()


def delete_item(session: Session, synthesis: Synthesis, item: SynthesisItem) -> None:
    session.delete(item)
    _touch(session, synthesis)
    session.commit()


def move_item(session: Session, synthesis: Synthesis, item: SynthesisItem, offset: int) -> None:
    """Swap ``item`` with its neighbour above (offset -1) or below (+1) in the same part."""
    siblings = load(session, synthesis).parts[SynthesisPart(item.part)]
    index = next(i for i, other in enumerate(siblings) if other.id == item.id)
    target = index + offset
    if not 0 <= target < len(siblings):
        return
    siblings[index], siblings[target] = siblings[target], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        sibling.position = position
        session.add(sibling)
    _touch(session, synthesis)
    session.commit()
