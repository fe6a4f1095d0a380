"""``imsmanifest.xml`` for SCORM 1.2 and SCORM 2004 4th edition.

One SCO (a ``<resource>`` of SCORM type ``sco``) per module, launched at ``<slug>/index.html``; the files
every module uses (CSS, scripts, media) form one ``asset`` resource the SCOs depend on. One organisation
lists the modules as items in the path's order. Prerequisites are expressed where the format can:
``adlcp:prerequisites`` (1.2, an AICC script over item identifiers) and, in 2004, a precondition rule
that disables a module until the objectives its prerequisites write are satisfied.

The content version is recorded twice: the manifest's ``version`` attribute is the package's version,
and each item's launch data (``datafromlms``) carries its module's content hash.

No mastery score (1.2) nor scaled passing score (2004) is declared: the package decides passed or failed
with the module's own rule (every section read, every quiz passed), so an LMS must not decide from the
score alone.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

from elearn.content.model import Module
from elearn.packaging.source import PackageContent

XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCORM12 = {
    "": "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
    "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2",
}
SCORM12_LOCATIONS = (
    "http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd "
    "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd "
    "http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd"
)
SCORM2004 = {
    "": "http://www.imsglobal.org/xsd/imscp_v1p1",
    "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3",
    "imsss": "http://www.imsglobal.org/xsd/imsss",
}
SCORM2004_LOCATIONS = (
    "http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd "
    "http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd "
    "http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd"
)
SHARED_RESOURCE = "RES-commun"
ORGANISATION = "ORG-elearn"


def item_id(module: Module) -> str:
    return f"ITEM-{module.slug}"


def resource_id(module: Module) -> str:
    return f"RES-{module.slug}"


def objective_id(slug: str) -> str:
    return f"elearn.{slug}.termine"


def build_manifest(content: PackageContent, fmt: str, module_files: dict[str, list[str]], shared_files: Iterable[str]) -> bytes:
    """The manifest; ``module_files`` lists each module's own files by slug, ``shared_files`` the rest."""
    ns = SCORM12 if fmt == "scorm12" else SCORM2004
    for prefix, uri in ns.items():
        ET.register_namespace(prefix, uri)
    ET.register_namespace("xsi", XSI)

    def q(name: str) -> str:
        prefix, _, local = name.rpartition(":")
        return f"{{{ns[prefix]}}}{local}"

    root = ET.Element(q("manifest"), {
        "identifier": f"elearn-{content.slug}-{content.version}",
        "version": content.version,
        f"{{{XSI}}}schemaLocation": SCORM12_LOCATIONS if fmt == "scorm12" else SCORM2004_LOCATIONS,
    })
    metadata = ET.SubElement(root, q("metadata"))
    ET.SubElement(metadata, q("schema")).text = "ADL SCORM"
    ET.SubElement(metadata, q("schemaversion")).text = "1.2" if fmt == "scorm12" else "2004 4th Edition"
    organizations = ET.SubElement(root, q("organizations"), {"default": ORGANISATION})
    organization = ET.SubElement(organizations, q("organization"), {"identifier": ORGANISATION})
    ET.SubElement(organization, q("title")).text = content.title
    slugs = {m.slug: m for m in content.modules}
    for module in content.modules:
        item = ET.SubElement(organization, q("item"), {"identifier": item_id(module), "identifierref": resource_id(module)})
        ET.SubElement(item, q("title")).text = module.title
        prerequisites = [slugs[s] for s in module.prerequisites if s in slugs]
        if fmt == "scorm12":
            if prerequisites:
                script = " & ".join(item_id(p) for p in prerequisites)
                ET.SubElement(item, q("adlcp:prerequisites"), {"type": "aicc_script"}).text = script
            ET.SubElement(item, q("adlcp:datafromlms")).text = f"version={module.content_hash}"
        else:
            ET.SubElement(item, q("adlcp:dataFromLMS")).text = f"version={module.content_hash}"
            _sequencing_2004(item, q, module, prerequisites)
    if fmt == "scorm2004":
        sequencing = ET.SubElement(organization, q("imsss:sequencing"))
        ET.SubElement(sequencing, q("imsss:controlMode"), {"choice": "true", "flow": "true"})
    resources = ET.SubElement(root, q("resources"))
    scorm_type = "adlcp:scormtype" if fmt == "scorm12" else "adlcp:scormType"
    for module in content.modules:
        resource = ET.SubElement(resources, q("resource"), {
            "identifier": resource_id(module), "type": "webcontent", q(scorm_type): "sco", "href": f"{module.slug}/index.html",
        })
        for href in module_files[module.slug]:
            ET.SubElement(resource, q("file"), {"href": href})
        ET.SubElement(resource, q("dependency"), {"identifierref": SHARED_RESOURCE})
    shared = ET.SubElement(resources, q("resource"), {"identifier": SHARED_RESOURCE, "type": "webcontent", q(scorm_type): "asset"})
    for href in shared_files:
        ET.SubElement(shared, q("file"), {"href": href})
    ET.indent(root)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True)


def _sequencing_2004(item: ET.Element, q, module: Module, prerequisites: list[Module]) -> None:  # noqa: ANN001
    """The module's primary objective writes its satisfied status to a global objective; a module with
    prerequisites reads theirs and stays disabled until all of them are satisfied."""
    sequencing = ET.SubElement(item, q("imsss:sequencing"))
    if prerequisites:
        rules = ET.SubElement(sequencing, q("imsss:sequencingRules"))
        rule = ET.SubElement(rules, q("imsss:preConditionRule"))
        conditions = ET.SubElement(rule, q("imsss:ruleConditions"), {"conditionCombination": "any"})
        for prerequisite in prerequisites:
            ET.SubElement(conditions, q("imsss:ruleCondition"), {
                "referencedObjective": objective_id(prerequisite.slug), "operator": "not", "condition": "satisfied",
            })
        ET.SubElement(rule, q("imsss:ruleAction"), {"action": "disabled"})
    objectives = ET.SubElement(sequencing, q("imsss:objectives"))
    primary = ET.SubElement(objectives, q("imsss:primaryObjective"), {"objectiveID": objective_id(module.slug)})
    ET.SubElement(primary, q("imsss:mapInfo"), {
        "targetObjectiveID": objective_id(module.slug), "readSatisfiedStatus": "false", "writeSatisfiedStatus": "true",
    })
    for prerequisite in prerequisites:
        objective = ET.SubElement(objectives, q("imsss:objective"), {"objectiveID": objective_id(prerequisite.slug)})
        ET.SubElement(objective, q("imsss:mapInfo"), {
            "targetObjectiveID": objective_id(prerequisite.slug), "readSatisfiedStatus": "true", "writeSatisfiedStatus": "false",
        })
