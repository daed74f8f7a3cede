"""Fuzz campaign: at least 10,000 generated inputs for every file the app reads from outside.

Targets (see tests/fuzz_targets.py): JSON import, CSV import, sign-off request, sign-off
response, requirement pack, attachment, and the two safety files, a backup file restored from
outside and an encrypted logbook's key file. For every input the app must accept it or refuse it
with a clear LogbookError; a refused input must leave the logbook exactly as it was; an accepted
one must leave it sound. The campaign counts inputs, acceptances and refusals, and fails if a
single input crashed the app or left a partial write. On Linux it also shows the most memory
any one input took beyond what the process held before it ("worst MB").

    uv run python bench/fuzz_campaign.py                      # 10,000 per target
    uv run python bench/fuzz_campaign.py --examples 500 csv   # a quick look at one target
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fuzz_targets import IMPORTERS, TARGETS, run_examples, target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", choices=[[], *TARGETS], default=[])
    parser.add_argument("--examples", type=int, default=10_000, help="inputs per target")
    parser.add_argument("--show", type=int, default=1, help="failures to print in full per target")
    args = parser.parse_args()
    names = args.targets or list(TARGETS)
    print(f"Fuzz campaign: {args.examples:,} generated inputs per target")
    print(
        f"{'target':<20}{'inputs':>9}{'accepted':>10}{'refused':>10}{'crashes+partial':>17}{'s':>7}"
        f"{'worst MB':>10}"
    )
    failed = 0
    for name in names:
        started = time.perf_counter()
        with (
            tempfile.TemporaryDirectory(prefix=f"fuzz-{name}-") as work,
            target(name, Path(work) / name) as made,
        ):
            tally = run_examples(made, args.examples, raise_failures=False)
        seconds = time.perf_counter() - started
        kind = "importer" if name in IMPORTERS else "safety file"
        print(
            f"{made.name:<20}{tally.total:>9,}{tally.accepted:>10,}{tally.rejected:>10,}"
            f"{len(tally.failures):>17,}{seconds:>7.0f}{tally.worst_peak_kb / 1024:>10.1f}"
            f"   ({kind})",
            flush=True,
        )
        for reason, count in tally.reasons.most_common(4):
            print(f"{'':<22}{count:>6,} × {reason}")
        kinds = Counter(":".join(f.split("\n")[0].split(":")[1:3]).strip() for f in tally.failures)
        for kind, count in kinds.most_common():
            print(f"{'':<22}{count:>6,} × FAILURE {kind}")
        for report in tally.failures[: args.show]:
            print("    FAILURE " + report.replace("\n", "\n    "))
        failed += len(tally.failures)
    print("zero crashes and zero partial writes" if not failed else f"{failed} FAILURES")
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
