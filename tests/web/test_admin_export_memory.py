"""An export of 100,000 records through the web is streamed: memory stays bounded while it is read.

The bound is on memory, not time: tracemalloc's peak while the response is consumed must stay far
below the size of the file itself, which is only possible if rows are never all held at once.
"""

from __future__ import annotations

import tracemalloc
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from elearn.db import get_engine
from elearn.models import ModuleProgress, User

LEARNERS = 20_000
MODULES = ("premiers-pas", "suite", "cadre-legal", "situations", "ressources")
RECORDS = LEARNERS * len(MODULES)
PEAK_BOUND = 8 * 1024 * 1024
FIRST_ID = 1_000  # clear of the accounts the fixtures create


def seed_records(app) -> None:  # noqa: ANN001
    """100,000 completion records (20,000 learners × 5 modules), inserted in bulk."""
    start = datetime(2026, 2, 1, tzinfo=UTC)
    users = [
        {"id": n, "email": f"apprenant{n}@exemple.fr", "full_name": f"Apprenant·e n°{n} Éléonore", "profession": "Infirmier",
         "password_hash": "x", "role": "learner", "is_active": True, "session_version": 1, "created_at": start}
        for n in range(FIRST_ID, FIRST_ID + LEARNERS)
    ]
    progress = [
        {"user_id": n, "module_slug": slug, "started_at": start, "last_activity_at": start + timedelta(hours=1),
         "completed_at": start + timedelta(hours=1), "completion_score": 80.0, "completion_content_hash": "h"}
        for n in range(FIRST_ID, FIRST_ID + LEARNERS)
        for slug in MODULES
    ]
    with get_engine(app).begin() as connection:
        connection.execute(insert(User), users)
        connection.execute(insert(ModuleProgress), progress)


def test_export_of_100000_records_is_streamed_within_a_memory_bound(app, client, auth, admin):
    seed_records(app)
    auth.login(admin.email)
    tracemalloc.start()
    try:
        response = client.get("/admin/exports/completions.csv-fr")
        assert response.status_code == 200 and response.is_streamed
        size = lines = 0
        for chunk in response.response:
            size += len(chunk)
            lines += chunk.count(b"\n")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert lines == RECORDS + 2  # the comment line naming the organisation, the header, then every record
    assert size > 2 * PEAK_BOUND, "the file must be bigger than the bound for the bound to mean anything"
    assert peak < PEAK_BOUND, f"peak {peak / 2**20:.1f} MiB while streaming {size / 2**20:.1f} MiB"
