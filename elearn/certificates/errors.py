"""The one exception family of the certificate code: a French ``message`` that pages and commands show."""

from __future__ import annotations


class CertificateError(Exception):
    """Something about a certificate cannot be done or trusted; ``message`` says why, in French."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
