"""Trainers' content tools: ``elearn check``, ``new-module``, ``import-gift`` and ``export-gift``.

Plain click commands (no Flask import): the ``elearn`` group registers the ``commands`` list, and tests
run them directly with click's CliRunner. Each one is a thin face over ``elearn.content``.
"""

from __future__ import annotations

from pathlib import Path

import click

from elearn.assessment.bank import bank_problems
from elearn.certificates.path import PATH_FILE, PathConfigError, load_path
from elearn.config import Settings
from elearn.content.gift import convert_gift
from elearn.content.gift_export import export_gift
from elearn.content.model import Problem
from elearn.content.parse import display_path, slugify
from elearn.content.pipeline import check_tree, read_tree
from elearn.content.scaffold import ScaffoldError, create_module, new_module_path, next_order

SEVERITY_LABELS = {"error": "erreur", "warning": "avertissement"}


def _default_modules_dir() -> Path:
    configured = Settings().modules_dir
    return configured if configured.is_dir() else Path("modules")


def _default_media_dir(modules_dir: Path) -> Path:
    """``media/`` beside the modules folder, else the configured one."""
    sibling = modules_dir.parent / "media"
    return sibling if sibling.is_dir() else Settings().media_dir


def path_file_problems(modules_dir: Path, media_dir: Path) -> list[Problem]:
    """The problems of ``parcours.yml`` (the certificate's rule, minimum active time included), if there is one."""
    try:
        load_path(modules_dir, media_dir)
    except PathConfigError as error:
        shown = display_path(modules_dir / PATH_FILE, Path.cwd())
        return [Problem(shown, line or 1, message, "error") for line, message in error.located]
    return []


def format_problem(problem: Problem) -> str:
    return f"{problem.path}:{problem.line}: {SEVERITY_LABELS[problem.severity]} : {problem.message}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count > 1 else ''}"


def _bank_problems(modules_dir: Path, media_dir: Path) -> list[Problem]:
    """The problems of the question bank that ``parcours.yml`` names, if it names one that exists.

    A broken ``parcours.yml`` is ``elearn certificates check``'s to report; here it only hides the bank.
    """
    try:
        path = load_path(modules_dir, media_dir)
    except PathConfigError:
        return []
    if path is None or path.assessment is None or not (modules_dir / path.assessment.bank).is_file():
        return []
    known = {parsed.slug: [s.id for s in parsed.sections] for parsed in read_tree(modules_dir, media_dir, Path.cwd()).parsed}
    return bank_problems(modules_dir, media_dir, path.assessment.bank, Path.cwd(), known)


@click.command("check")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--media", "media_dir", type=click.Path(path_type=Path), help="Dossier des médias (défaut : media/ à côté).")
@click.option("--strict", is_flag=True, help="Les avertissements font aussi échouer la vérification.")
def check_command(path: Path | None, media_dir: Path | None, strict: bool) -> None:
    """Vérifie les modules (un dossier de modules, ou un seul module) et liste tous les problèmes."""
    path = path or _default_modules_dir()
    if not path.exists():
        raise click.ClickException(f"{path} n'existe pas")
    single = path.is_file() or (path / "index.md").is_file()
    modules_dir = path.parent if single else path
    media_dir = media_dir or _default_media_dir(modules_dir)
    problems = check_tree(modules_dir, media_dir, Path.cwd()) + path_file_problems(modules_dir, media_dir) + _bank_problems(modules_dir, media_dir)
    if single:
        shown = display_path(path, Path.cwd())
        problems = [p for p in problems if p.path == shown or p.path.startswith(shown + "/")]
    for problem in problems:
        click.echo(format_problem(problem))
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    if not problems:
        click.echo("Aucun problème trouvé.")
    else:
        click.echo(f"{_plural(errors, 'erreur')}, {_plural(warnings, 'avertissement')}.")
    if errors or (strict and warnings):
        raise SystemExit(1)


@click.command("new-module")
@click.argument("slug")
@click.option("--dir", "modules_dir", type=click.Path(path_type=Path), help="Dossier des modules.")
def new_module_command(slug: str, modules_dir: Path | None) -> None:
    """Crée un module commenté, prêt à compléter, qui passe « elearn check »."""
    try:
        path = create_module(modules_dir or _default_modules_dir(), slug)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Module créé : {path}")
    if _hide_from_learners(slug):
        click.echo("Il est masqué aux apprenants : rendez-le visible depuis Administration › Modules une fois prêt.")


