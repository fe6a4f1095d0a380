"""The evidence pack of a 1,000-learner group: seeded, then written in a fresh process (time, peak memory).

``make bench BENCH_ARGS="--only evidence"`` (or ``python -m bench.run --only evidence``) runs this
scenario alone. Each learner has what a finished path leaves: six module completions, twelve quiz
attempts, thirty days × sections of active time, and a certificate whose two signed PDFs (about 60 kB
each, incompressible like real ones) are stored. Target: under 30 s and 200 MB peak on this machine.
"""

from __future__ import annotations

import os
import random
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

GROUP = "Groupe du banc d'essai"
LEARNERS = 1000
PDF_BYTES = 60_000
SECONDS_TARGET = 30.0
PEAK_MB_TARGET = 200.0
MODULES = ("bienvenue", "definition", "criteres", "situations", "mecanismes", "agir")


def seed_group(config: dict[str, Any], learners: int = LEARNERS) -> None:
    """A group of ``learners`` learners, each with a finished path's records, inserted in bulk."""
    from sqlalchemy import insert

    from elearn import create_app, migrate
    from elearn.certificates.codes import new_code
    from elearn.db import get_engine
    from elearn.models import ActiveTime, Certificate, CertificateDocument, ModuleProgress, QuizAttempt, TrainingGroup, User

    app = create_app(config)
    engine = get_engine(app)
    migrate.upgrade(engine)
    generator = random.Random(16)
    start = datetime(2026, 10, 1, 8, tzinfo=UTC)
    with engine.begin() as connection:
        group_id = connection.execute(insert(TrainingGroup).values(name=GROUP, join_code="BENCH-EVID1")).inserted_primary_key[0]
        for number in range(learners):
            user_id = connection.execute(insert(User).values(
                email=f"preuve{number}@exemple.fr", full_name=f"Apprenant·e {number:04d}", password_hash="x",
                role="learner", profession="Infirmière", group_id=group_id, is_active=True, created_at=start,
            )).inserted_primary_key[0]
            connection.execute(insert(ModuleProgress), [
                {"user_id": user_id, "module_slug": slug, "started_at": start, "last_activity_at": start,
                 "completed_at": start + timedelta(days=i), "completion_score": 90.0, "completion_content_hash": "h" * 64}
                for i, slug in enumerate(MODULES)
            ])
            connection.execute(insert(QuizAttempt), [
                {"user_id": user_id, "module_slug": slug, "quiz_id": f"quiz-{slug}", "attempt_number": n, "content_hash": "h" * 64,
                 "submitted_at": start + timedelta(days=i, minutes=n), "points": 7, "max_points": 8, "percent": 87.5,
                 "passed": n == 2, "answers": {}, "outcome": {}}
                for i, slug in enumerate(MODULES) for n in (1, 2)
            ])
            connection.execute(insert(ActiveTime), [
                {"user_id": user_id, "module_slug": MODULES[day % 6], "section_id": f"section-{section}",
                 "day": date(2026, 10, 1) + timedelta(days=day), "seconds": 300,
                 "first_activity_at": start + timedelta(days=day), "last_activity_at": start + timedelta(days=day, minutes=5)}
                for day in range(10) for section in range(3)
            ])
            certificate_id = connection.execute(insert(Certificate).values(
                code=new_code(), user_id=user_id, path_version="2026.1", sequence=1, issued_at=start, credential="{}",
            )).inserted_primary_key[0]
            connection.execute(insert(CertificateDocument), [
                {"certificate_id": certificate_id, "kind": kind, "pdf": generator.randbytes(PDF_BYTES), "sha256": "0" * 64,
                 "created_at": start}
                for kind in ("attestation", "realisation")
            ])
    engine.dispose()


def write_group_pack(config: dict[str, Any], output: str) -> dict[str, Any]:
    """Measured in a fresh process (bench/offline.py): the group's pack written to ``output``."""
    from bench.offline import _reset_peak, _status_mb
    from elearn import create_app
    from elearn.certificates import signing
    from elearn.db import session_scope
    from elearn.evidence.pack import PackContext, group_names, group_pack, learners_for, period_scope
    from elearn.models.base import utcnow

    app = create_app(config)
    baseline = _status_mb("VmRSS")
    _reset_peak()
    with app.app_context(), session_scope() as session:
        start = time.perf_counter()
        users = learners_for(session, GROUP, None, None)
        key = signing.load_or_create_private_key(Path(config["ELEARN_INSTANCE_DIR"]))
        context = PackContext(key, "Banc d'essai", {}, group_names(session))
        size = 0
        with open(output, "wb") as handle:
            for chunk in group_pack(session, users, context, utcnow(), period_scope(GROUP, None, None)):
                handle.write(chunk)
                size += len(chunk)
        seconds = time.perf_counter() - start
    os.remove(output)
    return {"seconds": seconds, "bytes": size, "learners": len(users), "peak_mb": _status_mb("VmHWM"), "baseline_mb": baseline}
