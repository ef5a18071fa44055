"""The whole book builds from scratch with zero warnings, and the built site works for readers.

The session fixture ``site`` copies ``docs/``, ``gallery/`` and ``src/`` into a temporary
folder and builds there with ``dev.build_site`` (the one build helper of dev.py, the tests and
``bench/bench_build.py``), so the build starts from nothing and never touches the working
tree. Tests that edit sources and rebuild (``site_edit``) edit that built tree in place, so
only what they change re-executes; they run last and restore every file they write. A second
clean build (``conftest.second_build``) checks that figures are reproducible. (The EPUB is
built and checked by ``test_downloads.py``.)

The browser checks serve the build on 127.0.0.1 and open **every** HTML page in Debian's
Chromium through Playwright (``tests/_site.py`` does the visiting, once per page; the tests
below each assert one property over all pages and name every offender). The accessibility
checks inject axe-core from npm (``.ci/run`` installs it; see ``_site.AXE_DIR``).

Chromium: ``/usr/bin/chromium`` (``apt-get install chromium``), or the path in
``CALCDOCS_CHROMIUM``, for the tests that click and type; the crawl of every page runs in its
headless shell, ``/usr/bin/chromium-headless-shell`` (``apt-get install
chromium-headless-shell``), or the path in ``CALCDOCS_CRAWL_CHROMIUM``. Never ``playwright
install``. A missing browser or axe-core fails.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import sys
import threading
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

import _site
import pytest
from conftest import BuiltSite

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import dev  # noqa: E402  (the build helper; stdlib only)

pytestmark = pytest.mark.site

# -- Names the tests rely on (a rename of one of these pages shows up here) ------------------
# The page whose code and prose the incremental-build test edits.
EDITED_PAGE = "front/notation.md"
# What the failing-build tests add to their copy of the sources.
BROKEN_PAGE = "broken_page_for_test.md"
BROKEN_EXAMPLE = "derivatives/plot_zz_broken_for_test.py"  # under gallery/
# A gallery example with plots and downloads, and an API page with back-references.
GALLERY_EXAMPLE = "auto_examples/derivatives/plot_secant_to_tangent.html"
API_PAGE = "api/generated/calcdocs.gradient.html"
GALLERY_INDEX = "auto_examples/index.html"
# Pages every build has besides the book's own.
SPHINX_PAGES = {"index.html", "search.html", "genindex.html", "references.html"}
# Search: a query and the title of the chapter it must find. The gradient-descent chapter is
# checked as soon as the site has a page of that title.
SEARCHES = {"chain rule": "chain rule", "Adam": "Gradient descent"}
# Figures that show measured timings differ from build to build. The reproducibility test
# leaves out exactly these: a figure of a page by its name (the `name:` of the figure cell,
# its HTML id), a gallery example by its name (its figures and its thumbnail, wherever shown).
TIMING_FIGURES = {
    "fig-bp-cost",  # differential/backprop.md: gradient time against the number of inputs
}


Build = BuiltSite


@pytest.fixture(scope="session")
def site(built_site) -> Build:
    """The whole site, built from scratch (``conftest.built_site``, shared by the site tests)."""
    return built_site


class SiteEdit:
    """Edits of the built tree's sources, undone afterwards (see :func:`site_edit`)."""

    def __init__(self, site: Build):
        self.site = site
        self._saved: dict[Path, str | None] = {}

    def write(self, relative: str, text: str) -> Path:
        """Write ``text`` to ``relative`` (a path under the built tree, e.g. ``docs/x.md``)."""
        path = self.site.work / relative
        if path not in self._saved:
            self._saved[path] = path.read_text(encoding="utf-8") if path.exists() else None
        path.write_text(text, encoding="utf-8")
        return path

    def original(self, relative: str) -> str:
        path = self.site.work / relative
        saved = self._saved.get(path)
        return saved if saved is not None else path.read_text(encoding="utf-8")

    def rebuild(self) -> dev.SiteBuild:
        """An incremental build of the edited tree, with the options of the first build."""
        return dev.build_site(self.site.src, self.site.out, clean=False, options=self.site.options)

    def undo(self) -> None:
        for path, text in self._saved.items():
            if text is None:
                path.unlink(missing_ok=True)
            else:
                path.write_text(text, encoding="utf-8")


