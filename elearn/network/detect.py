"""Spot what could identify a person in a free text, before a situation is stored.

The check is deliberately cautious but must not cry wolf on ordinary sentences: names that are also
ordinary words (« Claire », « Rose ») are matched capitalised only inside a sentence, and in lower case
(« une pierre », « elle se marie ») only right after a word naming a person (« ma collègue marie »);
other first names are matched however they are written. A title (« Mme », « Dr », « monsieur ») followed
by a surname in any usual spelling (« DUPONT », « Ba », « N'Diaye », « Le Goff », « Van der Berg ») is a
name; a title alone (« le Dr a refusé », « Mme, 54 ans ») or with an initial (« Mme D. ») is not. A date is
precise with or without its year (« le 3/4 », « 03/04 »), but a bare fraction (« un score de 3/4 ») is not
a date. Each finding carries a French message telling the author what to change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from elearn.i18n import N_, _

FIRST_NAMES_FILE = Path(__file__).parent / "data" / "prenoms.txt"


class Kind(StrEnum):
    NIR = "nir"
    PHONE = "phone"
    EMAIL = "email"
    DATE = "date"
    ADDRESS = "address"
    TITLED_NAME = "titled_name"
    FIRST_NAME = "first_name"


_ADVICE = {
    Kind.NIR: N_("« %(excerpt)s » ressemble à un numéro de sécurité sociale. Supprimez-le."),
    Kind.PHONE: N_("« %(excerpt)s » ressemble à un numéro de téléphone. Supprimez-le."),
    Kind.EMAIL: N_("« %(excerpt)s » est une adresse e-mail. Supprimez-la."),
    Kind.DATE: N_("« %(excerpt)s » est une date précise. Indiquez plutôt une période (« au printemps 2024 », « il y a quelques mois »)."),
    Kind.ADDRESS: N_("« %(excerpt)s » ressemble à une adresse. Indiquez seulement le type de lieu (« un quartier prioritaire », « une commune rurale »)."),
    Kind.TITLED_NAME: N_("« %(excerpt)s » semble désigner une personne par son nom. Utilisez une initiale (« Mme D. ») ou sa fonction (« la patiente », « le médecin »)."),
    Kind.FIRST_NAME: N_("« %(excerpt)s » ressemble à un prénom. Remplacez-le par une initiale ou une description (« le patient », « une mère de famille »)."),
}


@dataclass(frozen=True)
class Finding:
    """One passage of the text that could identify someone."""

    kind: Kind
    excerpt: str
    start: int
    end: int

    @property
    def message(self) -> str:
        """The message in the interface's language, with non-breaking spaces inside « » so a quote never wraps apart."""
        text = _(_ADVICE[self.kind], excerpt=self.excerpt)
        return text.replace("« ", "«\u00a0").replace(" »", "\u00a0»")


_MONTHS = "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre"
_STREETS = (
    "rue|avenue|av\\.|boulevard|bd|place|impasse|allée|allee|chemin|route|quai|cours|square|passage|"
    "faubourg|rond-point|lotissement|résidence|residence|cité|cite|voie|sentier|hameau|lieu-dit"
)
_CAPITAL = "[A-ZÀ-ÖØ-Þ]"
_LOWER = "[a-zß-öø-ÿ]"
_LOWER_WORD = "[a-zß-öø-ÿ'’-]"
_SPACE = "[ \u00a0]+"
#: What comes before a day/month written without a year for it to be a date (« le 3/4 », « mardi 3/4 »);
#: lookbehinds are fixed-width, hence one per length.
_DATE_CUE = r"(?:(?<=\b(?i:le|du) )|(?<=\b(?i:lundi|mardi|jeudi) )|(?<=\b(?i:samedi) )|(?<=\b(?i:mercredi|vendredi|dimanche) ))"
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH = r"(?:0?[1-9]|1[0-2])"
_TITLE = (
    r"(?:\b(?:M\.|Mr\.?|Mme\.?|Mlle\.?|Me|Dr\.?|Dre\.?|Pr\.?)"
    r"|(?i:\b(?:monsieur|madame|mademoiselle|docteur|docteure|professeur|professeure|maître|maitre)))"
)
#: Particles of a surname: « Le Goff », « de la Fontaine », « Van der Berg », « Da Silva », « Ben Ali ».
_PARTICLE = "(?i:de|du|des|le|la|les|da|das|do|dos|di|del|della|van|von|der|den|ter|ten|el|al|ben|bin|ibn)"
#: Capitalised words that begin a sentence after an abbreviated title (« … vu par le Dr. Il a dit »).
_NOT_SURNAME = (
    "(?:Il|Ils|Elle|Elles|On|Le|La|Les|Un|Une|Des|Du|De|Au|Aux|En|Et|Ou|Où|Ce|Cet|Cette|Ces|Sa|Son|Ses|Ma|Mon|"
    "Mes|Je|Tu|Nous|Vous|Mais|Or|Ni|Car|Si|Puis|Y|Par|Pour|Sur|Dans|Avec|Sans|Chez|Qui|Que|Quand|Lors|Leur|Leurs|Lui)"
)
#: One word of a surname, capitalised or in capitals, of two letters or more, maybe elided: « Dupont »,
#: « DUPONT », « Ng », « McDonald », « N'Diaye », « d'Almeida ».
_SURNAME_WORD = rf"(?:[DdLlNO]['’])?{_CAPITAL}(?:{_LOWER}+(?:{_CAPITAL}{_LOWER}+)*|{_CAPITAL}+)\b"
_SURNAME = rf"(?:{_PARTICLE}{_SPACE}){{0,3}}(?!{_NOT_SURNAME}\b){_SURNAME_WORD}(?:-{_SURNAME_WORD})*"

