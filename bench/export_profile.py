"""Where an export's time goes: the benchmark's export measurement on its seeded data, then a profile.

``python -m bench.export_profile [--database sqlite|postgresql] [--format csv --format xapi ...]``
seeds a database as ``make bench`` does (bench/seed.py: 100,002 completion records), runs each export
in a fresh process exactly as the benchmark measures it (bench/offline.py: time, peak memory), then
once more in this process under ``cProfile`` (CPU time, so other processes on the machine do not
blur it) and prints the functions that cost most. Use it before and after changing
``elearn/reporting/``.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.offline import export, measure_in_subprocess
from bench.run import MEDIA_DIR, MODULES_DIR, database
from bench.seed import bench_config, seed


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.export_profile", description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--format", dest="formats", action="append", choices=("csv", "csv-fr", "jsonl", "xlsx", "xapi"),
                        help="export format (repeatable; default: csv and xapi)")
    parser.add_argument("--sort", default="tottime", help="pstats sort key (tottime, cumulative, ...)")
    parser.add_argument("--top", type=int, default=25, help="functions listed per profile")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    options = parse_arguments(argv)
    folder = Path(tempfile.mkdtemp(prefix="elearn-export-profile-"))
    with database(options.database, folder) as url:
        config = bench_config(folder / "instance", url, MODULES_DIR, MEDIA_DIR)
        seed(config, clients=1)
        for fmt in options.formats or ["csv", "xapi"]:
            figures = measure_in_subprocess("export", config=config, fmt=fmt)
            print(f"\n## {fmt} on {options.database}: {figures['seconds']:.2f} s, {figures['bytes'] / 2**20:.1f} MiB, "
                  f"peak {figures['peak_mb']:.0f} MB (before the export: {figures['baseline_mb']:.0f} MB)", flush=True)
            profiler = cProfile.Profile(time.process_time)
            profiler.runcall(export, config, fmt)
            pstats.Stats(profiler, stream=sys.stdout).sort_stats(options.sort).print_stats(options.top)
    shutil.rmtree(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
