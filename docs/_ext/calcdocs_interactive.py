"""Figures a reader can move, and still frames of animations for the PDF and EPUB.

**Slider figures.** A page builds one in a code cell, from numbers computed with calcdocs at
build time for every position of its sliders::

    from calcdocs_interactive import SliderFigure, contour_lines, polyline
    fig = SliderFigure(sliders=[...], panels=[...], readouts=[...], caption="...")
    fig  # the cell's output: HTML with the data embedded as JSON

The output is plain HTML: labelled native ``<input type="range">`` sliders (operable from
the keyboard, announced by screen readers), SVG panels, and a ``<script type=
"application/json">`` holding every precomputed polyline. ``_static/calcdocs-interactive.js``
(hand-written, about 150 lines, no library) draws the panels and switches the polylines
when a slider moves. Nothing is loaded from another host and no kernel or server is needed.
Builders without JavaScript (LaTeX) get the figure's text form, which says where to find it.

Why no JavaScript library: the figures only switch between precomputed polylines, which
SVG draws natively; Bokeh's BokehJS (about 1 MB per page, plus a Python-side document
model to keep in step with the JS version) or Plotly (about 3.5 MB) would add weight and a
dependency for nothing these figures use, and native range inputs with labels are more
accessible than either library's slider widgets.

The myst-nb kernels import this module: `setup` puts ``docs/_ext`` on their
``PYTHONPATH``.

**Animations in the PDF and EPUB.** sphinx-gallery embeds a matplotlib animation as raw HTML
(its JavaScript player), which LaTeX drops and EPUB readers cannot play. A ``source-read``
hook wraps each player in ``.. only:: html and not epub`` and adds, for the other builders,
the first frame of the GIF sphinx-gallery saves next to the example's images (as a PNG).
Not the last: matplotlib's GIF frames are transparent and not disposed, so a later frame
read from the GIF shows every earlier frame's step counter through its background.
"""

from __future__ import annotations

import html
import itertools
import json
import math
import os
import re
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent

__all__ = ["SliderFigure", "contour_lines", "polyline"]


def _round(v: float, digits: int = 7) -> float | None:
    if not math.isfinite(v):
        return None
    return float(f"{v:.{digits}g}")


def polyline(points: Any, *, digits: int = 7) -> list[list[float | None]]:
    """A polyline for the JSON: ``(k, 2)`` points, rounded; non-finite points become None.

    The browser draws a polyline up to its first missing point (a diverged run stops where
    its numbers overflow).
    """
    pts = np.asarray(points, dtype=float)
    if pts.ndim != 2 or pts.shape[1] != 2:
        raise ValueError(f"`points` must have shape (k, 2); got {pts.shape}.")
    return [[_round(x, digits), _round(y, digits)] for x, y in pts]


