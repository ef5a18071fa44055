#!/usr/bin/env python3
"""One entry point for building the book and running its tests.

Needs only Python 3.11+ and access to PyPI. Every command creates the virtual environment
``.venv`` on first use and installs the project into it (``pip install -e ".[docs,test]"``),
again only when ``pyproject.toml`` changed.

    python3 dev.py site         build the whole site from scratch, then serve it on
                                http://127.0.0.1:8000 (Ctrl-C stops the server)
    python3 dev.py test         the fast loop: lint, unit tests and doctests (not the site),
                                one worker per core
    python3 dev.py test --site  everything: also a clean site build with -W and the browser
                                and accessibility checks of the built site (what CI runs);
                                the site tests and the rest run side by side
    python3 dev.py build        incremental build (only changed pages and examples re-execute)
    python3 dev.py serve        serve the last build on http://127.0.0.1:8000
    python3 dev.py live         live preview while writing (sphinx-autobuild, rebuilds on save)
    python3 dev.py setup        only create/update .venv

Extra arguments after ``test`` go to pytest, e.g. ``python3 dev.py test -k differentiate``.

This file is also the one place that knows how the site is built: the site tests
(``tests/test_site.py``) and the build benchmark (``bench/bench_build.py``) import
:func:`build_site`, :func:`copy_sources` and :data:`SPHINX_FLAGS` from here. It uses only the
standard library, so ``python3 dev.py`` runs before the virtual environment exists.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
import venv
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("CALCDOCS_VENV", ROOT / ".venv"))
DOCS = ROOT / "docs"
BUILD = DOCS / "_build"
HTML = BUILD / "html"
HOST, PORT = "127.0.0.1", int(os.environ.get("CALCDOCS_PORT", "8000"))

# -- How the site is built (shared with tests/test_site.py and bench/bench_build.py) ----------


def cores() -> int:
    """The cores this process may use (as ``docs/_ext/calcdocs_execute.cores``, which the
    build's own processes use: the docs tree, copied alone by the tests, cannot import this)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


# Warnings are errors, nitpicky cross-references, and every problem reported (not just the first);
# pages read and written in parallel: while Sphinx's main process resolves each page, one worker
# per core writes (`-j auto` is one process per core in all, the main one included: on two
# cores the whole book's write took 45-50 s with it, 39-40 s with this).
SPHINX_FLAGS = ("-W", "--keep-going", "-n", "-j", str(cores() + 1))
# The folders the source tree needs to build: the book, the gallery scripts, and the library
# (imported by the pages, and shown with literalinclude).
SOURCE_FOLDERS = ("docs", "gallery", "src")
# Files the build needs beside them: the wheel the site publishes is built from these.
SOURCE_FILES = ("pyproject.toml", "README.md")
# What a build writes into `docs/` (git-ignored, paths relative to it): a clean build removes it.
GENERATED = (
    "_build",  # the jupyter-cache (and dev.py's output folder)
    "auto_examples",  # sphinx-gallery's generated pages and images
    "gen_modules",  # sphinx-gallery's back-references (mini-galleries)
    "api/generated",  # autosummary's API stubs
    "jupyter_execute",
    "sg_execution_times.rst",
    "sg_api_usage.rst",
)
# Names left out when the sources are copied (`shutil.ignore_patterns`): the above and caches.
COPY_IGNORE = (*(Path(g).name for g in GENERATED), "__pycache__", ".ipynb_checkpoints")


@dataclass(frozen=True)
class SiteBuild:
    """What one run of sphinx-build did: the command, its exit code, its output and its time."""

    src: Path
    out: Path
    command: tuple[str, ...]
    returncode: int
    log: str
    seconds: float

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def problems(self) -> list[str]:
        """The warning and error lines of the log."""
        return [line for line in self.log.splitlines() if "WARNING:" in line or "ERROR:" in line]

    def executed_pages(self) -> int:
        """How many notebooks (book pages) this build executed."""
        return self.log.count("Executing notebook")

    def executed_examples(self) -> int | None:
        """How many gallery examples this build ran (None when sphinx-gallery said nothing)."""
        m = re.search(r"successfully executed (\d+) out of (\d+)", self.log)
        return int(m.group(1)) if m else None


def copy_sources(dest: Path, *, root: Path = ROOT) -> Path:
    """Copy the book's sources (not what a build generated) to ``dest``; return ``dest/docs``."""
    ignore = shutil.ignore_patterns(*COPY_IGNORE)
    for name in SOURCE_FOLDERS:
        shutil.copytree(root / name, dest / name, ignore=ignore)
    for name in SOURCE_FILES:
        shutil.copy2(root / name, dest / name)
    return dest / "docs"


def clean_generated(src: Path) -> None:
    """Remove what earlier builds wrote into the source folder ``src`` (a ``docs/``)."""
    for name in GENERATED:
        path = src / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def sphinx_command(
    src: Path,
    out: Path,
    *,
    builder: str = "html",
    doctrees: Path | None = None,
    python: str | None = None,
    options: tuple[str, ...] = (),
) -> list[str]:
    """The sphinx-build command line for ``src`` -> ``out`` with the project's flags.

    ``options`` are further sphinx-build options, e.g. ``("-D", "calcdocs_base_url=...")``.
    """
    cmd = [python or sys.executable, "-m", "sphinx", *SPHINX_FLAGS, "-b", builder]
    if doctrees is not None:
        cmd += ["-d", str(doctrees)]
    return [*cmd, *options, str(src), str(out)]


def build_site(
    src: Path,
    out: Path,
    *,
    clean: bool = True,
    builder: str = "html",
    doctrees: Path | None = None,
    python: str | None = None,
    capture: bool = True,
    options: tuple[str, ...] = (),
) -> SiteBuild:
    """Build the book in ``src`` (a ``docs/`` folder) into ``out``.

    ``clean=True`` first removes ``out`` and everything earlier builds generated in the source
    tree (the jupyter-cache included), so every page and example executes. With
    ``capture=False`` the output goes to the terminal and :attr:`SiteBuild.log` is empty.
    """
    src, out = Path(src), Path(out)
    if clean:
        clean_generated(src)
        shutil.rmtree(out, ignore_errors=True)
        if doctrees is not None:
            shutil.rmtree(doctrees, ignore_errors=True)
    if capture:  # a plain log for the callers that read it (Sphinx colours it on some CIs)
        options = ("--no-color", *options)
    command = sphinx_command(
        src, out, builder=builder, doctrees=doctrees, python=python, options=options
    )
    start = time.perf_counter()
    result = subprocess.run(
        command, cwd=src.parent, capture_output=capture, text=True, encoding="utf-8"
    )
    seconds = time.perf_counter() - start
    log = (result.stdout or "") + (result.stderr or "") if capture else ""
    return SiteBuild(src, out, tuple(command), result.returncode, log, seconds)


# -- The commands ------------------------------------------------------------------------------


def python() -> str:
    return str(VENV / "bin" / "python")


def run(*cmd: str | os.PathLike) -> None:
    print("+", " ".join(map(str, cmd)), flush=True)
    result = subprocess.run([str(c) for c in cmd], cwd=ROOT)
    if result.returncode:
        sys.exit(result.returncode)


def setup() -> None:
    """Create .venv and install the project with its docs and test extras, when needed."""
    if sys.version_info < (3, 11):  # noqa: UP036 (dev.py runs under any python3)
        sys.exit(f"calcdocs needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not (VENV / "bin" / "python").exists():
        print(f"creating the virtual environment {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    stamp = VENV / ".calcdocs-installed"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    run(python(), "-m", "pip", "install", "--upgrade", "--quiet", "pip")
    run(python(), "-m", "pip", "install", "--quiet", "-e", ".[docs,test]")
    stamp.write_text(digest)


def build(*, clean: bool) -> None:
    print("+", " ".join(sphinx_command(DOCS, HTML, python=python())), flush=True)
    result = build_site(DOCS, HTML, clean=clean, python=python(), capture=False)
    if not result.ok:
        sys.exit(result.returncode)


def serve() -> None:
    if not (HTML / "index.html").exists():
        sys.exit("No site built yet: run `python3 dev.py site` first.")
    print(f"\nServing the book on http://{HOST}:{PORT}/ (Ctrl-C to stop)\n", flush=True)
    try:
        run(python(), "-m", "http.server", "--bind", HOST, "--directory", HTML, str(PORT))
    except KeyboardInterrupt:
        pass


def test(args: list[str], *, site: bool) -> None:
    """Run the tests: the fast loop, or with ``site`` everything (what CI runs).

    The unit tests run on one pytest-xdist worker per core. With ``site``, the site tests
    (one clean build shared by all of them, then the browser) run in a second pytest beside
    the unit tests, whose output is printed when both are done: on two cores the unit tests
    then cost no wall time of their own.
    """
    # one BLAS thread per process: the test processes already use every core
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    pytest = [python(), "-m", "pytest"]
    if not site:
        run(*pytest, "-m", "not site", "-n", "auto", *args)
        return
    print("+", " ".join([*pytest, "-m", "not site", *args]), "(beside the site tests)")
    with open(VENV / "unit-tests.log", "w+", encoding="utf-8") as log:
        unit = subprocess.Popen(
            [*pytest, "-m", "not site", *args], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )
        site = [*pytest, "-m", "site", "--durations=12", *args]  # where the minutes go
        print("+", " ".join(site), flush=True)
        site_code = subprocess.run(site, cwd=ROOT).returncode
        unit_code = unit.wait()
        log.seek(0)
        print("\n--- the unit tests, doctests and lint (run beside the site tests) ---")
        print(log.read(), flush=True)
    # 5: this half selected no test (e.g. `-k` that names only site tests)
    codes = {site_code, unit_code} - {0, 5}
    if codes or {site_code, unit_code} == {5}:
        sys.exit(max(codes) if codes else 5)


def main(argv: list[str]) -> None:
    command, rest = (argv[0], argv[1:]) if argv else ("help", [])
    if command in {"help", "-h", "--help"}:
        print(__doc__)
        return
    if command not in {"site", "test", "build", "serve", "live", "setup"}:
        sys.exit(f"unknown command {command!r}; see `python3 dev.py help`.")
    setup()
    if command == "site":
        build(clean=True)
        print(f"\nBuilt {HTML / 'index.html'}", flush=True)
        serve()
    elif command == "build":
        build(clean=False)
        print(f"\nBuilt {HTML / 'index.html'}; `python3 dev.py serve` opens it.")
    elif command == "serve":
        serve()
    elif command == "live":
        run(
            python(),
            "-m",
            "sphinx_autobuild",
            *SPHINX_FLAGS,
            "-b",
            "html",
            "--host",
            HOST,
            "--port",
            str(PORT),
            "--watch",
            ROOT / "src",
            "--watch",
            ROOT / "gallery",
            "--re-ignore",
            r"(auto_examples|gen_modules|api/generated|_build)/",
            DOCS,
            HTML,
        )
    elif command == "test":
        test([a for a in rest if a != "--site"], site="--site" in rest)


if __name__ == "__main__":
    main(sys.argv[1:])
