"""The learner's own evidence pack (« mon dossier de preuves »), a streamed ZIP recorded in the audit trail."""

from __future__ import annotations

from flask_login import current_user, login_required

from elearn.db import get_session
from elearn.evidence.pack import learner_pack
from elearn.models.base import utcnow
from elearn.web.evidence import context, zip_response
from elearn.web.learn import bp


@bp.route("/progression/dossier-de-preuves.zip")
@login_required
def own_evidence():
    chunks = learner_pack(get_session(), current_user, context(make_missing=True), utcnow())
    return zip_response(chunks, "mon-dossier-de-preuves.zip", target=f"user:{current_user.id}")
