"""Every message the pipeline shows to trainers, in French, in one catalogue.

Keeping them together makes the wording consistent, lets ``docs/authoring.md`` list them all (a test
checks it does) and keeps French out of the parsing code.
"""

from __future__ import annotations

from elearn.content.model import Problem, Severity

#: name -> (severity, template); templates use ``str.format`` fields.
CATALOGUE: dict[str, tuple[Severity, str]] = {
    # Files and module names
    "unreadable": ("error", "fichier illisible ({detail})"),
    "not_utf8": ("error", "le fichier n'est pas enregistré en UTF-8 : réenregistrez-le en UTF-8"),
    "bad_module_name": (
        "error",
        "nom de module invalide « {name} » : écrivez NN-nom-du-module (deux chiffres, puis minuscules sans "
        "accent, chiffres et tirets)",
    ),
    "empty_file": (
        "error",
        "fichier vide : écrivez-y au moins une section « ## Titre », ou supprimez-le s'il n'a plus d'usage",
    ),
    "missing_index": ("error", "dossier de module sans fichier index.md (il porte l'en-tête du module)"),
    "render_failed": ("error", "le module n'a pas pu être mis en page ({detail}) : signalez-le à l'équipe technique"),
    "duplicate_slug": ("error", "deux modules s'appellent « {slug} » : celui-ci et {other}"),
    # Front matter
    "front_missing": (
        "error",
        "en-tête manquant : le fichier doit commencer par une ligne « --- », les clés (titre, resume…), "
        "puis une ligne « --- »",
    ),
    "front_unclosed": ("error", "en-tête non fermé : ajoutez une ligne « --- » après la dernière clé"),
    "yaml_invalid": (
        "error",
        "en-tête illisible (YAML) : {detail} ; vérifiez les deux-points, l'indentation et les guillemets",
    ),
    "front_not_mapping": ("error", "l'en-tête doit être une suite de lignes « clé: valeur »"),
    "front_duplicate_key": ("error", "clé « {key} » en double dans l'en-tête"),
    "front_unknown_key": ("error", "clé inconnue « {key} » dans l'en-tête (clés permises : {allowed}){hint}"),
    "front_missing_key": ("error", "clé obligatoire « {key} » absente de l'en-tête ({meaning})"),
    "front_bad_text": ("error", "« {key} » doit être un texte non vide"),
    "front_bad_int": ("error", "« {key} » doit être un nombre entier {constraint} (trouvé : {value})"),
    "front_bad_list": ("error", "« {key} » doit être une liste de textes, un élément par ligne « - … »"),
    "front_empty_list": ("error", "« {key} » doit contenir au moins un élément"),
    "front_bad_bool": ("error", "« {key} » doit valoir true ou false (trouvé : {value})"),
    "duplicate_order": ("error", "« ordre: {order} » est déjà utilisé par {other} : chaque module a son numéro"),
    "prerequisite_self": ("error", "le module « {slug} » ne peut pas être son propre prérequis"),
    "prerequisite_unknown": ("error", "prérequis inconnu « {slug} » (modules existants : {known})"),
    "prerequisite_cycle": ("error", "prérequis en boucle : {cycle}"),
    # Structure
    "text_outside_section": (
        "error",
        "texte avant le premier titre de section « ## » : placez-le sous un titre (seul index.md ou le "
        "fichier unique du module peut avoir une introduction)",
    ),
    "no_section": ("error", "le module n'a aucune section : ajoutez au moins un titre « ## Titre »"),
    "empty_section_title": ("error", "titre de section vide après « ## »"),
    "bad_section_id": (
        "error",
        "identifiant de section invalide « {id} » : minuscules sans accent, chiffres et tirets seulement",
    ),
    "duplicate_section_id": (
        "error",
        "identifiant de section « {id} » déjà utilisé ({other}) : changez le titre ou ajoutez {{#autre-identifiant}}",
    ),
    "long_section": (
        "warning",
        "section très longue ({words} mots, plus de {limit}) : découpez-la en plusieurs sections « ## »",
    ),
    "empty_section": ("warning", "section « {title} » vide"),
    # ::: blocks
    "unknown_block": ("error", "type de bloc inconnu « {kind} » (types permis : {allowed})"),
    "unclosed_block": ("error", "bloc « ::: {kind} » non fermé : ajoutez une ligne « ::: » à la fin du bloc"),
    "nested_block": (
        "error",
        "bloc « ::: {kind} » ouvert dans le bloc de la ligne {opened} : fermez d'abord celui-ci par « ::: »",
    ),
    "stray_close": ("error", "« ::: » ne ferme aucun bloc ouvert"),
    "block_outside_section": ("error", "un bloc « {kind} » doit se trouver dans une section « ## »"),
    # Quizzes
    "quiz_text_before_question": (
        "error",
        "texte avant la première question : chaque question commence par une ligne « ### »",
    ),
    "quiz_no_question": ("error", "quiz sans question : chaque question commence par une ligne « ### »"),
    "question_empty": ("error", "question sans texte après « ### »"),
    "question_no_choice": ("error", "la question « {prompt} » n'a aucun choix (lignes « - ( ) … » ou « - [ ] … »)"),
    "question_one_choice": ("error", "la question « {prompt} » n'a qu'un choix : il en faut au moins deux"),
    "question_mixed": (
        "error",
        "la question « {prompt} » mélange « ( ) » (une seule réponse) et « [ ] » (plusieurs réponses) : "
        "choisissez l'un ou l'autre",
    ),
    "question_no_correct": (
        "error",
        "la question « {prompt} » n'a pas de bonne réponse : marquez-la « (x) » ou « [x] »",
    ),
    "question_many_correct": (
        "error",
        "la question « {prompt} » à réponse unique a {count} bonnes réponses : gardez-en une, "
        "ou écrivez les choix « [ ] » pour plusieurs réponses",
    ),
    "question_bad_weight": ("error", "poids invalide « {value} » : écrivez par exemple {{poids=2}} (nombre positif)"),
    "choice_empty": ("error", "choix sans texte"),
    "question_unknown_option": (
        "error",
        "option de question inconnue « {option} » entre les accolades (options permises : poids=N, renvoi=module#section)",
    ),
    "question_bad_reference": (
        "error",
        "renvoi vers un passage inconnu « {target} » : écrivez renvoi=module#section, avec un module et une "
        "de ses sections qui existent",
    ),
    # Certifying quizzes: the braces of « ::: quiz Titre {certifiant tirage=15 tentatives=3 seuil=70} »
    "quiz_option_unknown": (
        "error",
        "option de quiz inconnue « {option} » entre les accolades (options permises : {allowed})",
    ),
    "quiz_options_not_certifying": (
        "error",
        "les accolades « {{{options}}} » ne valent que pour un quiz certifiant : écrivez « certifiant » "
        "entre les accolades, ou retirez-les pour un quiz d'entraînement",
    ),
    "quiz_option_bad_int": ("error", "« {option}={value} » : {option} doit être un nombre entier {constraint}"),
    "quiz_option_twice": ("error", "l'option « {option} » est écrite deux fois entre les accolades"),
    "quiz_draw_too_large": (
        "error",
        "tirage={draw}, mais le quiz n'a que {count} question(s) : le tirage ne peut pas dépasser le nombre "
        "de questions de la banque",
    ),
    "certifying_in_module": (
        "error",
        "un quiz certifiant ne se place pas dans un module (les quiz de module restent des quiz "
        "d'entraînement) : mettez-le dans la banque d'évaluation déclarée dans parcours.yml",
    ),
    "bank_quiz_count": (
        "error",
        "la banque d'évaluation doit contenir un seul quiz, certifiant (trouvé : {count})",
    ),
    "bank_not_certifying": (
        "error",
        "le quiz de la banque d'évaluation doit être certifiant : écrivez par exemple "
        "« ::: quiz Évaluation {{certifiant tirage=15 tentatives=3 seuil=70}} »",
    ),
    "quiz_unexpected_line": (
        "error",
        "ligne inattendue dans le quiz : après les choix viennent seulement « Explication : … » "
        "ou la question suivante « ### » (un « Retour : » se place sous son choix, en retrait de deux espaces)",
    ),
    "reflection_no_question": ("error", "bloc « reflexion » sans question : écrivez-la sur une ligne « ### »"),
    "reflection_two_questions": (
        "error",
        "un bloc « reflexion » pose une seule question « ### » : ouvrez un autre bloc pour la suivante",
    ),
    "reflection_text_before": ("error", "texte avant la question du bloc « reflexion » (ligne « ### »)"),
    # Media and links
    "image_no_alt": (
        "error",
        "image sans texte alternatif « {src} » : décrivez-la entre les crochets ![…], ou ajoutez "
        "{{.decorative}} après l'image si elle est purement décorative",
    ),
    "image_decorative": (
        "warning",
        "image décorative « {src} » sans texte alternatif : vérifiez qu'elle n'apporte aucune information",
    ),
    "media_no_alt": ("error", "{kind} sans titre accessible « {src} » : écrivez son sujet entre les crochets ![…]"),
    "media_outside": (
        "error",
        "média hors du dossier media/ « {src} » : copiez le fichier dans media/ et écrivez media/nom-du-fichier",
    ),
    "media_missing": ("error", "fichier média introuvable « {src} » (cherché dans {media_dir})"),
    "link_unknown_module": ("error", "lien vers un module inconnu « {slug} »"),
    "link_unknown_section": ("error", "lien vers une section inconnue « #{section} » du module « {slug} »"),
    "link_unknown_local": ("error", "lien vers une section inconnue « #{section} » de ce module"),
    "link_script": (
        "warning",
        "lien « {href} » retiré à l'affichage : un module ne peut pas lancer de code ; mettez une adresse "
        "https://…, ou module:nom-du-module pour un autre module",
    ),
    "heading_level_one": (
        "warning",
        "titre de niveau 1 « # {title} » : il ne commence pas de section et reste dans la section « {section} » ; "
        "écrivez « ## {title} » pour une nouvelle section (le titre du module vient de l'en-tête)",
    ),
}


