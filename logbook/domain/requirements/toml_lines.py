"""Line numbers of the keys in a TOML document, so a bad pack can say where it is wrong.

``tomllib`` gives values but not positions. This scanner reads the same text line by line and
records the line of every table header and every ``key = value``, keyed by the path the parsed
value has (array-of-table elements by index). It skips the inside of multi-line strings and
multi-line arrays or inline tables, so keys inside those resolve to the key that holds them.
"""

from __future__ import annotations

import re

Path = tuple[str | int, ...]

_BARE = re.compile(r"[A-Za-z0-9_-]+")


def _split_key(text: str) -> list[str] | None:
    """``a."b.c".d`` -> ``["a", "b.c", "d"]``; None when it is not a key."""
    parts: list[str] = []
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i] in " \t":
            i += 1
        if i >= n:
            break
        if text[i] in "\"'":
            quote = text[i]
            end = text.find(quote, i + 1)
            if end < 0:
                return None
            parts.append(text[i + 1 : end])
            i = end + 1
        else:
            match = _BARE.match(text, i)
            if not match:
                return None
            parts.append(match.group())
            i = match.end()
        while i < n and text[i] in " \t":
            i += 1
        if i < n:
            if text[i] != ".":
                return None
            i += 1
    return parts or None


def _key_end(line: str) -> int:
    """Index of the ``=`` that ends the key on ``line`` (outside quotes), or -1."""
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "=":
            return i
        elif ch == "#":
            return -1
    return -1


def _value_state(value: str, depth: int, multiline: str) -> tuple[int, str]:
    """Bracket depth and open multi-line string after scanning ``value``."""
    i, n = 0, len(value)
    while i < n:
        if multiline:
            end = value.find(multiline, i)
            if end < 0:
                return depth, multiline
            i = end + 3
            multiline = ""
            continue
        ch = value[i]
        if value.startswith('"""', i) or value.startswith("'''", i):
            multiline = value[i : i + 3]
            i += 3
            continue
        if ch in "\"'":
            end = i + 1
            while end < n and value[end] != ch:
                end += 2 if ch == '"' and value[end] == "\\" else 1
            i = end + 1
            continue
        if ch == "#":
            break
        if ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        i += 1
    return depth, multiline


def key_lines(document: str) -> dict[Path, int]:
    """Map every key path in ``document`` to its 1-based line number."""
    lines: dict[Path, int] = {}
    arrays: dict[Path, int] = {}
    current: Path = ()
    depth, multiline = 0, ""

    def resolve(keys: list[str]) -> Path:
        path: Path = ()
        for key in keys:
            path = (*path, key)
            if path in arrays:
                path = (*path, arrays[path] - 1)
        return path

    for number, raw in enumerate(document.splitlines(), start=1):
        if multiline or depth > 0:
            depth, multiline = _value_state(raw, depth, multiline)
            continue
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("[["):
            keys = _split_key(stripped[2 : stripped.find("]]")])
            if keys:
                parent = resolve(keys[:-1])
                array = (*parent, keys[-1])
                arrays[array] = arrays.get(array, 0) + 1
                current = (*array, arrays[array] - 1)
                lines.setdefault(array, number)
                lines[current] = number
            continue
        if stripped.startswith("["):
            keys = _split_key(stripped[1 : stripped.find("]")])
            if keys:
                current = resolve(keys)
                lines[current] = number
            continue
        equals = _key_end(stripped)
        if equals < 0:
            continue
        keys = _split_key(stripped[:equals])
        if keys:
            path = current
            for key in keys:
                path = (*path, key)
                lines.setdefault(path, number)
        depth, multiline = _value_state(stripped[equals + 1 :], 0, "")
    return lines


def line_of(lines: dict[Path, int], path: Path) -> int | None:
    """The line of ``path``, or of the nearest enclosing key or table that has one."""
    probe = path
    while probe:
        if probe in lines:
            return lines[probe]
        probe = probe[:-1]
    return None
