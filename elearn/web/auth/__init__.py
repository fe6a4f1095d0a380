"""Accounts: registration, log-in, log-out and password resets."""

from elearn.web.auth.routes import bp

__all__ = ["bp"]
