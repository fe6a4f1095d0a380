"""Who is using an instance folder: servers hold a shared lock on it, a restore an exclusive one.

A restore replaces the database under the application's feet, so it must never run while a server
serves from the same instance folder. A pid file cannot tell that reliably (a server killed with
``kill -9`` leaves it behind; a pid is reused), so servers take a shared ``flock`` on
``instance/.server.lock`` and keep it for their whole life. The kernel drops it when the last process
holding it ends, however it ends; gunicorn's workers inherit it from the master, so a server counts as
running as long as any of its processes does. ``elearn restore`` asks for the exclusive lock without
waiting: refused while any server holds the shared one, and while it holds it no server can start.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_FILE = ".server.lock"


class InstanceBusy(Exception):
    """The instance folder is in use: a server runs on it, or a restore is under way."""


def _open(instance_dir: Path) -> int:
    instance_dir.mkdir(parents=True, exist_ok=True)
    return os.open(instance_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)


def hold_for_server(instance_dir: Path) -> int:
    """Take the shared lock for a server's lifetime and return its descriptor (left open on purpose).

    Raises :class:`InstanceBusy` while a restore holds the folder.
    """
    descriptor = _open(instance_dir)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError as error:
        os.close(descriptor)
        raise InstanceBusy(
            f"Une restauration est en cours sur {instance_dir} : attendez qu'elle se termine avant de démarrer le serveur."
        ) from error
    return descriptor


@contextmanager
def exclusive(instance_dir: Path) -> Iterator[None]:
    """Hold the folder alone (a restore); :class:`InstanceBusy` at once when a server uses it."""
    descriptor = _open(instance_dir)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise InstanceBusy(
                f"Un serveur elearn fonctionne encore sur {instance_dir} : arrêtez-le "
                "(par exemple « systemctl stop elearn ») puis recommencez. Rien n'a été modifié."
            ) from error
        yield
    finally:
        os.close(descriptor)  # closing the descriptor releases the lock