def _hide_from_learners(slug: str) -> bool:
    """Mark the new module hidden in the application's database, so a skeleton never reaches learners.

    Run outside the ``elearn`` command (tests call the command alone) there is no application: nothing
    to mark. A database not yet created is said, not fatal: the file is written.
    """
    from flask.cli import ScriptInfo  # the content tools stay importable without Flask's CLI
    from sqlalchemy.exc import SQLAlchemyError

    from elearn.db import session_scope
    from elearn.visibility import hide_new_module

    info = click.get_current_context().find_object(ScriptInfo)
    if info is None:
        return False
    try:
        with info.load_app().app_context(), session_scope() as session:
            hide_new_module(session, slug)
    except SQLAlchemyError:
        click.echo("Base de données indisponible (lancez « elearn init ») : le module n'a pas pu être masqué"
                   " aux apprenants ; masquez-le depuis Administration › Modules.", err=True)
        return False
    return True


@click.command("import-gift")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(path_type=Path),
    help="Fichier Markdown à écrire, ou dossier des modules (le module y prend le numéro suivant) ;"
    " défaut : écran.",
)
def import_gift_command(source: Path, output: Path | None) -> None:
    """Convertit une banque de questions Moodle GIFT en module Markdown (quiz)."""
    try:
        text = source.read_text(encoding="utf-8-sig")
        output = _gift_target(source, output)
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{source} n'est pas enregistré en UTF-8") from exc
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from exc
    order = next_order(output.parent if output else _default_modules_dir())
    result = convert_gift(text, title=source.stem.replace("-", " ").replace("_", " "), order=order)
    notices = [(n.line, "non importée", n.reason) for n in result.skipped]
    notices += [(n.line, "avertissement", n.reason) for n in result.approximated]
    for line, label, reason in sorted(notices):
        click.echo(f"{source}:{line}: {label} : {reason}", err=True)
    warned = f", dont {len(result.approximated)} avec avertissement" if result.approximated else ""
    click.echo(f"Questions importées : {result.imported}{warned} ; non importées : {len(result.skipped)}.", err=True)
    if result.imported == 0:
        # An empty module would only break `elearn check` for everyone: write nothing.
        click.echo("Aucune question importable : rien n'a été écrit.", err=True)
        raise SystemExit(1)
    if output is None:
        click.echo(result.markdown, nl=False)
    elif output.exists():
        raise click.ClickException(f"{output} existe déjà : choisissez un autre nom")
    else:
        try:
            output.write_text(result.markdown, encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(f"impossible d'écrire {output} ({exc.strerror or exc})") from exc
        click.echo(f"Écrit : {output}", err=True)


def _gift_target(source: Path, output: Path | None) -> Path | None:
    """Where the module goes: the screen (None), the ``.md`` file named, or a new ``NN-<bank>.md`` in the
    folder named. A folder is never created: a mistyped path is reported rather than made."""
    if output is None:
        return None
    if output.is_dir():
        return new_module_path(output, slugify(source.stem) or "questions-importees")
    if output.suffix.lower() != ".md":
        raise ScaffoldError(
            f"{output} n'est ni un dossier existant ni un fichier .md : créez le dossier, ou donnez un nom de fichier en .md"
        )
    if not output.parent.is_dir():
        raise ScaffoldError(f"le dossier {output.parent} n'existe pas : créez-le ou choisissez un autre chemin")
    return output


@click.command("export-gift")
@click.argument("module")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Fichier GIFT à écrire ; défaut : écran.")
@click.option("--dir", "modules_dir", type=click.Path(path_type=Path), help="Dossier des modules.")
def export_gift_command(module: str, output: Path | None, modules_dir: Path | None) -> None:
    """Exporte les quiz d'un module (son nom court ou son chemin) en banque de questions Moodle GIFT."""
    modules_dir = modules_dir or _default_modules_dir()
    given = Path(module)
    if given.exists():
        modules_dir = given.parent
    report = read_tree(modules_dir, _default_media_dir(modules_dir), Path.cwd())
    parsed = next((p for p in report.parsed if p.source.path == given or p.slug == module), None)
    if parsed is None:
        known = ", ".join(sorted(p.slug for p in report.parsed)) or "aucun"
        raise click.ClickException(f"Module introuvable : « {module} » (modules de {modules_dir} : {known})")
    problems = report.problems.get(parsed.path, [])
    if any(p.is_error for p in problems):
        for problem in problems:
            click.echo(format_problem(problem), err=True)
        click.echo("Le module a des erreurs : corrigez-les (elearn check), rien n'a été exporté.", err=True)
        raise SystemExit(1)
    exported = export_gift(parsed)
    for notice in exported.notices:
        click.echo(f"{notice.path}:{notice.line}: non transmis : {notice.message}", err=True)
    click.echo(f"Questions exportées : {exported.questions} ; non transmis à Moodle : {len(exported.notices)}.", err=True)
    if output is None:
        click.echo(exported.text, nl=False)
        return
    output.write_text(exported.text, encoding="utf-8")
    click.echo(f"Écrit : {output}", err=True)


commands = [check_command, new_module_command, import_gift_command, export_gift_command]
