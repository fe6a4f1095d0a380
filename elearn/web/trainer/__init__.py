"""Trainers' pages: module validation status and previews."""

from flask import Blueprint

from elearn.models import Role
from elearn.web.access import restrict_blueprint

bp = Blueprint("trainer", __name__, url_prefix="/trainer")
restrict_blueprint(bp, Role.TRAINER, Role.ADMIN)

from elearn.web.trainer import routes  # noqa: E402,F401 - registers the routes on bp
from elearn.web.trainer import reflections  # noqa: E402,F401 - shared reflections and workshop syntheses
from elearn.web.trainer import packages  # noqa: E402,F401 - SCORM packages and offline editions
from elearn.web.trainer import outcomes  # noqa: E402,F401 - knowledge gain and satisfaction of a group
from elearn.web.trainer import editor  # noqa: E402,F401 - the module editor: drafts, publication, history
from elearn.web.trainer import media  # noqa: E402,F401 - media uploads and unused media
