"""The printed page of a certificate PDF against its signed credential: what a forger changes.

A valid signature proves the embedded credential, not the page people read. Someone can leave the
attachment alone and change the page: redraw it, or merge an overlay that paints a new value over the
old one (« 9 h 33 min » over « 1 h 33 min »). An overlay often leaves the old text in the text layer
and adds the new one, so checking that the signed values appear is not enough. Three checks, each
naming the field:

- every fact a certificate must print (holder, code, training, organisation, durations, issue date,
  and each printed module's completion date and score) is on the page;
- every date, duration, percentage and certificate code on the page is one the credential signs (or
  that appears inside a signed text, such as an objective): a new value is a forgery even when the old
  one is still there;
- no text is drawn over other text on the same line, as an overlay does.

The checks read the text that pypdf extracts with its position, so they hold for a replaced template
as long as it prints the facts as the default filters do (``date_fr``, ``duration``, ``percent``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from pypdf import PdfReader

from elearn.certificates.codes import ALPHABET
from elearn.certificates.credential import CertificateData
from elearn.formatting import percent
from elearn.formatting import MONTHS, date_fr, format_duration

#: Spaces the template prints (no-break, narrow, line breaks) and typographic apostrophes, made plain.
_PLAIN = str.maketrans({"\u00a0": " ", "\u202f": " ", "\n": " ", "\r": " ", "\t": " ", "\u2019": "'"})
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})
#: The kinds of value a forger changes, as the template prints them (text already normalised).
_PATTERNS = {
    "date": re.compile(rf"\b(\d{{1,2}}) ?(?:er )?({'|'.join(MONTHS)}) (\d{{4}})\b"),
    "durée": re.compile(r"\b\d+ h \d{2} min\b|\b\d+ min\b"),
    "pourcentage": re.compile(r"\b\d{1,3}(?:,\d+)? %"),
    "code": re.compile(rf"\b[{ALPHABET}]{{5}}(?:-[{ALPHABET}]{{5}}){{4}}\b"),
}
_KIND_NAMES = {"date": "une date", "durée": "une durée", "pourcentage": "un pourcentage", "code": "un code"}
#: Narrowest plausible advance of a character, in ems: an estimate of a run's width that stays below
#: its real width, so that two runs found overlapping really do overlap.
_MIN_ADVANCE_EM = 0.25
#: Runs whose baselines differ by less than this (in ems) share a line; a superscript (« 1er ») does.
_LINE_TOLERANCE_EM = 0.6
#: Baselines closer than this (in ems) draw on top of each other; a superscript sits higher.
_OVERPRINT_TOLERANCE_EM = 0.3


def normalise(text: str) -> str:
    """Text as compared: plain spaces, single, none inside guillemets, straight apostrophes."""
    plain = " ".join(text.translate(_PLAIN).split())
    return re.sub(r"\s*»", "»", re.sub(r"«\s*", "«", plain))


@dataclass(frozen=True)
class Run:
    """A piece of text drawn at one place: its page, baseline origin (points) and font size (points)."""

    page: int
    x: float
    y: float
    size: float
    text: str


@dataclass(frozen=True)
class Fact:
    """A signed value as the page prints it, named as the reader knows it (« temps actif mesuré »).

    ``required`` facts must be printed; a module's facts only when the module's title (``anchor``) is.
    ``kind`` is a key of :data:`_PATTERNS`, or ``texte`` for free text.
    """

    field: str
    value: str
    kind: str
    required: bool = False
    anchor: str | None = None


def _module_facts(data: CertificateData) -> Iterator[Fact]:
    for module in data.modules:
        name = f"module « {module.title} »"
        yield Fact(f"{name}, durée prévue", format_duration(module.duration_minutes * 60), "durée", anchor=module.title)
        yield Fact(f"{name}, terminé le", date_fr(module.completed_at), "date", True, module.title)
        if module.score is not None:
            yield Fact(f"{name}, score", percent(module.score), "pourcentage", True, module.title)


def printed_facts(data: CertificateData) -> list[Fact]:
    """The facts of ``data`` a certificate shows, in reading order; the required ones are checked."""
    facts = [
        Fact("titulaire", data.learner_name, "texte", True),
        Fact("profession", data.learner_profession, "texte"),
        Fact("formation", data.path_title, "texte", True),
        Fact("version du parcours", data.path_version, "texte"),
        Fact("modalité", data.delivery_mode, "texte"),
        Fact("organisme", data.organisation_name, "texte", True),
        Fact("déclaration d'activité", data.registration_number, "texte"),
        Fact("première activité", date_fr(data.first_activity_at), "date"),
        Fact("dernière activité", date_fr(data.last_activity_at), "date"),
        Fact("durée nominale", format_duration(data.nominal_minutes * 60), "durée", True),
        Fact("temps actif mesuré", format_duration(data.active_seconds), "durée", True),
        *_module_facts(data),
        Fact("signataire", f"{data.signatory_name}, {data.signatory_role}", "texte"),
        Fact("délivrée le", date_fr(data.issued_at), "date", True),
        Fact("code", data.code, "code", True),
    ]
    # No-break spaces (French typography in titles, figures) shown as plain ones: a terminal shows them so.
    return [replace(f, field=f.field.translate(_SPACES), value=f.value.translate(_SPACES)) for f in facts if f.value]


def _signed_texts(data: CertificateData) -> list[str]:
    """Free texts the credential signs; a date or a figure inside them (an objective's) is genuine."""
    return [
        data.path_title, *data.objectives, *(module.title for module in data.modules), data.learner_name,
        data.learner_profession, data.organisation_name, data.organisation_address, data.registration_number,
        data.signatory_name, data.signatory_role, data.path_version, data.verification_url,
    ]


# Reading the page --------------------------------------------------------------------------------------


def _multiply(a: list[float], b: list[float]) -> list[float]:
    """The product of two PDF matrices ``[a b c d e f]`` (``a`` applied first)."""
    return [
        a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def page_runs(reader: PdfReader) -> list[Run]:
    """Every piece of text of every page, in drawing order, with where it is drawn and how large."""
    runs: list[Run] = []
    for number, page in enumerate(reader.pages):

        def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float, page: int = number) -> None:
            if not text:
                return
            matrix = _multiply(list(tm), list(cm))
            scale = math.sqrt(abs(matrix[0] * matrix[3] - matrix[1] * matrix[2])) or 1.0
            runs.append(Run(page, matrix[4], matrix[5], (size or 1.0) * scale, text))

        page.extract_text(visitor_text=visit)
    return runs


def _lines(runs: list[Run]) -> list[list[Run]]:
    """Runs grouped by visual line (top to bottom), each line left to right, whatever the drawing order."""
    lines: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: (r.page, -r.y, r.x)):
        line = lines[-1] if lines else None
        if line and line[0].page == run.page and line[0].y - run.y <= _LINE_TOLERANCE_EM * max(run.size, line[0].size):
            line.append(run)
        else:
            lines.append([run])
    return [sorted(line, key=lambda r: r.x) for line in lines]