def contour_lines(f: Any, xlim: Any, ylim: Any, levels: Any, *, num: int = 120) -> list:
    """Level sets of ``f`` (points on the last axis) as polylines, via contourpy."""
    import contourpy

    x = np.linspace(*xlim, num)
    y = np.linspace(*ylim, num)
    X, Y = np.meshgrid(x, y)
    Z = np.asarray(f(np.stack([X, Y], axis=-1)), dtype=float)
    gen = contourpy.contour_generator(X, Y, Z)
    lines = []
    for level in np.atleast_1d(levels):
        for seg in gen.lines(float(level)):
            lines.append(polyline(seg[:: max(1, len(seg) // 80)], digits=4))
    return lines


class SliderFigure:
    """An HTML figure whose sliders switch between precomputed polylines.

    Parameters
    ----------
    sliders : list of dict
        Each ``{"name", "label", "values", "labels", "initial"}``: the slider's values, the
        text shown for each, and the starting index.
    panels : list of dict
        Each ``{"title", "xlabel", "ylabel", "xlim", "ylim", "xlog", "ylog", "layers"}``;
        a layer is ``{"cls", "lines"}`` (drawn once) or ``{"cls", "name", "series",
        "marker"}`` with one polyline per combination of slider positions (row-major, the
        last slider fastest).
    readouts : list of str
        One line of text per combination.
    caption : str
        The figure's caption (plain text).
    meta : dict, optional
        Extra data embedded with the figure (e.g. what a test needs to recompute it).
    """

    _count = itertools.count()

    def __init__(self, *, sliders, panels, readouts, caption, meta=None):
        n = math.prod(len(s["values"]) for s in sliders)
        for p in panels:
            for layer in p["layers"]:
                if "series" in layer and len(layer["series"]) != n:
                    raise ValueError(
                        f"layer {layer.get('name')!r} has {len(layer['series'])} polylines; "
                        f"the sliders have {n} combinations."
                    )
        if len(readouts) != n:
            raise ValueError(f"`readouts` has {len(readouts)} entries; expected {n}.")
        self.spec = {"sliders": sliders, "panels": panels, "readouts": readouts}
        self.spec["meta"] = meta or {}
        self.caption = caption
        self.uid = f"cd-ia-{next(self._count)}"

    @staticmethod
    def index(sliders: list[dict], positions: list[int]) -> int:
        """The combination index of slider `positions` (row-major, last slider fastest)."""
        index = 0
        for s, i in zip(sliders, positions):
            index = index * len(s["values"]) + i
        return index

    def _repr_html_(self) -> str:
        data = json.dumps(self.spec, separators=(",", ":"), allow_nan=False)
        data = data.replace("</", "<\\/")  # cannot close the script element
        controls = []
        for s in self.spec["sliders"]:
            sid = f"{self.uid}-{s['name']}"
            init = s.get("initial", 0)
            controls.append(
                f'<label for="{sid}">{html.escape(s["label"])}: '
                f'<output class="cd-ia-value" for="{sid}">{html.escape(s["labels"][init])}'
                f'</output><input type="range" class="cd-ia-slider" id="{sid}" min="0" '
                f'max="{len(s["values"]) - 1}" step="1" value="{init}"/></label>'
            )
        return (
            f'<figure class="cd-ia" id="{self.uid}">'
            f'<div class="cd-ia-controls">{"".join(controls)}</div>'
            f'<div class="cd-ia-panels"></div>'
            f'<div class="cd-ia-readout" aria-live="polite"></div>'
            f"<figcaption>{html.escape(self.caption)}</figcaption>"
            f'<script type="application/json" class="cd-ia-data">{data}</script>'
            "</figure>"
        )

    def __repr__(self) -> str:
        names = ", ".join(s["label"] for s in self.spec["sliders"])
        return (
            f"[Interactive figure with sliders for {names}: open the web version of this "
            f"page to move them.] {self.caption}"
        )


# -- Animations: a still frame for the PDF and EPUB ---------------------------------------------

_PLAYER = re.compile(r"^\.\. container:: sphx-glr-animation\n(?:\n|    .*\n)*", re.MULTILINE)
_IMAGE = re.compile(r"images/(sphx_glr_\w+?_(\d{3}))\.png")


def _still_frames(app: Any, docname: str, source: list[str]) -> None:
    text = source[0]
    if not docname.startswith("auto_examples/") or "sphx-glr-animation" not in text:
        return
    folder = Path(app.srcdir, docname).parent
    stem = Path(docname).name

    def wrap(match: re.Match) -> str:
        block = match.group(0)
        # the GIF sphinx-gallery saves for the player's figure sits next to its PNGs
        gifs = sorted((folder / "images").glob(f"sphx_glr_{stem}_*.gif"))
        still = ""
        if gifs:
            gif = gifs[wrap.count] if wrap.count < len(gifs) else gifs[-1]
            png = gif.with_name(gif.stem + "_still.png")
            if not png.exists() or png.stat().st_mtime < gif.stat().st_mtime:
                from PIL import Image

                with Image.open(gif) as im:
                    im.seek(0)  # later frames show the earlier ones (see above)
                    im.convert("RGBA").save(png)
            still = (
                ".. only:: latex or epub\n\n"
                f"    .. image:: /{Path(docname).parent.as_posix()}/images/{png.name}\n"
                "        :alt: The first frame of the animation: contours, start points.\n\n"
            )
        wrap.count += 1
        body = "".join("    " + line if line.strip() else line for line in block.splitlines(True))
        return ".. only:: html and not epub\n\n" + body + "\n" + still

    wrap.count = 0
    source[0] = _PLAYER.sub(wrap, text)


def setup(app: Any) -> dict[str, Any]:
    # the myst-nb kernels inherit the environment: let them import this module
    paths = [str(HERE), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    app.add_js_file("calcdocs-interactive.js", loading_method="defer")
    app.add_css_file("calcdocs-interactive.css")
    app.connect("source-read", _still_frames)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
