"""Measurements that run in a fresh process of their own: certificate PDF, exports, catalog start-up,
the check that page views never parse Markdown, and ``elearn package --path``.

A fresh process gives honest "cold" figures and a peak memory (``ru_maxrss``) that belongs to the
measured work alone. ``python -m bench.offline NAME ARGUMENTS-JSON`` prints the result as JSON;
:func:`measure_in_subprocess` is how bench/run.py calls it.
"""

from __future__ import annotations

import json
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def measure_in_subprocess(name: str, **arguments: Any) -> dict[str, Any]:
    """Run measurement ``name`` in a new Python process and return its JSON result."""
    command = [sys.executable, "-m", "bench.offline", name, json.dumps(arguments)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise RuntimeError(f"measurement {name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _status_mb(field: str) -> float:
    """A memory figure of this process from /proc (VmRSS: now, VmHWM: peak), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux: the peak since start


def _reset_peak() -> None:
    """Start the peak (VmHWM) afresh, so start-up spikes are not counted (e.g. the argon2 hash that
    accounts.py computes at import, 64 MiB for an instant)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def certificate_pdf() -> dict[str, Any]:
    """Issue one certificate on the certificate test fixtures, then render its PDF four times."""
    from elearn.certificates import signing
    from elearn.certificates.issue import Issuer, certificate_data, issue_certificate
    from elearn.certificates.path import load_path
    from elearn.db import session_scope
    from elearn.web.modules import get_library
    from tests.certificates.support import BASE_URL, MEDIA, MODULES, certificate_app, complete_path
    from tests.conftest import add_user

    folder = Path(tempfile.mkdtemp(prefix="elearn-bench-pdf-"))
    app = certificate_app(folder)
    learner = add_user(app, "diplome@exemple.fr")
    complete_path(app, learner.id)
    instance = Path(app.config["ELEARN_INSTANCE_DIR"])
    with app.app_context(), session_scope() as session:
        issuer = Issuer(load_path(MODULES, MEDIA), get_library(), signing.load_or_create_private_key(instance), BASE_URL)
        certificate = issue_certificate(session, learner, issuer)
        data, credential = certificate_data(certificate), certificate.credential
    timings = []
    start = time.perf_counter()
    from elearn.certificates.pdf import render_pdf  # cold: WeasyPrint is loaded by a worker's first PDF

    for _ in range(4):
        pdf = render_pdf(data, credential, instance, MEDIA)
        timings.append(time.perf_counter() - start)
        start = time.perf_counter()
    return {"cold": timings[0], "warm": statistics.median(timings[1:]), "bytes": len(pdf)}


def export(config: dict[str, Any], fmt: str) -> dict[str, Any]:
    """Stream the completion records export in ``fmt`` to nowhere; time, size, records, peak memory.

    The module library is loaded first, as in a worker that has served pages: its loading (parsing and
    rendering every module, about 0.9 s for the shipped ones) is the catalog start-up's figure, not the
    export's."""
    from elearn import create_app
    from elearn.db import session_scope
    from elearn.reporting.catalog import current_catalog
    from elearn.reporting.exports import Dataset, ExportFormat, ExportRequest, start_export
    from elearn.reporting.filters import parse_filters

    app = create_app(config)
    with app.app_context():
        catalog = current_catalog()
    baseline = _status_mb("VmRSS")
    _reset_peak()
    with app.app_context(), session_scope() as session:
        filters, _ = parse_filters({})
        request = ExportRequest(Dataset.COMPLETIONS, ExportFormat(fmt), filters)
        start = time.perf_counter()
        started = start_export(session, request, catalog, actor=None, via="bench", base_url="https://bench.exemple.fr")
        size = lines = 0
        for chunk in started.chunks:
            size += len(chunk)
            lines += chunk.count(b"\n")
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "bytes": size, "lines": lines, "peak_mb": _status_mb("VmHWM"), "baseline_mb": baseline}


def catalog_startup(modules: int, sections: int) -> dict[str, Any]:
    """Parse, validate and render a generated catalog the way a worker does on its first request."""
    from bench.seed import generate_modules
    from elearn.content.library import ModuleLibrary

    folder = generate_modules(Path(tempfile.mkdtemp(prefix="elearn-bench-catalog-")) / "modules", modules, sections)
    start = time.perf_counter()
    library = ModuleLibrary(folder, folder.parent / "media")
    loaded = library.modules()
    seconds = time.perf_counter() - start
    errors = [str(p) for p in library.all_problems() if p.is_error]
    return {"seconds": seconds, "modules": len(loaded), "sections": sum(len(m.sections) for m in loaded), "errors": errors[:5]}


def parse_calls(config: dict[str, Any], email: str, password: str, module: str, section: str, quiz_section: str,
                quiz: str, answers: dict[str, list[str]]) -> dict[str, Any]:
    """Markdown renders and module parses during the first round of the learner's pages (the library
    loading, and the assessment bank's on the first catalog), then during 20 more rounds: the second
    figure must be 0."""
    import markdown

    from elearn import create_app
    from elearn.content import pipeline

    counts = {"render": 0, "parse": 0}
    markdown.Markdown.convert = _counting(markdown.Markdown.convert, counts, "render")  # type: ignore[method-assign]
    pipeline.parse_module = _counting(pipeline.parse_module, counts, "parse")
    client = create_app(config).test_client()
    client.post("/login", data={"email": email, "password": password})

    def round_of_pages() -> None:
        pages = [f"/modules/{module}/{section}", "/modules", f"/modules/{module}", "/progression"]
        assert all(client.get(page).status_code == 200 for page in pages)
        form = client.get(f"/modules/{module}/{quiz_section}?refaire={quiz}").get_data(as_text=True)
        number = re.search(r'name="tentative" value="(\d+)"', form).group(1)
        sent = client.post(f"/modules/{module}/quiz/{quiz}", data={"tentative": number, **answers})
        assert sent.status_code == 302 and "/tentative/" in sent.headers["Location"]
        assert client.get(sent.headers["Location"]).status_code == 200

    round_of_pages()
    first_view = dict(counts)
    counts.update(render=0, parse=0)
    for _ in range(20):
        round_of_pages()
    return {"first_view": first_view, "later_views": counts}


def package_path(formats: list[str]) -> dict[str, Any]:
    """``elearn package --path`` as a trainer runs it: one fresh command per format, timed from start to exit
    (interpreter start-up and imports included), on the shipped modules."""
    from elearn.config import PROJECT_ROOT

    command = Path(sys.executable).with_name("elearn")
    figures: dict[str, Any] = {}
    for fmt in formats:
        with tempfile.TemporaryDirectory(prefix="elearn-bench-package-") as folder:
            target = Path(folder) / f"parcours-{fmt}.zip"
            start = time.perf_counter()
            subprocess.run(  # noqa: S603 - our own console script
                [str(command), "package", "--path", "--format", fmt, "-o", str(target), "--dir", str(PROJECT_ROOT / "modules")],
                check=True, capture_output=True,
            )
            figures[fmt] = {"seconds": time.perf_counter() - start, "bytes": target.stat().st_size}
    return figures


def _counting(function: Callable, counts: dict[str, int], key: str) -> Callable:
    def counted(*args: Any, **kwargs: Any) -> Any:
        counts[key] += 1
        return function(*args, **kwargs)

    return counted


def outbox_cost(database_url: str | None = None) -> dict[str, Any]:
    """Server CPU of a quiz submission with and without the xAPI outbox (bench/outbox.py)."""
    from bench.outbox import quiz_submission_cpu

    return quiz_submission_cpu(database_url)



def evidence_pack(config: dict[str, Any], output: str) -> dict[str, Any]:
    from bench.evidence import write_group_pack

    return write_group_pack(config, output)


MEASUREMENTS: dict[str, Callable[..., dict[str, Any]]] = {
    "outbox_cost": outbox_cost,
    "evidence_pack": evidence_pack,
    "certificate_pdf": certificate_pdf,
    "export": export,
    "catalog_startup": catalog_startup,
    "parse_calls": parse_calls,
    "package_path": package_path,
}

if __name__ == "__main__":
    print(json.dumps(MEASUREMENTS[sys.argv[1]](**json.loads(sys.argv[2]))))
