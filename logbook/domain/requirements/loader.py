"""Reading a requirement pack from a TOML file, and saying exactly what is wrong with a bad one.

Every problem names the file, the line and the field (``rules[2].count.measure``), and every
problem in the file is reported at once, so a pack can be fixed in one go. A pack either loads
completely or not at all.
"""

from __future__ import annotations

import difflib
import itertools
import math
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from logbook.domain.catalogue import KINDS
from logbook.domain.choices import (
    AttestationKind,
    Choice,
    ConversionRoute,
    CpdType,
    Curriculum,
    Delivery,
    Direction,
    FacilitationRole,
    FeedbackSource,
    PathwayKind,
    PersonalPracticeKind,
    PracticeActivity,
    Setting,
    SupervisionFormat,
    SupervisionType,
    TeachingRole,
)
from logbook.domain.errors import LogbookError
from logbook.domain.limits import MAX_DEPTH, MAX_PROBLEMS
from logbook.domain.records import RECORD_TYPES, RecordKind
from logbook.domain.requirements.model import (
    COUNTABLE,
    FULL_CREDIT,
    MEASURES,
    PERIODS,
    RULE_KINDS,
    WINDOWS,
    AverageParams,
    CoverageParams,
    EveryPeriodParams,
    GapParams,
    GroupCredit,
    MilestonesParams,
    MilestoneSpec,
    Pack,
    PerItemParams,
    RatioParams,
    Rule,
    RuleParams,
    Selector,
    Share,
    Source,
    SpanParams,
    Tier,
    TimingParams,
    TotalParams,
    Window,
)
from logbook.domain.requirements.toml_lines import key_lines, line_of

PACK_SUFFIX = ".toml"
# A pack is a page or two of TOML; the shipped ones are under 30 KB.
MAX_PACK_CHARS = 1024 * 1024
# Sane bounds for numbers a pack gives: beyond these, dates and totals would overflow.
MAX_CYCLE_YEARS = 10
MAX_MONTHS = 1200  # windows, gaps, dues and spans: a hundred years
MAX_DAYS = 36_500
MAX_WHOLE = 1_000_000  # any other whole number (minutes, counts, sizes)
MAX_NUMBER = 1e9  # any other number (hours, ratios)
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_]{1,40}$")
RULE_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,60}$")

SUBTYPES: dict[RecordKind, type[Choice]] = {
    RecordKind.SUPERVISION: SupervisionType,
    RecordKind.PRACTICE: PracticeActivity,
    RecordKind.COURSE: Curriculum,
    RecordKind.CPD: CpdType,
    RecordKind.PERSONAL_PRACTICE: PersonalPracticeKind,
    RecordKind.FEEDBACK: FeedbackSource,
    RecordKind.ATTESTATION: AttestationKind,
}

_S, _P, _C = RecordKind.SUPERVISION, RecordKind.PRACTICE, RecordKind.COURSE
_CPD, _PP = RecordKind.CPD, RecordKind.PERSONAL_PRACTICE

# Selector filters, the record kinds each applies to, and the vocabulary of list filters.
FILTER_KINDS: dict[str, tuple[RecordKind, ...]] = {
    "direction": (_S,),
    "formats": (_S,),
    "settings": (_S, _P, _C),
    "delivery": (_P,),
    "roles": (_P, _C),
    "live": (_S,),
    "supervised": (_P,),
    "participatory": (_CPD,),
    "skills_focused": (_CPD,),
    "with_reflection": (_CPD,),
    "teacher_led": (_PP,),
    "min_silence_percent": (_PP,),
    "min_days": (_PP,),
    "with_code_themes": (RecordKind.REFLECTIVE_ACCOUNT,),
    "completed": (_C,),
    "min_share_percent": (_C,),
    "min_minutes": (_S, _P, _CPD, _PP),
    "group_credit": (_S,),
    "clinical_hour_minutes": (_S, _P),
    "day_minimum_minutes": (_P, _PP),
}
LIST_CHOICES: dict[str, type[Choice]] = {
    "formats": SupervisionFormat,
    "settings": Setting,
    "delivery": Delivery,
}
SELECTOR_KEYS = (
    "records",
    "measure",
    "label",
    "types",
    "exclude_types",
    "distinct_field",
    *FILTER_KINDS,
)
COMMON_RULE_KEYS = ("id", "title", "kind", "description", "source")


