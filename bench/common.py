"""Helpers shared by the benchmarks: a realistic big logbook, timing with medians."""

from __future__ import annotations

import gc
import shutil
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from logbook.services.demo import generate_demo
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook

OUT = Path(__file__).with_name("out")
BIG_PERSONA, BIG_YEARS, BIG_SCALE = "pwp", 20, 2.7


def big_logbook(name: str = "big-20y") -> DataLocation:
    """A 20-year, ~50,000-entry logbook, generated once and reused by later runs."""
    location = DataLocation(OUT / name)
    marker = location.root / ".complete"
    if not marker.exists():
        shutil.rmtree(location.root, ignore_errors=True)
        logbook = Logbook.open(location)
        result = generate_demo(logbook, BIG_PERSONA, BIG_YEARS, BIG_SCALE, seed=7)
        logbook.close()
        marker.write_text(f"{result.total}\n")
    return location


def timed(action: Callable[[], object], repeat: int) -> float:
    """The median wall time of ``repeat`` runs, each after a garbage collection."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def median_seconds(action: Callable[[], Any], repeat: int = 7, warmup: int = 1) -> float:
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def report(name: str, ours: float, baseline: float, baseline_name: str, target: str = "") -> None:
    ratio = ours / baseline if baseline else float("inf")
    print(
        f"{name:<34} {ours * 1000:9.2f} ms   {baseline_name:<26} {baseline * 1000:9.2f} ms"
        f"   ratio {ratio:5.2f}x  {target}"
    )
