"""The largest modules and functions of the package, in lines, to keep each one readable."""

from __future__ import annotations

import ast
import sys
from pathlib import Path


def sizes(root: Path) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    files, functions = [], []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        name = str(path.relative_to(root.parent))
        files.append((source.count("\n"), name))
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                functions.append((length, f"{name}::{node.name}"))
    return sorted(files, reverse=True), sorted(functions, reverse=True)


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "logbook")
    files, functions = sizes(root)
    print(f"{len(files)} modules, {sum(n for n, _ in files)} lines")
    print("largest modules:")
    for n, name in files[:8]:
        print(f"  {n:5d}  {name}")
    print(f"modules over 600 lines: {sum(n > 600 for n, _ in files)}")
    print("longest functions:")
    for n, name in functions[:8]:
        print(f"  {n:5d}  {name}")
    print(f"functions over 60 lines: {sum(n > 60 for n, _ in functions)}")


if __name__ == "__main__":
    main()
