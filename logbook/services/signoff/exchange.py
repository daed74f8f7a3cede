"""Sign-off in the logbook's JSON export: events, signed snapshots, seen signers, period
summaries and requests, and the signed head of the audit chain.

Import merges: what is already here (by event id, digest, fingerprint or request id) is kept as
it is, and new events are appended to this logbook's audit chain in their original order,
marked as imported. Nothing imported is trusted: every signature is checked whenever it is
shown, and one made for another practitioner's logbook shows as "signed for someone else".
Trust never travels in a file: key confirmations are not imported, and a signer's "confirmed"
mark from elsewhere is dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Protocol

from logbook.domain.audit import Origin
from logbook.domain.errors import Problem, ValidationError
from logbook.domain.limits import MAX_SAFE_INTEGER, describe
from logbook.domain.signing import EventType
from logbook.domain.signoff import SignoffMode
from logbook.storage import signoff_exchange_repository as exchanged
from logbook.storage import signoff_repository as sr
from logbook.storage.database import Session
from logbook.storage.signoff_exchange_repository import (
    EXCHANGED_TABLES,
    ExchangedColumn,
    ExchangedTable,
    ValueKind,
)

# The sections of the export, in their order.
SECTIONS = tuple(table.section for table in EXCHANGED_TABLES)
EVENTS, IDENTITIES = "events", "identities"


def export_signoff(session: Session) -> dict[str, Any]:
    """Every sign-off row as JSON values, events in the order they were recorded, and the
    signed head of the audit chain (so a later deletion shows against this export)."""
    exported: dict[str, Any] = {}
    for table in EXCHANGED_TABLES:
        exported[table.section] = [
            {name: _to_json(value) for name, value in row.items()}
            for row in exchanged.rows_of(session, table)
        ]
    head = sr.chain_head(session)
    exported["chain_head"] = head.to_json() if head else None
    return exported


def import_signoff(session: Session, data: Any, source: str) -> list[str]:
    """Merge exported sign-off rows; returns the targets whose sign-off changed.

    Raises:
        ValidationError: every malformed row, located; nothing is imported.
    """
    if data is None:
        return []
    if not isinstance(data, Mapping):
        raise ValidationError([Problem("signoff", "not an object", None, source)])
    problems: list[Problem] = []
    parsed: dict[str, list[dict[str, Any]]] = {}
    for table in EXCHANGED_TABLES:
        section = table.section
        rows = data.get(section, [])
        if not isinstance(rows, list):
            problems.append(Problem(f"signoff.{section}", "not a list", None, source))
            continue
        parsed[section] = [
            values
            for number, raw in enumerate(rows)
            if (values := _row(table, raw, f"signoff.{section}[{number}]", source, problems))
            is not None
        ]
    if problems:
        raise ValidationError(problems, f"{source} was not imported; nothing was changed")
    touched: list[str] = []
    for table in EXCHANGED_TABLES:
        fresh = _not_here(session, table, parsed.get(table.section, []))
        if table.section == EVENTS:
            touched += [row["target_uid"] for row in fresh if _append_imported(session, row)]
            continue
        if table.section == IDENTITIES:
            for row in fresh:
                row["confirmed_at"] = None
        exchanged.add_rows(session, table, fresh)
    sr.refresh_status(session, touched)
    return sorted(set(touched))


def _not_here(
    session: Session, table: ExchangedTable, rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The rows whose key is neither here nor in an earlier row, in their order."""
    seen = exchanged.keys_present(session, table, [row[table.key] for row in rows])
    fresh = []
    for row in rows:
        if row[table.key] not in seen:
            seen.add(row[table.key])
            fresh.append(row)
    return fresh


def _append_imported(session: Session, row: dict[str, Any]) -> bool:
    """Append an imported event to this logbook's chain; key confirmations are left out."""
    try:
        event_type = EventType(row["event_type"])
    except ValueError:
        raise ValidationError(
            [Problem("signoff.events", f"unknown event type '{row['event_type']}'")]
        ) from None
    if event_type is EventType.KEY_CONFIRMED:
        return False
    mode = row.get("mode")
    try:
        chosen = SignoffMode(mode) if mode else None
    except ValueError:
        chosen = None
    fields = {k: v for k, v in row.items() if k not in ("event_type", "mode")}
    for name, default in (("content_sha256", ""), ("actor_name", ""), ("fingerprint", "")):
        fields.setdefault(name, default)
    for name in ("payload", "signature", "batch_label", "comment"):
        fields.setdefault(name, "")
    sr.append_event(
        session,
        event_type,
        mode=chosen,
        origin=Origin.IMPORTED,
        refresh=False,
        **fields,
    )
    return True


