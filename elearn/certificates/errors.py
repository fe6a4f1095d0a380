"""The one exception family of the certificate code: a ``message`` that pages and commands show.

Messages are marked with ``_`` from :mod:`elearn.i18n` where they are raised, like the other domain
errors: in English for a visitor who chose English, in French outside a request (commands, tests).
"""

from __future__ import annotations


class CertificateError(Exception):
    """Something about a certificate cannot be done or trusted; ``message`` says why, in the interface's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
