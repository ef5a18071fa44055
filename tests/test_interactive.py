"""Figures a reader can move, and the gallery's animations, in the built site.

The browser tests (marked ``site``) read the clean build every site test shares
(``conftest.built_site``). They open the landscapes chapter in headless Chromium, move
its sliders with the
keyboard and check that the figure changed without console errors, and check the numbers
embedded in the page against :mod:`calcdocs`. The still-frame hook of
``docs/_ext/calcdocs_interactive.py`` is tested without a build.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import pytest

import calcdocs as cd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs" / "_ext"))
import calcdocs_interactive  # noqa: E402

CHROMIUM = os.environ.get("CALCDOCS_CHROMIUM", "/usr/bin/chromium")
CHAPTER = "optimization/landscapes.html"
ANIMATED = [
    "auto_examples/landscapes/plot_animate_momentum_ravine.html",
    "auto_examples/landscapes/plot_animate_saddle_escape.html",
]


# -- The build, a server and a browser -------------------------------------------------------


@pytest.fixture(scope="module")
def html_dir(built_site) -> Path:
    """The HTML of the build every site test shares (``conftest.built_site``)."""
    return built_site.out


@pytest.fixture(scope="module")
def server(built_site) -> str:
    return built_site.base.rstrip("/")


@pytest.fixture(scope="module")
def page(server):
    """The chapter open in Chromium, with its console errors and foreign requests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-quic"]
        )
        pg = browser.new_page()
        pg.errors, pg.foreign = [], []
        pg.on("console", lambda m: m.type == "error" and pg.errors.append(m.text))
        pg.on("pageerror", lambda e: pg.errors.append(str(e)))

        def on_request(request):
            url = urlparse(request.url)
            if url.scheme in {"http", "https"} and url.hostname != "127.0.0.1":
                pg.foreign.append(request.url)

        pg.on("request", on_request)
        pg.goto(f"{server}/{CHAPTER}", wait_until="networkidle")
        yield pg
        browser.close()


def _figures(html_dir: Path) -> list[dict]:
    text = (html_dir / CHAPTER).read_text(encoding="utf-8")
    blobs = re.findall(r'<script type="application/json" class="cd-ia-data">(.*?)</script>',
                       text, re.S)  # fmt: skip
    return [json.loads(b.replace("<\\/", "</")) for b in blobs]


def _explorer(figures: list[dict]) -> dict:
    (spec,) = [f for f in figures if f["meta"].get("objective") == "quadratic_bowl"]
    return spec


# -- In the browser --------------------------------------------------------------------------


def _state(pg, root: str) -> dict:
    return pg.evaluate(
        """(root) => {
          const fig = document.querySelector(root);
          return {
            index: fig.dataset.index,
            lines: Array.from(fig.querySelectorAll('polyline[data-layer]'))
                        .map((p) => p.getAttribute('points')),
            readout: fig.querySelector('.cd-ia-readout').textContent,
          };
        }""",
        root,
    )


@pytest.mark.site
@pytest.mark.parametrize("slider", ["lr", "momentum"])
def test_keyboard_moves_the_explorer(page, slider):
    root = "figure.cd-ia:has(input[id$='-momentum'])"
    assert page.locator(root).count() == 1
    label = {"lr": "Learning rate", "momentum": "Momentum"}[slider]
    control = page.locator(root).get_by_label(label)  # the slider is labelled
    before = _state(page, root)
    assert all(before["lines"]) and before["readout"]
    control.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    after = _state(page, root)
    assert after["index"] != before["index"]
    # both the path and the loss curve are redrawn
    assert all(a != b for a, b in zip(after["lines"], before["lines"]))
    assert after["readout"] != before["readout"]
    assert page.errors == [] and page.foreign == []


@pytest.mark.site
def test_keyboard_moves_the_step_size_figure(page):
    root = "figure.cd-ia:has(input[id$='-h'])"
    before = _state(page, root)
    page.locator(root).get_by_label("Step h (log10)").focus()
    page.keyboard.press("End")
    after = _state(page, root)
    assert after["index"] != before["index"] and after["lines"] != before["lines"]
    assert "h = 1.00e+00" in after["readout"]
    assert page.errors == [] and page.foreign == []


@pytest.mark.site
def test_figures_have_no_light_box_in_dark_mode(page, server):
    page.emulate_media(color_scheme="dark")
    page.goto(f"{server}/{CHAPTER}", wait_until="networkidle")
    try:
        # the theme follows the system's dark mode once its script has run
        page.wait_for_function("document.documentElement.dataset.theme === 'dark'", timeout=15_000)
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        styles = page.evaluate(
            """() => Array.from(document.querySelectorAll('figure.cd-ia')).map((f) => {
                 const box = getComputedStyle(f.closest('.cell_output > *') || f);
                 const tick = f.querySelector('text.cd-ia-tick');
                 return [box.backgroundColor, getComputedStyle(tick).fill];
               })"""
        )
        assert len(styles) == 2
        for background, fill in styles:
            assert background in {"rgba(0, 0, 0, 0)", "transparent"}
            rgb = [int(c) for c in re.findall(r"\d+", fill)[:3]]
            assert sum(rgb) > 450  # light text on the dark page
    finally:
        page.emulate_media(color_scheme="light")
        page.goto(f"{server}/{CHAPTER}", wait_until="networkidle")
    assert page.errors == []