def _to_json(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


class ProblemSink(Protocol):
    """Where problems go: a list, or a log that keeps the first hundred."""

    def append(self, problem: Problem, /) -> None:
        """Note one more problem (a sink that is full may drop it, having counted it)."""


def check_row(section: str, raw: Any, where: str, source: str, problems: ProblemSink) -> bool:
    """Whether ``raw`` is a row of ``section`` that import would take; if not, why is added
    to ``problems`` (located at ``where`` in ``source``)."""
    table = next(t for t in EXCHANGED_TABLES if t.section == section)
    values = _row(table, raw, where, source, problems)
    if values is not None and section == EVENTS:
        kinds = [t.value for t in EventType]
        if values["event_type"] not in kinds:
            found = describe(values["event_type"])
            problems.append(
                Problem(
                    f"{where}.event_type",
                    f"{found} is not one of: {', '.join(kinds)}",
                    None,
                    source,
                )
            )
            return False
    return values is not None


def _row(
    table: ExchangedTable, raw: Any, where: str, source: str, problems: ProblemSink
) -> dict[str, Any] | None:
    if not isinstance(raw, Mapping):
        problems.append(Problem(where, f"not an object ({describe(raw)})", None, source))
        return None
    columns = {c.name: c for c in table.columns}
    unknown = sorted(set(raw) - set(columns))
    if unknown:
        listed = ", ".join(
            name if name.isidentifier() and len(name) <= 40 else describe(name)
            for name in unknown[:5]
        )
        more = f" and {len(unknown) - 5:,} more" if len(unknown) > 5 else ""
        problems.append(Problem(where, f"unknown field(s): {listed}{more}", None, source))
        return None
    values: dict[str, Any] = {}
    for name, column in columns.items():
        value = raw.get(name)
        if value is None:
            if column.defaulted:
                continue  # the column's default applies
            if not column.nullable:
                problems.append(Problem(f"{where}.{name}", "is missing", None, source))
                return None
            values[name] = None
            continue
        try:
            values[name] = _from_json(column.kind, value)
            _check_range(column, values[name])
        except (TypeError, ValueError) as error:
            problems.append(Problem(f"{where}.{name}", str(error), None, source))
            return None
    return values


def _check_range(column: ExchangedColumn, value: Any) -> None:
    """Numbers and codes within what the column holds (a revision is 1 or more; counts and
    minutes are 0 or more; no number beyond 2^53 - 1, which signing cannot carry).

    Raises:
        ValueError: saying what is allowed.
    """
    if column.kind is ValueKind.NUMBER:
        low = 1 if column.name.endswith("revision") else 0
        if not low <= value <= MAX_SAFE_INTEGER:
            raise ValueError(
                f"{describe(value)} is out of range: it must be a whole number from {low} "
                f"to {MAX_SAFE_INTEGER:,}"
            )
    elif column.kind is ValueKind.TEXT:
        # Ids, digests, fingerprints and codes have a size (names and text are left free).
        size = column.length
        if size is not None and size <= 100 and len(value) > size:
            raise ValueError(f"is {len(value):,} characters long; it may have at most {size}")


def _from_json(kind: ValueKind, value: Any) -> Any:
    if kind is ValueKind.TIMESTAMP:
        try:
            moment = datetime.fromisoformat(_text(value))
        except ValueError:
            raise ValueError(f"{describe(value)} is not a timestamp (ISO 8601)") from None
        if moment.tzinfo is None:
            raise ValueError("a timestamp needs its time zone")
        return moment
    if kind is ValueKind.DATE:
        try:
            return date.fromisoformat(_text(value))
        except ValueError:
            raise ValueError(f"{describe(value)} is not a date (YYYY-MM-DD)") from None
    if kind is ValueKind.TEXTS:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise TypeError("expected a list of text")
        return tuple(value)
    if kind is ValueKind.FLAG:
        if not isinstance(value, bool):
            raise TypeError("expected true or false")
        return value
    if kind is ValueKind.NUMBER:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError("expected a whole number")
        return value
    return _text(value)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected text")
    return value
