"""The layers stay honest: the import contracts in pyproject.toml hold."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).parent.parent
STORAGE = ROOT / "logbook" / "storage"
# What building or running SQL needs: SQLAlchemy, Alembic, the tables and their column types.
SQL_MODULES = ("sqlalchemy", "alembic", "logbook.storage.models", "logbook.storage.types")


def test_import_contracts_are_kept() -> None:
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint_imports, "import-linter is part of the development dependencies"
    result = subprocess.run(
        [lint_imports, "--no-cache"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout


def test_only_storage_speaks_sql() -> None:
    """Queries are built and run in the repositories alone; services hold a session at most."""
    speaking = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in sorted((ROOT / "logbook").rglob("*.py"))
        if STORAGE not in path.parents
        for module in _imports(path)
        if module.startswith(SQL_MODULES)
    ]
    assert not speaking, "SQL belongs in logbook/storage:\n" + "\n".join(speaking)


def _imports(path: Path) -> Iterator[str]:
    """Every module ``path`` imports, anywhere in it (type-checking blocks included)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield from (f"{node.module}.{alias.name}" for alias in node.names)
