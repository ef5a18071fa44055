"""Helpers of the site tests: serve a build, and visit every page of it in Chromium.

:func:`crawl` opens every HTML page of a build once (a few pages at a time, one headless
Chromium) and records what the tests assert on, in a :class:`PageReport` per page:

- the console errors, page errors, failed requests and requests to any host but the server;
- every URL the page links to or loads (links, images, scripts, stylesheets, downloads);
- math: the math nodes, how many MathJax typeset, and any raw TeX left in the text;
- images: loaded, alt text, visible; in light mode and again after switching to dark mode;
- code blocks wider than their box at the desktop width, and the page's width at 375 px
  (the same page, resized);
- axe-core's critical and serious findings (all rules in light mode; contrast in dark mode).

Nothing here asserts: the tests in ``test_browser.py`` do, each over all pages at once, so
one run names every offending page.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import http.server
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

# Debian's Chromium: the full browser for the tests that click, type and tab through pages;
# for the crawl, its headless shell (package chromium-headless-shell: the same Blink and V8,
# without the browser's windows, and what Playwright itself runs headless), which visited a
# sample of ten pages in 45 s where the full browser took 61 s, with the same findings.
CHROMIUM = os.environ.get("CALCDOCS_CHROMIUM", "/usr/bin/chromium")
CRAWL_CHROMIUM = os.environ.get("CALCDOCS_CRAWL_CHROMIUM", "/usr/bin/chromium-headless-shell")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# axe-core, installed by `.ci/run` with `npm install --prefix <dir> axe-core@4`.
AXE_DIR = Path(os.environ.get("CALCDOCS_AXE_DIR", Path.home() / ".cache" / "calcdocs-axe"))
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 800}
# Output folders that hold no pages of their own.
NOT_PAGES = ("_static", "_sources", "_downloads", "_images", ".doctrees")


def html_pages(out: Path) -> list[str]:
    """Every HTML page of the build in ``out``, as paths relative to it."""
    return sorted(
        p.relative_to(out).as_posix()
        for p in out.rglob("*.html")
        if not p.relative_to(out).parts[0].startswith(NOT_PAGES)
    )


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value or "")


@functools.cache
def ids_in(path: Path) -> frozenset[str]:
    """The ``id`` (and ``<a name>``) values of an HTML file: the targets of its #fragments."""
    parser = _Ids()
    parser.feed(path.read_text(encoding="utf-8"))
    return frozenset(parser.ids)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port); yield the base URL, without a slash."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def is_foreign(url: str) -> bool:
    """A request that leaves the machine (data:, blob: and the local server do not)."""
    parsed = urlparse(url)
    return parsed.scheme in {"http", "https", "ws", "wss"} and parsed.hostname != "127.0.0.1"


@dataclass
class PageReport:
    """What one visit of one page saw (see the module docstring)."""

    path: str
    title: str = ""
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)  # absolute URLs it links to or loads
    n_math: int = 0
    n_typeset: int = 0
    raw_tex: list[str] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)  # light mode
    dark_images: list[dict] = field(default_factory=list)
    theme_before: str = ""
    theme_after: str = ""
    background_before: str = ""
    background_after: str = ""
    wide_code: list[str] = field(default_factory=list)  # at the desktop width
    phone_overflow: list[str] = field(default_factory=list)  # at 375 px
    axe_light: list[dict] = field(default_factory=list)
    axe_dark: list[dict] = field(default_factory=list)
    axe_dark_run: bool = False  # whether axe's contrast rule ran in dark mode on this page
    n_solutions: int = 0


