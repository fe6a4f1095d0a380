"""Run a piece of domain code in several worker processes at once, as gunicorn workers would.

Each worker is a forked process that builds its own application (so its own engine and connection
pool, like a real worker), waits at a barrier until every worker is ready, then runs the job; the
results come back in worker order. An exception in a worker is re-raised in the test.
"""

from __future__ import annotations

import multiprocessing
import queue
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask

from elearn.db import get_engine

T = TypeVar("T")
TIMEOUT_SECONDS = 60


class WorkerFailed(AssertionError):
    """A worker process raised, or did not answer in time."""


def run_in_workers(count: int, make_app: Callable[[], Flask], job: Callable[[Flask, int], T]) -> list[T]:
    """``job(app, index)`` in ``count`` processes started together; their results, index order."""
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(count)
    results: Any = context.Queue()

    def target(index: int) -> None:
        try:
            app = make_app()
            barrier.wait(TIMEOUT_SECONDS)
            results.put((index, job(app, index), None))
            get_engine(app).dispose()
        except BaseException as exc:  # noqa: BLE001 - reported to the test, whatever it is
            results.put((index, None, f"{type(exc).__name__}: {exc}"))

    processes = [context.Process(target=target, args=(index,), daemon=True) for index in range(count)]
    for process in processes:
        process.start()
    try:
        collected = [results.get(timeout=TIMEOUT_SECONDS) for _ in processes]
    except queue.Empty as exc:
        raise WorkerFailed(f"a worker did not answer within {TIMEOUT_SECONDS} s") from exc
    finally:
        for process in processes:
            process.join(timeout=5)
    errors = [f"worker {index}: {error}" for index, _, error in collected if error]
    if errors:
        raise WorkerFailed("\n".join(errors))
    return [result for _, result, _ in sorted(collected, key=lambda item: item[0])]
