"""imsmanifest.xml: valid against ADL's schemas, and every element content packaging makes mandatory, checked by hand."""

from __future__ import annotations

from collections import Counter
from urllib.parse import unquote

import pytest
from lxml import etree

from elearn.certificates.path import load_path
from tests.packaging.conftest import MEDIA, MODULES

NAMESPACES = {
    "scorm12": {"cp": "http://www.imsproject.org/xsd/imscp_rootv1p1p2", "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2"},
    "scorm2004": {
        "cp": "http://www.imsglobal.org/xsd/imscp_v1p1", "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3",
        "imsss": "http://www.imsglobal.org/xsd/imsss",
    },
}
SCORM_TYPE = {"scorm12": "scormtype", "scorm2004": "scormType"}
SCHEMA_VERSION = {"scorm12": "1.2", "scorm2004": "2004 4th Edition"}


@pytest.mark.parametrize("fmt", ["scorm12", "scorm2004"])
def test_manifest_is_valid_against_the_official_adl_schemas(path_packages, adl_schema, fmt):
    schema = adl_schema[fmt]
    assert schema.validate(path_packages[fmt].manifest()), schema.error_log


@pytest.mark.parametrize("fmt", ["scorm12", "scorm2004"])
def test_the_schemas_do_catch_a_broken_manifest(path_packages, adl_schema, fmt):
    manifest = path_packages[fmt].manifest()
    item = manifest.find(".//cp:item", NAMESPACES[fmt])
    del item.attrib["identifier"]
    assert not adl_schema[fmt].validate(manifest)


@pytest.mark.parametrize("fmt", ["scorm12", "scorm2004"])
def test_manifest_has_every_mandatory_element(path_packages, fmt):
    package = path_packages[fmt]
    ns = NAMESPACES[fmt]
    manifest = package.manifest()
    assert manifest.findtext("cp:metadata/cp:schema", namespaces=ns) == "ADL SCORM"
    assert manifest.findtext("cp:metadata/cp:schemaversion", namespaces=ns) == SCHEMA_VERSION[fmt]
    identifiers = [e.get("identifier") for e in manifest.iter() if e.get("identifier") is not None]
    assert [i for i, n in Counter(identifiers).items() if n > 1] == [], "identifiers are unique"
    organizations = manifest.find("cp:organizations", ns)
    default = organizations.get("default")
    assert organizations.find(f"cp:organization[@identifier='{default}']", ns) is not None
    resources = {r.get("identifier"): r for r in manifest.findall("cp:resources/cp:resource", ns)}
    for item in manifest.iterfind(".//cp:item", ns):
        assert item.findtext("cp:title", namespaces=ns)
        assert resources[item.get("identifierref")].get(f"{{{ns['adlcp']}}}{SCORM_TYPE[fmt]}") == "sco"
    listed = set()
    for resource in resources.values():
        assert resource.get("type") == "webcontent"
        assert resource.get(f"{{{ns['adlcp']}}}{SCORM_TYPE[fmt]}") in ("sco", "asset")
        files = [unquote(f.get("href")) for f in resource.findall("cp:file", ns)]
        if resource.get("href"):
            assert unquote(resource.get("href")) in files, "a SCO's launch file is listed"
        for dependency in resource.findall("cp:dependency", ns):
            assert dependency.get("identifierref") in resources
        listed.update(files)
    assert listed == set(package.files) - {"imsmanifest.xml"}, "every file is listed, and every listed file is there"


@pytest.mark.parametrize("fmt", ["scorm12", "scorm2004"])
def test_one_organisation_lists_the_modules_in_the_paths_order(path_packages, fmt):
    ns = NAMESPACES[fmt]
    items = path_packages[fmt].manifest().findall("cp:organizations/cp:organization/cp:item", ns)
    assert [i.get("identifier") for i in items] == [f"ITEM-{slug}" for slug in load_path(MODULES, MEDIA).required_modules]


def test_prerequisites_are_expressed_in_scorm12(path_packages):
    ns = NAMESPACES["scorm12"]
    manifest = path_packages["scorm12"].manifest()
    definition = manifest.find(".//cp:item[@identifier='ITEM-definition']", ns)
    assert definition.findtext("adlcp:prerequisites", namespaces=ns) == "ITEM-bienvenue"
    assert definition.find("adlcp:prerequisites", ns).get("type") == "aicc_script"
    assert manifest.find(".//cp:item[@identifier='ITEM-bienvenue']/adlcp:prerequisites", ns) is None


def test_prerequisites_disable_a_module_in_scorm2004_until_satisfied(path_packages):
    ns = NAMESPACES["scorm2004"]
    definition = path_packages["scorm2004"].manifest().find(".//cp:item[@identifier='ITEM-definition']", ns)
    rule = definition.find("imsss:sequencing/imsss:sequencingRules/imsss:preConditionRule", ns)
    condition = rule.find("imsss:ruleConditions/imsss:ruleCondition", ns)
    assert (condition.get("referencedObjective"), condition.get("operator"), condition.get("condition")) == (
        "elearn.bienvenue.termine", "not", "satisfied")
    assert rule.find("imsss:ruleAction", ns).get("action") == "disabled"
    read = definition.find("imsss:sequencing/imsss:objectives/imsss:objective/imsss:mapInfo", ns)
    assert read.get("targetObjectiveID") == "elearn.bienvenue.termine" and read.get("readSatisfiedStatus") == "true"


@pytest.mark.parametrize("fmt", ["scorm12", "scorm2004"])
def test_the_content_version_is_in_the_manifest_and_on_the_first_page(path_packages, fmt):
    package = path_packages[fmt]
    ns = NAMESPACES[fmt]
    manifest = package.manifest()
    assert manifest.get("version") == package.result.content.version
    launch = "datafromlms" if fmt == "scorm12" else "dataFromLMS"
    for module in package.result.content.modules:
        item = manifest.find(f".//cp:item[@identifier='ITEM-{module.slug}']", ns)
        assert item.findtext(f"adlcp:{launch}", namespaces=ns) == f"version={module.content_hash}"
        first_page = package.files[f"{module.slug}/index.html"].decode()
        assert f"<code data-content-version>{module.content_hash}</code>" in first_page


def test_manifest_is_well_formed_utf8_xml(path_packages):
    text = path_packages["scorm12"].files["imsmanifest.xml"]
    assert text.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    etree.fromstring(text)
