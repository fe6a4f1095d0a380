"""Administrators' evidence packs: one learner's, or a group's and/or a period's (streamed ZIPs, audit-trailed)."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, request, url_for

from elearn.db import get_session
from elearn.evidence.pack import UnknownGroup, group_pack, learner_pack, learners_for, period_scope
from elearn.i18n import _
from elearn.models import Role, User
from elearn.models.base import utcnow
from elearn.web.admin import bp
from elearn.web.evidence import context, zip_response


@bp.route("/learners/<int:user_id>/evidence.zip")
def learner_evidence(user_id: int):
    user = get_session().get(User, user_id)
    if user is None or user.role != Role.LEARNER.value:
        abort(404)
    chunks = learner_pack(get_session(), user, context(make_missing=True), utcnow())
    return zip_response(chunks, f"dossier-de-preuves-{user.id}.zip", target=f"user:{user.id}")


@bp.route("/evidence.zip")
def group_evidence():
    """``group`` (a name), ``from`` and ``to`` (ISO dates), each optional, as on the exports page (whose
    other filters, passed along by its link, do not apply to packs)."""
    try:
        start, end = (_date(request.args.get(key, "")) for key in ("from", "to"))
    except ValueError:
        flash(_("Dates invalides : utilisez le sélecteur de date."), "error")
        return redirect(url_for("admin.exports"))
    group = request.args.get("group", "").strip() or None
    try:
        users = learners_for(get_session(), group, start, end)
    except UnknownGroup:
        flash(_("Le groupe « %(name)s » n'existe pas.", name=group), "error")
        return redirect(url_for("admin.exports"))
    scope = period_scope(group, start, end)
    chunks = group_pack(get_session(), users, context(), utcnow(), scope)
    return zip_response(chunks, "dossiers-de-preuves.zip", target=f"group:{group}" if group else "period", learners=len(users), **scope)


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text.strip() else None
