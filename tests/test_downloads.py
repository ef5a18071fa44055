"""A reader's path, end to end: install what *Run the code yourself* says, from the served site,
then run every download.

The session fixture the site tests share (``conftest.built_site``) builds the site from
scratch in a temporary folder with
``-D calcdocs_base_url=http://127.0.0.1:<port>/``, so that the notebooks' install cells point
at the local server, and serves it on that port. Another creates ONE fresh virtual environment
(no system site packages, no PYTHONPATH) and runs in it, with bash, exactly the command blocks
of the built *Run the code yourself* page, the local address in place of the hosted one: pip
installs the wheel from the served site. Every gallery script and every gallery and chapter
notebook downloaded from the served pages then runs in that environment (scripts with
``MPLBACKEND=Agg``; notebooks with nbclient, which JupyterLab brings, on the environment's
own kernel), two at a time. pip's own cache makes the installs fast after the first run.

The same build is also checked as EPUB (MathML, no raw TeX) and LaTeX (no warnings), and as a
PDF where XeLaTeX is installed.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
import urllib.request
import xml.etree.ElementTree as ET
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import conftest
import pytest
from conftest import BuiltSite

pytestmark = pytest.mark.site

ROOT = Path(__file__).resolve().parents[1]
SPHINX = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-n"]
HOSTED = "https://calcdocs.readthedocs.io/en/latest/"  # html_baseurl in docs/conf.py
EXAMPLES = sorted(
    p.relative_to(ROOT / "gallery").with_suffix("").as_posix()
    for p in (ROOT / "gallery").rglob("plot_*.py")
)
CHAPTERS = sorted(
    p.relative_to(ROOT / "docs").with_suffix("").as_posix()
    for p in (ROOT / "docs").rglob("*.md")
    if not p.relative_to(ROOT / "docs").parts[0].startswith(("_", "auto_examples"))
    and re.search(r"^```+\{code-cell\}", p.read_text(encoding="utf-8"), re.MULTILINE)
)
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


Book = BuiltSite


def _warnings(log: str) -> list[str]:
    return [line for line in log.splitlines() if re.search(r"WARNING:|ERROR:", line)]


@pytest.fixture(scope="session")
def book(built_site) -> Book:
    """The site built from scratch for a server on a known port, and served there
    (``conftest.built_site``, shared by the site tests)."""
    return built_site


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:
        assert response.status == 200, url
        return response.read()


def _page(book: Book, path: str) -> str:
    return _get(book.base + path).decode("utf-8")


def _command_block(page: str, name: str) -> str:
    """The text of the command block ``calcdocs-<name>`` of a built page."""
    match = re.search(rf'<div class="calcdocs-{name} [^"]*">.*?<pre>(.*?)</pre>', page, re.DOTALL)
    assert match, f"no calcdocs-{name} block"
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()


def _reader_env() -> dict:
    """The environment of a reader's shell: nothing of this test run's Python set up."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTHON", "VIRTUAL_ENV", "JUPYTER", "CONDA", "PIP_TARGET"))
    }
    env["MPLBACKEND"] = "Agg"
    return env


@dataclass
class Reader:
    home: Path  # where the reader typed the commands
    python: Path  # the environment's python
    commands: str
    seconds: float


def make_reader(book: Book, home: Path) -> Reader:
    """A fresh virtual environment in ``home``, made with exactly the page's commands."""
    page = _page(book, "front/run-the-code.html")
    commands = "\n".join(_command_block(page, name) for name in ("install", "jupyter"))
    # the build was told the site's address (-D calcdocs_base_url), so the page itself gives
    # the local server's: nothing to substitute
    assert f"{book.base}_downloads/calcdocs-" in commands and HOSTED not in commands
    bin_dir = home / "bin"  # `python3` is a Python 3.11+ as the page asks (this one's)
    bin_dir.mkdir()
    base_python = Path(getattr(sys, "_base_executable", sys.executable))
    (bin_dir / "python3").symlink_to(base_python)
    env = _reader_env()
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    start = time.perf_counter()
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", commands],
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    python = home / "calcdocs-env" / "bin" / "python"
    assert python.exists()
    print(f"\nthe page's install commands: {seconds:.1f} s")
    return Reader(home, python, commands, seconds)


