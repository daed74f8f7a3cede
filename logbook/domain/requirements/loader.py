"""Reading a requirement pack from a TOML file, and saying exactly what is wrong with a bad one.

Every problem names the file, the line and the field (``rules[2].count.measure``), and every
problem in the file is reported at once, so a pack can be fixed in one go. A pack either loads
completely or not at all.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from logbook.domain.limits import MAX_DEPTH, MAX_PROBLEMS
from logbook.domain.requirements.model import FULL_CREDIT, GroupCredit, Pack, Rule, Source
from logbook.domain.requirements.readers import PackContext
from logbook.domain.requirements.registry import RULE_KINDS
from logbook.domain.requirements.tables import (
    Document,
    PackError,
    PackProblem,
    Table,
    not_one_of,
)
from logbook.domain.requirements.toml_lines import key_lines, line_of

PACK_SUFFIX = ".toml"
# A pack is a page or two of TOML; the shipped ones are under 30 KB.
MAX_PACK_CHARS = 1024 * 1024
MAX_CYCLE_YEARS = 10
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_]{1,40}$")
RULE_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,60}$")


# --- the pack ----------------------------------------------------------------------------------


def parse_pack(
    document: str, name: str, *, path: Path | None = None, shipped: bool = False
) -> Pack:
    """Read a pack from TOML text.

    Args:
        document: The TOML text.
        name: How the file is named in problems (usually its file name).
        path: The file the text was read from, kept on the pack (None for text from
            elsewhere).
        shipped: The pack comes with the app (it cannot be edited or replaced).

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
    doc = Document(name, key_lines(document), [])
    pack = _read_pack(Table(data, (), doc), path, shipped)
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


def _read_pack(top: Table, path: Path | None, shipped: bool) -> Pack | None:
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


def _read_sources(top: Table) -> dict[str, Source]:
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


def _read_credits(top: Table) -> dict[str, GroupCredit]:
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
            count_contracted=bool(entry.flag("count_contracted", False)),
        )
        entry.close()
        credits[key] = credit
    return credits


# --- rules -------------------------------------------------------------------------------------


def _read_rule(
    table: Table, sources: dict[str, Source], credits: dict[str, GroupCredit], cycle: int | None
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
        table.problem("source", not_one_of(source_key, sources) if sources else "no sources")
    optional = bool(table.flag("optional", False))
    params = RULE_KINDS[kind].read(table, PackContext(credits, cycle)) if kind else None
    if not kind:
        # Without a known kind the other fields cannot be judged; report the kind alone.
        table.used.update(table.data)
    table.close()
    if not (rule_id and title and description and kind and source and params):
        return None
    line = line_of(table.doc.lines, table.path) or 0
    return Rule(rule_id, title, kind, description, source, params, line, optional)


__all__ = [
    "MAX_PACK_CHARS",
    "PACK_SUFFIX",
    "PackError",
    "PackProblem",
    "load_folder",
    "load_pack",
    "parse_pack",
]
