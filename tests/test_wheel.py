"""``pip install`` of the wheel gives a working app: both commands, with every shipped file.

The wheel is built from this checkout (``uv build --wheel``) and installed into a fresh virtual
environment (``uv venv`` + ``uv pip install``, dependency versions pinned to ``uv.lock``). The
commands then run from that environment, in a folder outside the checkout, as a user runs them,
so nothing can be found through the source tree by accident. With a warm uv cache, building and
installing take a few seconds and the whole file 20 to 40 seconds (uv may look up the package
index, so it needs the network or a cache that answers offline).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

REPOSITORY = Path(__file__).resolve().parent.parent
VERSION = tomllib.loads((REPOSITORY / "pyproject.toml").read_text())["project"]["version"]
BIN = "Scripts" if sys.platform == "win32" else "bin"
EXE = ".exe" if sys.platform == "win32" else ""


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path
    home: Path  # the working folder commands run in, outside the checkout

    def command(self, name: str) -> Path:
        return self.venv / BIN / f"{name}{EXE}"

    def run(
        self, name: str, *args: str | Path, timeout: float = 300
    ) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
        env["QT_QPA_PLATFORM"] = "offscreen"
        return subprocess.run(
            [str(self.command(name)), *map(str, args)],
            cwd=self.home,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def _uv(*args: str | Path, cwd: Path = REPOSITORY) -> None:
    uv = shutil.which("uv")
    assert uv, "uv is needed to build and install the wheel (https://docs.astral.sh/uv/)"
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    done = subprocess.run(
        [uv, *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, f"uv {' '.join(map(str, args))} failed:\n{done.stderr}"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    root = tmp_path_factory.mktemp("wheel")
    _uv("build", "--wheel", "--out-dir", root / "dist", REPOSITORY)
    (wheel,) = (root / "dist").glob("practice_logbook-*.whl")
    pinned = root / "pinned.txt"
    _uv("export", "--frozen", "--no-dev", "--no-emit-project", "--no-hashes", "-q", "-o", pinned)
    _uv("venv", "-q", "--python", sys.executable, root / "venv")
    python = root / "venv" / BIN / f"python{EXE}"
    _uv("pip", "install", "-q", "--python", python, "-c", pinned, wheel)
    home = root / "home"
    home.mkdir()
    return Installed(wheel, root / "venv", home)


def test_the_wheel_carries_the_resources_and_migrations(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    for shipped in (REPOSITORY / "resources").rglob("*"):
        if shipped.is_file():
            inside = "logbook/resources/" + shipped.relative_to(REPOSITORY / "resources").as_posix()
            assert inside in names, f"{inside} is missing from the wheel"
    migrations = REPOSITORY / "logbook" / "storage" / "migrations"
    for script in [migrations / "env.py", *migrations.glob("versions/*.py")]:
        assert script.relative_to(REPOSITORY).as_posix() in names
    assert not any(name.startswith(("tests/", "bench/", "scripts/")) for name in names)


def test_both_commands_are_installed(installed: Installed) -> None:
    for name in ("logbook", "logbook-cli"):
        assert installed.command(name).is_file(), f"the {name} command was not installed"
        assert os.access(installed.command(name), os.X_OK)
    shown = installed.run("logbook-cli", "--version")
    assert shown.returncode == 0
    assert shown.stdout.strip() == f"logbook-cli {VERSION}"
    gui = installed.run("logbook", "--version")
    assert gui.returncode == 0
    assert gui.stdout.strip() == f"logbook {VERSION}"


def test_the_installed_package_reads_its_own_resources(installed: Installed) -> None:
    python = installed.venv / BIN / f"python{EXE}"
    code = (
        "import logbook, logbook.resources as r; "
        "print(logbook.__file__); print(r.resource_root()); print(r.resource_path('fonts'))"
    )
    done = subprocess.run(
        [str(python), "-c", code], cwd=installed.home, capture_output=True, text=True, check=True
    )
    package, root, fonts = (Path(line) for line in done.stdout.splitlines())
    assert installed.venv in package.parents, "the package must come from the environment"
    assert root == package.parent / "resources"
    assert sorted(p.name for p in fonts.glob("*.ttf")) == sorted(
        p.name for p in (REPOSITORY / "resources" / "fonts").glob("*.ttf")
    )


def test_the_command_line_works_from_the_installed_wheel(installed: Installed) -> None:
    data = installed.home / "my-logbook"

    helped = installed.run("logbook-cli", "--help")
    assert helped.returncode == 0
    for command in ("add", "summary", "demo", "export-pdf", "status"):
        assert command in helped.stdout

    demo = installed.run(
        "logbook-cli", "--data-dir", data, "demo", "--persona", "pwp", "--years", "1"
    )
    assert demo.returncode == 0, demo.stderr
    assert (data / "logbook.sqlite").is_file()

    summary = installed.run("logbook-cli", "--data-dir", data, "summary")
    assert summary.returncode == 0, summary.stderr
    assert "Supervision" in summary.stdout
    assert " h" in summary.stdout

    # The rule packs are data files inside the installed package.
    packs = installed.run("logbook-cli", "--data-dir", data, "status", "--list")
    assert packs.returncode == 0, packs.stderr
    assert "BACP individual accreditation" in packs.stdout
    assert "NMC revalidation" in packs.stdout

    # The PDF is set in the shipped fonts, which must be found inside the installed package.
    pdf = installed.home / "supervision.pdf"
    exported = installed.run(
        "logbook-cli", "--data-dir", data, "export-pdf", "--layout", "supervision", pdf
    )
    assert exported.returncode == 0, exported.stderr
    reader = PdfReader(pdf)
    assert len(reader.pages) > 1
    cover = " ".join(reader.pages[0].extract_text().split())
    assert "Supervision log: case management and clinical skills" in cover
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts
    assert all("DejaVu" in name for name in fonts), fonts


def test_the_desktop_command_passes_its_smoke_test(installed: Installed) -> None:
    done = installed.run("logbook", "--smoke-test", "--temp-data-dir")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr == ""
    assert "smoke test passed" in done.stdout
    assert f"Practice Logbook {VERSION}" in done.stdout
