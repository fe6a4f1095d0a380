"""Administrators' pages: accounts, completions, exports, audit trail."""

from flask import Blueprint

from elearn.models import Role
from elearn.web.access import restrict_blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
restrict_blueprint(bp, Role.ADMIN)

from elearn.web.admin import routes  # noqa: E402,F401 - registers the routes on bp
