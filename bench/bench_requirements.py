"""Requirement checks on a 20-year, ~50,000-entry logbook, beside reading those entries.

Run from the repository root:

    uv run python bench/bench_requirements.py
    uv run python bench/bench_requirements.py --repeat 3

What is measured, each in the same run:

- the baseline: reading every entry the shipped packs count from the database into records;
- checking every shipped pack with the records already read (the rule engine: indexing the
  records, every rule of every pack, every finding with its explanation);
- the same through ``RequirementService.evaluate``: reading plus checking, as the app and
  ``logbook-cli status`` do the first time;
- checking again with nothing changed in the logbook (the service keeps what it read).

Target: checking every shipped pack takes under 300 ms.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import big_logbook
from logbook.domain.records import Record, RecordKind
from logbook.domain.requirements import Evidence, evaluate_pack, periods, text
from logbook.domain.requirements.calendar import cut
from logbook.services.logbook import Logbook
from logbook.services.requirements import ALWAYS_READ, _kinds_needed

TARGET_SECONDS = 0.300


def forget_remembered_work() -> None:
    """Clear the engine's small caches of dates, labels and period cuts."""
    for cached in (cut, text.day, text.short_day, text.period_label, periods._needed):
        cached.cache_clear()


def timed(action: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """Median wall time and median CPU time of ``action`` over ``repeat`` runs, and its result."""
    action()  # warm up imports and caches outside the timing
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        result = action()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return statistics.median(walls), statistics.median(cpus), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    location = big_logbook()
    logbook = Logbook.open(location, auto_backup=False)
    try:
        service = logbook.requirements
        packs = [p for p in service.packs() if p.shipped]
        kinds = (*ALWAYS_READ, *sorted(_kinds_needed(packs) - set(ALWAYS_READ)))
        entries = sum(logbook.records.count(k) for k in kinds if k is not RecordKind.PROFILE)
        print(
            f"Logbook: {entries:,} entries of the kinds the packs count; {len(packs)} packs, "
            f"{sum(len(p.rules) for p in packs)} rules."
        )

        def read() -> list[Record]:
            records: list[Record] = []
            for kind in kinds:
                records.extend(logbook.records.all(kind))
            return records

        read_wall, read_cpu, records = timed(read, args.repeat)
        today = service.clock()

        def check() -> list[object]:
            # Measured cold: nothing remembered from an earlier run (as on opening the app).
            forget_remembered_work()
            evidence = Evidence(records, today, presorted=True)
            return [evaluate_pack(p, evidence, service.settings(p.id)) for p in packs]

        check_wall, check_cpu, results = timed(check, args.repeat)
        findings = sum(len(r.findings) for result in results for r in result.rules)  # type: ignore[attr-defined]

        ids = [p.id for p in packs]

        def cold() -> object:
            service._cached = None  # forget what was read: read and check, as on first use
            return service.evaluate(pack_ids=ids)

        cold_wall, cold_cpu, _ = timed(cold, args.repeat)
        warm_wall, warm_cpu, _ = timed(lambda: service.evaluate(pack_ids=ids), args.repeat)
    finally:
        logbook.close()

    print(f"{findings:,} findings.\n")
    rows = [
        ("read entries from the database (baseline)", read_wall, read_cpu),
        ("check every pack, records in memory", check_wall, check_cpu),
        ("service: read and check (first time)", cold_wall, cold_cpu),
        ("service: check again, nothing changed", warm_wall, warm_cpu),
    ]
    print(f"{'':44} {'wall ms':>9} {'cpu ms':>9} {'vs read':>8}")
    for name, wall, cpu in rows:
        print(f"{name:44} {wall * 1000:9.1f} {cpu * 1000:9.1f} {wall / read_wall:7.2f}x")
    verdict = "within" if check_wall < TARGET_SECONDS else "OVER"
    print(
        f"\nChecking every shipped pack: {check_wall * 1000:.0f} ms, {verdict} the "
        f"{TARGET_SECONDS * 1000:.0f} ms target ({check_wall / read_wall:.2f}x the time to "
        "read the entries)."
    )
    return 0 if check_wall < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
