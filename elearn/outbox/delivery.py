"""One sending step of a channel: the oldest waiting messages go to the channel's transport, in order.

Order is kept by never sending a message before the ones queued ahead of it: when a message fails, the
step stops there and that message (the head of the queue) waits for its next attempt, its delay doubling
with each failure from :data:`FIRST_RETRY_SECONDS` up to :data:`MAX_RETRY_SECONDS`. A message the peer
refuses for good (malformed, per its answer) is set aside as rejected with the reason, so it cannot
block the queue; everything else (peer down, time-out, wrong credentials) is retried until it passes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from elearn.models.base import utcnow
from elearn.models.outbox import OutboxMessage
from elearn.reporting.moments import as_utc

FIRST_RETRY_SECONDS = 2
MAX_RETRY_SECONDS = 300
BATCH_SIZE = 50
#: Longest error text kept on a message (peers can answer with whole HTML pages).
MAX_ERROR_LENGTH = 500


@dataclass(frozen=True)
class SendResult:
    """What a transport did with a batch: the first ``delivered`` messages were accepted; the next one,
    if any, was ``rejected`` for good or failed with a temporary ``error``."""

    delivered: int
    rejected: str = ""
    error: str = ""


#: A transport sends messages in order and says how far it got; it never raises for a peer's failure.
Transport = Callable[[Sequence[OutboxMessage]], SendResult]


@dataclass(frozen=True)
class StepReport:
    sent: int = 0
    rejected: int = 0
    error: str = ""
    #: When nothing could be sent because the head message waits for its next attempt: until when.
    waiting_until: datetime | None = None

    @property
    def more_to_do(self) -> bool:
        """Whether another step right away may send more (this one sent a full batch's worth)."""
        return (self.sent or self.rejected) > 0 and not self.error


def retry_delay(attempts: int) -> timedelta:
    """Delay before the next attempt after ``attempts`` failures: 2 s, 4 s, 8 s, ... at most 5 minutes."""
    return timedelta(seconds=min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0), MAX_RETRY_SECONDS))


def pending(session: Session, channel: str, limit: int = BATCH_SIZE) -> list[OutboxMessage]:
    """The channel's oldest waiting messages, in queue order."""
    statement = (
        select(OutboxMessage)
        .where(col(OutboxMessage.channel) == channel, col(OutboxMessage.sent_at).is_(None))
        .order_by(col(OutboxMessage.id))
        .limit(limit)
    )
    return list(session.exec(statement))


def send_step(
    session: Session, channel: str, transport: Transport, *, now: datetime | None = None, force: bool = False,
    batch_size: int = BATCH_SIZE,
) -> StepReport:
    """Send the channel's oldest waiting messages once and record the outcome (commits).

    ``force`` sends even when the head message's next attempt is not due yet (an operator asked).
    """
    now = now or utcnow()
    messages = pending(session, channel, batch_size)
    if not messages:
        return StepReport()
    head = messages[0]
    if not force and head.next_attempt_at is not None and as_utc(head.next_attempt_at) > now:
        return StepReport(waiting_until=as_utc(head.next_attempt_at))
    result = transport(messages)
    for message in messages[: result.delivered]:
        message.sent_at, message.last_error, message.next_attempt_at = now, "", None
        session.add(message)
    report = StepReport(sent=result.delivered)
    if result.delivered < len(messages) and (result.rejected or result.error):
        stuck = messages[result.delivered]
        stuck.attempts += 1
        if result.rejected:
            stuck.sent_at, stuck.last_error = now, result.rejected[:MAX_ERROR_LENGTH]
            report = StepReport(sent=result.delivered, rejected=1)
        else:
            stuck.last_error = result.error[:MAX_ERROR_LENGTH]
            stuck.next_attempt_at = now + retry_delay(stuck.attempts)
            report = StepReport(sent=result.delivered, error=stuck.last_error, waiting_until=stuck.next_attempt_at)
        session.add(stuck)
    session.commit()
    return report


def drain(session: Session, channel: str, transport: Transport, *, force: bool = True) -> StepReport:
    """Send steps until the channel is empty or a message fails; the totals (``elearn xapi send``)."""
    sent = rejected = 0
    while True:
        step = send_step(session, channel, transport, force=force)
        sent, rejected = sent + step.sent, rejected + step.rejected
        if not step.more_to_do:
            return StepReport(sent=sent, rejected=rejected, error=step.error, waiting_until=step.waiting_until)
        force = False  # only the first step may jump the head's schedule