# made in the background as soon as the site is built (conftest.BACKGROUND)
conftest.BACKGROUND["reader"] = make_reader


@pytest.fixture(scope="session")
def reader(book, tmp_path_factory) -> Reader:
    """A fresh virtual environment made with exactly the page's commands (make_reader)."""
    return conftest.background_result(book, "reader", tmp_path_factory)


def _in_env(reader: Reader, *args, cwd=None, timeout=900) -> subprocess.CompletedProcess:
    env = _reader_env()
    env["PATH"] = f"{reader.python.parent}{os.pathsep}{env['PATH']}"
    env["VIRTUAL_ENV"] = str(reader.python.parent.parent)
    return subprocess.run(
        [str(reader.python), *args],
        cwd=cwd or reader.home,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


# -- The build and the pages ---------------------------------------------------------------------


def test_build_has_zero_warnings(book):
    assert _warnings(book.log) == []


def test_wheel_has_the_books_version(book):
    import calcdocs

    name = f"calcdocs-{VERSION}-py3-none-any.whl"
    wheel = book.out / "_downloads" / name
    assert wheel.is_file()
    with zipfile.ZipFile(wheel) as archive:
        meta = next(n for n in archive.namelist() if n.endswith("METADATA"))
        version = re.search(r"^Version: (.+)$", archive.read(meta).decode(), re.M).group(1)
        assert "calcdocs/__init__.py" in archive.namelist()
        shipped = archive.read("calcdocs/differentiate.py")
    assert version == VERSION == calcdocs.__version__
    assert shipped == (ROOT / "src" / "calcdocs" / "differentiate.py").read_bytes()
    page = _page(book, "front/run-the-code.html")
    shown = dict(re.findall(r'class="calcdocs-(book|wheel)-version">([^<]+)<', page))
    assert shown == {"book": VERSION, "wheel": VERSION}
    assert f"{book.base}_downloads/{name}" in _command_block(page, "install")


def _links(page: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]+)"', page)]


def test_run_the_code_is_linked_from_front_page_chapters_and_gallery(book):
    pages = ["index.html", "auto_examples/index.html"]
    pages += [f"{c}.html" for c in CHAPTERS]
    pages += [f"auto_examples/{e}.html" for e in EXAMPLES]
    missing = []
    for path in pages:
        targets = {urljoin(book.base + path, h).split("#")[0] for h in _links(_page(book, path))}
        if f"{book.base}front/run-the-code.html" not in targets:
            missing.append(path)
    assert missing == []


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_offers_its_notebook(book, chapter):
    """The theme's download button and the Run the code yourself page link the notebook."""
    page = _page(book, f"{chapter}.html")
    button = re.search(r'<a href="([^"]+\.ipynb)"[^>]*download-notebook-button', page)
    assert button, "no .ipynb under the download button"
    url = urljoin(book.base + chapter, button.group(1))
    assert url == f"{book.base}_sources/{chapter}.ipynb"
    listed = {
        urljoin(book.base + "front/x", h) for h in _links(_page(book, "front/run-the-code.html"))
    }
    assert url in listed
    json.loads(_get(url))


def _size_bytes(text: str) -> tuple[float, float]:
    number, unit = text.split()
    scale = {"bytes": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9}[unit]
    half = 0.5 if unit == "bytes" else 0.05
    return (float(number) - half) * scale, (float(number) + half) * scale


