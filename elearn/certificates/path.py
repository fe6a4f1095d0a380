"""The training path (« parcours »): what a certificate attests, read from ``parcours.yml``.

The file lives next to the modules (``ELEARN_MODULES_DIR/parcours.yml``) so that the rule — which
modules must be completed — and the issuing organisation are configuration, not code. Every problem in
the file is collected and reported at once, in French, with its line, like the modules' own checks.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from elearn.content import yamlread
from elearn.content.messages import cut
from elearn.satisfaction.surveys import DEFAULT as DEFAULT_SURVEYS
from elearn.satisfaction.surveys import Surveys, read_items

PATH_FILE = "parcours.yml"
SIGNATURE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".svg")
#: What the shipped parcours.yml writes in every value the organisation must replace (casefolded).
PLACEHOLDER_MARK = "à remplacer"
#: A certificate's ``signature_image`` when the signature was uploaded on the Organisation page (stored
#: in the database), not a file of the media folder.
UPLOADED_SIGNATURE = "organisation:signature.png"

#: Allowed keys, per level; a dotted name is a nested mapping.
TOP_KEYS = ("titre", "objectifs", "version", "modules", "organisme", "signataire", "evaluation", "satisfaction", "temps_actif_minimum")
ORGANISATION_KEYS = ("nom", "adresse", "numero_declaration")
SIGNATORY_KEYS = ("nom", "fonction", "signature")
#: Optional: the positioning test and the final assessment, drawn from one question bank.
ASSESSMENT_KEYS = ("banque", "positionnement", "finale", "finale_exigee")
#: Optional: the satisfaction surveys (the shipped default applies without it).
SATISFACTION_KEYS = ("chaud", "froid", "froid_apres_jours")
ACTIVE_TIME_KEYS = ("parcours", "modules")
#: « 40 % », « 90 min », « 1 h 30 », « 1h30 min », « 2 h »: the spellings of a minimum active time.
_SHARE = re.compile(r"(\d+(?:[.,]\d+)?)\s*%")
_DURATION = re.compile(r"(?:(\d+)\s*h)?\s*(?:(\d+)\s*(?:min)?)?")
REQUIRED = (
    "titre", "objectifs", "version", "modules",
    "organisme.nom", "organisme.adresse", "organisme.numero_declaration",
    "signataire.nom", "signataire.fonction",
)


@dataclass(frozen=True)
class Organisation:
    """The training organisation that issues the certificate."""

    name: str
    address: str
    #: « Numéro de déclaration d'activité » of the organisation (French continuing-education registry).
    registration_number: str


@dataclass(frozen=True)
class Signatory:
    """Who signs the certificate; ``signature_image`` is a file name inside the media folder."""

    name: str
    role: str
    signature_image: str | None = None


@dataclass(frozen=True)
class AssessmentPlan:
    """The path's assessments (« evaluation: » in parcours.yml), all drawn from the question bank ``bank``.

    The positioning test comes before module 1 and never conditions anything; the final assessment
    comes after the last module, is certifying, and the certificate requires it passed when
    ``final_required``.
    """

    #: File name of the question bank, in the modules folder (« _evaluation.md »).
    bank: str
    positioning: bool
    final: bool
    final_required: bool


@dataclass(frozen=True)
class ActiveTimeMinimum:
    """A minimum of measured active time: a fixed number of minutes, or a share of the nominal duration."""

    minutes: int | None = None
    #: Between 0 (excluded) and 1: « 40 % » is 0.4.
    share: float | None = None

    def seconds(self, nominal_minutes: int) -> int:
        """The minimum in seconds, for content whose nominal duration is ``nominal_minutes``."""
        if self.minutes is not None:
            return self.minutes * 60
        return round(nominal_minutes * 60 * (self.share or 0))


@dataclass(frozen=True)
class ActiveTimeRule:
    """``temps_actif_minimum``: for the whole path and, optionally, for some required modules."""

    path: ActiveTimeMinimum | None = None
    #: (module slug, minimum) pairs, in the file's order.
    modules: tuple[tuple[str, ActiveTimeMinimum], ...] = ()


@dataclass(frozen=True)
class TrainingPath:
    """The path as configured: a new ``version`` means learners get a new certificate."""

    title: str
    objectives: tuple[str, ...]
    version: str
    required_modules: tuple[str, ...]
    organisation: Organisation
    signatory: Signatory
    assessment: AssessmentPlan | None = None
    surveys: Surveys = DEFAULT_SURVEYS
    #: Minimum measured active time before a certificate is issued; None: no minimum.
    active_time: ActiveTimeRule | None = None


def placeholder_keys(path: TrainingPath) -> tuple[str, ...]:
    """Keys of ``parcours.yml`` whose organisation or signatory value is still the shipped example's.

    The shipped file marks each value the organisation must fill in with « à remplacer »; a certificate
    issued while one is left would print it. Looked for in any case and Unicode form (à typed as a + ◌̀).
    """
    values = {
        "organisme.nom": path.organisation.name,
        "organisme.adresse": path.organisation.address,
        "organisme.numero_declaration": path.organisation.registration_number,
        "signataire.nom": path.signatory.name,
        "signataire.fonction": path.signatory.role,
    }
    return tuple(key for key, value in values.items() if is_placeholder(value))


def is_placeholder(value: str) -> bool:
    """True when ``value`` still holds the shipped example's « à remplacer » mark (any case or Unicode form)."""
    return PLACEHOLDER_MARK in unicodedata.normalize("NFC", value).casefold()


