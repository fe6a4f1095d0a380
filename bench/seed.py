"""The benchmark's data: a seeded database and a generated catalog of 50 modules.

The database holds the shipped modules' learners at scale: 33,334 learners who completed the first
three shipped modules (100,002 completion records, as many quiz attempts and activity rows, however
many modules ship), inserted in bulk, plus ``clients`` learners with real passwords whom the load
generator logs in. Those have completed the first module, so the second one (the measured section and
quiz) is open to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from argon2 import PasswordHasher
from sqlalchemy import insert

from elearn import create_app, migrate
from elearn.accounts import create_user
from elearn.db import get_engine, session_scope
from elearn.models import ActiveTime, ModuleProgress, QuizAttempt
from elearn.models import User as UserTable
from elearn.web.modules import get_library

PASSWORD = "benchmark password 2026"
BULK_LEARNERS = 33_334
#: Modules each bulk learner completed: 3 × 33,334 = the 100,002 records the export target is about.
BULK_MODULES = 3
FIRST_BULK_ID = 100_000
BATCH = 5_000
START = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)
#: The capacity ramp's learners (bench/capacity.py): ids after the bulk ones.
FIRST_CAPACITY_ID = 200_000
#: The heartbeat scenario's pool of learners (bench/load.py): ids after the capacity ones.
FIRST_HEARTBEAT_ID = 300_000
#: Argon2 parameters of the capacity learners' passwords, which the benchmark's app then uses too
#: (bench/apps.py): ten thousand log-ins must not each cost a production hash during the ramp.
CHEAP_HASH = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


@dataclass(frozen=True)
class Target:
    """What the load generator asks for: the measured module, section and quiz, and who logs in."""

    module: str
    section: str
    quiz_section: str
    quiz: str
    answers: dict[str, list[str]]
    emails: tuple[str, ...]


def bench_config(instance: Path, database_url: str, modules_dir: Path, media_dir: Path) -> dict[str, object]:
    """The application configuration of the benchmark (CSRF off: the load generator posts forms blind)."""
    return {
        "SECRET_KEY": "benchmark-secret",
        "WTF_CSRF_ENABLED": False,
        "ELEARN_INSTANCE_DIR": str(instance),
        "ELEARN_DATABASE_URL": database_url,
        "ELEARN_MODULES_DIR": str(modules_dir),
        "ELEARN_MEDIA_DIR": str(media_dir),
    }


def seed(config: dict[str, object], clients: int) -> Target:
    """Migrate and fill the database; return what the load generator needs."""
    app = create_app(config)
    migrate.upgrade(get_engine(app))
    with app.app_context():
        modules = get_library().modules()
        first, measured = modules[0], modules[1]
        section = next(s for s in measured.sections if s.quizzes)
        quiz = section.quizzes[0]
        emails = tuple(_bench_learners(clients, first.slug, first.content_hash))
        bulk = modules[:BULK_MODULES]
        _bulk_learners([m.slug for m in bulk], [m.content_hash for m in bulk])
    get_engine(app).dispose()
    answers = {q.id: sorted(q.correct_ids) for q in quiz.questions}
    return Target(measured.slug, measured.sections[0].id, section.id, quiz.id, answers, emails)


def _bench_learners(count: int, completed_slug: str, content_hash: str) -> list[str]:
    emails = [f"charge{n}@exemple.fr" for n in range(count)]
    with session_scope() as session:
        for email in emails:
            user = create_user(session, email=email, full_name=f"Apprenant·e charge {email}", password=PASSWORD)
            session.add(ModuleProgress(user_id=user.id, module_slug=completed_slug, started_at=START,
                                       last_activity_at=START, completed_at=START, completion_score=90.0,
                                       completion_content_hash=content_hash))
    return emails


def _bulk_learners(slugs: list[str], hashes: list[str]) -> None:
    """Rows as the learning code leaves them, inserted in batches (ids clear of the bench learners)."""
    engine = get_engine()
    for start in range(FIRST_BULK_ID, FIRST_BULK_ID + BULK_LEARNERS, BATCH):
        ids = range(start, min(start + BATCH, FIRST_BULK_ID + BULK_LEARNERS))
        with engine.begin() as connection:
            connection.execute(insert(UserTable), [_user_row(n) for n in ids])
            connection.execute(insert(ModuleProgress), [_progress_row(n, s, h, i) for n in ids for i, (s, h) in enumerate(zip(slugs, hashes))])
            connection.execute(insert(QuizAttempt), [_attempt_row(n, s, h, i) for n in ids for i, (s, h) in enumerate(zip(slugs, hashes))])
            connection.execute(insert(ActiveTime), [_activity_row(n, s, i) for n in ids for i, s in enumerate(slugs)])


def _user_row(n: int) -> dict[str, object]:
    return {"id": n, "email": f"apprenant{n}@exemple.fr", "full_name": f"Éléonore Apprenant·e {n}", "profession": "Infirmier",
            "password_hash": "x", "role": "learner", "is_active": True, "session_version": 1, "created_at": START}


def _progress_row(n: int, slug: str, content_hash: str, i: int) -> dict[str, object]:
    done = START + timedelta(days=i, hours=n % 9)
    return {"user_id": n, "module_slug": slug, "started_at": done - timedelta(hours=1), "last_activity_at": done,
            "completed_at": done, "completion_score": 80.0 + n % 20, "completion_content_hash": content_hash}


def _attempt_row(n: int, slug: str, content_hash: str, i: int) -> dict[str, object]:
    return {"user_id": n, "module_slug": slug, "quiz_id": "quiz", "attempt_number": 1, "content_hash": content_hash,
            "submitted_at": START + timedelta(days=i, hours=n % 9), "points": 4.0, "max_points": 5.0, "percent": 80.0,
            "passed": True, "answers": {}, "outcome": {}}


def _activity_row(n: int, slug: str, i: int) -> dict[str, object]:
    day: date = (START + timedelta(days=i)).date()
    moment = START + timedelta(days=i)
    return {"user_id": n, "module_slug": slug, "section_id": "intro", "day": day, "seconds": 1800 + n % 600,
            "first_activity_at": moment, "last_activity_at": moment + timedelta(minutes=40)}


def generate_modules(folder: Path, modules: int = 50, sections: int = 10) -> Path:
    """``modules`` modules of ``sections`` sections each, in the authoring format, with a final quiz."""
    folder.mkdir(parents=True, exist_ok=True)
    for m in range(1, modules + 1):
        module = folder / f"{m:02d}-module-{m}"
        module.mkdir()
        module.joinpath("index.md").write_text(_front_matter(m), encoding="utf-8")
        for s in range(1, sections + 1):
            body = _quiz() if s == sections else _section_text(m, s)
            module.joinpath(f"{s:02d}-section-{s}.md").write_text(f"## Section {s} du module {m}\n\n{body}", encoding="utf-8")
    return folder


def _front_matter(m: int) -> str:
    return (f"---\ntitre: Module généré {m}\nresume: Un module de mesure.\nduree: 20\nobjectifs:\n  - Mesurer\n"
            f"ordre: {m}\n---\n\nIntroduction du module {m}.\n")


def _section_text(m: int, s: int) -> str:
    paragraph = ("Le refus de soins discriminatoire est interdit par le code de la santé publique ; "
                 "**chaque professionnel** peut le repérer, le nommer et agir avec son équipe. ")
    points = "\n".join(f"- Point {k} de la section {s} : *à retenir*." for k in range(1, 6))
    box = f"::: a-retenir À retenir {m}.{s}\nUn encadré avec un [lien](https://exemple.fr/{m}/{s}).\n:::\n"
    return f"{paragraph * 6}\n\n{points}\n\n### Pour aller plus loin\n\n{paragraph * 4}\n\n{box}"


def _quiz() -> str:
    question = ("### Ce refus est-il discriminatoire ?\n\n- (x) Oui\n  Retour : Exact.\n- ( ) Non\n  Retour : Si.\n\n"
                "Explication : Le motif n'est pas médical.\n\n")
    return "::: quiz Quiz de fin de module\n" + question * 5 + ":::\n"


def seed_capacity_learners(config: dict[str, object], count: int, first_id: int = FIRST_CAPACITY_ID) -> tuple[list[str], str]:
    """``count`` learners for the capacity ramp (or the heartbeat scenario's pool, from ``first_id``),
    who completed the first module; their e-mails and the module they go on to (the second one, which
    has quizzes)."""
    app = create_app(config)
    migrate.upgrade(get_engine(app))
    with app.app_context():
        first, second = get_library().modules()[:2]
        password_hash = PasswordHasher(**CHEAP_HASH).hash(PASSWORD)
        engine = get_engine()
        for start in range(first_id, first_id + count, BATCH):
            ids = range(start, min(start + BATCH, first_id + count))
            with engine.begin() as connection:
                connection.execute(insert(UserTable), [{**_user_row(n), "email": f"lecteur{n}@exemple.fr", "password_hash": password_hash} for n in ids])
                connection.execute(insert(ModuleProgress), [_progress_row(n, first.slug, first.content_hash, 0) for n in ids])
    get_engine(app).dispose()
    return [f"lecteur{n}@exemple.fr" for n in range(first_id, first_id + count)], second.slug