def _line_text(line: list[Run]) -> str:
    return normalise(" ".join(run.text for run in line))


# Comparing ---------------------------------------------------------------------------------------------


def _key(kind: str, match: re.Match[str]) -> str:
    """What two values of a kind share when they are the same: « 1er novembre » and « 1 novembre » do."""
    if kind == "date":
        return f"{int(match.group(1))} {match.group(2)} {match.group(3)}"
    return match.group(0)


def _tokens(text: str) -> Iterator[tuple[str, str, str]]:
    """``(kind, key, as printed)`` for each date, duration, percentage and code in normalised ``text``."""
    for kind, pattern in _PATTERNS.items():
        for match in pattern.finditer(text):
            yield kind, _key(kind, match), match.group(0)


def _fact_key(fact: Fact) -> tuple[str, str]:
    return next(((kind, key) for kind, key, _ in _tokens(normalise(fact.value)) if kind == fact.kind), (fact.kind, ""))


def _missing(facts: list[Fact], text: str, tokens: set[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    for fact in facts:
        if not fact.required or (fact.anchor and normalise(fact.anchor) not in text):
            continue
        kind, key = _fact_key(fact)
        printed = (kind, key) in tokens if key else normalise(fact.value) in text  # a fact with no such value is looked for as text
        if not printed:
            yield fact.field, f"{fact.field} : « {fact.value} » (signé) n'apparaît pas sur la page"


def _foreign(facts: list[Fact], lines: list[str], allowed: set[tuple[str, str]]) -> Iterator[tuple[str | None, str]]:
    """Values on the page that nothing signed holds, named after the signed value beside them."""
    for line in lines:
        found = list(_tokens(line))
        for kind, key, shown in found:
            if (kind, key) in allowed:
                continue
            beside = [f for f in facts if f.kind == kind and _fact_key(f) in {(k, v) for k, v, _ in found}]
            beside.sort(key=lambda f: not (f.anchor and normalise(f.anchor) in line))
            if beside:
                yield beside[0].field, f"{beside[0].field} : la page porte « {shown} », l'attestation signée « {beside[0].value} »"
            else:
                yield None, f"la page porte « {shown} » (ligne « {line} »), {_KIND_NAMES[kind]} que l'attestation signée ne contient pas"


def _overprinted(a: Run, b: Run) -> bool:
    """True when ``a`` and ``b`` are drawn on the same baseline over the same place."""
    em = max(a.size, b.size)
    if a.page != b.page or abs(a.y - b.y) > _OVERPRINT_TOLERANCE_EM * em:
        return False
    a_end = a.x + _MIN_ADVANCE_EM * a.size * len(a.text.strip())
    b_end = b.x + _MIN_ADVANCE_EM * b.size * len(b.text.strip())
    return min(a_end, b_end) - max(a.x, b.x) > 0.5 * min(a.size, b.size)


def _overlaps(facts: list[Fact], runs: list[Run]) -> Iterator[tuple[str | None, str]]:
    visible = [run for run in runs if run.text.strip()]
    for index, under in enumerate(visible):
        for over in visible[index + 1 :]:
            if _overprinted(under, over):
                covered = normalise(under.text) + " " + normalise(over.text)
                field = next((f.field for f in facts if normalise(f.value) in covered), None)
                detail = f"« {normalise(over.text)} » est imprimé par-dessus « {normalise(under.text)} »"
                yield field, f"{field} : {detail}" if field else f"texte superposé : {detail}"


def page_problems(data: CertificateData, runs: list[Run]) -> list[str]:
    """What the printed page says differently from the signed ``data``, one French phrase per field."""
    facts = printed_facts(data)
    text = normalise("".join(run.text for run in runs))
    lines = [_line_text(line) for line in _lines(runs)]
    printed = {(kind, key) for source in (text, *lines) for kind, key, _ in _tokens(source)}
    allowed = {_fact_key(fact) for fact in facts} | {
        (kind, key) for signed in _signed_texts(data) for kind, key, _ in _tokens(normalise(signed))
    }
    problems: list[str] = []
    named: set[str] = set()  # one phrase per field: an overlay is both a new value and overprinted text
    for field, problem in [*_foreign(facts, lines, allowed), *_overlaps(facts, runs), *_missing(facts, text, printed)]:
        if field in named or problem in problems:
            continue
        named.update([field] if field else [])
        problems.append(problem)
    return problems
