"""Administrators' pages: accounts (and, later, completions, exports, audit trail)."""

from elearn.web.admin.routes import bp

__all__ = ["bp"]
