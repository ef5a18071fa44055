"""The whole book builds from scratch with zero warnings, and the built site works in a browser.

One session-scoped fixture copies ``docs/`` and ``gallery/`` into a temporary folder and runs
``sphinx-build -W --keep-going -n`` there, so the build starts from nothing (no execution
cache, no gallery output) and never touches the working tree. The browser checks serve that
build on 127.0.0.1 and open it in headless Chromium through Playwright.

Chromium: Debian's ``/usr/bin/chromium`` (``apt-get install chromium``), or the path in the
environment variable ``CALCDOCS_CHROMIUM``. Never ``playwright install``.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.site

ROOT = Path(__file__).resolve().parents[1]
SPHINX = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-n", "-b", "html"]
CHROMIUM = os.environ.get("CALCDOCS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class Build:
    src: Path
    out: Path
    log: str
    seconds: float


def _sphinx(src: Path, out: Path) -> tuple[subprocess.CompletedProcess, float]:
    start = time.perf_counter()
    result = subprocess.run(
        [*SPHINX, str(src), str(out)], capture_output=True, text=True, cwd=src.parent
    )
    return result, time.perf_counter() - start


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Build:
    """Build the whole site from scratch in a temporary folder."""
    work = tmp_path_factory.mktemp("book")
    ignore = shutil.ignore_patterns(
        "_build", "auto_examples", "gen_modules", "generated", "jupyter_execute", "__pycache__"
    )
    shutil.copytree(ROOT / "docs", work / "docs", ignore=ignore)
    shutil.copytree(ROOT / "gallery", work / "gallery", ignore=ignore)
    shutil.copytree(ROOT / "src", work / "src", ignore=ignore)  # for literalinclude
    result, seconds = _sphinx(work / "docs", work / "html")
    log = result.stdout + result.stderr
    if result.returncode != 0:
        warnings = [line for line in log.splitlines() if re.search(r"WARNING:|ERROR:", line)]
        pytest.fail(
            f"sphinx-build failed (exit {result.returncode}); warnings and errors:\n"
            + "\n".join(warnings[:60])
            + "\n--- last lines ---\n"
            + "\n".join(log.splitlines()[-40:])
        )
    print(f"\nclean build of the site: {seconds:.1f} s")
    return Build(work / "docs", work / "html", log, seconds)


# -- The build -------------------------------------------------------------------------------


def test_clean_build_has_zero_warnings(site):
    problems = [line for line in site.log.splitlines() if re.search(r"WARNING:|ERROR:", line)]
    assert problems == []
    assert "build succeeded" in site.log


def test_every_page_and_example_was_executed(site):
    n_pages = len(list(site.src.rglob("*.md")))
    executed = site.log.count("Executing notebook")
    code_pages = [
        p for p in site.src.rglob("*.md") if "```{code-cell}" in p.read_text(encoding="utf-8")
    ]
    assert executed == len(code_pages) > 0, (executed, n_pages)
    m = re.search(r"successfully executed (\d+) out of (\d+)", site.log)
    assert m is not None and int(m.group(1)) == int(m.group(2)) > 0


def test_unchanged_sources_are_not_re_executed(site, tmp_path):
    """Prose edits reuse the execution cache; only a code edit re-executes a page."""
    out = tmp_path / "html"
    shutil.copytree(site.out, out)
    page = site.src / "front" / "notation.md"
    original = page.read_text(encoding="utf-8")
    try:
        page.write_text(original + "\nA sentence of prose added by the test.\n", encoding="utf-8")
        result, _ = _sphinx(site.src, out)
        log = result.stdout + result.stderr
        assert result.returncode == 0, log[-3000:]
        assert "Executing notebook" not in log
        assert "Using cached notebook" in log
        m = re.search(r"successfully executed (\d+) out of (\d+)", log)
        assert m is not None and m.group(1) == "0"

        page.write_text(
            original + "\n```{code-cell} ipython3\nprint(1 + 1)\n```\n", encoding="utf-8"
        )
        result, _ = _sphinx(site.src, out)
        log = result.stdout + result.stderr
        assert result.returncode == 0, log[-3000:]
        assert log.count("Executing notebook") == 1
    finally:
        page.write_text(original, encoding="utf-8")


BROKEN_PAGE = """---
orphan: true
jupytext:
  text_representation:
    format_name: myst
