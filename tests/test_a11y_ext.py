"""The HTML fixes of docs/_ext/calcdocs_a11y.py, on snippets of the markup they fix.

The browser suite (tests/test_site.py) checks the built site with axe-core; these run in the
fast loop and say which fix broke when the theme's markup changes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs" / "_ext"))
import calcdocs_a11y as a11y

SIDEBAR = (
    '<li class="toctree-l1 has-children"><a class="reference internal" href="g/index.html">'
    "Example <em>gallery</em> &amp; more</a><details><summary>"
    '<span class="toctree-toggle" role="presentation"><i></i></span></summary><ul>'
    '<li class="toctree-l2 has-children"><a class="reference internal" href="g/d.html">'
    'Derivatives</a><details open="open"><summary><span></span></summary><ul>'
)


def test_every_sidebar_toggle_gets_the_name_of_its_section():
    fixed = a11y.name_sidebar_toggles(SIDEBAR)
    assert fixed.count("<summary>") == 0
    assert '<summary aria-label="Show or hide the pages under Example gallery &amp; more">' in (
        fixed
    )
    assert '<summary aria-label="Show or hide the pages under Derivatives">' in fixed


def test_citation_entries_become_list_items():
    body = '<div role="list" class="citation-list"><div class="citation" role="doc-biblioentry">'
    fixed = a11y.citation_entries_as_list_items(body)
    assert 'role="listitem"' in fixed and "doc-biblioentry" not in fixed


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<img id="_anim_img1a2b">', 'alt="The current frame of the animation"'),
        (
            '<input id="_anim_slider1a2b" type="range" class="anim-slider"',
            'aria-label="Animation frame"',
        ),
    ],
    ids=["frame-alt", "slider-label"],
)
def test_animation_player_is_labelled(html, expected):
    assert expected in a11y.label_animation_players(html)


def test_hidden_cell_toggle_is_named_by_its_visible_text():
    body = '<details class="hide above-input">\n<summary aria-label="Toggle hidden content">'
    fixed = a11y.hidden_cell_toggles_named_by_their_text(body)
    assert fixed.endswith("<summary>") and "aria-label" not in fixed
