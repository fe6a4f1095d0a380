"""``elearn package``: a module, or the whole path, as a SCORM 1.2 / SCORM 2004 package or an offline edition.

A thin face over :mod:`elearn.packaging`, like the other content tools (no Flask import). A module with
errors is refused with the checker's own messages.
"""

from __future__ import annotations

from pathlib import Path

import click

from elearn.cli.content import _default_media_dir, _default_modules_dir, format_problem
from elearn.content.model import ContentError
from elearn.packaging import FORMATS, PackagingError, build_package
from elearn.packaging.build import PackageResult
from elearn.packaging.source import module_slugs


@click.command("package")
@click.argument("slug", required=False)
@click.option("--path", "whole_path", is_flag=True, help="Tout le parcours, dans son ordre (parcours.yml).")
@click.option("--all", "every", is_flag=True, help="Reconstruit tous les paquets (chaque module et le parcours, dans chaque format) dans le dossier -o.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="scorm12", show_default=True, help="Format du paquet.")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Fichier .zip à écrire (avec --all : dossier) ; défaut : un nom qui dit le module, le format et la version.")
@click.option("--dir", "modules_dir", type=click.Path(path_type=Path), help="Dossier des modules.")
@click.option("--media", "media_dir", type=click.Path(path_type=Path), help="Dossier des médias (défaut : media/ à côté).")
def package_command(
    slug: str | None, whole_path: bool, every: bool, fmt: str, output: Path | None, modules_dir: Path | None, media_dir: Path | None
) -> None:
    """Construit un paquet SCORM (1.2 ou 2004) ou une édition hors ligne (html) d'un module ou du parcours."""
    if sum((slug is not None, whole_path, every)) != 1:
        raise click.UsageError("Donnez un module (son nom, par exemple « definition »), ou --path, ou --all.")
    modules_dir = modules_dir or _default_modules_dir()
    media_dir = media_dir or _default_media_dir(modules_dir)
    if every:
        _build_all(modules_dir, media_dir, output or Path("build") / "paquets")
        return
    _build_one(modules_dir, media_dir, fmt, slug, whole_path, output)


def _build_one(modules_dir: Path, media_dir: Path, fmt: str, slug: str | None, whole_path: bool, output: Path | None) -> PackageResult:
    """Build one package into ``output``: a file, a folder (the package's own name inside), or None (here)."""
    folder = output if output is not None and output.is_dir() else None
    target = (folder or Path(".")) / ".elearn-package.zip" if output is None or folder else output
    try:
        result = build_package(modules_dir, media_dir, target, fmt, slug, whole_path)
    except ContentError as error:
        for problem in error.problems:
            click.echo(format_problem(problem), err=True)
        raise click.ClickException(
            f"Paquet refusé : {len(error.problems)} erreur(s) à corriger d'abord (la commande « elearn check » donne le même rapport)."
        ) from error
    except PackagingError as error:
        raise click.ClickException(str(error)) from error
    except OSError as error:
        raise click.ClickException(f"Impossible d'écrire {target} : {error.strerror or error}") from error
    if output is None or folder:
        target = target.rename(target.with_name(result.filename))
    click.echo(f"Paquet écrit : {target} ({result.files} fichiers, {result.size / 1024:.0f} Kio, version {result.content.version}).")
    return result


def _build_all(modules_dir: Path, media_dir: Path, folder: Path) -> None:
    """Every module and the path, in every format; stops at the first module that has an error."""
    for fmt in FORMATS:
        for slug in module_slugs(modules_dir, media_dir):
            _build_one(modules_dir, media_dir, fmt, slug, False, folder / f"{slug}-{fmt}.zip")
        _build_one(modules_dir, media_dir, fmt, None, True, folder / f"parcours-{fmt}.zip")


commands = [package_command]
