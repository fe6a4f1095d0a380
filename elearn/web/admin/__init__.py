"""Administrators' pages: dashboard, learners, exports, accounts and the audit trail."""

from flask import Blueprint

from elearn.models import Role
from elearn.web.access import restrict_blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
restrict_blueprint(bp, Role.ADMIN)

# Importing the route modules registers their views on bp.
from elearn.web.admin import audit, dashboard, exports, learners, routes  # noqa: E402,F401
from elearn.web.admin import accounts, certificates, evidence, groups, lti, modules, organisation, xapi  # noqa: E402,F401