kernelspec:
  name: python3
  display_name: Python 3
---

# A page with a failing cell

```{code-cell} ipython3
raise RuntimeError("deliberately broken cell")
```
"""

BROKEN_EXAMPLE = '''"""
==================
A failing example
==================

This example raises on purpose.
"""

raise RuntimeError("deliberately broken example")
'''


def test_a_failing_cell_or_example_fails_the_build(site, tmp_path):
    """Broken code in a page or in a gallery example must fail the build, never pass silently."""
    out = tmp_path / "html"
    shutil.copytree(site.out, out)
    page = site.src / "broken_page_for_test.md"
    example = site.src.parent / "gallery" / "derivatives" / "plot_zz_broken_for_test.py"
    try:
        page.write_text(BROKEN_PAGE, encoding="utf-8")
        result, _ = _sphinx(site.src, out)
        log = result.stdout + result.stderr
        assert result.returncode != 0
        assert "deliberately broken cell" in log
        page.unlink()

        example.write_text(BROKEN_EXAMPLE, encoding="utf-8")
        result, _ = _sphinx(site.src, out)
        log = result.stdout + result.stderr
        assert result.returncode != 0
        assert "deliberately broken example" in log
    finally:
        page.unlink(missing_ok=True)
        example.unlink(missing_ok=True)
        # what sphinx-gallery generated for the broken example must not reach later builds
        for generated in site.src.joinpath("auto_examples").rglob("*zz_broken_for_test*"):
            generated.unlink()


class _Assets(HTMLParser):
    """Collect the URLs a page loads by itself: scripts, stylesheets, images, fonts."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"script", "img", "iframe", "source", "video", "audio"} and attrs.get("src"):
            self.urls.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            rel = (attrs.get("rel") or "").lower()
            if any(r in rel for r in ("stylesheet", "preload", "icon", "modulepreload")):
                self.urls.append(attrs["href"])


def test_built_pages_load_nothing_from_other_hosts(site):
    offenders = {}
    for page in site.out.rglob("*.html"):
        parser = _Assets()
        parser.feed(page.read_text(encoding="utf-8"))
        external = [
            u for u in parser.urls if urlparse(u).scheme in {"http", "https"} or u.startswith("//")
        ]
        if external:
            offenders[str(page.relative_to(site.out))] = external
    assert offenders == {}


def test_math_renderer_is_served_by_the_site(site):
    assert (site.out / "_static" / "mathjax" / "tex-chtml.js").is_file()
    html = (site.out / "front" / "introduction.html").read_text(encoding="utf-8")
    assert 'src="../_static/mathjax/tex-chtml.js' in html


def test_gallery_downloads_exist(site):
    gallery = site.out / "auto_examples"
    assert list(gallery.rglob("*.py")) or list((site.out / "_downloads").rglob("*.py"))
    downloads = site.out / "_downloads"
    assert list(downloads.rglob("*.ipynb")) and list(downloads.rglob("*.zip"))


# -- The site in a browser -----------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def server(site):
    handler = functools.partial(_QuietHandler, directory=str(site.out))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's chromium "
            "(apt-get install chromium) or set CALCDOCS_CHROMIUM to its path."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Visit:
    page: object
    console_errors: list[str]
    page_errors: list[str]
    foreign_requests: list[str]
    failed_requests: list[str]


