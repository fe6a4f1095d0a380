"""A ZIP archive written to a stream as it is made, with the SHA-256 of every file it holds.

:mod:`zipfile` writes to any object with ``write``: without ``seek`` it uses data descriptors, so
nothing is rewritten in place. :class:`ZipStream` collects what zipfile writes and hands it out in
chunks after each file, for a streamed HTTP response or a file.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Iterator
from datetime import datetime


class _Sink:
    """What zipfile writes, kept until :meth:`drain`."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.position = 0

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        pass

    def drain(self) -> Iterator[bytes]:
        chunks, self.chunks = self.chunks, []
        yield from chunks


class ZipStream:
    """Add files, drain the bytes written so far, close; ``digests`` maps each path to its SHA-256."""

    def __init__(self, moment: datetime) -> None:
        self._sink = _Sink()
        self._zip = zipfile.ZipFile(self._sink, "w")  # type: ignore[arg-type]
        self._date = (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
        self.digests: dict[str, str] = {}

    def add(self, path: str, content: bytes, *, compress: bool = True) -> Iterator[bytes]:
        """Write one file (PDFs are already compressed: ``compress=False``) and yield the bytes produced."""
        info = zipfile.ZipInfo(path, date_time=self._date)
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        info.external_attr = 0o644 << 16
        self._zip.writestr(info, content)
        self.digests[path] = hashlib.sha256(content).hexdigest()
        yield from self._sink.drain()

    def close(self) -> Iterator[bytes]:
        """Write the central directory and yield the last bytes."""
        self._zip.close()
        yield from self._sink.drain()
