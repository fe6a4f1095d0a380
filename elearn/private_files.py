"""Secrets kept as files in the instance folder, created once even when several workers start together."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def create_once(file: Path, content: bytes) -> None:
    """Create ``file`` (mode 0600) holding ``content``, unless it exists: the first writer wins.

    The content goes to a private temporary file of the same folder, which is then hard-linked into
    place: the file appears complete or not at all, so no reader ever sees half a key, and the link
    fails when another process got there first, whose file is kept and this ``content`` dropped.
    """
    file.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{file.name}-", dir=file.parent)  # mkstemp: mode 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.link(temporary, file)
    except FileExistsError:
        pass
    finally:
        os.unlink(temporary)
