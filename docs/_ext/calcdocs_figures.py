"""The book's figures: one matplotlib style everywhere, 2x images, players with no CDN.

- **Gallery examples** (sphinx-gallery, run in the Sphinx process): sphinx-gallery resets
  matplotlib to its defaults before each example; `reset_matplotlib` is listed in
  ``sphinx_gallery_conf["reset_modules"]`` to apply :func:`calcdocs.use_style` after that
  reset. ``image_srcset = ["2x"]`` gives the 2x images.
- **Executed pages** (myst-nb kernels, separate processes): the kernels get an IPython
  profile (``IPYTHONDIR``, a temporary folder) whose ``ipython_kernel_config.py`` applies the
  style at start-up and sets the inline backend's ``retina`` format: PNGs at twice the
  figure's dpi, shown at its size (myst-nb reads the width from the output's metadata).
- **Animations**: matplotlib's JavaScript player links a FontAwesome stylesheet on a CDN.
  A ``source-read`` hook removes such ``<link>`` tags from every source (the gallery's
  generated ``.rst`` embeds the player as raw HTML), so a page loads nothing from another
  host; the player's buttons keep their theme icons. :func:`calcdocs.animate_descent`
  strips the link itself, for notebooks.

The kernels' start-up code is the same for every page, so jupyter-cache's notebook hashes
(the code of the cells) are unchanged: clear ``docs/_build/.jupyter_cache`` after changing
the style.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any

_REMOTE_LINK = re.compile(r"<link[^>]*href=\"https?://[^\"]*\"[^>]*>\s*", re.IGNORECASE)

_KERNEL_CONFIG = """\
# Written by docs/_ext/calcdocs_figures.py for the book's myst-nb kernels.
c.InlineBackend.figure_formats = {"retina"}
c.InteractiveShellApp.exec_lines = [
    "import calcdocs as _calcdocs_style; _calcdocs_style.use_style(); del _calcdocs_style"
]
"""


def reset_matplotlib(gallery_conf: dict, fname: str) -> None:
    """sphinx-gallery ``reset_modules`` entry: the book's style after matplotlib's reset."""
    import calcdocs

    calcdocs.use_style()


def kernel_profile() -> Path:
    """Create an IPython folder whose default profile styles the kernels; return it."""
    folder = Path(tempfile.mkdtemp(prefix="calcdocs-ipython-"))
    profile = folder / "profile_default"
    profile.mkdir()
    (profile / "ipython_kernel_config.py").write_text(_KERNEL_CONFIG, encoding="utf-8")
    return folder


def _strip_remote_links(app: Any, docname: str, source: list[str]) -> None:
    if "<link" in source[0]:
        source[0] = _REMOTE_LINK.sub("", source[0])


def setup(app: Any) -> dict[str, Any]:
    os.environ["IPYTHONDIR"] = str(kernel_profile())  # inherited by the myst-nb kernels
    app.connect("source-read", _strip_remote_links)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