@dataclass(frozen=True)
class PackProblem:
    """One thing wrong with a pack file: where it is and what is wrong."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.field:
            where.append(self.field)
        return f"{', '.join(where)}: {self.message}"


class PackError(LogbookError):
    """A pack file was rejected; ``problems`` lists every reason with its file and line."""

    def __init__(self, problems: Iterable[PackProblem], summary: str = "") -> None:
        self.problems = tuple(problems)
        name = self.problems[0].file if self.problems else "the pack"
        head = summary or f"The requirement pack {name} cannot be used"
        super().__init__(head + ":\n" + "\n".join(f"  - {p}" for p in self.problems))


# --- reading tables ----------------------------------------------------------------------------

T = TypeVar("T")


class _Missing:
    pass


MISSING: Any = _Missing()


@dataclass
class _Document:
    name: str
    lines: dict[tuple[str | int, ...], int]
    problems: list[PackProblem]


def _field_name(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += f".{part}" if out else part
    return out


class _Table:
    """One TOML table of the pack, read key by key; unknown keys are reported at ``close``."""

    def __init__(self, data: dict[str, Any], path: tuple[str | int, ...], doc: _Document) -> None:
        self.data, self.path, self.doc = data, path, doc
        self.used: set[str] = set()

    def problem(self, key: str | None, message: str, near: str | None = None) -> None:
        """Report ``message`` about ``key``; a missing key is located at ``near`` (the key that
        asks for it), or at its table."""
        path = (*self.path, key) if key is not None else self.path
        where = path
        if near is not None and (*self.path, near) in self.doc.lines and key not in self.data:
            where = (*self.path, near)
        self.doc.problems.append(
            PackProblem(self.doc.name, line_of(self.doc.lines, where), _field_name(path), message)
        )

    def has(self, key: str) -> bool:
        return key in self.data

    def raw(self, key: str, required: bool = False) -> Any:
        self.used.add(key)
        if key not in self.data:
            if required:
                self.problem(key, "is required")
            return MISSING
        return self.data[key]

    def text(self, key: str, default: str = "", required: bool = False) -> str:
        value = self.raw(key, required)
        if value is MISSING:
            return default
        if not isinstance(value, str) or (required and not value.strip()):
            self.problem(key, "must be text" if not isinstance(value, str) else "is empty")
            return default
        return value.strip()

    def number(
        self,
        key: str,
        default: float | None = None,
        *,
        low: float = 0.0,
        high: float = MAX_NUMBER,
        required: bool = False,
    ) -> float | None:
        value = self.raw(key, required)
        if value is MISSING:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(key, f"must be a number, not {_describe(value)}")
            return default
        if isinstance(value, float) and not math.isfinite(value):
            self.problem(key, f"must be a finite number, not {_describe(value)}")
            return default
        if value < low:
            self.problem(key, f"must be at least {low:g}")
            return default
        if value > high:
            self.problem(key, f"must be at most {high:g}")
            return default
        return float(value)

    def whole(
        self,
        key: str,
        default: int | None = None,
        *,
        low: int = 0,
        high: int = MAX_WHOLE,
        required: bool = False,
    ) -> int | None:
        value = self.raw(key, required)
        if value is MISSING:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(key, f"must be a whole number, not {_describe(value)}")
            return default
        if value < low:
            self.problem(key, f"must be at least {low}")
            return default
        if value > high:
            self.problem(key, f"must be at most {high:,}")
            return default
        return value

    def flag(self, key: str, default: bool | None = None) -> bool | None:
        value = self.raw(key)
        if value is MISSING:
            return default
        if not isinstance(value, bool):
            self.problem(key, f"must be true or false, not {_describe(value)}")
            return default
        return value

    def day(self, key: str, required: bool = False) -> date | None:
        value = self.raw(key, required)
        if value is MISSING:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.problem(key, f"must be a date such as 2026-01-31, not {_describe(value)}")
        return None

    def choice(self, key: str, options: Iterable[str], default: str, required: bool = False) -> str:
        options = tuple(options)
        value = self.raw(key, required)
        if value is MISSING:
            return default
        if value not in options:
            self.problem(key, _not_one_of(value, options))
            return default
        return str(value)

    def texts(self, key: str, choice: type[Choice] | None = None) -> tuple[str, ...]:
        value = self.raw(key)
        if value is MISSING:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(key, "must be a list of text values")
            return ()
        if choice is None:
            return tuple(value)
        out = []
        for item in value:
            try:
                out.append(choice.parse(item).value)
            except ValueError:
                self.problem(key, _not_one_of(item, [m.value for m in choice]))
        return tuple(out)

    def table(self, key: str, required: bool = False) -> _Table | None:
        value = self.raw(key, required)
        if value is MISSING:
            return None
        if not isinstance(value, dict):
            self.problem(key, f"must be a table, not {_describe(value)}")
            return None
        return _Table(value, (*self.path, key), self.doc)

    def tables(self, key: str, required: bool = False) -> list[_Table]:
        value = self.raw(key, required)
        if value is MISSING:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.problem(key, "must be a list of tables")
            return []
        return [_Table(v, (*self.path, key, i), self.doc) for i, v in enumerate(value)]

    def close(self) -> None:
        for key in self.data:
            if key not in self.used:
                close = difflib.get_close_matches(key, sorted(self.used), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                self.problem(key, f"is not a field here{hint}")


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 60 else f"'{value[:59]}…'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int) and abs(value) >= 10**30:
        return f"a number of about {int(value.bit_length() * 0.30103) + 1:,} digits"
    return str(value)


def _not_one_of(value: Any, options: Iterable[str]) -> str:
    options = list(options)
    close = difflib.get_close_matches(str(value), options, n=1) if isinstance(value, str) else []
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"{_describe(value)} is not one of: {', '.join(options)}{hint}"


# --- the pack ----------------------------------------------------------------------------------


def parse_pack(
    document: str, name: str, *, path: Path | None = None, shipped: bool = False
) -> Pack:
    """Read a pack from TOML text.

    Args:
        document: The TOML text.
        name: How the file is named in problems (usually its file name).

    Raises:
        PackError: every problem found, each with its line and field.
    """
    document = document.removeprefix("\ufeff")  # a byte order mark is not part of the TOML
    if len(document) > MAX_PACK_CHARS:
        raise PackError(
            [
                PackProblem(
                    name,
                    None,
                    "",
                    f"is too large to be a pack ({len(document):,} characters; at most "
                    f"{MAX_PACK_CHARS:,})",
                )
            ]
        )
    nested = _too_deep(document)
    if nested is not None:
        raise PackError(
            [PackProblem(name, nested, "", f"nested more than {MAX_DEPTH} levels deep")]
        )
    try:
        data = tomllib.loads(document)
    except tomllib.TOMLDecodeError as error:
        line = re.search(r"line (\d+)", str(error))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        raise PackError(
            [PackProblem(name, int(line[1]) if line else None, "", f"not valid TOML: {message}")]
        ) from None
    except RecursionError:  # a pack nested deeper than the check above can see
        raise PackError([PackProblem(name, None, "", "nested too deeply")]) from None
    doc = _Document(name, key_lines(document), [])
    pack = _read_pack(_Table(data, (), doc), path, shipped)
    if doc.problems or pack is None:
        problems = sorted(doc.problems, key=lambda p: (p.line or 0, p.field))
        if len(problems) > MAX_PROBLEMS:
            more = f"… and {len(problems) - MAX_PROBLEMS:,} more problems"
            problems = [*problems[:MAX_PROBLEMS], PackProblem(name, None, "", more)]
        raise PackError(problems)
    return pack


# Strings and comments (skipped), and the characters that nest: brackets, braces, the dots of
# dotted keys, and what says where a key ends or a line does.
_TOML_PIECE = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*|[\[\]{}.=,\n]'
)


def _too_deep(document: str) -> int | None:
    """The line where ``document`` nests more than MAX_DEPTH levels (in arrays, inline tables
    or the parts of a key), or None. ``tomllib`` reads nesting recursively, and dotted keys in
    time that grows with the square of their length, so both are bounded before it reads."""
    line, stack, parts, in_value = 1, "", 0, False
    for match in _TOML_PIECE.finditer(document):
        piece = match.group()
        if piece[0] in "\"'#":
            line += piece.count("\n")
        elif piece == "\n":
            line += 1
            if not stack:
                parts, in_value = 0, False
        elif piece == "=":
            in_value, parts = True, 0
        elif piece == ",":
            in_value = not stack.endswith("{")  # in an inline table, a key comes next
        elif piece == ".":
            if not in_value:
                parts += 1
        elif piece in "[{":
            if in_value or stack:  # (otherwise a table header, whose name's parts count)
                stack += piece
                in_value = piece == "["
        elif stack:
            stack = stack[:-1]
            in_value = True
        if len(stack) + parts > MAX_DEPTH:
            return line
    return None


def load_pack(path: Path, *, shipped: bool = False) -> Pack:
    """Read and check the pack file at ``path``.

    Raises:
        PackError: the file cannot be read, or what is wrong with it, line by line.
    """
    try:
        size = path.stat().st_size
        if size > 4 * MAX_PACK_CHARS:  # four bytes at most to a character
            raise PackError(
                [PackProblem(path.name, None, "", f"is too large to be a pack ({size:,} bytes)")]
            )
        document = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PackError([PackProblem(path.name, None, "", f"cannot be read ({error})")]) from None
    return parse_pack(document, path.name, path=path, shipped=shipped)


def load_folder(folder: Path, *, shipped: bool = False) -> tuple[list[Pack], list[PackError]]:
    """Every pack in ``folder`` (sorted by file name), and the errors of those that failed."""
    packs: list[Pack] = []
    errors: list[PackError] = []
    if not folder.is_dir():
        return packs, errors
    for path in sorted(folder.glob(f"*{PACK_SUFFIX}")):
        try:
            packs.append(load_pack(path, shipped=shipped))
        except PackError as error:
            errors.append(error)
    return packs, errors


def _read_pack(top: _Table, path: Path | None, shipped: bool) -> Pack | None:
    pack_id = top.text("id", required=True)
    if pack_id and not ID_PATTERN.match(pack_id):
        top.problem("id", "use 2–41 lower-case letters, digits and underscores, e.g. 'my_service'")
    title = top.text("title", required=True)
    body = top.text("body", required=True)
    description = top.text("description", required=True)
    version = top.whole("version", 1, low=1) or 1
    cycle_years = top.whole("cycle_years", None, low=1, high=MAX_CYCLE_YEARS)
    not_checked = top.texts("not_checked")
    sources = _read_sources(top)
    credits = _read_credits(top)
    rules: list[Rule] = []
    seen: set[str] = set()
    rule_tables = top.tables("rules", required=True)
    if not rule_tables and top.has("rules"):
        top.problem("rules", "a pack needs at least one rule")
    for table in rule_tables:
        rule = _read_rule(table, sources, credits, cycle_years)
        if rule is None:
            continue
        if rule.id in seen:
            table.problem("id", f"'{rule.id}' is used by another rule of this pack")
        seen.add(rule.id)
        rules.append(rule)
    top.close()
    if not (pack_id and title and rules):
        return None
    return Pack(
        id=pack_id,
        title=title,
        body=body,
        description=description,
        rules=tuple(rules),
        version=version,
        cycle_years=cycle_years,
        not_checked=not_checked,
        sources=tuple(sources.values()),
        path=path,
        shipped=shipped,
    )


def _read_sources(top: _Table) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    table = top.table("sources", required=True)
    if table is None:
        return sources
    for key in list(table.data):
        entry = table.table(key)
        if entry is None:
            continue
        title = entry.text("title", required=True)
        url = entry.text("url", required=True)
        if url and not url.startswith(("https://", "http://")):
            entry.problem("url", "must be a web address starting with https://")
        checked = entry.day("checked_on", required=True)
        entry.close()
        if title and url and checked:
            sources[key] = Source(key, title, url, checked)
    if not table.data:
        table.problem(None, "list at least one source, e.g. [sources.guidance]")
    return sources


def _read_credits(top: _Table) -> dict[str, GroupCredit]:
    credits = {"full": FULL_CREDIT}
    table = top.table("group_credits")
    if table is None:
        return credits
    for key in list(table.data):
        entry = table.table(key)
        if entry is None:
            continue
        share = entry.number("small_group_share", 1.0) or 0.0
        if share > 1:
            entry.problem("small_group_share", "must be between 0 and 1")
        credit = GroupCredit(
            key=key,
            description=entry.text("description", required=True),
            small_group_max=entry.whole("small_group_max", None, low=1),
            small_group_share=share,
            divide_by_size=bool(entry.flag("divide_by_size", False)),
            multiplier=entry.number("multiplier", 1.0, low=0.01, high=100) or 1.0,
            max_group_size=entry.whole("max_group_size", None, low=1),
            min_minutes_each=entry.whole("min_minutes_each", None, low=1),
        )
        entry.close()
        credits[key] = credit
    return credits


# --- rules -------------------------------------------------------------------------------------


@dataclass
class _RuleContext:
    credits: dict[str, GroupCredit]
    cycle_years: int | None


def _read_rule(
    table: _Table, sources: dict[str, Source], credits: dict[str, GroupCredit], cycle: int | None
) -> Rule | None:
    rule_id = table.text("id", required=True)
    if rule_id and not RULE_ID_PATTERN.match(rule_id):
        table.problem("id", "use lower-case letters, digits, '-' and '_'")
    title = table.text("title", required=True)
    description = table.text("description", required=True)
    kind = table.choice("kind", RULE_KINDS, "", required=True)
    source_key = table.text("source", required=True)
    source = sources.get(source_key)
    if source_key and source is None:
        table.problem("source", _not_one_of(source_key, sources) if sources else "no sources")
    optional = bool(table.flag("optional", False))
    ctx = _RuleContext(credits, cycle)
    params = READERS[kind](table, ctx) if kind else None
    if not kind:
        # Without a known kind the other fields cannot be judged; report the kind alone.
        table.used.update(table.data)
    table.close()
    if not (rule_id and title and description and kind and source and params):
        return None
    line = line_of(table.doc.lines, table.path) or 0
    return Rule(rule_id, title, kind, description, source, params, line, optional)


def _selector(
    table: _Table | None, ctx: _RuleContext, base: Selector | None = None
) -> Selector | None:
    """A selector from ``table``; with ``base``, only the filters it changes are read."""
    if table is None:
        return None
    if base is None:
        name = table.choice("records", [k.value for k in COUNTABLE], "", required=True)
        if not name:
            _mark_selector_keys(table)
            table.close()
            return None
        records = RecordKind(name)
        selector = Selector(records)
    else:
        records = base.records
        selector = base
    changes: dict[str, Any] = {}
    if table.has("measure") or base is None:
        measure = table.choice("measure", MEASURES, "hours" if _has_minutes(records) else "count")
        if measure not in COUNTABLE[records]:
            table.problem(
                "measure",
                f"'{measure}' does not apply to {records.label.lower()} records "
                f"(use {', '.join(COUNTABLE[records])})",
            )
        changes["measure"] = measure
    if table.has("label"):
        changes["label"] = table.text("label")
    subtype = SUBTYPES.get(records)
    for key in ("types", "exclude_types"):
        if table.has(key):
            if subtype is None:
                table.raw(key)
                table.problem(key, f"{records.label.lower()} records have no sub-kinds")
            else:
                changes[key] = table.texts(key, subtype)
    for key, kinds in FILTER_KINDS.items():
        if not table.has(key):
            continue
        if records not in kinds:
            table.raw(key)
            allowed = ", ".join(k.value for k in kinds)
            table.problem(key, f"does not apply to {records.value} records (only to {allowed})")
            continue
        changes[key] = _filter_value(table, key, records, ctx)
    if table.has("distinct_field"):
        names = {f.name for f in fields(RECORD_TYPES[records]) if f.init}
        value = table.choice("distinct_field", sorted(names), "")
        changes["distinct_field"] = value
    measure = changes.get("measure", selector.measure)
    if measure == "distinct" and not changes.get("distinct_field", selector.distinct_field):
        table.problem("distinct_field", "is required when measure is 'distinct'", near="measure")
    if base is None:
        # A narrowing table (a share) holds other fields too; its reader closes it.
        table.close()
    return replace(selector, **changes)


def _mark_selector_keys(table: _Table) -> None:
    for key in SELECTOR_KEYS:
        table.used.add(key)


def _has_minutes(kind: RecordKind) -> bool:
    return KINDS[kind].has_minutes


def _filter_value(table: _Table, key: str, records: RecordKind, ctx: _RuleContext) -> Any:
    if key == "direction":
        return table.choice(key, [d.value for d in Direction], "received")
    if key == "roles":
        role = FacilitationRole if records is RecordKind.PRACTICE else TeachingRole
        return table.texts(key, role)
    if key in LIST_CHOICES:
        return table.texts(key, LIST_CHOICES[key])
    if key == "group_credit":
        name = table.text(key)
        if name not in ctx.credits:
            table.problem(key, _not_one_of(name, ctx.credits))
            return FULL_CREDIT
        return ctx.credits[name]
    if key in ("min_days",):
        return table.number(key, high=366)
    if key.startswith(("min_", "clinical_", "day_")):
        value = table.whole(key)
        return 0 if key == "day_minimum_minutes" and value is None else value
    return table.flag(key)


def _window(table: _Table, ctx: _RuleContext, default: str = "all") -> Window:
    kind = table.choice("window", WINDOWS, default)
    months = table.whole("window_months", None, low=1, high=MAX_MONTHS)
    if kind == "rolling" and months is None:
        table.problem("window_months", "is required for a rolling window", near="window")
    if kind != "rolling" and months is not None:
        table.problem("window_months", "only applies to window = 'rolling'")
    if kind == "cycle" and not ctx.cycle_years:
        table.problem("window", "needs cycle_years at the top of the pack")
    return Window(kind, months)


def _count(table: _Table, ctx: _RuleContext, key: str = "count") -> Selector | None:
    return _selector(table.table(key, required=True), ctx)


def _minimum(table: _Table, key: str = "minimum") -> float:
    value = table.number(key, None, required=True)
    if value is not None and value <= 0:
        table.problem(key, "must be more than 0")
    return value or 0.0


def _read_total(table: _Table, ctx: _RuleContext) -> RuleParams | None:
    count = _count(table, ctx)
    minimum = _minimum(table)
    window = _window(table, ctx)
    share = None
    share_table = table.table("share")
    if share_table is not None and count is not None:
        share_minimum = _minimum(share_table)
        label = share_table.text("label", required=True)
        after = bool(share_table.flag("after_qualification", False))
        narrowed = _selector(share_table, ctx, base=count) if _narrows(share_table) else None
        share_table.close()
        share = Share(share_minimum, label, narrowed, after)
    if count is None:
        return None
    return TotalParams(count, minimum, window, share)


def _narrows(table: _Table) -> bool:
    return any(table.has(k) for k in SELECTOR_KEYS if k != "records")


def _every(table: _Table, options: Iterable[str] = PERIODS, required: bool = True) -> str:
    return table.choice("every", options, "", required=required)


def _read_every_period(table: _Table, ctx: _RuleContext) -> RuleParams | None:
    count = _count(table, ctx)
    every = _every(table)
    minimum = _minimum(table)
    window = _window(table, ctx)
    only_when = _selector(table.table("only_when"), ctx)
    pro_rata = bool(table.flag("pro_rata", False))
    full_from = table.number("full_from_fraction", 1.0, low=0.01) or 1.0
    if full_from > 1:
        table.problem("full_from_fraction", "must be between 0 and 1")
    exclude_leave = bool(table.flag("exclude_leave", True))
    start = table.whole("from_months_after_qualification", None, high=MAX_MONTHS)
    until = table.whole("until_months_after_qualification", None, low=1, high=MAX_MONTHS)
    if start is not None and until is not None and until <= start:
        table.problem("until_months_after_qualification", "must be after the 'from' month")
    if count is None or not every:
        return None
    return EveryPeriodParams(
        count, every, minimum, window, only_when, pro_rata, full_from, exclude_leave, start, until
    )


def _read_average(table: _Table, ctx: _RuleContext) -> RuleParams | None:
    count = _count(table, ctx)
    every = _every(table, ("week", "fortnight", "month"))
    minimum = _minimum(table)
    window = _window(table, ctx)
    pro_rata = bool(table.flag("pro_rata", False))
    full_from = table.number("full_from_fraction", 1.0, low=0.01) or 1.0
    if count is None or not every:
        return None
    return AverageParams(count, every, minimum, window, pro_rata, full_from)


def _read_ratio(table: _Table, ctx: _RuleContext) -> RuleParams | None:
    count = _count(table, ctx)
    per = _count(table, ctx, "per")
    every = _every(table, ("", *PERIODS), required=False)
    tiers = []
    for tier_table in table.tables("tiers"):
        up_to = tier_table.number("up_to", None)
        tiers.append(Tier(up_to, _minimum(tier_table)))
        tier_table.close()
    for earlier, later in itertools.pairwise(tiers):
        if earlier.up_to is None or (later.up_to is not None and later.up_to <= earlier.up_to):
            table.problem("tiers", "tiers must rise, and only the last may leave out 'up_to'")
            break
    numerator = table.number("numerator", 1.0) or 1.0
    denominator = table.number("denominator", None)
    if not tiers and not denominator:
        table.problem("denominator", "give 'denominator' (e.g. 8 for 1 hour per 8) or 'tiers'")
    minimum = table.number("minimum", 0.0) or 0.0
    window = _window(table, ctx)
    if count is None or per is None:
        return None
    return RatioParams(
        count, per, numerator, denominator or 1.0, tuple(tiers), every, minimum, window
    )


def _read_gap(table: _Table, ctx: _RuleContext) -> RuleParams | None:
    count = _count(table, ctx)
    months = table.whole("max_gap_months", None, low=1, high=MAX_MONTHS)
    days = table.whole("max_gap_days", None, low=1, high=MAX_DAYS)
    if (months is None) == (days is None):
        table.problem("max_gap_months", "give either max_gap_months or max_gap_days")
    window = _window(table, ctx)
    within = _selector(table.table("within"), ctx)
    if count is None:
        return None
    return GapParams(count, months, days, window, within)


def _read_timing(table: _Table, ctx: _RuleContext) -> RuleParams | None:
    count = _count(table, ctx)
    months = table.whole("final_months", None, low=1, high=MAX_MONTHS, required=True)
    minimum = table.number("minimum", 1.0) or 1.0
    if not ctx.cycle_years:
        table.problem("kind", "a timing rule needs cycle_years at the top of the pack")
    if count is None or months is None:
        return None
    return TimingParams(count, months, minimum)


def _read_span(table: _Table, ctx: _RuleContext) -> RuleParams | None:
    count = _count(table, ctx)
    months = table.whole("minimum_months", None, low=1, high=MAX_MONTHS, required=True)
    window = _window(table, ctx)
    if count is None or months is None:
        return None
    return SpanParams(count, months, window)


def _read_coverage(table: _Table, ctx: _RuleContext) -> RuleParams | None:
    count = _count(table, ctx)
    by = _count(table, ctx, "by")
    name = table.text("field", "setting")
    window = _window(table, ctx)
    if count is None or by is None:
        return None
    for selector in (count, by):
        names = {f.name for f in fields(RECORD_TYPES[selector.records]) if f.init}
        if name not in names:
            table.problem("field", f"{selector.records.value} records have no field '{name}'")
    return CoverageParams(count, by, name, window)


def _read_per_item(table: _Table, ctx: _RuleContext) -> RuleParams | None:
    items = _count(table, ctx, "items")
    count = _count(table, ctx)
    minimum = _minimum(table)
    link = table.text("link_field", "course_uid")
    window = _window(table, ctx)
    if items is None or count is None:
        return None
    names = {f.name for f in fields(RECORD_TYPES[count.records]) if f.init}
    if link not in names:
        table.problem("link_field", f"{count.records.value} records have no field '{link}'")
    return PerItemParams(items, count, minimum, link, window)


def _read_milestones(table: _Table, ctx: _RuleContext) -> RuleParams | None:
    template = table.text("template", required=True)
    kind = table.choice("pathway_kind", [k.value for k in PathwayKind], "training")
    ordered = bool(table.flag("ordered", False))
    minimum_routes = table.whole("minimum_routes", 0) or 0
    specs = []
    for entry in table.tables("milestones", required=True):
        route = entry.raw("route")
        if route is not MISSING and route not in [r.value for r in ConversionRoute]:
            entry.problem("route", _not_one_of(route, [r.value for r in ConversionRoute]))
            route = MISSING
        specs.append(
            MilestoneSpec(
                title=entry.text("title", required=True),
                description=entry.text("description"),
                due_months=entry.whole("due_months", None, high=MAX_MONTHS),
                route=None if route is MISSING else str(route),
                aliases=entry.texts("aliases"),
                optional=bool(entry.flag("optional", False)),
            )
        )
        entry.close()
    if not specs and table.has("milestones"):
        table.problem("milestones", "list at least one milestone")
    if minimum_routes and kind != PathwayKind.CONVERSION.value:
        table.problem("minimum_routes", "only applies to pathway_kind = 'conversion'")
    if not template or not specs:
        return None
    return MilestonesParams(template, tuple(specs), kind, ordered, minimum_routes)


READERS = {
    "total": _read_total,
    "every_period": _read_every_period,
    "average": _read_average,
    "ratio": _read_ratio,
    "gap": _read_gap,
    "timing": _read_timing,
    "span": _read_span,
    "coverage": _read_coverage,
    "per_item": _read_per_item,
    "milestones": _read_milestones,
}
