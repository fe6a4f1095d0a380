"""Pages anyone may open: home, health check, certificate verification, choice of language."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from elearn.web.public import routes  # noqa: E402,F401 - registers the routes on bp
from elearn.web.public import verify  # noqa: E402,F401 - certificate verification
from elearn.web.public import language  # noqa: E402,F401 - the language switcher