def test_downloads_page_lists_everything_with_sizes(book):
    page = _page(book, "downloads.html")
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", page, re.DOTALL)
    found = {}
    for row in rows[1:]:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)
        href = re.search(r'href="([^"]+)"', cells[1])
        size = html.unescape(re.sub(r"<[^>]+>", "", cells[2])).strip()
        found[urljoin(book.base + "downloads.html", html.unescape(href.group(1)))] = size
    local = {url: size for url, size in found.items() if url.startswith(book.base)}
    names = {url.rsplit("/", 1)[-1] for url in local}
    expected = {f"calcdocs-{VERSION}-py3-none-any.whl"}
    expected |= {f"{c.rsplit('/', 1)[-1]}.ipynb" for c in CHAPTERS}
    expected |= {"auto_examples_python.zip", "auto_examples_jupyter.zip"}
    expected |= {f"{e.rsplit('/', 1)[-1]}.zip" for e in EXAMPLES}
    assert names == expected
    for url, size in local.items():
        low, high = _size_bytes(size)
        assert low <= len(_get(url)) <= high, (url, size)
    books = {url: size for url, size in found.items() if not url.startswith(book.base)}
    assert {url.rstrip("/").rsplit("/", 1)[-1] for url in books} == {"epub", "pdf"}


def test_example_zips_hold_the_rewritten_notebooks(book):
    """The zips hold the same notebooks as the single downloads (with the install cell)."""
    zips = list((book.out / "_downloads").rglob("auto_examples_jupyter.zip"))
    assert len(zips) == 1
    with zipfile.ZipFile(zips[0]) as archive:
        notebooks = [n for n in archive.namelist() if n.endswith(".ipynb")]
        assert len(notebooks) == len(EXAMPLES)
        for name in notebooks:
            nb = json.loads(archive.read(name))
            assert "".join(nb["cells"][1]["source"]).startswith("%pip install"), name


# -- The reader's environment ----------------------------------------------------------------------


def test_page_commands_install_the_wheel_from_the_site(reader, book):
    result = _in_env(
        reader,
        "-c",
        "import calcdocs, sys; print(calcdocs.__version__, calcdocs.__file__, sys.prefix)",
    )
    assert result.returncode == 0, result.stderr
    version, module, prefix = result.stdout.split()
    assert version == VERSION
    assert Path(module).is_relative_to(reader.home / "calcdocs-env")
    assert Path(prefix) == reader.home / "calcdocs-env"
    cfg = (reader.home / "calcdocs-env" / "pyvenv.cfg").read_text()
    assert "include-system-site-packages = false" in cfg
    # what the reader typed: the page's blocks, nothing more
    lines = reader.commands.splitlines()
    assert lines[0].startswith("python3 -m venv ") and len(lines) == 4, lines


def _download(book: Book, reader: Reader, page_path: str, kind: str) -> Path:
    """Download an example's .py or .ipynb from the link on its gallery page."""
    page = _page(book, page_path)
    match = re.search(
        rf'sphx-glr-download-{kind} [^>]*>\s*<p><a [^>]*href="([^"]+)"', page, re.DOTALL
    )
    assert match, f"{page_path}: no {kind} download link"
    url = urljoin(book.base + page_path, html.unescape(match.group(1)))
    folder = reader.home / "downloads" / kind
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / url.rsplit("/", 1)[-1]
    path.write_bytes(_get(url))
    return path


@pytest.fixture(scope="session")
def script_runs(book, reader) -> dict:
    """Every gallery script, downloaded and run (two at a time)."""

    def run(example):
        path = _download(book, reader, f"auto_examples/{example}.html", "python")
        return example, _in_env(reader, path.name, cwd=path.parent)

    start = time.perf_counter()
    with ThreadPoolExecutor(2) as pool:
        results = dict(pool.map(run, EXAMPLES))
    print(f"\n{len(results)} gallery scripts: {time.perf_counter() - start:.1f} s")
    return results


@pytest.mark.parametrize("example", EXAMPLES)
def test_downloaded_script_runs(script_runs, example):
    result = script_runs[example]
    assert result.returncode == 0, result.stderr[-3000:]