# What one evaluation in the page collects (see PageReport).
_PAGE_JS = r"""
() => {
  const abs = (u) => { try { return new URL(u, document.baseURI).href; } catch (e) { return u; } };
  const urls = [];
  for (const a of document.querySelectorAll('a[href]')) urls.push(abs(a.getAttribute('href')));
  for (const e of document.querySelectorAll('img[src], script[src], iframe[src], source[src]'))
    urls.push(abs(e.getAttribute('src')));
  for (const l of document.querySelectorAll('link[href]')) urls.push(abs(l.getAttribute('href')));

  const skip = 'PRE, CODE, SCRIPT, STYLE, MJX-CONTAINER, TEXTAREA, .highlight, .MathJax';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const rawTex = [];
  const pattern = new RegExp(String.raw`\\\(|\\\)|\\\[|\\\]|\$\$|\\(` +
    String.raw`frac|nabla|mathbf|mathrm|partial|sum|sigma|left|right|begin|end|theta|alpha)\b`);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.parentElement && node.parentElement.closest(skip)) continue;
    if (pattern.test(node.textContent)) rawTex.push(node.textContent.trim().slice(0, 80));
  }

  // A wide code block: its content is wider than its box (it would need a scrollbar).
  const wideCode = [];
  for (const pre of document.querySelectorAll('article pre, main pre')) {
    if (pre.scrollWidth > pre.clientWidth + 1) {
      const lines = pre.textContent.split('\n');
      const line = lines.reduce((a, b) => (b.length > a.length ? b : a), '').trim();
      wideCode.push(`${pre.scrollWidth}px in a ${pre.clientWidth}px box: ${line.slice(0, 90)}`);
    }
  }
  return {
    title: document.title,
    urls,
    nMath: document.querySelectorAll('.math, span.math, div.math').length,
    nTypeset: document.querySelectorAll('mjx-container').length,
    rawTex,
    wideCode,
    nSolutions: document.querySelectorAll('.solution').length,
  };
}
"""

# Every image of the page's content: loaded, visible, and its alt text. A thumbnail inside a
# link that has its own text (the gallery's cards, the mini-galleries) is decorative.
_IMAGES_JS = r"""
() => [...document.querySelectorAll('main img, article img')].map((img) => {
  const r = img.getBoundingClientRect();
  const style = getComputedStyle(img);
  const link = img.closest('a');
  const card = img.closest('.sphx-glr-thumbcontainer');
  const textBeside = (card ? card.innerText : (link ? link.innerText : '')).trim();
  return {
    src: img.currentSrc || img.src,
    alt: img.getAttribute('alt'),
    loaded: img.complete && img.naturalWidth > 0,
    visible: r.width > 0 && r.height > 0 && style.visibility !== 'hidden'
             && style.display !== 'none' && Number(style.opacity) > 0,
    decorative: !!(card || link) && textBeside.length > 0,
    folded: !!img.closest('.toggle-hidden, details:not([open])'),  // in a closed solution
  };
})
"""

_OVERFLOW_JS = r"""
() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width + 1) return [];
  // the outermost elements that stick out on the right
  const out = [];
  for (const e of document.body.querySelectorAll('*')) {
    const r = e.getBoundingClientRect();
    if (r.right > width + 1 && r.width > 0) {
      let p = e.parentElement, inScroller = false;
      while (p && p !== document.body) {
        const s = getComputedStyle(p);
        if (['auto', 'scroll', 'hidden', 'clip'].includes(s.overflowX)) {
          inScroller = true;
          break;
        }
        p = p.parentElement;
      }
      if (!inScroller) {
        const cls = typeof e.className === 'string' ? e.className.split(' ')[0] : '';
        const name = e.tagName.toLowerCase() + (cls ? '.' + cls : '');
        out.push(`${name} ends at ${Math.round(r.right)}px`);
      }
    }
    if (out.length >= 5) break;
  }
  return out.length ? out : [`page is ${document.documentElement.scrollWidth}px wide`];
}
"""

_TWO_FRAMES_JS = "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"

_AXE_RUN_JS = """
async (options) => {
  const result = await axe.run(document, options);
  return result.violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
      n: v.nodes.length,
    }));
}
"""


async def _wait_for_math(page) -> None:
    """Wait until MathJax has typeset the page, if it has math (MathJax loads deferred, so
    the network can be idle before its script has even run)."""
    if await page.evaluate("!!document.querySelector('.math')"):
        await page.wait_for_function(
            "window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=120_000
        )
        await page.evaluate("MathJax.startup.promise")


