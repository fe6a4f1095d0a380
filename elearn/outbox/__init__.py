"""The outbox: messages to other systems (a learning record store, an LMS gradebook) queued in the
transaction that records the fact they report, then delivered in order by a sender, with retries.

- :mod:`elearn.outbox.queue` writes messages (``queue``) and reads the backlog (``backlog``);
- :mod:`elearn.outbox.delivery` is the generic sending step: take the oldest messages of a channel,
  hand them to the channel's transport, record success or schedule a retry with backoff;
- :mod:`elearn.outbox.worker` runs every channel's sender in a loop (``elearn serve`` starts it).
"""
