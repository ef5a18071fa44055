#!/usr/bin/env python3
"""One entry point for building the book and running its tests.

Needs only Python 3.11+ and access to PyPI. Every command creates the virtual environment
``.venv`` on first use and installs the project into it (``pip install -e ".[docs,test]"``),
again only when ``pyproject.toml`` changed.

    python3 dev.py site     build the whole site from scratch, then serve it on
                            http://127.0.0.1:8000 (Ctrl-C stops the server)
    python3 dev.py test     run the whole test suite: lint, unit tests, doctests, a clean
                            site build with -W, and the browser checks of the built site
    python3 dev.py build    incremental build (only changed pages and examples re-execute)
    python3 dev.py serve    serve the last build on http://127.0.0.1:8000
    python3 dev.py live     live preview while writing (sphinx-autobuild, rebuilds on save)
    python3 dev.py setup    only create/update .venv

Extra arguments after ``test`` go to pytest, e.g. ``python3 dev.py test -k differentiate``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("CALCDOCS_VENV", ROOT / ".venv"))
DOCS = ROOT / "docs"
BUILD = DOCS / "_build"
HTML = BUILD / "html"
HOST, PORT = "127.0.0.1", int(os.environ.get("CALCDOCS_PORT", "8000"))
SPHINX_FLAGS = ["-W", "--keep-going", "-n", "-b", "html"]
# Folders the build writes into the source tree (git-ignored), removed by a clean build.
GENERATED = [BUILD, DOCS / "auto_examples", DOCS / "gen_modules", DOCS / "api" / "generated"]


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


def clean() -> None:
    for path in GENERATED:
        shutil.rmtree(path, ignore_errors=True)


def build() -> None:
    run(python(), "-m", "sphinx", *SPHINX_FLAGS, DOCS, HTML)


def serve() -> None:
    if not (HTML / "index.html").exists():
        sys.exit("No site built yet: run `python3 dev.py site` first.")
    print(f"\nServing the book on http://{HOST}:{PORT}/ (Ctrl-C to stop)\n", flush=True)
    try:
        run(python(), "-m", "http.server", "--bind", HOST, "--directory", HTML, str(PORT))
    except KeyboardInterrupt:
        pass


def main(argv: list[str]) -> None:
    command, rest = (argv[0], argv[1:]) if argv else ("help", [])
    if command in {"help", "-h", "--help"}:
        print(__doc__)
        return
    if command not in {"site", "test", "build", "serve", "live", "setup"}:
        sys.exit(f"unknown command {command!r}; see `python3 dev.py help`.")
    setup()
    if command == "site":
        clean()
        build()
        print(f"\nBuilt {HTML / 'index.html'}", flush=True)
        serve()
    elif command == "build":
        build()
        print(f"\nBuilt {HTML / 'index.html'}; `python3 dev.py serve` opens it.")
    elif command == "serve":
        serve()
    elif command == "live":
        run(
            python(),
            "-m",
            "sphinx_autobuild",
            *SPHINX_FLAGS,
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
        run(python(), "-m", "pytest", *rest)


if __name__ == "__main__":
    main(sys.argv[1:])
