"""Trainer area: every module with its validation status, and previews."""

from __future__ import annotations

from elearn.web.trainer import bp  # noqa: F401 - routes are being added
