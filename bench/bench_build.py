"""Benchmark: how long the book takes to build, from scratch and incrementally.

Run from the repository root with the project's environment::

    .venv/bin/python bench/bench_build.py            # or /path/to/venv/bin/python

It copies ``docs/`` and ``gallery/`` into a temporary folder (so the working tree and its
caches are untouched) and times, with the same flags as CI (``-W --keep-going -n``):

1. a clean build (nothing cached: every page and example executes);
2. a rebuild with no change (nothing re-executes, nothing is re-read);
3. a rebuild after a prose-only edit of one page (the page is re-read, its notebook comes
   from the jupyter-cache, nothing executes);
4. a rebuild after editing one gallery example (only that example re-runs).

It prints one table. The numbers depend on the machine; the reference figures in the
closing notes were measured on the project's 2-core machine.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLAGS = ["-W", "--keep-going", "-n", "-b", "html"]


def sphinx(src: Path, out: Path) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", *FLAGS, str(src), str(out)],
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    log = result.stdout + result.stderr
    if result.returncode:
        sys.exit(f"build failed:\n{log[-4000:]}")
    return seconds, log


def executed(log: str) -> str:
    pages = log.count("Executing notebook")
    m = re.search(r"successfully executed (\d+) out of (\d+)", log)
    examples = m.group(1) if m else "?"
    return f"{pages} pages, {examples} examples"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="calcdocs-bench-"))
    ignore = shutil.ignore_patterns(
        "_build", "auto_examples", "gen_modules", "generated", "jupyter_execute", "__pycache__"
    )
    shutil.copytree(ROOT / "docs", work / "docs", ignore=ignore)
    shutil.copytree(ROOT / "gallery", work / "gallery", ignore=ignore)
    shutil.copytree(ROOT / "src", work / "src", ignore=ignore)  # for literalinclude
    src, out = work / "docs", work / "html"
    rows = []

    seconds, log = sphinx(src, out)
    rows.append(("clean build", seconds, executed(log)))

    seconds, log = sphinx(src, out)
    rows.append(("rebuild, no change", seconds, executed(log)))

    page = src / "front" / "notation.md"
    page.write_text(page.read_text() + "\nAn added sentence of prose.\n")
    seconds, log = sphinx(src, out)
    rows.append(("rebuild, prose edit of one page", seconds, executed(log)))

    example = sorted((work / "gallery").rglob("plot_*.py"))[0]
    example.write_text(example.read_text() + "\n# %%\n# An added comment cell.\n")
    seconds, log = sphinx(src, out)
    rows.append((f"rebuild, edit of {example.name}", seconds, executed(log)))

    width = max(len(r[0]) for r in rows)
    print(f"{'build':<{width}}  {'seconds':>8}  executed")
    for name, secs, what in rows:
        print(f"{name:<{width}}  {secs:8.1f}  {what}")
    n_pages = len(list(src.rglob("*.md")))
    n_examples = len(list((work / "gallery").rglob("plot_*.py")))
    print(f"\n{n_pages} pages, {n_examples} gallery examples; Python {sys.version.split()[0]}")
    if args.keep:
        print(f"kept {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
