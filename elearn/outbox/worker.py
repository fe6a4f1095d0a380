"""The senders' loop: every channel of the outbox delivered in turn, until stopped.

``elearn serve`` runs it in a process of its own beside the web workers (``python -m
elearn.outbox.worker``), so a slow or unreachable peer never holds a learner's request. A channel whose
peer is not configured (no LRS set) is skipped; its messages wait. The loop sleeps while there is nothing
to send, or until the next retry is due, and wakes at once when stopped.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from flask import Flask
from sqlmodel import Session

from elearn.db import session_scope
from elearn.models.base import utcnow
from elearn.outbox.delivery import StepReport, Transport, drain, send_step

log = logging.getLogger(__name__)

#: A channel's transport for this session and configuration, or None when its peer is not configured.
TransportFactory = Callable[[Session, Mapping[str, Any]], Transport | None]

#: Seconds between two looks at an empty or blocked outbox.
IDLE_SECONDS = 2.0


def channels() -> dict[str, TransportFactory]:
    """Every channel and how to reach its peer."""
    from elearn.models.outbox import XAPI
    from elearn.xapi.sender import xapi_transport

    found: dict[str, TransportFactory] = {XAPI: xapi_transport}
    try:
        from elearn.lti.scores import LTI_SCORE, score_transport
    except ImportError:
        return found
    found[LTI_SCORE] = score_transport
    return found


def send_channel(app: Flask, channel: str, factory: TransportFactory, *, once: bool, force: bool = False) -> StepReport | None:
    """One step (``once``) or a full drain of one channel; None when its peer is not configured."""
    with app.app_context(), session_scope(app) as session:
        transport = factory(session, app.config)
        if transport is None:
            return None
        if once:
            return send_step(session, channel, transport, force=force)
        return drain(session, channel, transport, force=force)


def run_forever(app: Flask, stop: threading.Event, idle: float = IDLE_SECONDS) -> None:
    """Deliver every channel until ``stop`` is set."""
    known = channels()
    while not stop.is_set():
        busy, wake_at = False, None
        for channel, factory in known.items():
            try:
                report = send_channel(app, channel, factory, once=True)
            except Exception:  # noqa: BLE001 - a database outage must not end the loop; it is retried
                log.exception("outbox: channel %s failed", channel)
                continue
            if report is None:
                continue
            busy = busy or report.more_to_do
            if report.error:
                log.warning("outbox: %s: %s", channel, report.error)
            if report.waiting_until is not None:
                wake_at = report.waiting_until if wake_at is None else min(wake_at, report.waiting_until)
        if not busy:
            stop.wait(_pause(idle, wake_at, utcnow()))


def _pause(idle: float, wake_at: datetime | None, now: datetime) -> float:
    if wake_at is None:
        return idle
    return max(0.05, min(idle, (wake_at - now).total_seconds()))


def main() -> None:
    """Entry point of the senders' process: its own application, stopped cleanly by SIGTERM or SIGINT."""
    from elearn import create_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    app = create_app()
    log.info("outbox sender started")
    run_forever(app, stop)
    log.info("outbox sender stopped")


if __name__ == "__main__":
    main()
