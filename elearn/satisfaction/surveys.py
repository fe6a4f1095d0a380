"""The questionnaires: Likert items (1 to 5) and free questions, configured under « satisfaction: ».

``parcours.yml`` may list the items of each survey and the delay of the « à froid » one; without the
key, the shipped default below applies. An item is a sentence the learner rates from « pas du tout
d'accord » to « tout à fait d'accord », or ``{libre: question}`` for a free answer. Each item's id comes
from its text, so reordering the list keeps the history of every item.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from elearn.content.parse import slugify
from elearn.i18n import N_

#: The scale of every Likert item, from 1 to 5 (labels are translated where shown).
SCALE = (
    N_("Pas du tout d'accord"), N_("Plutôt pas d'accord"), N_("Ni d'accord ni pas d'accord"), N_("Plutôt d'accord"),
    N_("Tout à fait d'accord"),
)
DEFAULT_COLD_DELAY_DAYS = 30
ITEM_ID_LENGTH = 60


class SurveyKind(StrEnum):
    HOT = "chaud"
    COLD = "froid"


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    free: bool


@dataclass(frozen=True)
class Surveys:
    hot: tuple[Item, ...]
    cold: tuple[Item, ...]
    cold_delay_days: int

    def items(self, kind: SurveyKind) -> tuple[Item, ...]:
        return self.hot if kind is SurveyKind.HOT else self.cold


def item(text: str, free: bool = False) -> Item:
    return Item(slugify(text)[:ITEM_ID_LENGTH] or "item", text.strip(), free)


DEFAULT = Surveys(
    hot=(
        item("Les contenus de la formation étaient clairs."),
        item("Ce que j'ai appris est utile pour ma pratique professionnelle."),
        item("La durée de la formation était adaptée."),
        item("La plateforme était facile à utiliser et accessible."),
        item("Je recommanderais cette formation à un·e collègue."),
        item("Qu'avez-vous le plus apprécié, et que faudrait-il améliorer ?", free=True),
    ),
    cold=(
        item("Depuis la formation, ma pratique a changé."),
        item("J'ai repéré au moins une situation de discrimination ou de refus de soins grâce à la formation."),
        item("Je sais vers quel recours orienter une personne qui s'estime discriminée."),
        item("Qu'avez-vous changé dans votre pratique, ou qu'est-ce qui vous en a empêché ?", free=True),
    ),
    cold_delay_days=DEFAULT_COLD_DELAY_DAYS,
)


def read_items(raw: Any, where: str, problems: list[str]) -> tuple[Item, ...]:
    """The items of one survey from parcours.yml; every mistake is appended to ``problems`` (French)."""
    if not isinstance(raw, list) or not raw:
        problems.append(f"« {where} » doit être une liste d'au moins une question (une ligne « - … » par question).")
        return ()
    items: list[Item] = []
    for value in raw:
        if isinstance(value, str) and value.strip():
            items.append(item(value))
        elif isinstance(value, dict) and list(value) == ["libre"] and isinstance(value["libre"], str) and value["libre"].strip():
            items.append(item(value["libre"], free=True))
        else:
            problems.append(
                f"« {where} » : chaque question est une phrase à noter de 1 à 5, ou « libre: » suivi d'une "
                f"question à réponse libre (trouvé : {value!r})."
            )
    ids = [i.id for i in items]
    for duplicate in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(f"« {where} » pose deux fois la même question (« {duplicate} »).")
    return tuple(items)
