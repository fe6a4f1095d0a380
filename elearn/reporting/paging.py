"""One page of a long list, with what the pager needs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """``items`` of page ``number`` (from 1) out of ``total`` items, ``size`` per page."""

    items: list[T]
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @classmethod
    def within(cls, number: int, size: int, total: int) -> Page[T]:
        """Page ``number`` still empty, moved to the last page when the list is shorter.

        A page past the end shows nothing useful, and a huge number would make an offset the database's
        integers cannot hold.
        """
        return cls([], min(max(1, number), cls([], 1, size, total).pages), size, total)


def clamp_page(number: int | str | None) -> int:
    """A page number from a query string: invalid or negative values mean the first page.

    Too large a number is brought back to the last page by :meth:`Page.within`, which knows the total.
    """
    try:
        return max(1, int(number or 1))
    except (TypeError, ValueError):
        return 1