async def _visit_one(
    browser, base: str, path: str, axe: str | None, dark_axe: bool = True
) -> PageReport:
    report = PageReport(path)
    context = await browser.new_context(color_scheme="light", viewport=DESKTOP)
    try:
        page = await context.new_page()
        page.on("console", lambda m: m.type == "error" and report.console_errors.append(m.text))
        page.on("pageerror", lambda e: report.page_errors.append(str(e)))
        page.on("request", lambda r: is_foreign(r.url) and report.foreign_requests.append(r.url))
        page.on("requestfailed", lambda r: report.failed_requests.append(r.url))
        page.on(
            "response",
            lambda r: r.status >= 400 and report.bad_responses.append(f"{r.status} {r.url}"),
        )
        # "networkidle": the theme's late stylesheets (code colours) must be in before axe
        await page.goto(f"{base}/{path}", wait_until="networkidle")
        await _wait_for_math(page)
        data = await page.evaluate(_PAGE_JS)
        report.title = data["title"]
        report.urls = data["urls"]
        report.n_math, report.n_typeset = data["nMath"], data["nTypeset"]
        report.raw_tex = data["rawTex"]
        report.wide_code = data["wideCode"]
        report.n_solutions = data["nSolutions"]
        report.images = await page.evaluate(_IMAGES_JS)
        if axe:
            await page.add_script_tag(path=axe)
            report.axe_light = await page.evaluate(_AXE_RUN_JS, {"resultTypes": ["violations"]})

        # The reader's system switches to dark: the theme follows (default_mode "auto").
        report.theme_before = await page.evaluate("document.documentElement.dataset.theme")
        report.background_before = await page.evaluate(
            "getComputedStyle(document.body).backgroundColor"
        )
        # no colour transitions: axe must see the dark colours, not a frame on the way there
        await page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
        await page.emulate_media(color_scheme="dark")
        with contextlib.suppress(Exception):  # a page that does not switch is reported below
            await page.wait_for_function(
                "document.documentElement.dataset.theme === 'dark'", timeout=15_000
            )
        await page.wait_for_timeout(250)  # a frame or two for the new colours to apply
        report.theme_after = await page.evaluate("document.documentElement.dataset.theme")
        report.background_after = await page.evaluate(
            "getComputedStyle(document.body).backgroundColor"
        )
        report.dark_images = await page.evaluate(_IMAGES_JS)
        if axe and dark_axe:
            report.axe_dark_run = True
            report.axe_dark = await page.evaluate(
                _AXE_RUN_JS,
                {"runOnly": {"type": "rule", "values": ["color-contrast"]}},
            )

        # A phone: the same page at 375 px. Transitions are off (above), so the theme's
        # sidebars take their phone layout at once; two frames let the layout settle. (A
        # reload at 375 px saw the same on every page and cost a second load and typesetting.)
        await page.set_viewport_size(PHONE)
        await page.evaluate(_TWO_FRAMES_JS)
        report.phone_overflow = await page.evaluate(_OVERFLOW_JS)
    finally:
        await context.close()
    return report


async def _crawl(
    base: str, paths: list[str], axe: str | None, concurrency: int, dark_axe: set[str] | None
):
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CRAWL_CHROMIUM, args=CHROMIUM_ARGS)
        try:
            limit = asyncio.Semaphore(concurrency)

            async def one(path):
                async with limit:
                    try:
                        dark = dark_axe is None or path in dark_axe
                        return await _visit_one(browser, base, path, axe, dark)
                    except Exception as error:  # a page that cannot be visited is a finding
                        report = PageReport(path)
                        report.page_errors.append(f"visit failed: {error!r}")
                        return report

            reports = await asyncio.gather(*(one(path) for path in paths))
        finally:
            await browser.close()
    return {r.path: r for r in reports}


def crawl(
    base: str,
    paths: list[str],
    *,
    axe: Path | None = AXE_JS,
    concurrency: int = 3,
    dark_axe: set[str] | None = None,
) -> dict[str, PageReport]:
    """Visit every page of ``paths`` (relative to ``base``) and report what each showed.

    axe runs all its rules on every page in light mode, and its contrast rule in dark mode on
    the pages of ``dark_axe`` (every page when None).
    """
    return asyncio.run(_crawl(base, paths, str(axe) if axe else None, concurrency, dark_axe))
