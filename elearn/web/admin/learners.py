"""The learners table (search and filters) and one learner's training record."""

from __future__ import annotations

from flask import abort, render_template, request

from elearn.db import get_session
from elearn.models import User
from elearn.reporting.paging import clamp_page
from elearn.reporting.queries import learner_detail, learners_page
from elearn.web.admin import bp
from elearn.web.admin.reports import catalog, filter_choices, read_filters


@bp.route("/learners")
def learners():
    filters, modules = read_filters(), catalog()
    page = learners_page(get_session(), filters, modules, clamp_page(request.args.get("page")))
    return render_template("admin/learners.html", page=page, filters=filters, **filter_choices(modules))


@bp.route("/learners/<int:user_id>")
def learner(user_id: int):
    user = get_session().get(User, user_id)
    if user is None:
        abort(404)
    return render_template("admin/learner.html", detail=learner_detail(get_session(), user, catalog()))
