"""Catalog, section reader, quizzes and progress page."""

from __future__ import annotations

from elearn.web.learn import bp  # noqa: F401 - routes are being added
