"""Benchmark: how long the book takes to build, what each rebuild executes, and how big it is.

Run from the repository root with the project's environment::

    .venv/bin/python bench/bench_build.py            # add --site-suite to time the site tests

It copies the sources into a temporary folder with ``dev.copy_sources`` and builds with
``dev.build_site`` (the helper ``dev.py`` and the site tests use: same flags as CI,
``-W --keep-going -n``), so the working tree and its caches are untouched. It prints one
table:

1. a clean build (nothing cached: every page and example executes);
2. a rebuild with no change (nothing executes), and its share of the clean build;
3. a rebuild after a code edit of one page (that page re-executes, no other);
4. a rebuild after an edit of one gallery example (that example re-runs, no other);
5. the five slowest pages and examples of the clean build;
6. the site's total size and its heaviest page (HTML plus the images it shows, in KB);
7. the test suite's time: ``pytest -m "not site"``, and with ``--site-suite`` also
   ``pytest tests/test_site.py`` (several builds and a browser: minutes).

The numbers depend on the machine; the reference figures in the closing notes were measured
on the project's 2-core machine.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import dev  # noqa: E402  (the one build helper)


def build(src: Path, out: Path, *, clean: bool) -> dev.SiteBuild:
    result = dev.build_site(src, out, clean=clean)
    if not result.ok:
        sys.exit("build failed:\n" + "\n".join(result.problems()) + result.log[-4000:])
    return result


def executed_pages(log: str, src: Path) -> list[str]:
    """The pages a build executed, relative to ``src``."""
    found = re.findall(r"^(\S+\.md): Executing notebook", log, flags=re.MULTILINE)
    return [Path(f).relative_to(src).as_posix() if Path(f).is_absolute() else f for f in found]


def what_ran(result: dev.SiteBuild) -> str:
    pages = executed_pages(result.log, result.src)
    examples = result.executed_examples()
    shown = ", ".join(pages[:3]) + (" ..." if len(pages) > 3 else "")
    return f"{len(pages)} pages{f' ({shown})' if pages else ''}, {examples or 0} examples"


def page_times(log: str, src: Path) -> list[tuple[float, str]]:
    """(seconds, page) for every notebook the build executed."""
    found = re.findall(r"^(\S+\.md): Executed notebook in ([\d.]+) seconds", log, re.MULTILINE)
    return [(float(s), Path(p).relative_to(src).as_posix()) for p, s in found]


def example_times(src: Path) -> list[tuple[float, str]]:
    """(seconds, example) from the running times sphinx-gallery writes into each page."""
    times = []
    for rst in (src / "auto_examples").rglob("plot_*.rst"):
        m = re.search(
            r"Total running time of the script:\*\*\s*\((\d+) minutes\s*([\d.]+) seconds\)",
            rst.read_text(encoding="utf-8"),
        )
        if m:
            seconds = 60 * int(m.group(1)) + float(m.group(2))
            times.append((seconds, rst.relative_to(src / "auto_examples").with_suffix(".py")))
    return [(s, p.as_posix()) for s, p in times]


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.srcs: list[str] = []

    def handle_starttag(self, tag, attrs):
        src = dict(attrs).get("src") if tag == "img" else None
        if src and not src.startswith(("http:", "https:", "data:")):
            self.srcs.append(src)


def site_size(out: Path) -> tuple[int, str, int]:
    """The site's total size in bytes, and its heaviest page (HTML plus its images)."""
    total = sum(
        f.stat().st_size
        for f in out.rglob("*")
        if f.is_file() and ".doctrees" not in f.relative_to(out).parts
    )
    heaviest, weight = "", 0
    for page in out.rglob("*.html"):
        parser = _Images()
        parser.feed(page.read_text(encoding="utf-8"))
        images = {(page.parent / unquote(s)).resolve() for s in parser.srcs}
        size = page.stat().st_size + sum(i.stat().st_size for i in images if i.is_file())
        if size > weight:
            heaviest, weight = page.relative_to(out).as_posix(), size
    return total, heaviest, weight


def pytest_seconds(*args: str) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    last = (result.stdout.strip().splitlines() or ["?"])[-1]
    return time.perf_counter() - start, last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--site-suite", action="store_true", help="also time tests/test_site.py (minutes)"
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="calcdocs-bench-"))
    src = dev.copy_sources(work)
    out = work / "html"
    rows = []

    clean = build(src, out, clean=True)
    rows.append(("clean build", clean.seconds, what_ran(clean)))
    slow_pages = sorted(page_times(clean.log, src), reverse=True)[:5]
    slow_examples = sorted(example_times(src), reverse=True)[:5]

    again = build(src, out, clean=False)
    share = f"{100 * again.seconds / clean.seconds:.0f}% of the clean build"
    rows.append(("rebuild, no change", again.seconds, f"{what_ran(again)}; {share}"))

    code_pages = sorted(
        p for p in src.rglob("*.md") if "```{code-cell}" in p.read_text(encoding="utf-8")
    )
    page = min(code_pages, key=lambda p: p.stat().st_size)  # the smallest page with code
    page.write_text(
        page.read_text(encoding="utf-8") + "\n```{code-cell} ipython3\nprint(1 + 1)\n```\n",
        encoding="utf-8",
    )
    edited = build(src, out, clean=False)
    name = page.relative_to(src).as_posix()
    rows.append((f"rebuild, code edit of {name}", edited.seconds, what_ran(edited)))

    example = min((work / "gallery").rglob("plot_*.py"), key=lambda p: p.stat().st_size)
    example.write_text(
        example.read_text(encoding="utf-8") + '\n# %%\n# An added cell.\nprint("edited")\n',
        encoding="utf-8",
    )
    edited = build(src, out, clean=False)
    rows.append((f"rebuild, edit of example {example.name}", edited.seconds, what_ran(edited)))

    total, heaviest, weight = site_size(out)
    fast, fast_line = pytest_seconds("-m", "not site")
    suite = [("tests, fast loop (-m 'not site')", fast, fast_line)]
    if args.site_suite:
        seconds, line = pytest_seconds("tests/test_site.py")
        suite.append(("tests, site (tests/test_site.py)", seconds, line))

    width = max(len(r[0]) for r in rows + suite)
    print(f"{'build':<{width}}  {'seconds':>8}  executed")
    for name, secs, what in rows:
        print(f"{name:<{width}}  {secs:8.1f}  {what}")
    print("\nfive slowest pages:    " + ", ".join(f"{p} {s:.1f} s" for s, p in slow_pages))
    print("five slowest examples: " + ", ".join(f"{p} {s:.1f} s" for s, p in slow_examples))
    n_pages = len(list(src.rglob("*.md")))
    n_examples = len(list((work / "gallery").rglob("plot_*.py")))
    print(
        f"site: {total / 1024:.0f} KB in all ({n_pages} pages, {n_examples} examples); "
        f"heaviest page {heaviest}: {weight / 1024:.0f} KB (HTML plus images)"
    )
    for name, secs, what in suite:
        print(f"{name:<{width}}  {secs:8.1f}  {what}")
    print(f"Python {sys.version.split()[0]}")
    if args.keep:
        print(f"kept {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