NB_DRIVER = r"""
import json, sys, traceback
import nbclient, nbformat
results = {}
for path in sys.argv[1:]:
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=600, kernel_name="python3",
        resources={"metadata": {"path": path.rsplit("/", 1)[0]}},
    )
    try:
        client.execute()
        results[path] = None
    except Exception:
        results[path] = traceback.format_exc()[-4000:]
print(json.dumps(results))
"""


@pytest.fixture(scope="session")
def notebooks(book, reader) -> dict[str, Path]:
    """Every gallery notebook and chapter notebook, downloaded from the served pages."""
    found = {}
    for example in EXAMPLES:
        found[f"auto_examples/{example}"] = _download(
            book, reader, f"auto_examples/{example}.html", "jupyter"
        )
    folder = reader.home / "downloads" / "chapters"
    folder.mkdir(parents=True, exist_ok=True)
    run_page = _page(book, "front/run-the-code.html")
    for chapter in CHAPTERS:
        links = [h for h in _links(run_page) if h.endswith(f"/{chapter}.ipynb")]
        assert links, f"Run the code yourself does not link {chapter}.ipynb"
        path = folder / f"{chapter.replace('/', '-')}.ipynb"
        path.write_bytes(_get(urljoin(book.base + "front/run-the-code.html", links[0])))
        found[chapter] = path
    return found


@pytest.fixture(scope="session")
def notebook_runs(reader, notebooks) -> dict:
    """Execute every downloaded notebook in the reader's environment, two kernels at a time."""
    paths = [str(p) for p in notebooks.values()]
    halves = [paths[0::2], paths[1::2]]
    start = time.perf_counter()

    def run(chunk):
        result = _in_env(reader, "-c", NB_DRIVER, *chunk, timeout=1500)
        assert result.returncode == 0, result.stderr[-3000:]
        return json.loads(result.stdout.strip().splitlines()[-1])

    with ThreadPoolExecutor(2) as pool:
        results = {}
        for part in pool.map(run, [h for h in halves if h]):
            results.update(part)
    print(f"\n{len(paths)} notebooks: {time.perf_counter() - start:.1f} s")
    return {name: results[str(path)] for name, path in notebooks.items()}


ALL_NOTEBOOKS = [f"auto_examples/{e}" for e in EXAMPLES] + CHAPTERS


@pytest.mark.parametrize("name", ALL_NOTEBOOKS)
def test_downloaded_notebook_installs_what_it_needs(book, notebooks, name):
    cells = json.loads(notebooks[name].read_text(encoding="utf-8"))["cells"]
    install = "".join(cells[1]["source"])
    wheel = f"{book.base}_downloads/calcdocs-{VERSION}-py3-none-any.whl"
    assert cells[1]["cell_type"] == "code"
    assert install.startswith(f'%pip install "{wheel}"')
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    for module in ("numpy", "matplotlib"):
        if re.search(rf"^\s*(import|from) {module}\b", code, re.M):
            assert module in install.split()
    assert "from myst_nb" not in code and "import myst_nb" not in code


@pytest.mark.parametrize("name", ALL_NOTEBOOKS)
def test_downloaded_notebook_runs_in_a_fresh_kernel(notebook_runs, name):
    assert notebook_runs[name] is None, notebook_runs[name]


# reST or MyST left in Markdown: roles, directives, targets, substitutions
LEFTOVERS = {
    "reST role": re.compile(r"(?<![\w`]):[\w:+-]+:`"),
    "reST directive": re.compile(r"^\s*\.\. [\w:-]+::", re.M),
    "reST target": re.compile(r"^\s*\.\. _[\w.-]+:", re.M),
    "reST link": re.compile(r"`[^`]+ <[^>]+>`_"),
    "MyST role": re.compile(r"\{[\w:+-]+\}`"),
    "MyST directive": re.compile(r"^\s*(`{3,}|:{3,})\{", re.M),
    "MyST target": re.compile(r"^\(\s*[\w:.-]+\s*\)=\s*$", re.M),
    "book macro": re.compile(r"\\(R|grad|T|norm|diff)(?![A-Za-z])"),
    # a cross-reference shown by its bare label ("[fig-bp-graph](...#fig-bp-graph)"), as every
    # {numref} of a clean build's chapter notebooks was before the figures were numbered
    "unnumbered reference": re.compile(r"\[([\w.:-]+)\]\([^)\s]*#\1\)"),
}


