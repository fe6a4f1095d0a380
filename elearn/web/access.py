"""Access control shared by the blueprints: who may open which page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user, login_required

from elearn.models import Role


def role_required(*roles: Role) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Log-in required, then 403 unless the user holds one of ``roles``."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def restrict_blueprint(bp, *roles: Role) -> None:  # noqa: ANN001 - a flask.Blueprint
    """Apply the role check to every route of ``bp`` so no new route can forget it."""

    @bp.before_request
    @role_required(*roles)
    def _check() -> None:
        return None