@pytest.mark.site
def test_page_scripts_are_served_by_the_site(html_dir):
    text = (html_dir / CHAPTER).read_text(encoding="utf-8")
    assert "calcdocs-interactive.js" in text
    assert (html_dir / "_static" / "calcdocs-interactive.js").exists()
    assert not re.search(r"<script[^>]*src=\"https?://", text)


# -- The embedded numbers are calcdocs' ------------------------------------------------------


@pytest.mark.site
@pytest.mark.parametrize("lr_i, mu_i", [(0, 0), (3, 5), (9, 0), (9, 9)], ids=str)
def test_explorer_paths_are_calcdocs_sgd(html_dir, lr_i, mu_i):
    spec = _explorer(_figures(html_dir))
    meta, sliders = spec["meta"], spec["sliders"]
    lr, mu = sliders[0]["values"][lr_i], sliders[1]["values"][mu_i]
    f = cd.quadratic_bowl(condition_number=meta["condition_number"])
    run = cd.sgd(f.gradient, np.array(meta["x0"]), steps=meta["steps"], lr=lr, momentum=mu, f=f)
    index = calcdocs_interactive.SliderFigure.index(sliders, [lr_i, mu_i])
    path = spec["panels"][0]["layers"][1]["series"][index]
    embedded = np.array([[np.nan if v is None else v for v in p] for p in path])
    expected = run.points
    finite = np.isfinite(expected).all(axis=1)
    np.testing.assert_allclose(embedded[finite], expected[finite], rtol=1e-6, atol=1e-9)
    assert np.isnan(embedded[~finite]).all()
    loss = spec["panels"][1]["layers"][0]["series"][index]
    np.testing.assert_allclose([p[1] for p in loss][-1], max(run.values[-1], 1e-12), rtol=1e-6)


@pytest.mark.site
def test_step_size_figure_is_calcdocs_derivative(html_dir):
    (spec,) = [f for f in _figures(html_dir) if f["meta"].get("function") == "sin"]
    x = spec["meta"]["x"]
    for i in (0, 20, 44, 60):
        h = 10.0 ** spec["sliders"][0]["values"][i]
        for layer, method in ((2, "forward"), (3, "central")):
            ((h_js, err_js),) = spec["panels"][0]["layers"][layer]["series"][i]
            err = abs(cd.derivative(np.sin, x, method=method, h=h) - np.cos(x))
            np.testing.assert_allclose(h_js, h, rtol=1e-6)
            np.testing.assert_allclose(err_js, max(err, 1e-17), rtol=1e-6)


# -- Animations ------------------------------------------------------------------------------


@pytest.mark.site
@pytest.mark.parametrize("path", ANIMATED)
def test_animation_pages_are_small_and_local(html_dir, path):
    text = (html_dir / path).read_text(encoding="utf-8")
    assert "animation" in text and "<img id=" in text  # matplotlib's JS player
    assert len(text.encode()) < 2_000_000
    remote = [
        tag
        for tag in re.findall(r"<(?:link|script)\b[^>]*>", text)
        if re.search(r"(href|src)=\"https?://", tag)
        and 'rel="canonical"' not in tag  # the page's own hosted address: never loaded
    ]
    assert remote == []


def test_still_frame_replaces_the_player_outside_html(tmp_path):
    from PIL import Image

    folder = tmp_path / "auto_examples" / "topic"
    (folder / "images").mkdir(parents=True)
    frames = [Image.new("RGB", (8, 8), c) for c in ("red", "blue")]
    gif = folder / "images" / "sphx_glr_plot_x_001.gif"
    frames[0].save(gif, save_all=True, append_images=frames[1:])
    source = [
        "Title\n=====\n\n.. container:: sphx-glr-animation\n\n    .. raw:: html\n\n"
        "         <div>player</div>\n\n         <script>x()</script>\n\nAfter.\n"
    ]
    app = type("App", (), {"srcdir": str(tmp_path)})()
    calcdocs_interactive._still_frames(app, "auto_examples/topic/plot_x", source)
    text = source[0]
    assert ".. only:: html and not epub\n\n    .. container:: sphx-glr-animation" in text
    assert "             <script>x()</script>" in text  # the whole player moved in
    assert ".. only:: latex or epub" in text and "sphx_glr_plot_x_001_still.png" in text
    assert text.rstrip().endswith("After.")
    with Image.open(folder / "images" / "sphx_glr_plot_x_001_still.png") as still:
        assert still.convert("RGB").getpixel((0, 0)) == (255, 0, 0)  # the first frame


def test_slider_figure_checks_its_data():
    sliders = [{"name": "a", "label": "A", "values": [1, 2], "labels": ["1", "2"]}]
    panel = {"layers": [{"cls": "c", "series": [[[0, 0]]]}]}
    with pytest.raises(ValueError, match="has 1 polylines; the sliders have 2"):
        calcdocs_interactive.SliderFigure(
            sliders=sliders, panels=[panel], readouts=["x", "y"], caption=""
        )
    fig = calcdocs_interactive.SliderFigure(
        sliders=sliders, panels=[], readouts=["x", "</script>"], caption="c"
    )
    html = fig._repr_html_()
    assert '<label for="' in html and 'type="range"' in html and 'max="1"' in html
    assert html.count("</script>") == 1  # the data cannot end the script early
    assert calcdocs_interactive.polyline([[1.0, np.inf]]) == [[1.0, None]]