def _strip_code(markdown: str) -> str:
    """Markdown without its code blocks and code spans (a role's `text` is not a code span)."""
    markdown = re.sub(r"^(`{3,}|~{3,})(?!\{).*?^\1\s*$", "", markdown, flags=re.M | re.S)
    return re.sub(r"(?<![:}`])(`+)(?!\{)[^`]+?\1(?!`)", "", markdown)


@pytest.mark.parametrize("name", ALL_NOTEBOOKS)
def test_markdown_cells_are_markdown(notebooks, name):
    cells = json.loads(notebooks[name].read_text(encoding="utf-8"))["cells"]
    problems = []
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"])
        for kind, pattern in LEFTOVERS.items():
            scope = _strip_code(text)
            for hit in pattern.finditer(scope):
                problems.append(f"cell {index}: {kind}: {scope[hit.start() : hit.start() + 60]!r}")
    assert problems == []
    assert any(
        re.search(r"\]\(https?://", "".join(c["source"]))
        for c in cells
        if c["cell_type"] == "markdown"
    ), "no Markdown link at all: the references were lost"


# -- EPUB and PDF ------------------------------------------------------------------------------


def _reuse(book: Book) -> list[str]:
    """Options for another builder that reuses the HTML build's doctrees (no page is re-read)."""
    return ["-d", str(book.out / ".doctrees"), "-D", f"calcdocs_base_url={book.base}"]


@pytest.fixture(scope="session")
def epub(book, tmp_path_factory):
    out = tmp_path_factory.mktemp("epub")
    result = subprocess.run(
        [*SPHINX, "-b", "epub", *_reuse(book), str(book.src), str(out / "epub")],
        capture_output=True,
        text=True,
        cwd=book.src.parent,
    )
    log = result.stdout + result.stderr
    return result, log, sorted((out / "epub").glob("*.epub"))


def test_epub_builds_without_warnings(epub):
    result, log, files = epub
    assert result.returncode == 0 and _warnings(log) == [], "\n".join(_warnings(log)[:30])
    assert len(files) == 1


MATHML = "{http://www.w3.org/1998/Math/MathML}math"
XHTML = "{http://www.w3.org/1999/xhtml}"


def test_epub_math_is_mathml_with_no_raw_tex(epub, book):
    _, _, files = epub
    raw_tex = re.compile(r"\\\(|\\\)|\\\[|\\\]|\$\$|\$[^$\s][^$]*\\[A-Za-z]+[^$]*\$")
    problems, n_math = [], 0
    with zipfile.ZipFile(files[0]) as archive:
        opf_name = next(n for n in archive.namelist() if n.endswith(".opf"))
        opf = archive.read(opf_name).decode()
        opf_dir = opf_name.rpartition("/")[0]
        for name in archive.namelist():
            if not name.endswith(".xhtml"):
                continue
            root = ET.fromstring(archive.read(name))  # MathML must be well-formed XHTML
            maths = list(root.iter(MATHML))
            n_math += len(maths)
            for math in maths:
                text = "".join(math.itertext())
                if "\\" in text:  # a command latex2mathml did not know, or an unexpanded macro
                    problems.append(f"{name}: TeX inside MathML: {text[:60]!r}")
                math.clear()
            for tag in ("pre", "code", "script", "style"):
                for element in root.iter(XHTML + tag):
                    element.clear()
            text = "".join(root.itertext())
            for hit in raw_tex.finditer(text):
                problems.append(f"{name}: raw TeX {text[hit.start() : hit.start() + 60]!r}")
            if maths:
                href = re.escape(name.removeprefix(f"{opf_dir}/" if opf_dir else ""))
                item = re.search(rf'<item [^>]*href="{href}"[^>]*>', opf)
                if item is None or 'properties="mathml"' not in item.group(0):
                    problems.append(f"{name}: not declared as MathML in the manifest")
    assert problems == []
    # as many formulas as the HTML build typesets
    n_html = sum(
        len(re.findall(r'class="math notranslate nohighlight"', p.read_text(encoding="utf-8")))
        for p in book.out.rglob("*.html")
        if "_sources" not in p.parts
    )
    assert n_math == n_html > 100