class PathConfigError(Exception):
    """``parcours.yml`` is wrong; ``problems`` lists every problem found, in French.

    ``located``: the same problems as (line or None, message without the file and line), for tools
    that print locations their own way (``elearn check``).
    """

    def __init__(self, problems: list[str], located: list[tuple[int | None, str]] | None = None) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems
        self.located = located if located is not None else [(None, p.removeprefix(f"{PATH_FILE} : ")) for p in problems]


def load_path(modules_dir: Path, media_dir: Path) -> TrainingPath | None:
    """The configured path, or None when there is no ``parcours.yml`` (certificates are off).

    Raises :class:`PathConfigError` listing every problem when the file exists but is wrong.
    """
    file = Path(modules_dir) / PATH_FILE
    if not file.is_file():
        return None
    return parse_path(file.read_text(encoding="utf-8"), Path(media_dir), Path(modules_dir))


def parse_path(text: str, media_dir: Path, modules_dir: Path | None = None) -> TrainingPath:
    """Parse and check the text of ``parcours.yml``; ``modules_dir`` is where the question bank must be."""
    try:
        data, lines = _read_yaml(text)
    except yaml.YAMLError as error:
        line, detail = yamlread.describe_error(error)
        where = f", ligne {line + 1}" if line is not None else ""
        raise PathConfigError([f"{PATH_FILE}{where} : YAML invalide ({detail})."]) from error
    except ValueError as error:  # a scalar YAML reads as an impossible date or number (« 2024-13-45 »)
        raise PathConfigError([f"{PATH_FILE} : date ou nombre impossible ({cut(str(error))}) ; mettez la valeur entre guillemets."]) from error
    except RecursionError as error:
        raise PathConfigError([f"{PATH_FILE} : YAML trop imbriqué pour être lu."]) from error
    if not isinstance(data, dict):
        required = [key for key in TOP_KEYS if key in REQUIRED or f"{key}.nom" in REQUIRED]
        raise PathConfigError([f"{PATH_FILE} : le fichier doit contenir les clés {', '.join(required)}."])
    reader = _Reader(data, lines)
    path = reader.build(media_dir, modules_dir)
    if reader.problems:
        raise PathConfigError(reader.problems, reader.located)
    return path  # type: ignore[return-value]


@functools.lru_cache(maxsize=8)
def _read_yaml(text: str) -> tuple[Any, dict[str, int]]:
    """The data of the file and the line of each key, parsed once per distinct text.

    The catalog and the progress page read the file on every request (an edit takes effect at once),
    and pure-Python YAML parsing cost more than the rest of the certificate status; the result is
    only read, never changed, so one copy serves every request.
    """
    root, data = yamlread.load(text)
    return data, _key_lines(root)


def _key_lines(node: yaml.Node | None, prefix: str = "") -> dict[str, int]:
    """Line (1-based) of every key, by dotted name, so messages can point at the right line."""
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = f"{prefix}{key.value}"
            lines[name] = key.start_mark.line + 1
            lines.update(_key_lines(value, name + "."))
    return lines


