"""Pages anyone may open: home, health check (and, later, certificate verification)."""

from elearn.web.public.routes import bp

__all__ = ["bp"]
