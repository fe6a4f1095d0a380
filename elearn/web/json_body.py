"""Reading the JSON body of a request that may be hostile: every failure is a 400 with a French message.

Flask's ``get_json(silent=True)`` only swallows ``ValueError``: a body nested a thousand levels deep
raises ``RecursionError`` inside the parser and became a 500. The JSON endpoints (heartbeats, reflection
autosave) read their body here instead, and answer ``{"ok": false, "message": …}`` with status 400
for a body that is not JSON, not UTF-8, empty, absurdly nested, or not the object they expect.
"""

from __future__ import annotations

import json
from typing import Any, NoReturn

from flask import Response, abort, jsonify, request

from elearn.i18n import _


def json_error(message: str, status: int = 400) -> Response:
    """The answer of a JSON endpoint that refuses a request: ``{"ok": false, "message": …}``."""
    response = jsonify(ok=False, message=message)
    response.status_code = status
    return response


def refuse(message: str) -> NoReturn:
    """Stop the request with a 400 JSON answer carrying ``message``."""
    abort(json_error(message))


def json_object() -> dict[str, Any] | None:
    """The request's body as a JSON object, or None when the request does not say it is JSON.

    A request saying it is JSON whose body cannot be read, or is a list, a number or a string rather
    than an object, is refused with a 400 (:func:`refuse`).
    """
    if not request.is_json:
        return None
    try:
        data = json.loads(request.get_data(cache=True))
    except (ValueError, RecursionError):  # bad syntax or UTF-8, huge integers, empty body; absurd nesting
        refuse(_("Requête illisible : le contenu envoyé n'est pas du JSON valide."))
    if not isinstance(data, dict):
        refuse(_("Requête invalide : un objet JSON était attendu."))
    return data
