"""LTI 1.3 endpoints an LMS calls: key set, login initiation, launch, deep linking response."""

from flask import Blueprint

bp = Blueprint("lti", __name__, url_prefix="/lti")

from elearn.web.lti import routes  # noqa: E402,F401
