"""Accessibility fixes for the HTML pages that the theme and the extensions leave open.

Loaded by ``docs/conf.py``; HTML only. Each fix answers one axe-core finding (the site tests
run axe-core over every page, ``tests/test_browser.py``):

- ``aria-required-children`` (critical): docutils writes a citation list as
  ``<div role="list">`` whose entries have ``role="doc-biblioentry"``, a role that is
  deprecated in DPUB-ARIA 1.1 and does not count as a list item. The entries become
  ``role="listitem"``.
- ``summary-name`` (serious): the sidebar's fold toggles are ``<summary>`` elements holding
  only an icon. Each gets an ``aria-label`` naming the section it folds.
- ``label-content-name-mismatch`` (serious): myst-nb labels the toggle of a folded code cell
  "Toggle hidden content" while it shows "Show code cell source". The label goes, so the
  visible text is the name.
- ``image-alt`` and ``label`` (critical), if a page shows a matplotlib animation (jshtml,
  sphinx-gallery's ``matplotlib_animations``): the player's frame ``<img>`` has no alt text
  and its slider no label. They get both.

The search button's label (``docs/_templates/search-button-field.html``), the gallery cards'
link text and the link colours inside exercises (``docs/_static/calcdocs.css``) are fixed
where they are written.
"""

from __future__ import annotations

import html
import re

# `<a ...>Title</a><details><summary>` (pydata-sphinx-theme's sidebar, one entry with children)
_TOGGLE = re.compile(r"(<a\b[^>]*>(?P<title>.*?)</a>\s*<details(?:\s[^>]*)?>\s*)<summary>", re.S)
_TAG = re.compile(r"<[^>]+>")


def name_sidebar_toggles(nav: str) -> str:
    """Give every ``<summary>`` of the sidebar navigation an accessible name."""

    def label(match: re.Match) -> str:
        title = html.unescape(_TAG.sub("", match["title"])).strip()
        name = html.escape(f"Show or hide the pages under {title}", quote=True)
        return f'{match[1]}<summary aria-label="{name}">'

    return _TOGGLE.sub(label, nav)


def hidden_cell_toggles_named_by_their_text(body: str) -> str:
    """myst-nb's ``<summary aria-label="Toggle hidden content">`` loses its label."""
    return body.replace('<summary aria-label="Toggle hidden content">', "<summary>")


def citation_entries_as_list_items(body: str) -> str:
    """The entries of a ``role="list"`` citation list become ``role="listitem"``."""
    return body.replace('role="doc-biblioentry"', 'role="listitem"')


_ANIM_IMG = re.compile(r'<img id="(_anim_img\w+)">')
_ANIM_SLIDER = re.compile(r'<input id="(_anim_slider\w+)" type="range"')


def label_animation_players(body: str) -> str:
    """Alt text for a jshtml player's frame, and a label for its slider."""
    body = _ANIM_IMG.sub(r'<img id="\1" alt="The current frame of the animation">', body)
    return _ANIM_SLIDER.sub(r'<input id="\1" type="range" aria-label="Animation frame"', body)


def _on_page_context(app, pagename, templatename, context, doctree):
    if "body" in context:
        body = citation_entries_as_list_items(context["body"])
        body = hidden_cell_toggles_named_by_their_text(body)
        context["body"] = label_animation_players(body)
    generate = context.get("generate_toctree_html")
    if generate is not None and not getattr(generate, "_calcdocs_a11y", False):

        def generate_named(kind, *args, **kwargs):
            out = generate(kind, *args, **kwargs)
            return name_sidebar_toggles(str(out)) if kind == "sidebar" else out

        generate_named._calcdocs_a11y = True
        context["generate_toctree_html"] = generate_named


def setup(app):
    # after pydata-sphinx-theme has put `generate_toctree_html` into the context (priority 500)
    app.connect("html-page-context", _on_page_context, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