def test_latex_build_is_clean(book, tmp_path):
    """The PDF's LaTeX source builds without warnings (no TeX needed)."""
    result = subprocess.run(
        [*SPHINX, "-b", "latex", *_reuse(book), str(book.src), str(tmp_path / "latex")],
        capture_output=True,
        text=True,
        cwd=book.src.parent,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0 and _warnings(log) == [], "\n".join(_warnings(log)[:30])
    tex = (tmp_path / "latex" / "calcdocs.tex").read_text(encoding="utf-8")
    assert "Run the code yourself" in tex and "Downloads" in tex


@pytest.mark.skipif(
    shutil.which("xelatex") is None or shutil.which("latexmk") is None,
    reason="XeLaTeX/latexmk not installed (Debian: texlive-xetex latexmk, see README)",
)
def test_pdf_builds(book, tmp_path):
    result = subprocess.run(
        [*SPHINX, "-M", "latexpdf", str(book.src), str(tmp_path), *_reuse(book)],
        capture_output=True,
        text=True,
        cwd=book.src.parent,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-3000:]
    pdf = tmp_path / "latex" / "calcdocs.pdf"
    assert pdf.is_file() and pdf.read_bytes()[:4] == b"%PDF"


# -- The converters and addresses, without a build ------------------------------------------------

sys.path.insert(0, str(ROOT / "docs" / "_ext"))
import calcdocs_downloads as dl  # noqa: E402

SITE = "https://example.org/book/"


class _Entry:
    def __init__(self, docname, node_id):
        self.docname, self.node_id = docname, node_id


class _Title:
    def __init__(self, text):
        self.text = text

    def astext(self):
        return self.text


class _Env:
    def __init__(self):
        self.domains = {
            "py": type("D", (), {"objects": {"calcdocs.gradient": _Entry("api/g", "calcdocs.g")}}),
            "std": type(
                "D",
                (),
                {
                    "labels": {"notation": ("front/notation", "notation", "Notation")},
                    "anonlabels": {},
                },
            ),
            "math": type("D", (), {"equations": {"eq-a": ("differential/partials", 3)}}),
        }
        self.titles = {"differential/partials": _Title("Partial derivatives")}
        self.toc_fignumbers = {}

    def get_domain(self, name):
        return self.domains[name]


def _config(**kw):
    from types import SimpleNamespace

    defaults = dict(
        calcdocs_base_url=SITE,
        html_baseurl=HOSTED,
        release=VERSION,
        numfig_format={"figure": "Fig. %s"},
    )
    return SimpleNamespace(**{**defaults, **kw})


def _resolver():
    from types import SimpleNamespace

    app = SimpleNamespace(env=_Env(), config=_config(), srcdir=str(ROOT / "docs"))
    return dl.Resolver(app)


RST_CASES = [
    (
        "func",
        ":func:`calcdocs.gradient` x",
        f"[`calcdocs.gradient()`]({SITE}api/g.html#calcdocs.g) x",
    ),
    ("unknown-short", ":meth:`~matplotlib.axes.Axes.contour`", "`contour()`"),
    (
        "doc",
        ":doc:`/differential/partials`",
        f"[Partial derivatives]({SITE}differential/partials.html)",
    ),
    ("math", ":math:`x^2` and ``a``", "$x^2$ and ``a``"),
    ("link", "`NumPy <https://numpy.org>`_", "[NumPy](https://numpy.org)"),
    ("ref", ":ref:`notation`", f"[Notation]({SITE}front/notation.html#notation)"),
    (
        "seealso",
        ".. seealso::\n\n   :func:`calcdocs.gradient` and more\n",
        f"> **See also**\n>\n> [`calcdocs.gradient()`]({SITE}api/g.html#calcdocs.g) and more",
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in RST_CASES], ids=[c[0] for c in RST_CASES]
)
def test_rst_to_markdown(text, expected):
    assert dl.convert_rst(text, _resolver(), "auto_examples/x").strip() == expected


MYST_CASES = [
    ("eq", "see {eq}`eq-a`", f"see [(3)]({SITE}differential/partials.html#equation-eq-a)"),
    ("math-directive", "```{math}\n:label: eq-a\nx = 1\n```", "$$\nx = 1\n\\tag{3}\n$$"),
    ("glue", "is {glue:text}`k:.2f` now", "is <k|.2f> now"),
    ("target", "(my-label)=\n# Title", "# Title"),
    ("code-span-kept", "`{glue:text}` stays", "`{glue:text}` stays"),
    (
        "admonition",
        "````{admonition} Definition\n:class: important\n\nbody $x$\n````",
        "> **Definition**\n>\n> body $x$",
    ),
    ("solution", "```{solution-start} ex-a\n:class: dropdown\n```", "**Solution.**"),
    ("cite-unknown", "{cite:p}`nokey`", f"([nokey, ]({SITE}references.html))"),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in MYST_CASES], ids=[c[0] for c in MYST_CASES]
)
def test_myst_to_markdown(text, expected):
    def glue(key, fmt):
        return f"<{key}|{fmt}>"

    resolver = _resolver()
    resolver.env.get_domain = lambda name: (
        type("D", (), {"bibdata": None}) if name == "cite" else _Env().domains[name]
    )
    out = dl.convert_myst(text, resolver, "differential/partials", glue, ROOT / "docs", None)
    assert out.strip() == expected