@pytest.fixture
def site_edit(site) -> Iterator[SiteEdit]:
    """The built tree itself, to edit and rebuild incrementally. Tests that use it are marked
    ``edits_site``, which runs them after every test that reads the build (conftest)."""
    edit = SiteEdit(site)
    try:
        yield edit
    finally:
        edit.undo()


# -- The build -------------------------------------------------------------------------------


def test_clean_build_has_zero_warnings(site):
    problems = [line for line in site.log.splitlines() if re.search(r"WARNING:|ERROR:", line)]
    assert problems == []
    assert "build succeeded" in site.log


def test_every_page_and_example_was_executed(site):
    code_pages = [
        p for p in site.src.rglob("*.md") if "```{code-cell}" in p.read_text(encoding="utf-8")
    ]
    examples = list((site.work / "gallery").rglob("plot_*.py"))
    assert site.log.count("Executing notebook") == len(code_pages) > 0
    m = re.search(r"successfully executed (\d+) out of (\d+)", site.log)
    assert m is not None
    assert int(m.group(1)) == int(m.group(2)) == len(examples) > 0


@pytest.mark.edits_site
def test_unchanged_code_is_not_re_executed(site_edit):
    """A prose edit reuses the execution cache; a code edit re-executes that page only."""
    page = f"docs/{EDITED_PAGE}"
    original = site_edit.original(page)
    site_edit.write(page, original + "\nA sentence of prose added by the test.\n")
    result = site_edit.rebuild()
    assert result.ok, "\n".join(result.problems()) + result.log[-3000:]
    assert result.executed_pages() == 0
    assert "Using cached notebook" in result.log
    assert result.executed_examples() in (None, 0)
    # incremental: no full re-read. Locally only the edited page is re-read; one CI run
    # re-read more (which ones, not yet known: see the closing note of issue 13).
    m = re.search(r"updating environment: (\d+) added, (\d+) changed, (\d+) removed", result.log)
    assert m is not None, result.log[-3000:]
    added, changed, removed = map(int, m.groups())
    n_docs = len(_site.html_pages(site_edit.site.out))
    assert added == removed == 0 and 1 <= changed < n_docs / 2

    site_edit.write(page, original + "\n```{code-cell} ipython3\nprint(1 + 1)\n```\n")
    result = site_edit.rebuild()
    assert result.ok, result.log[-3000:]
    assert result.executed_pages() == 1
    assert re.search(rf"{re.escape(EDITED_PAGE)}: Executing notebook", result.log)


BROKEN_PAGE_TEXT = """---
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

BROKEN_EXAMPLE_TEXT = '''"""
==================
A failing example
==================

This example raises on purpose.
"""

raise RuntimeError("deliberately broken example")
'''


@pytest.mark.edits_site
@pytest.mark.parametrize(
    ("where", "text", "message", "also_edit"),
    [
        (f"docs/{BROKEN_PAGE}", BROKEN_PAGE_TEXT, "deliberately broken cell", False),
        # two pages to execute (docs/_ext/calcdocs_execute.py runs them side by side): the
        # other one's result is cached, the failing one's is not
        (f"docs/{BROKEN_PAGE}", BROKEN_PAGE_TEXT, "deliberately broken cell", True),
        (f"gallery/{BROKEN_EXAMPLE}", BROKEN_EXAMPLE_TEXT, "deliberately broken example", False),
    ],
    ids=["failing-cell", "failing-cell-beside-another-page", "failing-example"],
)
def test_a_failing_cell_or_example_fails_the_build(site_edit, where, text, message, also_edit):
    """Broken code in a page or in a gallery example fails the build, never passes silently."""
    site_edit.write(where, text)
    if also_edit:
        page = f"docs/{EDITED_PAGE}"
        code = "\n```{code-cell} ipython3\nprint(2 + 2)\n```\n"
        site_edit.write(page, site_edit.original(page) + code)
    result = site_edit.rebuild()
    assert result.returncode != 0
    assert message in result.log
    if also_edit:
        assert "calcdocs_execute: executing 2 pages" in result.log
        assert re.search(rf"{re.escape(EDITED_PAGE)}: Executed notebook in", result.log)


class _Figures(HTMLParser):
    """The images of a page, each with its name: the id of the figure around it, else the
    image's file name."""

    def __init__(self):
        super().__init__()
        self.figures: list[str] = []  # ids of the open <figure> elements
        self.images: list[tuple[str, str]] = []  # (name, src)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "figure":
            self.figures.append(attrs.get("id") or "")
        src = attrs.get("src") if tag == "img" else None
        if src and not src.startswith(("http:", "https:", "data:")):
            name = next((f for f in reversed(self.figures) if f), Path(unquote(src)).stem)
            self.images.append((name, src))

    def handle_endtag(self, tag):
        if tag == "figure" and self.figures:
            self.figures.pop()