def _visit(browser, url: str, *, color_scheme: str = "light") -> Visit:
    context = browser.new_context(color_scheme=color_scheme)
    page = context.new_page()
    visit = Visit(page, [], [], [], [])
    page.on("console", lambda m: m.type == "error" and visit.console_errors.append(m.text))
    page.on("pageerror", lambda e: visit.page_errors.append(str(e)))

    def on_request(request):
        host = urlparse(request.url).hostname
        if urlparse(request.url).scheme in {"http", "https", "ws", "wss"} and host != "127.0.0.1":
            visit.foreign_requests.append(request.url)

    page.on("request", on_request)
    page.on("requestfailed", lambda r: visit.failed_requests.append(r.url))
    page.goto(url, wait_until="networkidle")
    if page.evaluate("typeof MathJax !== 'undefined' && !!MathJax.startup"):
        page.evaluate("MathJax.startup.promise")
    return visit


# Text nodes outside code, scripts and typeset math must not hold raw TeX.
_RAW_TEX_JS = r"""
() => {
  const skip = 'PRE, CODE, SCRIPT, STYLE, MJX-CONTAINER, TEXTAREA, .highlight';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const hits = [];
  const pattern = /\\\(|\\\)|\\\[|\\\]|\$\$|\\(frac|nabla|mathbf|partial|sum|sigma|left|right)\b/;
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.parentElement && node.parentElement.closest(skip)) continue;
    if (pattern.test(node.textContent)) hits.push(node.textContent.trim().slice(0, 80));
  }
  return hits;
}
"""

BOOK_PAGES = sorted(
    p.relative_to(ROOT / "docs").with_suffix(".html").as_posix()
    for p in (ROOT / "docs").glob("*/*.md")
    if not p.parent.name.startswith(("_", "auto_examples", "gen_modules"))
)
EXAMPLE_PAGES = sorted(
    "auto_examples/" + p.relative_to(ROOT / "gallery").with_suffix(".html").as_posix()
    for p in (ROOT / "gallery").rglob("plot_*.py")
)
PAGES = [
    "index.html",
    *BOOK_PAGES,
    "auto_examples/index.html",
    *EXAMPLE_PAGES,
    "api/generated/calcdocs.gradient.html",
    "references.html",
]


@pytest.mark.parametrize("path", PAGES)
def test_page_is_clean_in_the_browser(browser, server, path):
    visit = _visit(browser, f"{server}/{path}")
    page = visit.page
    assert visit.console_errors == []
    assert visit.page_errors == []
    assert visit.foreign_requests == []
    assert visit.failed_requests == []
    broken = page.evaluate(
        "[...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"
    )
    assert broken == []
    assert page.evaluate(_RAW_TEX_JS) == []
    # Gallery thumbnails are decorative (their title is the link text next to them): alt="".
    missing_alt = page.evaluate(
        "[...document.querySelectorAll('main img')]"
        ".filter(i => !i.alt && !i.closest('.sphx-glr-thumbcontainer')).map(i => i.src)"
    )
    assert missing_alt == []
    page.context.close()


@pytest.mark.parametrize("path", [p for p in BOOK_PAGES if not p.startswith("api/")])
def test_math_is_typeset(browser, server, path):
    visit = _visit(browser, f"{server}/{path}")
    page = visit.page
    n_math = page.evaluate("document.querySelectorAll('.math').length")
    n_typeset = page.evaluate("document.querySelectorAll('mjx-container').length")
    assert n_math > 10
    assert n_typeset >= n_math
    # MathJax typeset with its own web fonts, loaded from this server
    fonts = page.evaluate(
        "performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('woff'))"
    )
    assert fonts and all(f.startswith(server) for f in fonts)
    page.context.close()


def test_gallery_plot_and_downloads(browser, server):
    visit = _visit(browser, f"{server}/auto_examples/derivatives/plot_secant_to_tangent.html")
    page = visit.page
    images = page.evaluate(
        "[...document.querySelectorAll('img.sphx-glr-single-img, img.sphx-glr-multi-img')]"
        ".map(i => [i.naturalWidth, i.alt])"
    )
    assert len(images) >= 2
    assert all(width > 100 and alt for width, alt in images)
    links = page.evaluate("[...document.querySelectorAll('.sphx-glr-download a')].map(a => a.href)")
    suffixes = {Path(urlparse(link).path).suffix for link in links}
    assert {".py", ".ipynb"} <= suffixes
    for link in links:
        with urllib.request.urlopen(link) as response:
            assert response.status == 200
            body = response.read()
        assert b"calcdocs" in body
    page.context.close()


