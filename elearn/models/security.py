"""Rate-limit counters shared by every worker process (see :mod:`elearn.security.ratelimit`).

One row counts the hits of one key in one time window. The key is a keyed hash of an action and its
subject (an IP address, an e-mail address): the table can recognise a client without holding any
address in clear, and rows are deleted once their window no longer matters.
"""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class RateLimitCounter(SQLModel, table=True):
    """Hits of ``key`` in the window starting at ``window_start`` (Unix seconds; 0 for lock-out rows)."""

    key: str = Field(max_length=64, primary_key=True)
    window_start: int = Field(primary_key=True)
    count: int = Field(default=0)
    #: Unix time of the latest hit: lock-out delays run from the latest failure.
    last_hit: int = Field(default=0)
    #: Unix time after which the row is useless and may be purged.
    expires_at: int = Field(index=True)
