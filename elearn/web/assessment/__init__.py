"""Learners' assessments and surveys: positioning test, final assessment, satisfaction questionnaires."""

from flask import Blueprint

bp = Blueprint("assessment", __name__, url_prefix="/evaluation")

from elearn.web.assessment import routes  # noqa: E402,F401 - registers the routes on bp
from elearn.web.assessment import surveys  # noqa: E402,F401 - satisfaction surveys
