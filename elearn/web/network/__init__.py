"""The vigilance network: any signed-in professional shares a situation; trainers and administrators triage."""

from flask import Blueprint

from elearn.models import Role
from elearn.web.access import restrict_blueprint

bp = Blueprint("network", __name__, url_prefix="/reseau")
restrict_blueprint(bp, Role.LEARNER, Role.TRAINER, Role.ADMIN)

from elearn.web.network import review, routes  # noqa: E402,F401 - registers the routes on bp