def _is_timing_figure(name: str) -> bool:
    return name in TIMING_FIGURES or any(
        name.startswith(f"sphx_glr_{example}_") for example in TIMING_FIGURES
    )


def _figure_hashes(build: Build) -> dict[str, list[tuple[str, str]]]:
    """Each page's figures (the PNG and SVG files it shows): (name, SHA-256), in order."""
    figures = {}
    for path in _site.html_pages(build.out):
        parser = _Figures()
        parser.feed((build.out / path).read_text(encoding="utf-8"))
        found = []
        for name, src in parser.images:
            file = (build.out / path).parent / unquote(src)
            if file.suffix.lower() in {".png", ".svg"} and "_static" not in file.parts:
                found.append((name, hashlib.sha256(file.read_bytes()).hexdigest()[:16]))
        if found:
            figures[path] = found
    return figures


def test_two_clean_builds_draw_identical_figures(site, second_build):
    first, second = _figure_hashes(site), _figure_hashes(second_build)
    assert sum(map(len, first.values())) > 20  # the book has figures to compare
    assert set(first) == set(second)
    names = {name for found in first.values() for name, _ in found}
    stale = {
        t
        for t in TIMING_FIGURES
        if not any(n == t or n.startswith(f"sphx_glr_{t}_") for n in names)
    }
    assert not stale, f"named as timing figures, but the site has no such figure: {stale}"
    differ = {
        page: [
            a[0]
            for a, b in zip(first[page], second[page])
            if a != b and not _is_timing_figure(a[0])
        ]
        for page in first
    }
    assert [len(f) for f in first.values()] == [len(second[p]) for p in first]
    assert {p: d for p, d in differ.items() if d} == {}, (
        "figures that differ between two clean builds"
    )


# -- Static checks of the built pages ----------------------------------------------------------


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
    for page in _site.html_pages(site.out):
        parser = _Assets()
        parser.feed((site.out / page).read_text(encoding="utf-8"))
        external = [
            u for u in parser.urls if urlparse(u).scheme in {"http", "https"} or u.startswith("//")
        ]
        if external:
            offenders[page] = external
    assert offenders == {}


def test_math_renderer_is_served_by_the_site(site):
    assert (site.out / "_static" / "mathjax" / "tex-chtml.js").is_file()
    with_math = [
        page
        for page in _site.html_pages(site.out)
        if 'class="math' in (site.out / page).read_text(encoding="utf-8")
    ]
    assert with_math
    for page in with_math:
        html = (site.out / page).read_text(encoding="utf-8")
        depth = "../" * page.count("/")
        assert f'src="{depth}_static/mathjax/tex-chtml.js' in html, page


def test_gallery_downloads_exist(site):
    downloads = site.out / "_downloads"
    assert list(downloads.rglob("*.py"))
    assert list(downloads.rglob("*.ipynb"))
    assert list(downloads.rglob("*.zip"))


# -- Every page in the browser -------------------------------------------------------------------


@pytest.fixture(scope="session")
def server(site) -> str:
    """The address the shared build is served at, without the final slash."""
    return site.base.rstrip("/")


def _require_chromium(path: str = _site.CHROMIUM) -> None:
    if not Path(path).exists():
        package, variable = (
            ("chromium-headless-shell", "CALCDOCS_CRAWL_CHROMIUM")
            if path == _site.CRAWL_CHROMIUM
            else ("chromium", "CALCDOCS_CHROMIUM")
        )
        pytest.fail(
            f"Chromium not found at {path}: install Debian's {package} "
            f"(apt-get install {package}) or set {variable} to its path."
        )


@pytest.fixture(scope="session")
def reports(site, server) -> dict[str, _site.PageReport]:
    """One visit of every HTML page of the site (see tests/_site.py)."""
    _require_chromium(_site.CRAWL_CHROMIUM)
    if not _site.AXE_JS.is_file():
        pytest.fail(
            f"axe-core not found at {_site.AXE_JS}: install it with `npm install --prefix "
            f"{_site.AXE_DIR} axe-core@4` (as .ci/run does) or set CALCDOCS_AXE_DIR."
        )
    paths = _site.html_pages(site.out)
    dark = _dark_contrast_pages(paths)
    result: dict = {}
    # in a thread of its own, so that its event loop never meets sync Playwright's
    thread = threading.Thread(
        target=lambda: result.update(_site.crawl(server, paths, dark_axe=dark))
    )
    thread.start()
    thread.join()
    return result


