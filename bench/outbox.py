"""What the xAPI outbox costs a quiz submission: server CPU per submission with and without it.

A quiz submission queues one ``answered`` statement per question and one ``passed``/``failed`` statement,
in the same transaction as the attempt. The measurement submits quiz attempts through the real Flask
application (test client, one process: all the CPU counted is the server's), alternating batches with
the outbox on and off (the queuing functions replaced by no-ops) so drift in the machine's speed falls on
both alike, and reports the median CPU time of a submission each way.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any
from unittest import mock

ROUNDS = 20
SUBMISSIONS_PER_ROUND = 25
QUIZ = "/modules/premiers-pas/quiz/verifier-ses-acquis-quiz-1"
ANSWERS = {"q1": "c2", "q2": ["c3"]}  # wrong: the module never completes, every attempt is alike


def _round(app: Any, email: str, outbox: bool) -> float:
    """CPU seconds per submission for one fresh learner's ``SUBMISSIONS_PER_ROUND`` attempts."""
    from tests.conftest import PASSWORD

    client = app.test_client()
    client.post("/login", data={"email": email, "password": PASSWORD})
    client.get("/modules/premiers-pas/verifier-ses-acquis")
    patch = mock.patch("elearn.learning.quizzes.xapi.quiz_attempted") if not outbox else _Nothing()
    with patch:
        started = time.process_time()
        for number in range(1, SUBMISSIONS_PER_ROUND + 1):
            response = client.post(QUIZ, data={**ANSWERS, "tentative": number})
            assert response.status_code == 302, response.status_code
        return (time.process_time() - started) / SUBMISSIONS_PER_ROUND


class _Nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *_: object) -> None:
        return None


def quiz_submission_cpu(database_url: str | None = None) -> dict[str, Any]:
    """Median CPU per quiz submission with and without the outbox, and the overhead in percent."""
    from sqlmodel import func, select

    from elearn.db import session_scope
    from elearn.models import OutboxMessage
    from tests.conftest import add_user, make_test_app

    folder = Path(tempfile.mkdtemp(prefix="elearn-bench-outbox-"))
    app = make_test_app(folder, **({"ELEARN_DATABASE_URL": database_url} if database_url else {}))
    times: dict[bool, list[float]] = {True: [], False: []}
    for index in range(ROUNDS * 2 + 2):
        outbox = index % 2 == 0
        email = f"bench-{index}@exemple.fr"
        add_user(app, email)
        seconds = _round(app, email, outbox)
        if index >= 2:  # the first pair warms the library, the templates and the connection pool
            times[outbox].append(seconds)
    with app.app_context(), session_scope() as session:
        queued = session.exec(select(func.count()).select_from(OutboxMessage)).one()
    with_outbox, without = statistics.median(times[True]), statistics.median(times[False])
    return {
        "with_ms": with_outbox * 1000,
        "without_ms": without * 1000,
        "overhead_percent": 100 * (with_outbox - without) / without,
        "queued": queued,
        "submissions": ROUNDS * SUBMISSIONS_PER_ROUND * 2,
    }


def main() -> None:
    figures = quiz_submission_cpu()
    print(
        f"quiz submission, server CPU: {figures['without_ms']:.2f} ms without the outbox, {figures['with_ms']:.2f} ms with it "
        f"(+{figures['overhead_percent']:.1f} %, target < 10 %); {figures['queued']} outbox messages queued"
    )


if __name__ == "__main__":
    main()