def test_api_pages_show_the_examples_that_use_them(browser, server):
    visit = _visit(browser, f"{server}/api/generated/calcdocs.gradient.html")
    links = visit.page.evaluate(
        "[...document.querySelectorAll('.sphx-glr-thumbcontainer a')].map(a => a.href)"
    )
    assert any("auto_examples/" in link for link in links)
    visit.page.context.close()


def test_code_cells_have_copy_buttons_and_bibliography_is_filled(browser, server):
    visit = _visit(browser, f"{server}/front/introduction.html")
    assert visit.page.evaluate("document.querySelectorAll('button.copybtn').length") > 5
    visit.page.context.close()
    visit = _visit(browser, f"{server}/references.html")
    entries = visit.page.evaluate("document.querySelectorAll('.citation').length")
    assert entries >= 15
    visit.page.context.close()


def test_gallery_index_offers_download_all(browser, server):
    visit = _visit(browser, f"{server}/auto_examples/index.html")
    links = visit.page.evaluate("[...document.querySelectorAll('a')].map(a => a.href)")
    zips = [link for link in links if link.endswith(".zip")]
    assert len(zips) >= 2  # all examples as .py and as .ipynb
    for link in zips:
        with urllib.request.urlopen(link) as response:
            assert response.status == 200 and response.read(2) == b"PK"
    visit.page.context.close()


def test_dark_mode(browser, server):
    def background(scheme):
        visit = _visit(browser, f"{server}/front/introduction.html", color_scheme=scheme)
        theme = visit.page.evaluate("document.documentElement.dataset.theme")
        rgb = visit.page.evaluate("getComputedStyle(document.body).backgroundColor")
        visit.page.context.close()
        return theme, [int(c) for c in re.findall(r"\d+", rgb)[:3]]

    light_theme, light_rgb = background("light")
    dark_theme, dark_rgb = background("dark")
    assert (light_theme, dark_theme) == ("light", "dark")
    assert sum(light_rgb) > 600 and sum(dark_rgb) < 150

    visit = _visit(browser, f"{server}/index.html")
    page = visit.page
    page.locator(".theme-switch-button").first.click()
    assert page.evaluate("document.documentElement.dataset.mode") in {"dark", "light", "auto"}
    assert visit.console_errors == []
    page.context.close()


def test_search_finds_pages(browser, server):
    visit = _visit(browser, f"{server}/search.html?q=gradient")
    page = visit.page
    page.wait_for_selector("#search-results li", timeout=15_000)
    hits = page.evaluate("[...document.querySelectorAll('#search-results li a')].map(a => a.href)")
    assert any("introduction" in h for h in hits)
    assert visit.foreign_requests == []
    page.context.close()


def test_solutions_are_folded(browser, server):
    visit = _visit(browser, f"{server}/front/introduction.html")
    page = visit.page
    solution = page.locator(".solution").first
    body = solution.locator(".solution-content, section").first
    assert solution.count() == 1 and not body.is_visible()
    solution.locator("button.toggle-button, .toggle-button").first.click()
    page.wait_for_timeout(400)
    assert body.is_visible()
    page.context.close()


def test_epub_builds_without_warnings(site, tmp_path):
    """Read the Docs also offers the book as EPUB; that build must be clean too."""
    result = subprocess.run(
        [
            *SPHINX[:-1],
            "epub",
            "-d",
            str(tmp_path / "doctrees"),
            str(site.src),
            str(tmp_path / "epub"),
        ],
        capture_output=True,
        text=True,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, "\n".join(
        line for line in log.splitlines() if re.search(r"WARNING:|ERROR:", line)
    )
    assert "Executing notebook" not in log  # the execution cache is shared with the HTML build
    epubs = list((tmp_path / "epub").glob("*.epub"))
    assert len(epubs) == 1 and epubs[0].stat().st_size > 100_000