def _dark_contrast_pages(paths: list[str]) -> set[str]:
    """The pages axe checks for contrast in dark mode: every page but the API reference's,
    which are one template filled by autodoc and numpydoc, of which three are checked (the
    first, the middle and the last). Light mode checks every page with every rule."""
    api = [p for p in paths if p.startswith("api/generated/")]
    sample = {api[0], api[len(api) // 2], api[-1]} if api else set()
    return {p for p in paths if p not in api} | sample


def _offenders(reports, attribute: str) -> dict[str, list]:
    return {p: getattr(r, attribute) for p, r in reports.items() if getattr(r, attribute)}


def test_every_page_was_visited(site, reports):
    assert set(reports) == set(_site.html_pages(site.out))
    assert SPHINX_PAGES <= set(reports)
    sources = [p for p in site.src.rglob("*.md") if "_build" not in p.parts]
    examples = list((site.work / "gallery").rglob("plot_*.py"))
    assert len(reports) >= len(sources) + len(examples)
    untitled = [p for p, r in reports.items() if not r.title]
    assert untitled == []


def test_no_console_errors_and_no_page_errors(reports):
    assert _offenders(reports, "console_errors") == {}
    assert _offenders(reports, "page_errors") == {}


def test_no_request_leaves_the_machine_and_none_fails(reports):
    assert _offenders(reports, "foreign_requests") == {}
    assert _offenders(reports, "failed_requests") == {}
    assert _offenders(reports, "bad_responses") == {}


def _status(url: str, cache: dict[str, int]) -> int:
    if url not in cache:
        try:
            with urllib.request.urlopen(url) as response:
                cache[url] = response.status
        except urllib.error.HTTPError as error:
            cache[url] = error.code
    return cache[url]


def test_every_internal_link_image_and_download_answers_and_every_fragment_exists(
    site, server, reports
):
    statuses: dict[str, int] = {}
    broken, missing_fragments = [], []
    n_checked = 0
    for path, report in reports.items():
        for url in report.urls:
            if not url.startswith(server + "/"):
                continue  # another host (the repository buttons), mailto:, javascript:
            n_checked += 1
            target, fragment = urldefrag(url)
            if _status(target, statuses) != 200:
                broken.append(f"{path} -> {target} ({statuses[target]})")
                continue
            file = site.out / unquote(urlparse(target).path).lstrip("/")
            if file.is_dir():
                file = file / "index.html"
            if fragment and file.suffix == ".html" and unquote(fragment) not in _site.ids_in(file):
                missing_fragments.append(f"{path} -> {target}#{fragment}")
    assert n_checked > 1000
    assert broken == []
    assert missing_fragments == []


def test_every_math_element_is_typeset_and_no_raw_tex_shows(reports):
    untypeset = {p: (r.n_math, r.n_typeset) for p, r in reports.items() if r.n_typeset < r.n_math}
    assert untypeset == {}
    assert _offenders(reports, "raw_tex") == {}
    assert sum(r.n_typeset for r in reports.values()) > 500


def test_every_content_image_has_alt_text(reports):
    missing = {
        p: [i["src"] for i in r.images if not (i["alt"] or "").strip() and not i["decorative"]]
        for p, r in reports.items()
    }
    assert {p: m for p, m in missing.items() if m} == {}
    assert sum(len(r.images) for r in reports.values()) > 20


def test_figures_render_in_light_and_dark_mode(reports):
    """The reader's system switches to dark: the theme really switches and every image shows."""
    not_switched = {
        p: (r.theme_before, r.theme_after, r.background_before, r.background_after)
        for p, r in reports.items()
        if (r.theme_before, r.theme_after) != ("light", "dark")
        or r.background_before == r.background_after
    }
    assert not_switched == {}
    for mode in ("images", "dark_images"):
        hidden = {
            p: [
                i["src"]
                for i in getattr(r, mode)
                if not (i["loaded"] and (i["visible"] or i["folded"]))
            ]
            for p, r in reports.items()
        }
        assert {p: h for p, h in hidden.items() if h} == {}, mode
    assert [len(r.images) for r in reports.values()] == [
        len(r.dark_images) for r in reports.values()
    ]


def test_no_page_scrolls_sideways_on_a_phone(reports):
    assert _offenders(reports, "phone_overflow") == {}


def test_code_and_output_fit_the_column_at_desktop_width(reports):
    """No code cell, listing or output needs a horizontal scrollbar at 1280 px."""
    assert _offenders(reports, "wide_code") == {}


def _axe_summary(reports, attribute: str) -> dict[str, list[str]]:
    return {
        p: [f"{v['impact']} {v['id']} x{v['n']}: {v['help']} ({v['targets'][0]})" for v in found]
        for p, r in reports.items()
        if (found := getattr(r, attribute))
    }


def test_axe_finds_nothing_critical_or_serious(reports):
    assert _axe_summary(reports, "axe_light") == {}


def test_axe_finds_no_contrast_failure_in_dark_mode(reports):
    checked = {p for p, r in reports.items() if r.axe_dark_run}
    assert checked == _dark_contrast_pages(sorted(reports))
    assert sum(p.startswith("api/generated/") for p in checked) == 3
    assert len(checked) > 30  # every book page, example, index and reference page
    assert _axe_summary(reports, "axe_dark") == {}


# -- Single pages, in the browser --------------------------------------------------------------


@pytest.fixture(scope="session")
def browser(reports):
    # after `reports`: the crawl's own browser is closed before this one starts
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_site.CHROMIUM, args=_site.CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Visit:
    page: object  # playwright.sync_api.Page
    console_errors: list[str]


@pytest.fixture
def visit(browser, server):
    """``with visit(path) as v:`` opens a page; it is closed even when an assertion fails."""
    contexts = []

    @contextlib.contextmanager
    def open_page(path: str, *, color_scheme: str = "light") -> Iterator[Visit]:
        context = browser.new_context(color_scheme=color_scheme, viewport=_site.DESKTOP)
        contexts.append(context)
        page = context.new_page()
        found = Visit(page, [])
        page.on("console", lambda m: m.type == "error" and found.console_errors.append(m.text))
        page.goto(f"{server}/{path}", wait_until="networkidle")
        try:
            yield found
        finally:
            context.close()

    yield open_page
    for context in contexts:
        with contextlib.suppress(Exception):
            context.close()


def test_gallery_plot_and_downloads(visit):
    with visit(GALLERY_EXAMPLE) as v:
        images = v.page.evaluate(
            "[...document.querySelectorAll('img.sphx-glr-single-img, img.sphx-glr-multi-img')]"
            ".map(i => [i.naturalWidth, i.alt])"
        )
        links = v.page.evaluate(
            "[...document.querySelectorAll('.sphx-glr-download a')].map(a => a.href)"
        )
    assert len(images) >= 2
    assert all(width > 100 and alt for width, alt in images)
    suffixes = {Path(urlparse(link).path).suffix for link in links}
    assert {".py", ".ipynb"} <= suffixes
    for link in links:
        with urllib.request.urlopen(link) as response:
            assert response.status == 200
            body = response.read()
        if link.endswith(".zip"):  # the example's own zip: its .py and .ipynb
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                body = b"".join(archive.read(name) for name in archive.namelist())
        assert b"calcdocs" in body


def test_api_pages_show_the_examples_that_use_them(visit):
    with visit(API_PAGE) as v:
        links = v.page.evaluate(
            "[...document.querySelectorAll('.sphx-glr-thumbcontainer a')].map(a => a.href)"
        )
    assert any("auto_examples/" in link for link in links)


def test_code_cells_have_copy_buttons(visit, reports):
    page = max(reports, key=lambda p: reports[p].n_solutions)  # a chapter with code
    with visit(page) as v:
        n_buttons = v.page.evaluate("document.querySelectorAll('button.copybtn').length")
        n_cells = v.page.evaluate("document.querySelectorAll('div.cell_input pre').length")
    assert n_cells > 0 and n_buttons >= n_cells


def test_bibliography_is_filled(visit):
    with visit("references.html") as v:
        entries = v.page.evaluate("document.querySelectorAll('.citation').length")
    assert entries >= 15


def test_gallery_index_offers_download_all(visit):
    with visit(GALLERY_INDEX) as v:
        links = v.page.evaluate("[...document.querySelectorAll('a')].map(a => a.href)")
    zips = [link for link in links if link.endswith(".zip")]
    assert len(zips) >= 2  # all examples as .py and as .ipynb
    for link in zips:
        with urllib.request.urlopen(link) as response:
            assert response.status == 200 and response.read(2) == b"PK"


_MODE_JS = "[document.documentElement.dataset.mode, document.documentElement.dataset.theme]"


def test_theme_switch_button_changes_the_mode(visit):
    """The colour-mode menu sets each mode; the page's theme follows (the system is light)."""
    with visit("index.html") as v:
        states = [tuple(v.page.evaluate(_MODE_JS))]
        for mode in ("dark", "light", "auto"):
            v.page.locator(".theme-switch-button:visible").first.click()
            v.page.locator(f".theme-change-button[data-mode='{mode}']:visible").first.click()
            v.page.wait_for_timeout(200)
            states.append(tuple(v.page.evaluate(_MODE_JS)))
        assert v.console_errors == []
    assert states == [("auto", "light"), ("dark", "dark"), ("light", "light"), ("auto", "light")]


def _search_hits(visit, query: str) -> list[str]:
    with visit(f"search.html?q={query.replace(' ', '+')}") as v:
        v.page.wait_for_selector("#search-results li", timeout=30_000)
        return v.page.evaluate(
            "[...document.querySelectorAll('#search-results li a')].map(a => a.href)"
        )


def test_search_finds_the_chapters(visit, reports, server):
    """ "chain rule" finds the chain-rule chapter; "Adam" the gradient-descent chapter once the
    site has a page of that title (it must then be found: the test fails, it does not skip)."""
    checked = []
    for query, title in SEARCHES.items():
        pages = [
            p
            for p, r in reports.items()
            if title.lower() in r.title.lower() and not p.startswith(("api/", "auto_examples/"))
        ]
        if not pages:
            assert title != "chain rule", "the site has no chain-rule chapter"
            continue
        hits = {urlparse(h).path.lstrip("/") for h in _search_hits(visit, query)}
        assert set(pages) & hits, (query, pages, sorted(hits)[:10])
        checked.append(query)
    assert "chain rule" in checked


def test_solutions_are_folded_and_open_on_click(visit, reports):
    page_path = next(p for p in sorted(reports) if reports[p].n_solutions)
    with visit(page_path) as v:
        solution = v.page.locator(".solution").first
        body = solution.locator("section").first
        assert not body.is_visible()
        solution.locator("button.toggle-button").first.click()
        v.page.wait_for_timeout(400)
        assert body.is_visible()


_FOCUSED_JS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return '';
  if (e.closest('.solution') && e.matches('button.toggle-button')) return 'solution';
  if (e.closest('.search-button-field, .search-button, #pst-search-dialog')) return 'search';
  if (e.closest('nav.bd-links, .bd-sidenav, .navbar-nav, .prev-next-area')) return 'navigation';
  return 'other';
}"""


def test_keyboard_reaches_navigation_search_and_solutions(visit, reports):
    """From the top of a chapter, Tab reaches the navigation and the search; from the text
    just before a folded solution, Tab reaches its toggle, Enter opens it, Space closes it."""
    page_path = next(p for p in sorted(reports) if reports[p].n_solutions)
    with visit(page_path) as v:
        page = v.page
        reached: list[str] = []
        for _ in range(300):
            page.keyboard.press("Tab")
            reached.append(page.evaluate(_FOCUSED_JS))
            if {"navigation", "search"} <= set(reached):
                break
        assert {"navigation", "search"} <= set(reached), reached

        # the last focusable element before the first solution's toggle, in document order
        page.evaluate(
            """() => {
              const toggle = document.querySelector('.solution button.toggle-button');
              const all = [...document.querySelectorAll('a[href], button, input, [tabindex]')]
                .filter((e) => e.tabIndex >= 0 && e.getClientRects().length);
              all[all.indexOf(toggle) - 1].focus();
            }"""
        )
        page.keyboard.press("Tab")
        assert page.evaluate(_FOCUSED_JS) == "solution"
        solution_id = page.evaluate("document.activeElement.closest('.solution').id")
        body = page.locator(f"[id='{solution_id}'] > section").first
        assert not body.is_visible()
        page.keyboard.press("Enter")
        page.wait_for_timeout(400)
        assert body.is_visible()
        page.keyboard.press("Space")
        page.wait_for_timeout(400)
        assert not body.is_visible()