class _Reader:
    """Reads the parsed YAML field by field, collecting problems instead of stopping at the first."""

    def __init__(self, data: dict[str, Any], lines: dict[str, int]) -> None:
        self.data = data
        self.lines = lines
        self.problems: list[str] = []
        self.located: list[tuple[int | None, str]] = []

    def problem(self, key: str, message: str) -> None:
        line = self.lines.get(key)
        self.problems.append(f"{PATH_FILE}{f', ligne {line}' if line else ''} : {message}")
        self.located.append((line, message))

    def value(self, key: str) -> Any:
        current: Any = self.data
        for part in key.split("."):
            current = current.get(part) if isinstance(current, dict) else None
        return current

    def text(self, key: str) -> str:
        value = self.value(key)
        if value is None:
            if key in REQUIRED:
                self.problem(key, f"clé obligatoire manquante « {key} ».")
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem(key, f"« {key} » doit être un texte.")
            return ""
        if not str(value).strip():
            self.problem(key, f"« {key} » est vide.")
        return str(value).strip()

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.value(key)
        if value is None:
            self.problem(key, f"clé obligatoire manquante « {key} ».")
            return ()
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            self.problem(key, f"« {key} » doit être une liste d'au moins un texte (une ligne « - … » par élément).")
            return ()
        return tuple(v.strip() for v in value)

    def check_keys(self, prefix: str, allowed: tuple[str, ...]) -> None:
        mapping = self.value(prefix) if prefix else self.data
        if mapping is None:
            return
        if not isinstance(mapping, dict):
            self.problem(prefix, f"« {prefix} » doit contenir les clés {', '.join(allowed)}.")
            return
        for key in mapping:
            if key not in allowed:
                name = f"{prefix}.{key}" if prefix else str(key)
                self.problem(name, f"clé inconnue « {name} » (clés permises : {', '.join(allowed)}).")

    def modules(self) -> tuple[str, ...]:
        slugs = self.texts("modules")
        for slug in sorted({s for s in slugs if slugs.count(s) > 1}):
            self.problem("modules", f"« modules » cite deux fois le module « {slug} ».")
        return slugs

    def signature(self, media_dir: Path) -> str | None:
        raw = self.text("signataire.signature")
        if not raw:
            return None
        name = raw.removeprefix("media/")
        file = media_dir / name
        if "/" in name or "\\" in name or name.startswith("."):
            self.problem(
                "signataire.signature", f"« {raw} » : indiquez un fichier du dossier media/, par exemple media/signature.png."
            )
        elif Path(name).suffix.lower() not in SIGNATURE_EXTENSIONS:
            allowed = ", ".join(SIGNATURE_EXTENSIONS)
            self.problem("signataire.signature", f"« {raw} » : la signature doit être une image {allowed}.")
        elif not file.is_file():
            self.problem("signataire.signature", f"image de signature introuvable : media/{name}.")
        return name

    def flag(self, key: str) -> bool:
        value = self.value(key)
        if value is not None and not isinstance(value, bool):
            self.problem(key, f"« {key} » doit valoir true ou false.")
        return value is True

    def assessment(self, modules_dir: Path | None) -> AssessmentPlan | None:
        """The optional « evaluation: » mapping: a bank file beside the modules and three switches."""
        if self.value("evaluation") is None:
            return None
        self.check_keys("evaluation", ASSESSMENT_KEYS)
        bank = self.text("evaluation.banque")
        if self.value("evaluation.banque") is None:
            self.problem("evaluation", "clé obligatoire manquante « evaluation.banque » (le fichier de la banque de questions).")
        elif bank and ("/" in bank or "\\" in bank or not bank.startswith("_") or not bank.endswith(".md")):
            self.problem(
                "evaluation.banque",
                f"« {bank} » : indiquez un fichier .md du dossier des modules dont le nom commence par « _ », "
                "par exemple _evaluation.md (sans « _ », il serait lu comme un module).",
            )
        elif bank and modules_dir is not None and not (modules_dir / bank).is_file():
            self.problem("evaluation.banque", f"banque de questions introuvable : {bank} (cherchée dans le dossier des modules).")
        plan = AssessmentPlan(bank, self.flag("evaluation.positionnement"), self.flag("evaluation.finale"), self.flag("evaluation.finale_exigee"))
        if plan.final_required and not plan.final:
            self.problem("evaluation.finale_exigee", "« finale_exigee: true » demande aussi « finale: true ».")
        return plan

    def surveys(self) -> Surveys:
        """The optional « satisfaction: » mapping; each survey left out keeps the shipped default."""
        if self.value("satisfaction") is None:
            return DEFAULT_SURVEYS
        self.check_keys("satisfaction", SATISFACTION_KEYS)
        problems: list[str] = []
        hot = read_items(self.value("satisfaction.chaud"), "satisfaction.chaud", problems) if self.value("satisfaction.chaud") is not None else DEFAULT_SURVEYS.hot
        cold = read_items(self.value("satisfaction.froid"), "satisfaction.froid", problems) if self.value("satisfaction.froid") is not None else DEFAULT_SURVEYS.cold
        for problem in problems:
            self.problem("satisfaction", problem)
        delay = self.value("satisfaction.froid_apres_jours")
        if delay is None:
            delay = DEFAULT_SURVEYS.cold_delay_days
        elif isinstance(delay, bool) or not isinstance(delay, int) or delay < 1:
            self.problem("satisfaction.froid_apres_jours", "« satisfaction.froid_apres_jours » doit être un nombre entier de jours, 1 au moins.")
            delay = DEFAULT_SURVEYS.cold_delay_days
        return Surveys(hot, cold, delay)

    def active_time_minimum(self, key: str) -> ActiveTimeMinimum | None:
        """« 40 % » (share of the nominal duration) or « 90 min », « 1 h 30 » (a duration), else a problem."""
        raw = self.value(key)
        text = str(raw).strip() if isinstance(raw, str | int | float) and not isinstance(raw, bool) else ""
        if share := _SHARE.fullmatch(text):
            value = float(share.group(1).replace(",", "."))
            if 0 < value <= 100:
                return ActiveTimeMinimum(share=value / 100)
            self.problem(key, f"« {key} » : « {text} » doit être un pourcentage supérieur à 0 et au plus 100 %.")
            return None
        duration = _DURATION.fullmatch(text) if re.search(r"[a-z]", text) else None
        if duration and any(duration.groups()):
            minutes = int(duration.group(1) or 0) * 60 + int(duration.group(2) or 0)
            if minutes > 0:
                return ActiveTimeMinimum(minutes=minutes)
            self.problem(key, f"« {key} » doit être supérieur à zéro ; supprimez la clé pour n'exiger aucun temps minimum.")
            return None
        self.problem(
            key,
            f"« {key} » : « {raw} » n'est pas compris ; écrivez une durée (« 90 min », « 1 h 30 ») "
            "ou une part de la durée prévue (« 40 % »).",
        )
        return None

    def active_time(self, required: tuple[str, ...]) -> ActiveTimeRule | None:
        """``temps_actif_minimum``: optional; each module it names must be a required one."""
        if self.value("temps_actif_minimum") is None:
            return None
        self.check_keys("temps_actif_minimum", ACTIVE_TIME_KEYS)
        if not isinstance(self.value("temps_actif_minimum"), dict):
            return None
        path = self.active_time_minimum("temps_actif_minimum.parcours") if self.value("temps_actif_minimum.parcours") is not None else None
        modules = self.value("temps_actif_minimum.modules")
        if modules is None:
            modules = {}
        if not isinstance(modules, dict):
            self.problem(
                "temps_actif_minimum.modules",
                "« temps_actif_minimum.modules » doit associer des modules à une durée (« situations: 20 min »).",
            )
            modules = {}
        rules = []
        for slug in modules:
            key = f"temps_actif_minimum.modules.{slug}"
            if slug not in required:
                self.problem(key, f"« {key} » : « {slug} » n'est pas un module obligatoire du parcours (clé « modules »).")
            elif (minimum := self.active_time_minimum(key)) is not None:
                rules.append((str(slug), minimum))
        if self.value("temps_actif_minimum.parcours") is None and not modules:
            self.problem("temps_actif_minimum", "« temps_actif_minimum » est vide : indiquez « parcours » et/ou « modules ».")
        return ActiveTimeRule(path, tuple(rules))

    def build(self, media_dir: Path, modules_dir: Path | None = None) -> TrainingPath | None:
        self.check_keys("", TOP_KEYS)
        self.check_keys("organisme", ORGANISATION_KEYS)
        self.check_keys("signataire", SIGNATORY_KEYS)
        required = self.modules()
        path = TrainingPath(
            title=self.text("titre"),
            objectives=self.texts("objectifs"),
            version=self.text("version"),
            required_modules=required,
            organisation=Organisation(
                self.text("organisme.nom"), self.text("organisme.adresse"), self.text("organisme.numero_declaration")
            ),
            signatory=Signatory(self.text("signataire.nom"), self.text("signataire.fonction"), self.signature(media_dir)),
            assessment=self.assessment(modules_dir),
            surveys=self.surveys(),
            active_time=self.active_time(required),
        )
        return None if self.problems else path
