"""The audit trail page: exports, role changes, revocations, erasures, filtered and paginated."""

from __future__ import annotations

from flask import render_template, request

from elearn.db import get_session
from elearn.groups import all_groups
from elearn.reporting.audit_trail import action_label, audit_page, recorded_actions
from elearn.reporting.paging import clamp_page
from elearn.web.admin import bp


@bp.route("/audit")
def audit():
    action = request.args.get("action", "").strip()
    session = get_session()
    page = audit_page(session, action, clamp_page(request.args.get("page")))
    actions = [(name, action_label(name)) for name in recorded_actions(session)]
    # A deleted group's events stay, named by number without a link (its page is gone).
    group_ids = {group.id for group in all_groups(session)}
    return render_template("admin/audit.html", page=page, action=action, actions=actions, group_ids=group_ids)
