"""The tool's RSA key: it signs deep linking responses and grade service token requests; platforms
check them with the public half, published as a JWKS at ``/lti/jwks``.

The private key lives in ``instance/lti_private_key.pem`` (mode 0600), created once; several workers
starting together end with the same file (the first complete one wins).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pylti1p3.registration import Registration

from elearn.private_files import create_once

KEY_FILE = "lti_private_key.pem"


def private_key_pem(instance_path: Path) -> str:
    """The tool's private key (PEM), created on first use."""
    path = Path(instance_path) / KEY_FILE
    if not path.exists():
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        create_once(path, pem)
    return path.read_text(encoding="ascii")


@lru_cache(maxsize=8)
def public_key_pem(private_pem: str) -> str:
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def jwks(instance_path: Path) -> dict[str, Any]:
    """The public JWKS platforms fetch from elearn's key set URL (``kid`` and ``alg`` RS256 included)."""
    return {"keys": [dict(Registration.get_jwk(public_key_pem(private_key_pem(instance_path))))]}
