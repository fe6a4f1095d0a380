"""Building packages: self-contained, reproducible, refused when a module has errors, from the CLI too."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest
from click.testing import CliRunner

from elearn.cli.content import check_command
from elearn.cli.packages import package_command
from elearn.packaging import build_package
from tests.conftest import FIXTURE_MEDIA, FIXTURE_MODULES

#: Attributes that make the browser fetch something (a link to read elsewhere is not one of them).
_RESOURCE_RE = re.compile(r'<(?:script|img|audio|video|source|iframe)\b[^>]*\bsrc="([^"]*)"|<link\b[^>]*\bhref="([^"]*)"')


@pytest.mark.parametrize("fmt", ["scorm12", "scorm2004", "html"])
def test_every_resource_a_page_loads_is_inside_the_package(path_packages, fmt):
    files = path_packages[fmt].files
    pages = [name for name in files if name.endswith(".html")]
    assert pages
    for page in pages:
        for match in _RESOURCE_RE.finditer(files[page].decode()):
            url = match.group(1) or match.group(2)
            assert not re.match(r"^[a-z]+:|^//", url), f"{page} loads {url} from outside the package"
            assert unquote(urljoin(page, url)) in files, f"{page} loads {url}, which is not in the package"
    assert b"url(" not in files["shared/elearn.css"].replace(b"url(data:", b"")


def test_html_edition_has_a_home_a_summary_and_every_module(path_packages):
    package = path_packages["html"]
    assert {"index.html", "recapitulatif.html"} <= set(package.files)
    assert "imsmanifest.xml" not in package.files
    summary = package.files["recapitulatif.html"].decode()
    assert "Ce récapitulatif n'est pas une attestation." in summary
    home = package.files["index.html"].decode()
    for module in package.result.content.modules:
        assert f'href="{module.slug}/index.html"' in home


def test_links_to_another_module_lead_to_it_offline_and_stay_anchors_in_scorm(path_packages):
    offline = path_packages["html"].files["criteres/index.html"].decode()
    assert 'href="../definition/index.html#notions-voisines"' in offline
    scorm = path_packages["scorm12"].files["criteres/index.html"].decode()
    assert 'href="#module-definition"' in scorm and "../definition/" not in scorm


def test_rebuilding_unchanged_modules_gives_the_same_bytes(tmp_path):
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    build_package(FIXTURE_MODULES, FIXTURE_MEDIA, first, "scorm12", "premiers-pas")
    build_package(FIXTURE_MODULES, FIXTURE_MEDIA, second, "scorm12", "premiers-pas")
    assert first.read_bytes() == second.read_bytes()


@pytest.fixture
def broken_modules(tmp_path) -> Path:
    modules = tmp_path / "modules"
    shutil.copytree(FIXTURE_MODULES, modules)
    broken = modules / "02-suite.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("titre: Pour aller plus loin", "titel: Pour aller plus loin"), encoding="utf-8")
    return modules


def test_a_module_with_an_error_is_refused_with_the_checkers_messages(broken_modules, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    checked = runner.invoke(check_command, [str(broken_modules / "02-suite.md"), "--media", str(FIXTURE_MEDIA)])
    errors = [line for line in checked.output.splitlines() if ": erreur : " in line]
    assert errors
    target = tmp_path / "suite.zip"
    packaged = runner.invoke(package_command, ["suite", "--dir", str(broken_modules), "--media", str(FIXTURE_MEDIA), "-o", str(target)])
    assert packaged.exit_code == 1
    assert all(line in packaged.output for line in errors)
    assert "Paquet refusé" in packaged.output
    assert not target.exists() and not list(tmp_path.glob("*.zip")) and not list(tmp_path.glob(".suite.zip*"))
    whole = runner.invoke(package_command, ["--path", "--dir", str(broken_modules), "--media", str(FIXTURE_MEDIA), "-o", str(target)])
    assert whole.exit_code == 1 and all(line in whole.output for line in errors)
    clean = runner.invoke(package_command, ["premiers-pas", "--dir", str(broken_modules), "--media", str(FIXTURE_MEDIA), "-o", str(target)])
    assert clean.exit_code == 0, clean.output


def test_an_unknown_module_gets_a_clear_message(tmp_path):
    result = CliRunner().invoke(package_command, ["inconnu", "--dir", str(FIXTURE_MODULES), "-o", str(tmp_path / "x.zip")])
    assert result.exit_code == 1
    assert "Module « inconnu » introuvable" in result.output and "premiers-pas" in result.output


def test_the_command_wants_one_module_or_the_path(tmp_path):
    result = CliRunner().invoke(package_command, ["premiers-pas", "--path", "--dir", str(FIXTURE_MODULES)])
    assert result.exit_code == 2 and "--path" in result.output


def test_without_a_name_the_package_says_what_it_holds(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(package_command, ["premiers-pas", "--format", "scorm2004", "--dir", str(FIXTURE_MODULES)])
    assert result.exit_code == 0, result.output
    [written] = tmp_path.glob("*.zip")
    assert re.fullmatch(r"elearn-premiers-pas-scorm2004-[0-9a-f]{10}\.zip", written.name)


def test_all_rebuilds_every_package(tmp_path):
    result = CliRunner().invoke(package_command, ["--all", "--dir", str(FIXTURE_MODULES), "-o", str(tmp_path / "paquets")])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "paquets").iterdir())
    assert names == sorted(f"{name}-{fmt}.zip" for name in ("premiers-pas", "suite", "parcours") for fmt in ("scorm12", "scorm2004", "html"))
    with zipfile.ZipFile(tmp_path / "paquets" / "parcours-html.zip") as archive:
        assert {"index.html", "premiers-pas/index.html", "suite/index.html"} <= set(archive.namelist())



def test_a_folder_as_output_gets_the_packages_own_name_and_a_bad_target_a_message(tmp_path):
    runner = CliRunner()
    result = runner.invoke(package_command, ["premiers-pas", "--dir", str(FIXTURE_MODULES), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.glob("*.zip")] == [p.name for p in tmp_path.glob("elearn-premiers-pas-scorm12-*.zip")] != []
    (tmp_path / "fichier").write_text("x")
    blocked = runner.invoke(package_command, ["premiers-pas", "--dir", str(FIXTURE_MODULES), "-o", str(tmp_path / "fichier" / "p.zip")])
    assert blocked.exit_code == 1 and "Impossible d'écrire" in blocked.output and blocked.exception.__class__ is SystemExit
