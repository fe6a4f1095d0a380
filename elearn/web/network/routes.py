"""Sharing a situation with the network: what the network is, the confidentiality rule, the form."""

from __future__ import annotations

from flask import redirect, render_template, url_for

from elearn.db import get_session
from elearn.network.situations import SituationDraft, SituationError, submit_situation
from elearn.web.network import bp
from elearn.web.network.forms import SituationForm


@bp.route("/")
def index():
    return render_template("network/index.html")


@bp.route("/signaler", methods=["GET", "POST"])
def submit():
    """Nothing is stored until the form is valid and the texts identify nobody; the form keeps what was typed."""
    form = SituationForm()
    findings = {}
    if form.validate_on_submit():
        draft = SituationDraft(
            what_happened=form.what_happened.data or "",
            care_stage=form.care_stage.data or "",
            criterion=form.criterion.data or "",
            action_taken=form.action_taken.data or "",
        )
        try:
            submit_situation(get_session(), draft)
        except SituationError as error:
            findings = error.findings
            for name, messages in error.errors.items():
                form[name].errors = list(form[name].errors) + messages
        else:
            return redirect(url_for("network.thanks"))
    return render_template("network/submit.html", form=form, findings=findings)


@bp.route("/merci")
def thanks():
    return render_template("network/thanks.html")
