"""The application class: Flask, with the URLs of a request's pages built once per worker.

A learner page builds twenty-odd URLs (the menu, the table of contents, the pager, the forms), and
each ``url_for`` walks Werkzeug's rules again although the answer depends only on the endpoint, its
values and where the application is mounted. :class:`App` keeps the answers of the common case (a
relative URL inside a request) in a bounded per-worker cache; anything else (external URLs, a scheme
or method asked for, URL default functions, values that cannot be a key) goes through Flask as before.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from flask import Flask
from flask.globals import _cv_request

#: URLs kept per worker: every page's links many times over, while values unique to one learner or
#: record (an attempt number, a certificate code) push the oldest out.
CACHED_URLS = 4096


class App(Flask):
    """Flask with :meth:`url_for` memoised for relative URLs built during a request."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._build_url = lru_cache(maxsize=CACHED_URLS)(self._build_relative_url)

    def url_for(
        self,
        endpoint: str,
        *,
        _anchor: str | None = None,
        _method: str | None = None,
        _scheme: str | None = None,
        _external: bool | None = None,
        **values: Any,
    ) -> str:
        request_context = _cv_request.get(None)
        if request_context is None or _external or _scheme is not None or _method is not None or self.url_default_functions:
            return super().url_for(endpoint, _anchor=_anchor, _method=_method, _scheme=_scheme, _external=_external, **values)
        request = request_context.request
        if endpoint[:1] == ".":  # relative to the current blueprint: the key needs the absolute name
            endpoint = f"{request.blueprint}{endpoint}" if request.blueprint is not None else endpoint[1:]
        # The type is part of the key: True and 1 are equal keys but different URLs (« True », « 1 »).
        key = tuple((name, type(value), value) for name, value in values.items())
        try:
            return self._build_url(request.script_root, endpoint, key, _anchor)
        except TypeError:  # a value that cannot be a key (a list of query values)
            return super().url_for(endpoint, _anchor=_anchor, **values)

    def _build_relative_url(self, _script_root: str, endpoint: str, key: tuple, anchor: str | None) -> str:
        """Flask's answer, built in the request that first needs it (the script root is in the cache key)."""
        return super().url_for(endpoint, _anchor=anchor, **{name: value for name, _type, value in key})
