"""Learners' pages: catalog, reader, quizzes, progress, time on task."""

from flask import Blueprint

bp = Blueprint("learn", __name__)

from elearn.web.learn import routes  # noqa: E402,F401 - registers the routes on bp
from elearn.web.learn import reflection  # noqa: E402,F401 - reflection answers (autosave, sharing)
from elearn.web.learn import certificate  # noqa: E402,F401 - the learner's certificate
from elearn.web.learn import evidence  # noqa: E402,F401 - the learner's evidence pack