def test_book_macros_expand_in_math_only():
    from runpy import run_path

    conf = run_path(str(ROOT / "docs" / "conf.py"))
    macros = conf["mathjax3_config"]["tex"]["macros"]
    text = r"For $x \in \R^n$, $$\norm{\grad f(x)}\T$$; \R outside math stays."
    out = dl.expand_math_macros(text, macros)
    math = re.findall(r"\$[^$]+\$", out)
    assert len(math) == 2 and not any(LEFTOVERS["book macro"].search(m) for m in math)
    assert r"\mathbb{R}" in out and r"\left\lVert" in out and r"\nabla" in out
    assert out.endswith(r"\R outside math stays.")
    assert conf["html_baseurl"] == HOSTED or "READTHEDOCS_CANONICAL_URL" in os.environ


def test_requirements_are_the_imports():
    code = [
        "import numpy as np\nimport calcdocs as cd\nimport os\n%matplotlib inline",
        "from matplotlib.colors import LogNorm\nimport contourpy\nfrom myst_nb import glue",
    ]
    assert dl.requirements(code) == ["matplotlib", "numpy"]


def test_hosted_addresses_by_default():
    config = _config(calcdocs_base_url="")
    wheel = f"{HOSTED}_downloads/calcdocs-{VERSION}-py3-none-any.whl"
    assert dl.wheel_url(config) == wheel
    assert (
        dl.install_commands(config, "install").splitlines()[-1] == f"python -m pip install {wheel}"
    )
    cells = dl.install_cells(config, ["matplotlib", "numpy"], "chapter")
    assert cells[1].source == f'%pip install "{wheel}" matplotlib numpy'
    with pytest.raises(ValueError, match="`step`"):
        dl.install_commands(config, "nope")
