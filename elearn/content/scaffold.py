"""``elearn new-module``: a commented French skeleton that already passes ``elearn check``.

The skeleton shows every kind of content once (call-out, quiz, reflection, internal link), with HTML
comments explaining what to change; comments never reach learners (the sanitiser strips them).
"""

from __future__ import annotations

import re
from pathlib import Path

from elearn.content.parse import VALID_ID_RE, discover, parse_module

_NUMBER_RE = re.compile(r"^(\d+)-")
MAX_NUMBER = 99  # module names start with two digits (see parse._MODULE_NAME_RE)

TEMPLATE = """\
---
# En-tête du module : chaque ligne est « clé: valeur ». Le guide docs/authoring.md décrit chaque clé.
titre: {title}
resume: Une ou deux phrases qui présentent le module dans le catalogue.
duree: 20  # durée prévue, en minutes
objectifs:
  - Premier objectif pédagogique, commençant par un verbe (identifier, expliquer…)
  - Deuxième objectif
ordre: {order}  # place dans le parcours, différente pour chaque module
seuil: 70  # pourcentage à atteindre aux quiz pour valider le module
---

<!--
Le texte placé ici, avant le premier titre « ## », est l'introduction du module :
elle s'affiche sur la page de présentation du module.
Ces commentaires ne sont jamais montrés aux apprenant·es ; supprimez-les quand vous voulez.
-->
Ce module présente … (remplacez ce paragraphe par votre introduction).

## Première section

<!--
Chaque titre « ## » commence une nouvelle section, c'est-à-dire une page.
Les titres « ### » découpent la page en parties.
-->
Écrivez ici le contenu de la section : paragraphes, listes, tableaux, images du dossier media/.

::: definition Un terme important
Un encadré « définition ». Autres encadrés possibles : a-retenir, attention, exemple.
:::

Pour vérifier vos connaissances, passez à la section [Vérifier ses acquis](#verifier-ses-acquis).

## Vérifier ses acquis

::: quiz Quiz de la section
### Première question, à une seule réponse ?

- (x) La bonne réponse
  Retour : Ce qui s'affiche quand on choisit cette réponse.
- ( ) Une réponse fausse
  Retour : Pourquoi ce n'est pas la bonne réponse.

Explication : Ce qui s'affiche après la validation du quiz.

### Deuxième question, à plusieurs réponses ? {{poids=2}}

- [x] Une bonne réponse
- [x] Une autre bonne réponse
- [ ] Une réponse fausse

Explication : Une question à cases « [ ] » peut avoir plusieurs bonnes réponses.
:::

::: reflexion
### Une question ouverte pour réfléchir à sa pratique ?

Quelques pistes pour guider la réponse (facultatif).
:::
"""


class ScaffoldError(Exception):
    """The module cannot be created (bad slug, existing file); the message is for the trainer."""


def next_order(modules_dir: Path) -> int:
    """The next free ``ordre``, one past the highest in use (``ordre`` has no upper bound)."""
    orders = []
    for source in discover(modules_dir)[0]:
        order = parse_module(source).front.get("ordre")
        if isinstance(order, int) and not isinstance(order, bool):
            orders.append(order)
    return max(orders, default=0) + 1


def next_number(modules_dir: Path) -> int:
    """The next free two-digit file prefix: one past the highest, else (99 taken) the lowest gap."""
    used = {int(m.group(1)) for s in discover(modules_dir)[0] if (m := _NUMBER_RE.match(s.path.name))}
    following = max(used, default=0) + 1
    free = [following] if following <= MAX_NUMBER else [n for n in range(1, MAX_NUMBER + 1) if n not in used]
    if not free:
        raise ScaffoldError(
            f"les numéros de module 01 à {MAX_NUMBER} sont tous pris dans {modules_dir} : regroupez des modules "
            "ou retirez ceux qui ne servent plus"
        )
    return free[0]


def new_module_path(modules_dir: Path, slug: str) -> Path:
    """``modules_dir/NN-slug.md`` for a new module, refusing a bad or taken slug; creates the folder."""
    if not VALID_ID_RE.match(slug):
        raise ScaffoldError(
            f"nom de module invalide « {slug} » : minuscules sans accent, chiffres et tirets (ex. refus-de-soins)"
        )
    modules_dir.mkdir(parents=True, exist_ok=True)
    if any(source.slug == slug for source in discover(modules_dir)[0]):
        raise ScaffoldError(f"un module « {slug} » existe déjà dans {modules_dir}")
    return modules_dir / f"{next_number(modules_dir):02d}-{slug}.md"


def create_module(modules_dir: Path, slug: str) -> Path:
    """Write ``modules_dir/NN-slug.md`` from the template and return its path."""
    path = new_module_path(modules_dir, slug)
    title = slug.replace("-", " ").capitalize()
    path.write_text(TEMPLATE.format(title=title, order=next_order(modules_dir)), encoding="utf-8")
    return path
