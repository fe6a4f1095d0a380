"""The training path (« parcours »): what a certificate attests, read from ``parcours.yml``.

The file lives next to the modules (``ELEARN_MODULES_DIR/parcours.yml``) so that the rule — which
modules must be completed — and the issuing organisation are configuration, not code. Every problem in
the file is collected and reported at once, in French, with its line, like the modules' own checks.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from elearn.content.messages import yaml_detail

PATH_FILE = "parcours.yml"
SIGNATURE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".svg")
#: What the shipped parcours.yml writes in every value the organisation must replace (casefolded).
PLACEHOLDER_MARK = "à remplacer"

#: Allowed keys, per level; a dotted name is a nested mapping.
TOP_KEYS = ("titre", "objectifs", "version", "modules", "organisme", "signataire")
ORGANISATION_KEYS = ("nom", "adresse", "numero_declaration")
SIGNATORY_KEYS = ("nom", "fonction", "signature")
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
class TrainingPath:
    """The path as configured: a new ``version`` means learners get a new certificate."""

    title: str
    objectives: tuple[str, ...]
    version: str
    required_modules: tuple[str, ...]
    organisation: Organisation
    signatory: Signatory


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
    return tuple(key for key, value in values.items() if PLACEHOLDER_MARK in unicodedata.normalize("NFC", value).casefold())


class PathConfigError(Exception):
    """``parcours.yml`` is wrong; ``problems`` lists every problem found, in French."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def load_path(modules_dir: Path, media_dir: Path) -> TrainingPath | None:
    """The configured path, or None when there is no ``parcours.yml`` (certificates are off).

    Raises :class:`PathConfigError` listing every problem when the file exists but is wrong.
    """
    file = Path(modules_dir) / PATH_FILE
    if not file.is_file():
        return None
    return parse_path(file.read_text(encoding="utf-8"), Path(media_dir))


def parse_path(text: str, media_dir: Path) -> TrainingPath:
    """Parse and check the text of ``parcours.yml``."""
    try:
        data, lines = _read_yaml(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f", ligne {mark.line + 1}" if mark else ""
        detail = yaml_detail(getattr(error, "problem", None) or str(error).splitlines()[0])
        raise PathConfigError([f"{PATH_FILE}{where} : YAML invalide ({detail})."]) from error
    except ValueError as error:  # a scalar YAML reads as an impossible date or number (« 2024-13-45 »)
        raise PathConfigError([f"{PATH_FILE} : date ou nombre impossible ({error}) ; mettez la valeur entre guillemets."]) from error
    except RecursionError as error:
        raise PathConfigError([f"{PATH_FILE} : YAML trop imbriqué pour être lu."]) from error
    if not isinstance(data, dict):
        raise PathConfigError([f"{PATH_FILE} : le fichier doit contenir les clés {', '.join(TOP_KEYS)}."])
    reader = _Reader(data, lines)
    path = reader.build(media_dir)
    if reader.problems:
        raise PathConfigError(reader.problems)
    return path  # type: ignore[return-value]


@functools.lru_cache(maxsize=8)
def _read_yaml(text: str) -> tuple[Any, dict[str, int]]:
    """The data of the file and the line of each key, parsed once per distinct text.

    The catalog and the progress page read the file on every request (an edit takes effect at once),
    and pure-Python YAML parsing cost more than the rest of the certificate status; the result is
    only read, never changed, so one copy serves every request.
    """
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    return yaml.safe_load(text), _key_lines(root)


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

    def problem(self, key: str, message: str) -> None:
        line = self.lines.get(key)
        self.problems.append(f"{PATH_FILE}{f', ligne {line}' if line else ''} : {message}")

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

    def build(self, media_dir: Path) -> TrainingPath | None:
        self.check_keys("", TOP_KEYS)
        self.check_keys("organisme", ORGANISATION_KEYS)
        self.check_keys("signataire", SIGNATORY_KEYS)
        path = TrainingPath(
            title=self.text("titre"),
            objectives=self.texts("objectifs"),
            version=self.text("version"),
            required_modules=self.modules(),
            organisation=Organisation(
                self.text("organisme.nom"), self.text("organisme.adresse"), self.text("organisme.numero_declaration")
            ),
            signatory=Signatory(self.text("signataire.nom"), self.text("signataire.fonction"), self.signature(media_dir)),
        )
        return None if self.problems else path


def organisation_identity(modules_dir: Path, media_dir: Path) -> Organisation | None:
    """The training organisation's name and declaration number, for documents other than certificates
    (the exports' headers). None when ``parcours.yml`` is missing or invalid: an export never fails for it.

    The one place that says where the organisation's identity is read from.
    """
    try:
        path = load_path(modules_dir, media_dir)
    except PathConfigError:
        return None
    return path.organisation if path is not None else None