#: Checked in this order; a later match overlapping an earlier one is not reported twice.
PATTERNS: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    (Kind.EMAIL, re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    (
        Kind.NIR,
        re.compile(r"(?<![\d+])[12378] ?\d{2} ?(?:0[1-9]|1[0-2]|[2-9]\d) ?(?:\d{2}|2[AaBb]) ?\d{3} ?\d{3}(?: ?\d{2})?(?!\d)"),
    ),
    (Kind.PHONE, re.compile(r"(?<![\d+])(?:(?:\+|00) ?33 ?(?:\(0\) ?)?[1-9]|0[1-9])(?:[ .-]?\d{2}){4}(?!\d)")),
    (
        Kind.DATE,
        re.compile(
            r"\b(?:0?[1-9]|[12]\d|3[01])[/.-](?:0?[1-9]|1[0-2])[/.-](?:\d{4}|\d{2})\b"
            r"|\b(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b"
            rf"|{_DATE_CUE}{_DAY}/{_MONTH}(?![/\d])"
            rf"|\b(?:0[1-9]/{_MONTH}|{_DAY}/0[1-9])(?![/\d])"
            rf"|(?i:\b(?:1er|0?[1-9]|[12]\d|3[01]) +(?:{_MONTHS})\b(?: +\d{{4}})?)"
        ),
    ),
    (
        Kind.ADDRESS,
        re.compile(
            rf"\b\d{{1,4}}(?: ?(?i:bis|ter))?,? +(?i:{_STREETS})\b +(?:(?i:de la|de l['’]|du|des|de|d['’]) *)?[{_CAPITAL[1:-1]}0-9][^\n,;.]{{0,40}}"
            rf"|(?i:\b(?:rue|avenue|boulevard|impasse|allée|chemin|quai)) +(?:(?i:de la|de l['’]|du|des|de|d['’]) *)?{_CAPITAL}{_LOWER_WORD}+"
            rf"|\b\d{{5}} +{_CAPITAL}{_LOWER_WORD}{{2,}}"
        ),
    ),
    (
        Kind.TITLED_NAME,
        re.compile(rf"{_TITLE}{_SPACE}{_SURNAME}"),
    ),
)

_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ]+")
_SAINT_PREFIX = re.compile(r"(?i:\b(?:saint|sainte|st|ste))[-\s]$")
_SENTENCE_END = ".!?:;…«\"“\n"


#: Words naming a person, after which even a name that is an ordinary word is a name (« ma collègue marie »).
_PERSON_BEFORE = re.compile(
    r"(?i:\b(?:collègue|patient|patiente|mère|père|fils|fille|frère|sœur|soeur|mari|épouse|époux|conjoint|conjointe|"
    r"compagnon|compagne|enfant|bébé|ami|amie|voisin|voisine|cousin|cousine|tante|oncle|neveu|nièce|madame|monsieur|"
    r"mademoiselle|docteur|docteure|infirmier|infirmière|prénom|prénommé|prénommée|nommé|nommée|appelé|appelée|"
    r"appelle|dénommé|dénommée))[ \u00a0]+$"
)


@cache
def _name_marks() -> dict[str, str]:
    """Lower-cased first name -> its mark in the list: "" (only a name), "*" or "~" (also an ordinary word)."""
    marks: dict[str, str] = {}
    for line in FIRST_NAMES_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, mark = line.partition(" ")
        marks[name.lower()] = mark.strip()
    return marks


def first_names() -> dict[str, bool]:
    """Lower-cased first name -> True when, capitalised, it is also an ordinary French word (« Claire »)."""
    return {name: mark == "*" for name, mark in _name_marks().items()}


def _starts_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t-–—*•(")
    return not before or before[-1] in _SENTENCE_END


def _is_name_here(text: str, word: str, start: int, mark: str) -> bool:
    """Whether ``word``, a listed first name, is used as one at ``start`` rather than as an ordinary word."""
    if _SAINT_PREFIX.search(text[:start]):
        return False  # « Saint-Louis », « Sainte-Anne »: a place or a hospital, not a person
    if word[0].isupper():
        return not (mark == "*" and _starts_sentence(text, start))
    if word != word.lower():
        return False  # « mARIE »: not how anyone writes a name
    return not mark or _PERSON_BEFORE.search(text, max(0, start - 40), start) is not None


def _first_name_findings(text: str) -> Iterator[Finding]:
    marks = _name_marks()
    for match in _WORD.finditer(text):
        word = match.group()
        mark = marks.get(word.lower())
        if mark is not None and _is_name_here(text, word, match.start(), mark):
            yield Finding(Kind.FIRST_NAME, word, match.start(), match.end())


def find_identifying_details(text: str) -> list[Finding]:
    """Every passage of ``text`` that could identify a person, in reading order."""
    findings: list[Finding] = []

    def overlaps(start: int, end: int) -> bool:
        return any(f.start < end and start < f.end for f in findings)

    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            if not overlaps(match.start(), match.end()):
                findings.append(Finding(kind, match.group().strip(), match.start(), match.end()))
    for finding in _first_name_findings(text):
        if not overlaps(finding.start, finding.end):
            findings.append(finding)
    return sorted(findings, key=lambda f: f.start)


def check_fields(fields: Mapping[str, str]) -> dict[str, list[Finding]]:
    """Findings per field name, only for the fields that have some."""
    result = {name: find_identifying_details(value or "") for name, value in fields.items()}
    return {name: found for name, found in result.items() if found}
