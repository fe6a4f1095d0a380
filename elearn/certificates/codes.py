"""Certificate codes: unguessable, yet easy to read aloud and type from a printed page.

A code is 25 symbols of Crockford's base 32 (125 random bits) in five groups of five. The alphabet
has no I, L, O or U, so typing is forgiving: lower case, spaces, missing dashes, ``O`` for ``0`` and
``I``/``L`` for ``1`` all lead to the same code.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SYMBOLS = 25
GROUP = 5
_TYPING_FIXES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code(length: int = SYMBOLS) -> str:
    """A fresh random code in canonical form (``7K3M9-QXH2P-…``); ``length`` symbols, a multiple of 5
    (training groups' registration codes are shorter: they open a sign-up, not a certificate)."""
    return _group("".join(secrets.choice(ALPHABET) for _ in range(length)))


def normalise_code(typed: str, length: int = SYMBOLS) -> str | None:
    """The canonical form of a typed code, or None when it cannot be one (wrong length or symbol)."""
    symbols = "".join(typed.split()).replace("-", "").upper().translate(_TYPING_FIXES)
    if len(symbols) != length or any(char not in ALPHABET for char in symbols):
        return None
    return _group(symbols)


def _group(symbols: str) -> str:
    return "-".join(symbols[i : i + GROUP] for i in range(0, len(symbols), GROUP))