#: What :mod:`elearn.content.yamlread` says when it refuses an alias (a « billion laughs » guard).
ALIAS_REFUSED = "alias refused"
#: PyYAML's explanations (English) -> what a trainer should look for.
YAML_HINTS: tuple[tuple[str, str], ...] = (
    ("mapping values are not allowed", "deux-points inattendu (mettez entre guillemets un texte qui contient « : »)"),
    ("expected <block end>", "indentation incohérente (alignez les lignes d'une même liste)"),
    ("cannot start any token", "caractère interdit en début de valeur (tabulation, @ ou `) : utilisez des espaces ou des guillemets"),
    ("could not find expected ':'", "deux-points manquant après une clé"),
    ("quoted scalar", "guillemet non fermé : fermez le texte ouvert par « \" » ou « ' » sur cette ligne"),
    ("expected ',' or ']'", "crochet [ ] non fermé"),
    ("expected ',' or '}'", "accolade { } non fermée"),
    ("could not determine a constructor for the tag", "étiquette YAML (« !! » ou « ! ») non permise : écrivez la valeur seule"),
    ("found undefined tag handle", "étiquette YAML (« ! ») non permise : écrivez la valeur seule"),
    (ALIAS_REFUSED, "les alias YAML (« *nom ») ne sont pas permis : recopiez la valeur"),
    ("found undefined alias", "les alias YAML (« *nom ») ne sont pas permis : recopiez la valeur"),
)
#: Longest text of the author's a message quotes (a value, PyYAML's words): a huge value is cut.
MAX_QUOTED = 120


def cut(text: str, limit: int = MAX_QUOTED) -> str:
    """``text`` shortened to ``limit`` characters (an ellipsis marks the cut), for messages."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def yaml_detail(*english: str) -> str:
    """A French explanation of a PyYAML error when one of its phrases is known, else its first words, cut."""
    for phrase in english:
        hint = next((french for needle, french in YAML_HINTS if needle in phrase), None)
        if hint:
            return hint
    return cut(english[0])


def problem(key: str, path: str, line: int, /, **fields: object) -> Problem:
    """Build the Problem ``key`` of the catalogue, filling its template with ``fields``."""
    severity, template = CATALOGUE[key]
    return Problem(path, line, template.format(**fields), severity)


def quote_list(items: list[str] | tuple[str, ...]) -> str:
    """``a, b, c`` for a message, or ``aucun`` when there is nothing to list."""
    return ", ".join(items) if items else "aucun"
