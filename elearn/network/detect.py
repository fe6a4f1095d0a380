"""Spot what could identify a person in a free text, before a situation is stored.

The check is deliberately cautious but must not cry wolf on ordinary sentences: first names are only
matched when capitalised, and names that are also ordinary words (« Claire », « Pierre ») only inside a
sentence. Each finding carries a French message telling the author what to change.
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
_LOWER_WORD = "[a-zß-öø-ÿ'’-]"

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
        re.compile(
            rf"(?:\b(?:M\.|Mr\.?|Mme|Mlle|Me|Dr\.?|Pr\.?)|(?i:\b(?:monsieur|madame|mademoiselle|docteur|docteure|professeur|professeure|maître)))"
            rf" +{_CAPITAL}{_LOWER_WORD}{{2,}}"
        ),
    ),
)

_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ]+")
_SAINT_PREFIX = re.compile(r"(?i:\b(?:saint|sainte|st|ste))[-\s]$")
_SENTENCE_END = ".!?:;…«\"“\n"


@cache
def first_names() -> dict[str, bool]:
    """Lower-cased first name -> True when it is also an ordinary French word."""
    names: dict[str, bool] = {}
    for line in FIRST_NAMES_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, mark = line.partition(" ")
        names[name.lower()] = mark.strip() == "*"
    return names


def _starts_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t-–—*•(")
    return not before or before[-1] in _SENTENCE_END


def _first_name_findings(text: str) -> Iterator[Finding]:
    names = first_names()
    for match in _WORD.finditer(text):
        word = match.group()
        if not word[0].isupper() or word.lower() not in names:
            continue
        if _SAINT_PREFIX.search(text[: match.start()]):
            continue  # « Saint-Louis », « Sainte-Anne »: a place or a hospital, not a person
        if names[word.lower()] and _starts_sentence(text, match.start()):
            continue
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
