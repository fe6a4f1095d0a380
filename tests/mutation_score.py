"""``make mutate``'s score: mutants killed per rule module, from ``mutmut results --all true``.

Run after ``mutmut run`` (the Makefile does both). A timed-out mutant counts as killed (the tests
noticed something); a mutant no test reaches counts as survived. The survivors are listed by name
(``mutmut show NAME`` prints the change); docs/testing.md records the score and explains each one.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

KILLED = {"killed", "timeout"}
NOT_COUNTED = {"skipped", "not checked"}
GOAL = 90.0


def results(mutmut: str) -> list[tuple[str, str]]:
    """(mutant name, status) for every mutant of the last run."""
    output = subprocess.run([mutmut, "results", "--all", "true"], capture_output=True, text=True, check=True).stdout  # noqa: S603
    rows = []
    for line in output.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if name:
            rows.append((name, status.strip()))
    return rows


def module_of(mutant: str) -> str:
    """``elearn.content.gift.x__choice__mutmut_3`` -> ``elearn.content.gift``."""
    return mutant.split(".x", 1)[0] if ".x" in mutant else mutant.rsplit(".", 1)[0]


def main() -> int:
    mutmut = str(Path(sys.executable).with_name("mutmut"))
    by_module: dict[str, Counter[str]] = defaultdict(Counter)
    survivors: dict[str, list[str]] = defaultdict(list)
    for name, status in results(mutmut):
        module = module_of(name)
        by_module[module][status] += 1
        if status not in KILLED | NOT_COUNTED:
            survivors[module].append(name)
    total_killed = total_counted = 0
    print(f"{'module':40} {'killed':>7} {'counted':>8} {'score':>7}")
    for module in sorted(by_module):
        counts = by_module[module]
        killed = sum(counts[s] for s in KILLED)
        counted = sum(n for s, n in counts.items() if s not in NOT_COUNTED)
        total_killed, total_counted = total_killed + killed, total_counted + counted
        score = 100 * killed / counted if counted else 100.0
        unchecked = f"  ({counts['not checked']} not checked)" if counts["not checked"] else ""
        print(f"{module:40} {killed:7} {counted:8} {score:6.1f}%{unchecked}")
    score = 100 * total_killed / total_counted if total_counted else 100.0
    print(f"{'all rule modules':40} {total_killed:7} {total_counted:8} {score:6.1f}%  (goal: {GOAL:.0f} %)")
    for module, names in sorted(survivors.items()):
        print(f"\nSurvivors in {module} ({len(names)}): mutmut show NAME")
        for name in names:
            print(f"  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
