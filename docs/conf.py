"""Sphinx configuration for *Calculus for Machine Learning* (the calcdocs book).

Every page and example is executed at build time:

- MyST Markdown pages (``docs/**/*.md``) run through myst-nb, with a jupyter-cache so an
  unchanged page never re-executes;
- example scripts (``gallery/**/plot_*.py``) run through sphinx-gallery, which re-runs an
  example only when its source changed (md5 check).

The build is meant to pass with ``-W --keep-going -n`` (warnings are errors, nitpicky
cross-references) and to need no network: no intersphinx, and MathJax is served from the
site itself (copied from the ``sphinx-mathjax-offline`` package at build time).
"""

from __future__ import annotations

import gc
import os
import re
import sys
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE / "_ext"))  # local extensions

# The pages and examples run one per core (calcdocs_execute, sphinx-gallery's `parallel`), so
# each gets one BLAS thread: OpenBLAS's own threads would fight over the same cores (a small
# product then took 10 ms instead of 0.05). The kernels and example workers inherit this.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

# Sphinx holds every page's doctree in memory. With Python's default thresholds (700, 10, 10)
# the cyclic garbage collector walks that growing heap over and over; on the 2-core machine
# the write phase of the whole book (`-a`, nothing executed) took 60 s with them and 41 s with
# these and `-j` together (bench/bench_build.py measures the builds). Cycles are still freed.
gc.set_threshold(100_000, 50, 1000)

import calcdocs_execute  # docs/_ext

import calcdocs

# -- Project -------------------------------------------------------------------------------
project = "Calculus for Machine Learning"
author = "The calcdocs authors"
copyright = f"2026-{date.today().year}, {author}"
version = calcdocs.__version__
release = calcdocs.__version__
language = "en"

# -- Extensions ----------------------------------------------------------------------------
extensions = [
    "myst_nb",  # loads myst_parser itself; listing both is an error
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx-mathjax-offline",  # MathJax's files copied into the site: no CDN at view time
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "sphinx_copybutton",
    "sphinx_design",
    "sphinx_togglebutton",  # folds `:class: dropdown` solutions
    "sphinx_exercise",
    "sphinxcontrib.bibtex",
    "calcdocs_latex",  # docs/_ext: LaTeX-only fixes for the PDF
    "calcdocs_figures",  # docs/_ext: the book's matplotlib style, 2x images, no CDN in players
    "calcdocs_downloads",  # docs/_ext: the wheel, runnable notebooks, EPUB math as MathML
    "calcdocs_interactive",  # docs/_ext: slider figures; animations' still frames (PDF)
    "calcdocs_execute",  # docs/_ext: the pages' code executed side by side, one per core
]

templates_path = ["_templates"]
exclude_patterns = [
    "_build",
    "jupyter_execute",
    "Thumbs.db",
    ".DS_Store",
    # sphinx-gallery writes .ipynb next to its .rst; myst-nb must not read them as pages
    "auto_examples/**/*.ipynb",
    "auto_examples/*.ipynb",
    "**/.ipynb_checkpoints",
    "_templates",
]
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
root_doc = "index"

# Warnings are errors in CI and on Read the Docs; nitpicky cross-references too.
nitpicky = True
nitpick_ignore_regex = [
    # numpydoc renders these as type words, not links
    (r"py:.*", r"(array_like|array-like|ndarray|callable|optional|scalar|default.*)"),
    # Cross-project links are off: the build needs no network (no intersphinx). References
    # to these projects render as code, without a link.
    (r"py:.*", r"(numpy|np|scipy|matplotlib|mpl_toolkits|torch|autograd)(\..*)?"),
]

# -- MyST and execution (myst-nb) ------------------------------------------------------------
myst_enable_extensions = [
    "amsmath",
    "colon_fence",
    "deflist",
    "dollarmath",
    "substitution",
    "attrs_inline",
]
myst_heading_anchors = 3
myst_dmath_double_inline = True

nb_execution_mode = "cache"  # re-execute a page only when its code changed
# next to the source (not the output folder), so every build of this source shares it
nb_execution_cache_path = str(HERE / "_build" / ".jupyter_cache")
nb_execution_raise_on_error = True  # a failing cell fails the build
nb_execution_show_tb = True
nb_execution_timeout = 300
nb_merge_streams = True
nb_execution_excludepatterns = ["auto_examples/*"]

# -- Math: served by the site itself -----------------------------------------------------------
# `sphinx-mathjax-offline` sets `mathjax_path` to its local copy of MathJax 3 (tex-chtml).
mathjax3_config = {
    "tex": {
        "macros": {
            "R": r"\mathbb{R}",
            "grad": r"\nabla",
            "T": r"^{\mathsf{T}}",
            "norm": [r"\left\lVert #1 \right\rVert", 1],
            "diff": r"\mathrm{d}",
        },
    },
}

# -- API reference (autodoc + numpydoc + autosummary) ----------------------------------------
autosummary_generate = True
autodoc_typehints = "none"  # types live in the numpydoc docstrings
autodoc_default_options = {"members": False}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
numpydoc_validation_checks = {"GL08"}  # every public object has a docstring

