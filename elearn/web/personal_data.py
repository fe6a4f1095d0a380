"""The person's data file (RGPD right of access), one file whoever hands it out.

An administrator downloads it from the account's page; the person downloads the same file from
« Mon compte ». Either way the download is written to the audit trail with who made it.
"""

from __future__ import annotations

import json

from flask import Response

from elearn import privacy
from elearn.db import get_session
from elearn.models import User


def personal_data_download(user: User, *, actor: User) -> Response:
    """Everything held about ``user`` as a JSON attachment, recorded as handed out by ``actor``."""
    session = get_session()
    data = privacy.personal_data(session, user)
    privacy.record_data_export(session, user, actor=actor)
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="donnees-personnelles-{user.id}.json"', "Cache-Control": "no-store"},
    )
