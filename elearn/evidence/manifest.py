"""``manifest.json``: the list of a pack's files with their SHA-256, signed like the certificates' credential.

The proof is the same W3C Data Integrity proof (``eddsa-jcs-2022``) with the organisation's Ed25519
key (:mod:`elearn.certificates.credential`), so the pack can be checked offline with the key the app
publishes: ``elearn verify-evidence FILE``.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from elearn.certificates.credential import CredentialError, sign_credential, verify_credential

MANIFEST = "manifest.json"
FORMAT = "elearn-dossier-de-preuves/1"


def signed_manifest(
    digests: dict[str, str], key: Ed25519PrivateKey, created: datetime, *, issuer: str, scope: dict[str, Any]
) -> bytes:
    """The manifest for files ``digests`` (path → SHA-256), signed with ``key``."""
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": "DossierDePreuves",
        "format": FORMAT,
        "issuer": issuer,
        "created": created.isoformat(timespec="seconds"),
        "scope": scope,
        "files": [{"path": path, "sha256": digest} for path, digest in digests.items()],
    }
    return json.dumps(sign_credential(document, key, created), ensure_ascii=False, indent=2).encode("utf-8")


@dataclass(frozen=True)
class EvidenceCheck:
    valid: bool
    message: str
    files: int = 0


def verify_pack(file: Path, key: Ed25519PublicKey) -> EvidenceCheck:
    """Check the manifest's signature, then every file against it; extra or missing files are failures."""
    try:
        with zipfile.ZipFile(file) as archive:
            names = [n for n in archive.namelist() if not n.endswith("/")]
            if MANIFEST not in names:
                return EvidenceCheck(False, "Pas de manifest.json dans l'archive : ce n'est pas un dossier de preuves complet.")
            document = json.loads(archive.read(MANIFEST).decode("utf-8"))
            verify_credential(document, key)
            listed = {entry["path"]: entry["sha256"] for entry in document["files"]}
            problems = []
            for name in names:
                if name == MANIFEST:
                    continue
                if name not in listed:
                    problems.append(f"fichier ajouté, absent du manifeste : {name}")
                elif hashlib.sha256(archive.read(name)).hexdigest() != listed[name]:
                    problems.append(f"fichier modifié depuis la constitution du dossier : {name}")
            problems += [f"fichier manquant : {name}" for name in listed if name not in names]
    except (zipfile.BadZipFile, OSError, EOFError):
        return EvidenceCheck(False, "Ce fichier n'est pas une archive ZIP lisible, ou il est endommagé.")
    except (ValueError, KeyError, TypeError) as error:
        return EvidenceCheck(False, f"manifest.json est illisible ou mal formé ({error}).")
    except CredentialError as error:
        return EvidenceCheck(False, f"La signature de manifest.json n'est pas valable : {error.message}")
    if problems:
        return EvidenceCheck(False, "Dossier modifié : " + " ; ".join(problems) + ".", len(listed))
    return EvidenceCheck(
        True, f"Dossier de preuves intact : manifeste signé par l'organisme, {len(listed)} fichier(s) conformes.", len(listed)
    )