# -- Gallery (sphinx-gallery) ------------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": [str(ROOT / "gallery")],
    "gallery_dirs": ["auto_examples"],
    "filename_pattern": re.escape(os.sep) + "plot_",
    # topics in the book's order; a folder not listed comes last ("*")
    "subsection_order": [
        *(
            f"../gallery/{topic}"
            for topic in (
                "derivatives",
                "partials",
                "autodiff",
                "optimize",
                "landscapes",
                "integrate",
            )
        ),
        "*",
    ],
    "within_subsection_order": "FileNameSortKey",
    "doc_module": ("calcdocs",),
    "backreferences_dir": "gen_modules/backreferences",
    "prefer_full_module": set(),
    "download_all_examples": True,
    "remove_config_comments": True,
    "matplotlib_animations": (True, "jshtml"),
    # matplotlib's defaults, then the book's style (calcdocs.use_style) before each example
    "reset_modules": ("matplotlib", "calcdocs_figures.reset_matplotlib"),
    # The computation-times page embeds jQuery/DataTables from CDNs: keep the site private.
    "write_computation_times": False,
    "show_memory": False,
    "image_srcset": ["2x"],
    # the examples of each gallery folder run side by side, one per core (joblib); the
    # pages do the same (docs/_ext/calcdocs_execute.py)
    "parallel": calcdocs_execute.cores(),
}

# -- Bibliography -------------------------------------------------------------------------------
# one shared file, plus one per chapter for sources only that chapter cites
bibtex_bibfiles = [
    "references.bib",
    *sorted(str(p.relative_to(HERE)) for p in (HERE / "refs").glob("*.bib")),
]
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"

# -- HTML ---------------------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = "Calculus for Machine Learning"
html_static_path = ["_static"]
html_css_files = ["calcdocs.css"]
html_favicon = "_static/favicon.svg"
html_logo = "_static/logo.svg"
html_last_updated_fmt = ""
html_copy_source = True
html_context = {"default_mode": "auto"}  # follows the reader's system light/dark setting
html_theme_options = {
    "repository_url": "https://github.com/calcdocs/calcdocs",
    "repository_branch": "main",
    "path_to_docs": "docs",
    "use_repository_button": True,
    "use_download_button": True,
    "use_source_button": True,
    "use_issues_button": True,
    "use_fullscreen_button": False,
    "home_page_in_toc": True,
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "logo": {"alt_text": "Calculus for Machine Learning - home"},
    # no Google Analytics, no external fonts: the theme's own fonts are served locally
}
html_show_sourcelink = True
# The site's absolute address: notebooks downloaded from it install the wheel from here. Read
# the Docs sets READTHEDOCS_CANONICAL_URL; `-D calcdocs_base_url=...` overrides both (tests).
html_baseurl = os.environ.get(
    "READTHEDOCS_CANONICAL_URL", "https://calcdocs.readthedocs.io/en/latest/"
)
calcdocs_base_url = ""  # empty: html_baseurl

# docs/_ext/calcdocs_a11y.py: the accessibility fixes the theme's HTML needs (axe-core findings)
extensions.append("calcdocs_a11y")

# -- Other formats ------------------------------------------------------------------------------
epub_show_urls = "no"
epub_exclude_files = ["search.html"]
suppress_warnings = ["epub.unknown_project_files"]

# -- LaTeX / PDF --------------------------------------------------------------------------------
# `sphinx-build -M latexpdf docs <out>` (Read the Docs builds the PDF from these settings too).
# XeLaTeX reads Unicode text and code output (∇, θ, ‖, ≈) directly; its default fonts are GNU
# FreeFont (Debian: fonts-freefont-otf), which cover Greek and the mathematical symbols.
latex_engine = "xelatex"
# toctree_only: the PDF starts with the chapters; the home page's cards and intro are web-only.
latex_documents = [(root_doc, "calcdocs.tex", project, author, "manual", True)]
latex_logo = None  # the logo is an SVG, which LaTeX cannot include
latex_show_urls = "footnote"
latex_show_pagerefs = True
latex_use_xindy = False  # makeindex: xindy is not on Read the Docs (nor in a small TeX Live)


def _latex_macro(name: str, body: str | list) -> str:
    """One of MathJax's ``tex.macros`` as a LaTeX definition (defined even if taken)."""
    body, nargs = (body, 0) if isinstance(body, str) else body
    args = f"[{nargs}]" if nargs else ""
    return f"\\providecommand{{\\{name}}}{{}}\\renewcommand{{\\{name}}}{args}{{{body}}}"


_latex_preamble = [
    # the macros the HTML math uses, from the same table (amsmath and amssymb are loaded)
    *(_latex_macro(name, body) for name, body in mathjax3_config["tex"]["macros"].items()),
    # Sphinx names the contents after the first toctree's caption ("Front matter")
    r"\addto\captionsenglish{\renewcommand{\contentsname}{Contents}}",
    r"\setcounter{tocdepth}{1}",  # chapters and their sections
    # the `*` of keyword-only signatures: small caps in italic do not exist in FreeSerif
    r"\protected\def\sphinxstyleabbreviation#1{#1}",
]
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "10pt",
    "cmappkg": "",  # cmap is for pdflatex; XeLaTeX writes the Unicode map itself
    "preamble": "\n".join(_latex_preamble),
    "sphinxsetup": "verbatimwrapslines=true, verbatimforcewraps=true",
}


def setup(app):
    # sphinx-mathjax-offline 0.0.2 only copies MathJax's files when the build finishes, but does
    # not declare itself safe for parallel reading, so `-j` (dev.SPHINX_FLAGS) would read the
    # pages one at a time
    app.extensions["sphinx-mathjax-offline"].parallel_read_safe = True
