"""Configuration: the secret key kept in instance/ is created once, even by workers starting together."""

from __future__ import annotations

import multiprocessing
import stat
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from elearn import config

WORKERS = 16


def _key_after_barrier(instance: Path, barrier) -> str:  # noqa: ANN001 - a threading or multiprocessing barrier
    barrier.wait()
    return config.load_or_create_secret_key(instance)


def _process_worker(instance: str, barrier, results) -> None:  # noqa: ANN001
    try:
        results.put(_key_after_barrier(Path(instance), barrier))
    except Exception as error:  # noqa: BLE001 - the parent reports what went wrong
        results.put(f"error: {error!r}")


def _assert_one_private_key(instance: Path, keys: list[str]) -> None:
    stored = (instance / "secret_key").read_text(encoding="utf-8").strip()
    assert len(stored) == 64
    assert set(keys) == {stored}, f"workers disagree: {sorted(set(keys))[:3]}"
    assert stat.S_IMODE((instance / "secret_key").stat().st_mode) == 0o600
    assert [p.name for p in instance.iterdir()] == ["secret_key"]  # no temporary file left behind


def test_threads_starting_together_share_one_key(tmp_path):
    instance = tmp_path / "instance"
    for _ in range(20):  # a race is a matter of luck: give it many chances
        for leftover in instance.glob("*"):
            leftover.unlink()
        barrier = threading.Barrier(WORKERS)
        with ThreadPoolExecutor(WORKERS) as pool:
            keys = list(pool.map(lambda _: _key_after_barrier(instance, barrier), range(WORKERS)))
        _assert_one_private_key(instance, keys)


def test_processes_starting_together_share_one_key(tmp_path):
    """What gunicorn does: several worker processes building the app at the same moment."""
    context = multiprocessing.get_context("fork")
    for attempt in range(5):
        instance = tmp_path / f"instance-{attempt}"
        barrier, results = context.Barrier(WORKERS), context.Queue()
        workers = [context.Process(target=_process_worker, args=(str(instance), barrier, results)) for _ in range(WORKERS)]
        for worker in workers:
            worker.start()
        keys = [results.get(timeout=30) for _ in workers]
        for worker in workers:
            worker.join(timeout=30)
        _assert_one_private_key(instance, keys)


def test_an_existing_key_is_kept(tmp_path):
    (tmp_path / "secret_key").write_text("kept-key\n", encoding="utf-8")
    assert config.load_or_create_secret_key(tmp_path) == "kept-key"


def test_settings_use_the_environment_key_without_touching_the_disk(tmp_path, monkeypatch):
    monkeypatch.setenv("ELEARN_INSTANCE_DIR", str(tmp_path / "instance"))
    monkeypatch.setenv("ELEARN_SECRET_KEY", "from-the-environment")
    assert config.Settings().to_flask()["SECRET_KEY"] == "from-the-environment"
    assert not (tmp_path / "instance" / "secret_key").exists()


def test_a_key_file_still_empty_is_read_again(tmp_path):
    """A worker of an older version may have created the file and not yet written it."""
    key_file = tmp_path / "secret_key"
    key_file.touch()
    writer = threading.Timer(0.1, key_file.write_text, args=("written-late",))
    writer.start()
    try:
        assert config.load_or_create_secret_key(tmp_path) == "written-late"
    finally:
        writer.join()
