"""Package-wide checks: the public API is complete, documented and lint-clean."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest

import calcdocs

ROOT = Path(__file__).resolve().parents[1]
MODULES = [
    calcdocs.differentiate,
    calcdocs.functions,
    calcdocs.autodiff,
    calcdocs.integrate,
    calcdocs.plotting,
    calcdocs.landscape,
    calcdocs.optimize,
]


def test_top_level_reexports_every_module_api():
    names = [name for module in MODULES for name in module.__all__]
    assert len(names) == len(set(names)), "a name is exported by two modules"
    assert sorted(calcdocs.__all__) == sorted(names)
    for module in MODULES:
        for name in module.__all__:
            assert getattr(calcdocs, name) is getattr(module, name)


@pytest.mark.parametrize("name", sorted(calcdocs.__all__))
def test_public_objects_have_numpydoc_docstrings_with_examples(name):
    obj = getattr(calcdocs, name)
    doc = inspect.getdoc(obj) or ""
    assert doc, f"{name} has no docstring"
    assert "Examples\n--------" in doc, f"{name} has no Examples section"
    if inspect.isfunction(obj):
        assert "Returns\n-------" in doc or "Yields\n------" in doc, f"{name}: no Returns"
        has_params = any(
            p.kind is not inspect.Parameter.VAR_KEYWORD
            for p in inspect.signature(obj).parameters.values()
        )
        if has_params:
            assert "Parameters\n----------" in doc, f"{name}: no Parameters"


def test_api_reference_lists_every_public_name():
    text = (ROOT / "docs" / "api" / "index.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^   (\w+)$", text, flags=re.MULTILINE))
    assert listed == set(calcdocs.__all__)


def test_ruff_lint_and_format():
    lint = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr
    fmt = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr
