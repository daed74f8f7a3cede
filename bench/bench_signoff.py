"""Checking every signature of a logbook with 10,000 signed entries, against the raw cost of
verifying the same 10,000 Ed25519 signatures, measured in the same run.

Run: ``uv run python bench/bench_signoff.py``. Target: ``verify_all`` within 3x of the raw cost.

``verify_all`` does everything ``logbook-cli verify`` does: it walks the whole audit chain
(recomputing each event's link hash and checking the signed head), reads every event and record
from SQLite, rebuilds each record's canonical signed content (RFC 8785) and its SHA-256, parses
each signed statement, verifies each signature, checks whom it is for and whether the signer's
key is confirmed for the supervisor recorded, and checks each kept snapshot. The baseline only calls
``Ed25519PublicKey.verify`` on the same 10,000 (statement, signature) pairs, already in memory.
The cost of a list page (``states`` of 200 rows) is reported beside raw verification of 200.
"""

from __future__ import annotations

import base64
import os
import shutil
import sqlite3
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from bench.common import OUT, median_seconds, report
from logbook.domain.choices import SupervisionType
from logbook.domain.identity import KdfParameters
from logbook.domain.queries import RecordQuery
from logbook.domain.records import Person, Record, RecordKind, SupervisionSession
from logbook.domain.signoff import SignoffState
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook

ENTRIES = 10_000
PASSPHRASE = "benchmark passphrase"
TYPES = list(SupervisionType)


def signed_logbook() -> DataLocation:
    """A logbook of 10,000 supervision sessions, every one signed; made once and reused."""
    location = DataLocation(OUT / "signoff-10k-chained")
    marker = location.root / ".complete"
    if marker.exists():
        return location
    shutil.rmtree(location.root, ignore_errors=True)
    logbook = Logbook.open(location)
    try:
        supervisors = [Person(name="Dr Benchmark")]
        # Every session is over (none can be signed before it happened).
        start = date.today() - timedelta(days=(ENTRIES * 26) // 10 + 30)
        sessions: list[Record] = [
            SupervisionSession(
                date=start + timedelta(days=(i * 26) // 10),
                duration_minutes=45 + (i % 4) * 15,
                counterpart_uid=supervisors[i % len(supervisors)].uid,
                supervision_type=TYPES[i % len(TYPES)],
                themes=("case formulation", "risk") if i % 3 else ("outcome measures",),
                action_points=f"Review plan {i}; book a case discussion.",
                reflection="A private note that is never signed.",
            )
            for i in range(ENTRIES)
        ]
        logbook.records.create_many([*supervisors, *sessions])
        identity = logbook.signoff.identities.create(
            "Dr Benchmark",
            PASSPHRASE,
            registration_body="HCPC",
            registration_number="PYL00001",
            kdf=KdfParameters(salt=os.urandom(16)),
        )
        began = time.perf_counter()
        records = logbook.records.all(RecordKind.SUPERVISION)
        for first in range(0, len(records), 2000):
            logbook.signoff.sign(
                records[first : first + 2000],
                identity,
                PASSPHRASE,
                confirm_for=supervisors[0].uid if first == 0 else None,
            )
        print(f"(setup: signed {len(records)} entries in {time.perf_counter() - began:.1f} s)")
    finally:
        logbook.close()
    marker.write_text(f"{ENTRIES}\n")
    return location


def main() -> None:
    location = signed_logbook()
    with sqlite3.connect(location.database) as conn:
        pairs = [
            (payload.encode(), base64.b64decode(signature))
            for payload, signature in conn.execute(
                "SELECT payload, signature FROM signoff_event WHERE event_type = 'signed'"
            )
        ]
        key = conn.execute("SELECT public_key FROM signoff_identity").fetchone()[0]
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(key))
    assert len(pairs) == ENTRIES, len(pairs)

    def raw(batch: list[tuple[bytes, bytes]]) -> None:
        for payload, signature in batch:
            public.verify(signature, payload)

    logbook = Logbook.open(location)
    try:
        report_ = logbook.signoff.verify_all()
        assert report_.ok, report_.lines()[:3]
        assert len(report_.signatures) == ENTRIES
        assert report_.states[SignoffState.VERIFIED] == ENTRIES, report_.lines()[:3]
        ours = median_seconds(logbook.signoff.verify_all, repeat=3)
        baseline = median_seconds(lambda: raw(pairs), repeat=3)
        print(f"Verifying {ENTRIES:,} signed entries (median of 3 runs)")
        report(
            "verify_all (logbook-cli verify)",
            ours,
            baseline,
            "raw Ed25519 verify x10k",
            "target <= 3x",
        )
        page = logbook.records.query(RecordQuery(RecordKind.SUPERVISION, limit=200))
        states = median_seconds(lambda: logbook.signoff.states(page), repeat=7)
        baseline_page = median_seconds(lambda: raw(pairs[:200]), repeat=7)
        report("states() of a 200-row list page", states, baseline_page, "raw Ed25519 verify x200")
        print(
            f"per signature: {ours / ENTRIES * 1e6:.0f} µs checked in full, "
            f"{baseline / ENTRIES * 1e6:.0f} µs raw verify"
        )
    finally:
        logbook.close()


if __name__ == "__main__":
    main()
