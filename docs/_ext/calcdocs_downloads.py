"""Downloads that run on a reader's own machine.

Loaded by ``docs/conf.py``. For the HTML build it

- builds the ``calcdocs`` wheel from the same source (``pip wheel`` on the project folder)
  into ``_downloads/calcdocs-<version>-py3-none-any.whl`` and checks that its version is the
  book's (``release``);
- rewrites every gallery notebook (and the zips that hold them): a first cell that installs
  what the notebook needs, ``%pip install <absolute wheel URL> numpy matplotlib``, and
  Markdown cells in Markdown (sphinx-gallery leaves reST roles and directives in them);
- writes every chapter (a MyST page with code cells) as a notebook, read by jupytext, into
  ``_sources/<page>.ipynb``, with the same install cell, a stand-in for ``myst_nb.glue``, the
  glued numbers pasted into the text, and MyST roles and directives turned into Markdown;
  the theme's download button offers it;
- adds a line "Run this ... yourself" at the top of every chapter and gallery example, linking
  the notebook and the page :ref:`run-the-code`;
- fills the directives ``calcdocs-install`` (the reader's commands), ``calcdocs-versions`` and
  ``calcdocs-downloads`` (every download with its size, measured at build time).

For the EPUB build it turns every formula into MathML (latex2mathml), with the book's MathJax
macros expanded, so that no raw TeX reaches the e-book.

The absolute address of the site is the config value ``calcdocs_base_url`` (default:
``html_baseurl``); the tests override it (``-D calcdocs_base_url=http://127.0.0.1:PORT/``)
to install from a local server.
"""

from __future__ import annotations

import ast
import hashlib
import json
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import Directive, directives
from sphinx.util import logging

logger = logging.getLogger(__name__)

HTML_BUILDERS = {"html", "dirhtml"}
RUN_PAGE = "front/run-the-code"
DOWNLOADS_PAGE = "downloads"
WHEEL_DIR = "_downloads"
# where the theme's download button looks for `<page>.ipynb`
NOTEBOOK_DIR = "_sources"
# import name -> name on the package index, where they differ
PIP_NAMES = {
    "PIL": "pillow",
    "sklearn": "scikit-learn",
    "mpl_toolkits": "matplotlib",
}
# installed with matplotlib, never named on their own
IMPLIED = {"contourpy", "cycler", "kiwisolver", "pyparsing", "dateutil", "IPython"}


# -- Addresses -------------------------------------------------------------------------------


def base_url(config) -> str:
    """The absolute address of the site, ending in ``/``."""
    url = config.calcdocs_base_url or config.html_baseurl
    if not url:
        return ""
    return url if url.endswith("/") else url + "/"


def wheel_name(version: str) -> str:
    return f"calcdocs-{version}-py3-none-any.whl"


def wheel_url(config) -> str:
    return f"{base_url(config)}{WHEEL_DIR}/{wheel_name(config.release)}"


def page_url(config, docname: str, anchor: str = "") -> str:
    return f"{base_url(config)}{docname}.html" + (f"#{anchor}" if anchor else "")


# -- The wheel -------------------------------------------------------------------------------


def build_wheel(app) -> None:
    """Build the calcdocs wheel from the project folder into ``_downloads/``."""
    if app.builder.name not in HTML_BUILDERS:
        return
    project = Path(app.confdir).parent
    app.env.calcdocs_wheel = None
    if not (project / "pyproject.toml").is_file():
        logger.info("calcdocs_downloads: no pyproject.toml next to docs/: wheel not built")
        return
    out = Path(app.outdir) / WHEEL_DIR
    out.mkdir(parents=True, exist_ok=True)
    expected = out / wheel_name(app.config.release)
    # the wheel of the last build, if its sources are unchanged (pip takes 2-3 s to build it)
    stamp = Path(app.doctreedir) / "calcdocs-wheel.sha256"
    digest = _wheel_sources_digest(project)
    if expected.is_file() and stamp.is_file() and stamp.read_text() == digest:
        app.env.calcdocs_wheel = str(expected)
        return
    stamp.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        # build from a copy, so that the source tree gets no build/ or .egg-info folders
        work = Path(tmp) / "project"
        work.mkdir()
        for name in WHEEL_FILES:
            if (project / name).is_file():
                shutil.copy2(project / name, work / name)
        shutil.copytree(project / "src", work / "src", ignore=WHEEL_IGNORE)
        cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
        result = subprocess.run(
            [*cmd, "--quiet", "--wheel-dir", str(Path(tmp) / "dist"), str(work)],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            logger.warning("calcdocs_downloads: building the wheel failed:\n%s", result.stderr)
            return
        built = sorted((Path(tmp) / "dist").glob("calcdocs-*.whl"))
        version = wheel_version(built[0])
        if version != app.config.release:
            logger.warning(
                "calcdocs_downloads: the wheel's version %s is not the book's version %s "
                "(pyproject.toml and the installed calcdocs disagree: reinstall it)",
                version,
                app.config.release,
            )
            return
        for old in out.glob("calcdocs-*.whl"):
            old.unlink()
        shutil.copy2(built[0], expected)
    app.env.calcdocs_wheel = str(expected)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest)
    logger.info("calcdocs_downloads: built %s", expected.name)


WHEEL_FILES = ("pyproject.toml", "README.md", "LICENSE")
WHEEL_IGNORE = shutil.ignore_patterns("__pycache__", "*.egg-info")


def _wheel_sources_digest(project: Path) -> str:
    """SHA-256 over the names and contents of the files the wheel is built from."""
    files = [project / name for name in WHEEL_FILES if (project / name).is_file()]
    files += sorted(
        path
        for path in (project / "src").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and ".egg-info" not in str(path)
    )
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(project).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def wheel_version(path) -> str:
    """The version in a wheel's METADATA."""
    with zipfile.ZipFile(path) as wheel:
        meta = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
        text = wheel.read(meta).decode("utf-8")
    return re.search(r"^Version: (.+)$", text, re.MULTILINE).group(1).strip()


# -- rST and MyST to Markdown ------------------------------------------------------------------


class Resolver:
    """Turns cross-reference targets into absolute links on the site, from the environment."""

    def __init__(self, app):
        self.app = app
        self.env = app.env
        self.config = app.config

    def py(self, role: str, target: str) -> str:
        short = target.startswith("~")
        target = target.lstrip("~.")
        shown = target.rsplit(".", 1)[-1] if short else target
        if role in {"func", "meth"}:
            shown += "()"
        code = f"`{shown}`"
        objects = self.env.get_domain("py").objects
        entry = objects.get(target)
        if entry is None:
            return code
        return f"[{code}]({page_url(self.config, entry.docname, entry.node_id)})"

    def doc(self, target: str, current: str, text: str | None = None) -> str:
        docname = posixpath.normpath(
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.join(posixpath.dirname(current), target)
        )
        if text is None:
            title = self.env.titles.get(docname)
            text = title.astext() if title is not None else docname
        return f"[{text}]({page_url(self.config, docname)})"

    def ref(self, label: str, text: str | None = None) -> str:
        std = self.env.get_domain("std")
        if label in std.labels:
            docname, labelid, section = std.labels[label]
            return f"[{text or section}]({page_url(self.config, docname, labelid)})"
        if label in std.anonlabels:
            docname, labelid = std.anonlabels[label]
            return f"[{text or label}]({page_url(self.config, docname, labelid)})"
        return text or label

    def numref(self, label: str, text: str | None = None) -> str:
        std = self.env.get_domain("std")
        if label not in std.anonlabels:
            return text or label
        docname, labelid = std.anonlabels[label]
        number = None
        for kind in ("figure", "table", "code-block"):
            found = self.env.toc_fignumbers.get(docname, {}).get(kind, {}).get(labelid)
            if found:
                number = ".".join(map(str, found))
                fmt = text or self.config.numfig_format.get(kind, "%s")
                break
        shown = (fmt % number) if number else (text or label)
        shown = shown.replace("{number}", number or "")
        return f"[{shown}]({page_url(self.config, docname, labelid)})"

    def eq(self, label: str) -> str:
        number = self.env.get_domain("math").equations.get(label)
        if number is None:
            return label
        docname, eqno = number
        return f"[({eqno})]({page_url(self.config, docname, 'equation-' + label)})"

    def eqno(self, label: str) -> int | None:
        found = self.env.get_domain("math").equations.get(label)
        return found[1] if found else None

    def cite(self, keys: str, textual: bool) -> str:
        refs = page_url(self.config, "references")
        shown = []
        for key in (k.strip() for k in keys.split(",")):
            who, year = self._author_year(key)
            shown.append(f"{who} ({year})" if textual else f"{who}, {year}")
        text = "; ".join(shown)
        return f"[{text}]({refs})" if textual else f"([{text}]({refs}))"

    def _author_year(self, key: str) -> tuple[str, str]:
        try:
            entries = self.env.get_domain("cite").bibdata.data.entries
            entry = entries[key]
        except (KeyError, AttributeError):
            return key, ""
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        last = [" ".join(p.last_names) for p in people]
        if not last:
            who = entry.fields.get("organization", key)
        elif len(last) == 1:
            who = last[0]
        elif len(last) == 2:
            who = f"{last[0]} and {last[1]}"
        else:
            who = f"{last[0]} et al."
        who = re.sub(r"[{}]", "", who)
        return who, entry.fields.get("year", "")


# a role (``{name}`text``` in MyST, ``:name:`text``` in reST) or an inline code span
_MYST_ROLE = re.compile(r"\{(?P<name>[\w:+-]+)\}`(?P<text>[^`]*)`|(?P<code>`+)(?:.+?)(?P=code)")
_RST_ROLE = re.compile(
    r":(?P<name>[\w:+-]+):`(?P<text>[^`]*)`|(?P<code>``)(?:.+?)``|`(?P<ltext>[^`<]+?)\s*<(?P<url>[^>]+)>`__?"
)
_EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.DOTALL)


def _split_explicit(text: str) -> tuple[str | None, str]:
    match = _EXPLICIT.match(text)
    return (match["text"], match["target"]) if match else (None, text)


def convert_role(resolver: Resolver, name: str, text: str, docname: str, glue) -> str:
    """One role as Markdown."""
    name = name.removeprefix("py:")
    if name == "math":
        return f"${text}$"
    if name in {"glue:text", "glue", "glue:"}:
        key, _, fmt = text.partition(":")
        return glue(key, fmt)
    if name in {"func", "meth", "class", "mod", "attr", "data", "obj", "exc"}:
        title, target = _split_explicit(text)
        shown = resolver.py(name, target)
        return shown if title is None else re.sub(r"^\[`[^`]*`\]", f"[{title}]", shown)
    if name == "doc":
        title, target = _split_explicit(text)
        return resolver.doc(target, docname, title)
    if name == "ref":
        title, target = _split_explicit(text)
        return resolver.ref(target, title)
    if name == "numref":
        title, target = _split_explicit(text)
        return resolver.numref(target, title)
    if name == "eq":
        return resolver.eq(text)
    if name in {"cite:p", "cite:ps", "cite"}:
        return resolver.cite(text, textual=False)
    if name in {"cite:t", "cite:ts"}:
        return resolver.cite(text, textual=True)
    if name in {"fa", "index"}:
        return ""
    if name in {"sup"}:
        return f"<sup>{text}</sup>"
    if name in {"sub"}:
        return f"<sub>{text}</sub>"
    if name in {"kbd", "file", "samp", "command", "program", "code", "abbr"}:
        return f"`{text}`"
    if name in {"term", "dfn", "guilabel", "menuselection"}:
        return f"*{_split_explicit(text)[0] or text}*"
    return f"`{text}`"


def convert_inline(text: str, resolver: Resolver, docname: str, glue, *, rst: bool) -> str:
    """Convert the roles of one block of text; code spans stay as they are."""

    def replace(match):
        if match["code"]:
            return match.group(0)
        if rst and match["url"]:
            return f"[{match['ltext']}]({match['url']})"
        return convert_role(resolver, match["name"], match["text"], docname, glue)

    return (_RST_ROLE if rst else _MYST_ROLE).sub(replace, text)


ADMONITIONS = {
    "note": "Note",
    "seealso": "See also",
    "tip": "Tip",
    "hint": "Hint",
    "important": "Important",
    "warning": "Warning",
    "caution": "Caution",
    "attention": "Attention",
    "danger": "Danger",
    "error": "Error",
    "todo": "To do",
}


def _quote(title: str, body: str) -> str:
    title = title.strip()
    lines = [f"> **{title}**", ">"] if title else []
    lines += [f"> {line}".rstrip() for line in body.strip("\n").splitlines()]
    return "\n".join(lines)


def _display_math(body: str, tag: int | None = None) -> str:
    body = body.strip("\n")
    if r"\\" in body and r"\begin" not in body:
        body = f"\\begin{{aligned}}\n{body}\n\\end{{aligned}}"
    if tag is not None:
        body += f"\n\\tag{{{tag}}}"
    return f"$$\n{body}\n$$"


def _directive_md(name, argument, options, body, resolver, docname, convert, src_dir, app):
    """One directive as Markdown; ``convert`` converts a nested body."""
    label = options.get("label") or options.get("name")
    if name == "math":
        return _display_math(body, resolver.eqno(label) if label else None)
    if name in ADMONITIONS or name == "admonition":
        title = argument if name == "admonition" else ADMONITIONS[name]
        return _quote(convert(title) if title else "", convert(body))
    if name == "exercise":
        title = f"**Exercise{': ' + convert(argument) if argument else ''}.**"
        return f"{title}\n\n{convert(body)}"
    if name in {"solution", "solution-start"}:
        return f"**Solution.**\n\n{convert(body)}" if body.strip() else "**Solution.**"
    if name in {"solution-end", "exercise-end", "exercise-start", "only", "raw"}:
        return convert(body) if name == "exercise-start" else ""
    if name in {"code-block", "code", "sourcecode", "highlight", "code-cell"}:
        return f"```{argument or ''}\n{body.strip(chr(10))}\n```"
    if name == "literalinclude":
        from sphinx.directives.code import LiteralIncludeReader

        path = (src_dir / docname).parent / argument
        reader_opts = {k: v for k, v in options.items() if k not in {"caption", "language", "name"}}
        for key in ("lines", "emphasize-lines"):
            reader_opts.pop(key, None) if key == "emphasize-lines" else None
        try:
            code, _ = LiteralIncludeReader(str(path), reader_opts, app.config).read()
        except Exception as exc:
            logger.warning("calcdocs_downloads: %s: literalinclude %s: %s", docname, argument, exc)
            code = ""
        caption = f"*{convert(options['caption'])}*\n\n" if options.get("caption") else ""
        return f"{caption}```{options.get('language', 'python')}\n{code.rstrip()}\n```"
    if name in {"figure", "image"}:
        alt = options.get("alt", "")
        return f"![{alt}]({argument})\n\n{convert(body)}".strip()
    if name in {"toctree", "bibliography", "contents", "glossary", "eval-rst", "tab-set"}:
        return convert(body) if name == "tab-set" else ""
    # anything else: its body, as a quote under its name
    return _quote(argument or name.replace("-", " ").capitalize(), convert(body))


_FENCE_OPEN = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|:{3,})\{(?P<name>[\w:-]+)\}(?P<arg>.*)$")


def convert_myst(text: str, resolver, docname, glue, src_dir, app) -> str:
    """One Markdown cell of a MyST notebook as Jupyter Markdown."""
    lines = text.splitlines()
    out: list[str] = []
    i = 0

    def convert(chunk):
        return convert_myst(chunk, resolver, docname, glue, src_dir, app)

    while i < len(lines):
        line = lines[i]
        opened = _FENCE_OPEN.match(line)
        plain_fence = re.match(r"^ *(`{3,}|~{3,})", line)
        if opened:
            fence = opened["fence"]
            j = i + 1
            while j < len(lines) and lines[j].strip() != fence:
                j += 1
            block = lines[i + 1 : j]
            options = {}
            k = 0
            if block and block[0].strip() == "---":  # YAML options block
                end = block.index("---", 1) if "---" in block[1:] else 0
                for opt in block[1:end]:
                    key, _, value = opt.partition(":")
                    options[key.strip()] = value.strip().strip('"')
                k = end + 1
            while k < len(block) and re.match(r"^\s*:[\w-]+:", block[k]):
                key, _, value = block[k].strip()[1:].partition(":")
                options[key.strip()] = value.strip().strip('"')
                k += 1
            body = "\n".join(block[k:])
            out.append(
                _directive_md(
                    opened["name"],
                    opened["arg"].strip(),
                    options,
                    body,
                    resolver,
                    docname,
                    convert,
                    src_dir,
                    app,
                )
            )
            i = j + 1
            continue
        if plain_fence:  # a plain code block: copied as it is
            fence = plain_fence.group(1)
            j = i + 1
            while j < len(lines) and not lines[j].strip().startswith(fence):
                j += 1
            out.extend(lines[i : j + 1])
            i = j + 1
            continue
        if re.match(r"^\(\s*[\w:.-]+\s*\)=\s*$", line) or re.match(r"^%", line):
            i += 1  # a MyST target or comment
            continue
        if line.strip() == "$$" or (line.startswith("$$") and not line.rstrip().endswith("$$")):
            # dollar display math, possibly with a label after the closing $$
            j = i + 1
            while j < len(lines) and not lines[j].strip().startswith("$$"):
                j += 1
            first = line.strip()[2:]
            inner = "\n".join([first] if first else []) + "\n" + "\n".join(lines[i + 1 : j])
            closing = lines[j].strip() if j < len(lines) else "$$"
            m = re.match(r"^\$\$\s*\((?P<label>[\w:.-]+)\)\s*$", closing)
            out.append(_display_math(inner, resolver.eqno(m["label"]) if m else None))
            i = j + 1
            continue
        out.append(convert_inline(line, resolver, docname, glue, rst=False))
        i += 1
    return "\n".join(out)


_RST_DIRECTIVE = re.compile(r"^(?P<indent> *)\.\. (?P<name>[\w:-]+)::(?P<arg>.*)$")


def convert_rst(text: str, resolver, docname) -> str:
    """One Markdown cell of a sphinx-gallery notebook, where reST was left, as Markdown."""
    lines = text.splitlines()
    out: list[str] = []
    i = 0

    def convert(chunk):
        return convert_rst(chunk, resolver, docname)

    def no_glue(key, fmt):
        return f"`{key}`"

    while i < len(lines):
        match = _RST_DIRECTIVE.match(lines[i])
        if match:
            indent = len(match["indent"])
            j = i + 1
            block = []
            while j < len(lines) and (
                not lines[j].strip() or len(lines[j]) - len(lines[j].lstrip()) > indent
            ):
                block.append(lines[j])
                j += 1
            options = {}
            body_lines = []
            for line in block:
                opt = re.match(r"^\s*:([\w-]+):\s*(.*)$", line)
                if opt and not body_lines:
                    options[opt[1]] = opt[2]
                else:
                    body_lines.append(line)
            body = _dedent("\n".join(body_lines))
            out.append(
                _directive_md(
                    match["name"],
                    match["arg"].strip(),
                    options,
                    body,
                    resolver,
                    docname,
                    convert,
                    Path(resolver.app.srcdir),
                    resolver.app,
                )
            )
            out.append("")
            i = j
            continue
        if re.match(r"^\.\. _[\w.-]+:\s*$", lines[i]):
            i += 1  # a reST target
            continue
        out.append(convert_inline(lines[i], resolver, docname, no_glue, rst=True))
        i += 1
    return "\n".join(out).strip("\n") + "\n"


def _dedent(text: str) -> str:
    import textwrap

    return textwrap.dedent(text).strip("\n")


# -- Notebooks -------------------------------------------------------------------------------

INSTALL_TAG = "calcdocs-install"


def requirements(code_cells: list[str]) -> list[str]:
    """The packages, besides calcdocs, that the code imports (by their pip names)."""
    found: set[str] = set()
    for source in code_cells:
        text = "\n".join(
            line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))
        )
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top in IMPLIED or top == "calcdocs":
                    continue
                found.add(PIP_NAMES.get(top, top))
    found.discard("myst_nb")
    return sorted(found)


def install_cells(config, packages: list[str], what: str) -> list:
    import nbformat

    run_page = page_url(config, RUN_PAGE)
    wheel = wheel_url(config)
    intro = nbformat.v4.new_markdown_cell(
        f"**Run this {what} yourself.** The next cell installs what it needs: the book's "
        f"library `calcdocs` {config.release} (the wheel from the book's website)"
        + (f" and {', '.join(f'`{p}`' for p in packages)}" if packages else "")
        + ". Run it once in a fresh environment; "
        f"[Run the code yourself]({run_page}) has the details."
    )
    code = nbformat.v4.new_code_cell(" ".join(["%pip install", f'"{wheel}"', *packages]))
    for cell in (intro, code):
        cell.metadata["tags"] = [INSTALL_TAG]
        cell.pop("id", None)
    return [intro, code]


def _finish_notebook(nb):
    import nbformat

    nb.metadata.setdefault(
        "kernelspec", {"name": "python3", "display_name": "Python 3", "language": "python"}
    )
    nb.metadata["calcdocs"] = {"processed": True}
    for cell in nb.cells:
        cell.pop("id", None)
    nb.nbformat, nb.nbformat_minor = 4, 5
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index}"
    nbformat.validate(nb)
    return nb


def gallery_notebooks(app) -> None:
    """Rewrite sphinx-gallery's notebooks (and the zips holding them) for readers."""
    import nbformat

    resolver = Resolver(app)
    srcdir = Path(app.srcdir)
    app.env.calcdocs_gallery_zips = []
    for gallery in app.config.sphinx_gallery_conf["gallery_dirs"]:
        root = srcdir / gallery
        processed: dict[str, bytes] = {}
        for path in sorted(root.rglob("*.ipynb")):
            original = path.with_name(path.name + ".orig")
            current = nbformat.read(path, as_version=4)
            if not current.metadata.get("calcdocs", {}).get("processed"):
                shutil.copy2(path, original)  # fresh from sphinx-gallery
            nb = nbformat.read(original, as_version=4)
            docname = path.relative_to(srcdir).with_suffix("").as_posix()
            code = [c.source for c in nb.cells if c.cell_type == "code"]
            cells = []
            macros = app.config.mathjax3_config.get("tex", {}).get("macros", {})
            for cell in nb.cells:
                if cell.cell_type == "markdown":
                    cell.source = convert_rst(cell.source, resolver, docname)
                    cell.source = expand_math_macros(cell.source, macros)
                if cell.cell_type == "code" and cell.source.strip() == "%matplotlib inline":
                    continue
                cells.append(cell)
            nb.cells = install_cells(app.config, requirements(code), "example") + cells
            text = nbformat.writes(_finish_notebook(nb)) + "\n"
            if path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
                # the example's page depends on this file: keep sphinx-gallery's time, or
                # the next build would read that page again though nothing changed
                shutil.copystat(original, path)
            processed[path.name] = text.encode("utf-8")
        for archive in sorted(root.rglob("*.zip"), key=lambda p: (p.parent != root, p)):
            _refresh_zip(archive, processed)
            app.env.calcdocs_gallery_zips.append(archive.relative_to(srcdir).as_posix())


def _refresh_zip(archive: Path, notebooks: dict[str, bytes]) -> None:
    with zipfile.ZipFile(archive) as old:
        members = [(info, old.read(info)) for info in old.infolist()]
    changed = False
    fresh = []
    for info, data in members:
        new = (
            notebooks.get(Path(info.filename).name, data)
            if info.filename.endswith(".ipynb")
            else data
        )
        changed |= new != data
        fresh.append((info, new))
    if not changed:
        return
    tmp = archive.with_suffix(".zip.tmp")
    # each member as sphinx-gallery wrote it (its time, attributes and compression): the
    # next build's sphinx-gallery, zipping the rewritten notebooks, then writes the same bytes
    # and keeps the file (it replaces a zip whose MD5 changed), so the page is not read again
    with zipfile.ZipFile(tmp, "w") as new_zip:
        for info, data in fresh:
            new_zip.writestr(info, data)
    shutil.copystat(archive, tmp)  # sphinx-gallery's time, as for the notebooks
    tmp.replace(archive)


def book_order(env) -> list[str]:
    """Every page in the order of the book (depth first through the toctrees)."""
    order, seen = [], set()

    def visit(docname):
        if docname in seen:
            return
        seen.add(docname)
        order.append(docname)
        for child in env.toctree_includes.get(docname, []):
            visit(child)

    visit(env.config.root_doc)
    return order + sorted(set(env.found_docs) - seen)


def chapter_docnames(app) -> list[str]:
    """Every MyST page with code cells: the chapters offered as notebooks, in book order."""
    found = []
    for docname in book_order(app.env):
        path = Path(app.env.doc2path(docname))
        if path.suffix == ".md" and re.search(
            r"^```+\{code-cell\}", path.read_text(encoding="utf-8"), re.MULTILINE
        ):
            found.append(docname)
    return found


def _glue_values(app, docname: str) -> dict:
    """The values a page glued (``text/plain``), as myst-nb saved them at execution."""
    path = Path(app.outdir).parent / "jupyter_execute" / f"{docname}.glue.json"
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {key: output.get("data", {}).get("text/plain", "") for key, output in data.items()}


# The slider figures of the web pages (docs/_ext/calcdocs_interactive.py) are drawn by the
# site's JavaScript; a notebook gets the same class, computing the same numbers, shown as text.
_SLIDERS_IMPORT = re.compile(r"^from calcdocs_interactive import [\w, ]+\s*$")


_SLIDERS = "calcdocs_interactive.py"


def _sliders_shim() -> str:
    source = (Path(__file__).parent / _SLIDERS).read_text(encoding="utf-8")
    figures = source.split("# -- Animations", 1)[0]
    figures = figures.split("from __future__ import annotations", 1)[1]
    figures = re.sub(r"^HERE = .*\n", "", figures, flags=re.M)  # the docs folder: not needed
    return (
        "# The book's slider figures (docs/_ext/calcdocs_interactive.py). Their sliders move in\n"
        "# the web version of this page; here each figure is described in text.\n"
        + figures.strip()
        + "\n\n\nSliderFigure._repr_html_ = None  # no site JavaScript in a notebook\n"
    )


GLUE_SHIM = """\
# The book's build pastes the numbers `glue` records into its text (myst_nb.glue);
# in this notebook `glue` only shows a value when asked to.
from IPython.display import display as _display


def glue(name, value, display=True):
    if display:
        _display(value)"""


def chapter_notebook(app, docname: str):
    """The chapter as a notebook for readers."""
    import jupytext
    import nbformat
    from myst_nb.core.variables import format_plain_text

    srcdir = Path(app.srcdir)
    nb = jupytext.read(app.env.doc2path(docname), fmt="md:myst")
    resolver = Resolver(app)
    values = _glue_values(app, docname)

    def glue(key, fmt):
        if key not in values:
            logger.warning("calcdocs_downloads: %s: no glued value %r", docname, key)
            return f"`{key}`"
        try:
            return format_plain_text(values[key], fmt)
        except (ValueError, TypeError):
            return values[key]

    macros = app.config.mathjax3_config.get("tex", {}).get("macros", {})
    cells = []
    uses_glue = uses_sliders = False
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = convert_myst(cell.source, resolver, docname, glue, srcdir, app)
            cell.source = expand_math_macros(cell.source, macros)
            if not cell.source.strip():
                continue
        elif cell.cell_type == "code":
            lines = cell.source.splitlines()
            kept = [line for line in lines if not re.match(r"^from myst_nb import glue\s*$", line)]
            uses_glue |= len(kept) != len(lines)
            sliders = [line for line in kept if not _SLIDERS_IMPORT.match(line)]
            uses_sliders |= len(sliders) != len(kept)
            cell.source = "\n".join(sliders)
            cell.outputs, cell.execution_count = [], None
        cells.append(cell)
    code = [c.source for c in cells if c.cell_type == "code"]
    head = install_cells(app.config, requirements(code), "chapter")
    if uses_glue:
        head.append(nbformat.v4.new_code_cell(GLUE_SHIM))
    if uses_sliders:
        head.append(nbformat.v4.new_code_cell(_sliders_shim()))
    nb.cells = head + cells
    nb.metadata.pop("jupytext", None)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return _finish_notebook(nb)


def write_notebooks(app, env) -> list[str]:
    """env-get-updated: rewrite the gallery's notebooks and write the chapters' that changed.

    It runs after Sphinx has numbered the figures (its own env-get-updated handler, priority
    500): on env-updated, a clean build has no numbers yet, and every ``{numref}`` of a
    chapter's notebook showed its bare label ("fig-bp-graph") instead of "Fig. 9".

    A chapter's notebook is written again when anything it is made from changed (its digest:
    the page, the files it includes, its glued values, and the targets, numbers and titles
    its links name); the pages that list the downloads are written again when a size or a
    version they show changed. A rebuild with no change writes neither.
    """
    if app.builder.name not in HTML_BUILDERS:
        return []
    import nbformat

    gallery_notebooks(app)
    env.calcdocs_chapters = chapter_docnames(app)
    world = _references_digest(app)
    old = getattr(env, "calcdocs_notebook_digests", {})
    env.calcdocs_notebook_digests = {}
    for docname in env.calcdocs_chapters:
        out = Path(app.outdir) / NOTEBOOK_DIR / f"{docname}.ipynb"
        digest = _digest(world, _chapter_inputs(app, docname))
        if old.get(docname) != digest or not out.is_file():
            out.parent.mkdir(parents=True, exist_ok=True)
            notebook = nbformat.writes(chapter_notebook(app, docname)) + "\n"
            out.write_text(notebook, encoding="utf-8")
        env.calcdocs_notebook_digests[docname] = digest
    pages = [d for d in (RUN_PAGE, DOWNLOADS_PAGE) if d in env.found_docs]
    listing = _listing_digest(app)
    written = all((Path(app.outdir) / app.builder.get_target_uri(d)).is_file() for d in pages)
    if getattr(env, "calcdocs_listing_digest", None) == listing and written:
        return []
    env.calcdocs_listing_digest = listing
    return pages


def _digest(*parts) -> str:
    text = json.dumps(parts, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _references_digest(app) -> str:
    """Everything a chapter notebook takes from the rest of the book (see Resolver)."""
    env = app.env
    std = env.get_domain("std")
    here = Path(__file__).parent
    return _digest(
        {name: [e.docname, e.node_id] for name, e in env.get_domain("py").objects.items()},
        {docname: title.astext() for docname, title in env.titles.items()},
        {label: list(target) for label, target in std.labels.items()},
        {label: list(target) for label, target in std.anonlabels.items()},
        env.toc_fignumbers,
        {label: list(where) for label, where in env.get_domain("math").equations.items()},
        [Path(app.srcdir, f).read_text(encoding="utf-8") for f in app.config.bibtex_bibfiles],
        [(here / name).read_text(encoding="utf-8") for name in (Path(__file__).name, _SLIDERS)],
        [base_url(app.config), app.config.release, app.config.numfig_format],
        app.config.mathjax3_config,
    )


def _chapter_inputs(app, docname: str) -> list[str]:
    """The page's source, the files it includes, and the values it glued."""
    srcdir = Path(app.srcdir)
    files = [Path(app.env.doc2path(docname))]
    files += [srcdir / dep for dep in sorted(map(str, app.env.dependencies.get(docname, ())))]
    files.append(Path(app.outdir).parent / "jupyter_execute" / f"{docname}.glue.json")
    return [hashlib.sha256(f.read_bytes()).hexdigest() if f.is_file() else "" for f in files]


def _listing_digest(app) -> str:
    """What the downloads pages show: the names and sizes of the files, and the versions."""
    env = app.env
    outdir = Path(app.outdir)
    files = [getattr(env, "calcdocs_wheel", None) or ""]
    files += [outdir / NOTEBOOK_DIR / f"{d}.ipynb" for d in env.calcdocs_chapters]
    files += [Path(app.srcdir) / z for z in getattr(env, "calcdocs_gallery_zips", [])]
    files += sorted((outdir.parent / "epub").glob("*.epub"))
    files += sorted((outdir.parent / "latex").glob("*.pdf"))
    sizes = [[str(f), Path(f).stat().st_size if Path(f).is_file() else None] for f in files]
    titles = {docname: title.astext() for docname, title in env.titles.items()}
    return _digest(sizes, titles, app.config.release, app.config.html_baseurl)


# -- Directives and page additions ---------------------------------------------------------------


class placeholder(nodes.General, nodes.Element):
    """Filled at write time, when the files it describes exist."""


class PlaceholderDirective(Directive):
    has_content = False
    kind = ""

    def run(self):
        return [placeholder(kind=self.kind)]


class InstallDirective(PlaceholderDirective):
    kind = "install"
    option_spec: ClassVar[dict] = {"step": directives.unchanged}

    def run(self):
        return [placeholder(kind="install", step=self.options.get("step", "install"))]


class VersionsDirective(PlaceholderDirective):
    kind = "versions"


class DownloadsDirective(PlaceholderDirective):
    kind = "downloads"


class ChaptersDirective(PlaceholderDirective):
    kind = "chapters"


def _size(path) -> str:
    size = Path(path).stat().st_size
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000
    return ""


def _link(text: str, uri: str, *, code: bool = False) -> nodes.reference:
    ref = nodes.reference("", "", refuri=uri, internal=False)
    ref += nodes.literal(text, text) if code else nodes.Text(text)
    return ref


def install_commands(config, step: str) -> str:
    wheel = wheel_url(config)
    if step == "install":
        return "\n".join(
            [
                "python3 -m venv calcdocs-env",
                "source calcdocs-env/bin/activate",
                f"python -m pip install {wheel}",
            ]
        )
    if step == "jupyter":
        return "python -m pip install jupyterlab"
    if step == "clone":
        return "\n".join(
            [
                "git clone https://github.com/calcdocs/calcdocs.git",
                "cd calcdocs",
                "python3 -m venv .venv",
                "source .venv/bin/activate",
                "python -m pip install -e .",
            ]
        )
    raise ValueError(f"`step` must be install, jupyter or clone; got {step!r}.")


def _relative(app, docname: str, target: str) -> str:
    from sphinx.util.osutil import relative_uri

    return relative_uri(app.builder.get_target_uri(docname), target)


def _row(cells) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        entry += nodes.paragraph("", "", cell)
        row += entry
    return row


def _table(header, rows, widths) -> nodes.table:
    table = nodes.table(classes=["calcdocs-downloads"])
    group = nodes.tgroup(cols=len(header))
    table += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    head += _row([nodes.Text(h) for h in header])
    group += head
    body = nodes.tbody()
    for row in rows:
        body += _row(row)
    group += body
    return table


def download_rows(app, docname: str) -> list:
    """Every download: (what, link, size)."""
    env = app.env
    outdir = Path(app.outdir)
    rows = []
    html = app.builder.name in HTML_BUILDERS
    wheel = getattr(env, "calcdocs_wheel", None)
    name = wheel_name(app.config.release)
    if html and wheel and Path(wheel).is_file():
        rows.append(
            (
                nodes.Text("the calcdocs library (wheel)"),
                _link(name, _relative(app, docname, f"{WHEEL_DIR}/{name}"), code=True),
                nodes.Text(_size(wheel)),
            )
        )
    for docname_ in getattr(env, "calcdocs_chapters", []):
        path = outdir / NOTEBOOK_DIR / f"{docname_}.ipynb"
        if not path.is_file():
            continue
        title = env.titles[docname_].astext()
        rows.append(
            (
                nodes.Text(f"chapter notebook: {title}"),
                _link(
                    f"{docname_.rsplit('/', 1)[-1]}.ipynb",
                    _relative(app, docname, f"{NOTEBOOK_DIR}/{docname_}.ipynb"),
                    code=True,
                ),
                nodes.Text(_size(path)),
            )
        )
    dlfiles = {Path(k).as_posix(): v[1] for k, v in env.dlfiles.items()}
    for zip_doc in getattr(env, "calcdocs_gallery_zips", []):
        src = Path(app.srcdir) / zip_doc
        dest = dlfiles.get(zip_doc)
        if dest is None or not src.is_file():
            continue
        if zip_doc.endswith(("_jupyter.zip", "_python.zip")):
            kind = "notebooks" if zip_doc.endswith("_jupyter.zip") else "Python scripts"
            what = f"the whole gallery as {kind} (zip)"
        else:
            title = env.titles.get(zip_doc.removesuffix(".zip"))
            what = f"example: {title.astext() if title else src.stem} (.py and .ipynb, zip)"
        rows.append(
            (
                nodes.Text(what),
                _link(src.name, _relative(app, docname, f"_downloads/{dest}"), code=True),
                nodes.Text(_size(src)),
            )
        )
    rows.extend(_book_rows(app, docname))
    return rows


def _book_rows(app, docname: str) -> list:
    """The book as EPUB and PDF: built here (``sphinx -M`` layout) or by Read the Docs."""
    outdir = Path(app.outdir)
    local = {
        "EPUB": sorted((outdir.parent / "epub").glob("*.epub")),
        "PDF": sorted((outdir.parent / "latex").glob("*.pdf")),
    }
    # the hosted site (html_baseurl), even when calcdocs_base_url points elsewhere (tests)
    hosted = app.config.html_baseurl.rstrip("/") + "/"
    match = re.match(r"^(https?://[^/]+)/([^/]+)/([^/]+)/$", hosted)
    rows = []
    for kind, found in local.items():
        what = nodes.Text(f"the whole book as {'an e-book' if kind == 'EPUB' else 'a'} {kind}")
        if found:
            dest = outdir / WHEEL_DIR / found[0].name
            shutil.copy2(found[0], dest)
            link = _link(
                found[0].name, _relative(app, docname, f"{WHEEL_DIR}/{found[0].name}"), code=True
            )
            rows.append((what, link, nodes.Text(_size(dest))))
        elif match:  # Read the Docs builds both formats next to the site
            host, lang, version = match.groups()
            url = f"{host}/_/downloads/{lang}/{version}/{kind.lower()}/"
            rows.append(
                (what, _link(f"{kind} on Read the Docs", url), nodes.Text("built by Read the Docs"))
            )
    return rows


def fill_placeholders(app, doctree, docname) -> None:
    """doctree-resolved: the install commands, versions and the downloads table."""
    for node in list(doctree.findall(placeholder)):
        kind = node["kind"]
        html = app.builder.name in HTML_BUILDERS
        if kind == "install":
            text = install_commands(app.config, node["step"])
            block = nodes.literal_block(
                text, text, language="bash", classes=[f"calcdocs-{node['step']}"]
            )
            node.replace_self(block)
        elif kind == "versions":
            wheel = getattr(app.env, "calcdocs_wheel", None)
            version = wheel_version(wheel) if html and wheel else app.config.release
            para = nodes.paragraph(classes=["calcdocs-versions"])
            para += nodes.Text("This is version ")
            para += nodes.strong(
                app.config.release, app.config.release, classes=["calcdocs-book-version"]
            )
            para += nodes.Text(" of the book; its library is the wheel ")
            para += nodes.literal(wheel_name(version), wheel_name(version))
            para += nodes.Text(", calcdocs version ")
            para += nodes.strong(version, version, classes=["calcdocs-wheel-version"])
            para += nodes.Text(", built from the same source as these pages.")
            node.replace_self(para)
        elif kind == "chapters":
            items = nodes.bullet_list()
            for chapter in getattr(app.env, "calcdocs_chapters", []) if html else []:
                item = nodes.list_item()
                para = nodes.paragraph()
                title = app.env.titles[chapter].astext()
                para += _link(title, _relative(app, docname, app.builder.get_target_uri(chapter)))
                para += nodes.Text(": ")
                name = f"{chapter.rsplit('/', 1)[-1]}.ipynb"
                para += _link(
                    name, _relative(app, docname, f"{NOTEBOOK_DIR}/{chapter}.ipynb"), code=True
                )
                item += para
                items += item
            if not html:
                para = nodes.paragraph()
                para += nodes.Text("The chapter notebooks are on the website: ")
                url = f"{base_url(app.config)}{RUN_PAGE}.html"
                para += _link(url, url)
                para += nodes.Text(".")
                items = para
            node.replace_self(items)
        elif kind == "downloads":
            if html:
                rows = download_rows(app, docname)
            else:
                rows = []
            site = base_url(app.config)
            if site and not html:
                para = nodes.paragraph()
                para += nodes.Text(
                    "The notebooks, the example zips and the wheel are on the website: "
                )
                para += _link(f"{site}{DOWNLOADS_PAGE}.html", f"{site}{DOWNLOADS_PAGE}.html")
                para += nodes.Text(".")
                node.replace_self(para)
                continue
            node.replace_self(_table(["download", "file", "size"], rows, [40, 45, 15]))


def add_run_note(app, doctree, docname) -> None:
    """doctree-resolved: a line at the top of every chapter and gallery example."""
    if app.builder.name not in HTML_BUILDERS:
        return
    chapters = getattr(app.env, "calcdocs_chapters", [])
    gallery_dirs = app.config.sphinx_gallery_conf["gallery_dirs"]
    example = (
        any(docname.startswith(g + "/") for g in gallery_dirs)
        and (Path(app.srcdir) / f"{docname}.ipynb").is_file()
    )
    if docname not in chapters and not example:
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        return
    para = nodes.paragraph(classes=["calcdocs-run-note"])
    if example:
        para += nodes.Text(
            "Run this example yourself: download it as a script or a notebook "
            "at the end of this page; "
        )
    else:
        para += nodes.Text("Run this chapter yourself: ")
        para += _link(
            "download it as a notebook", _relative(app, docname, f"{NOTEBOOK_DIR}/{docname}.ipynb")
        )
        para += nodes.Text("; ")
    para += _link(
        "Run the code yourself", _relative(app, docname, app.builder.get_target_uri(RUN_PAGE))
    )
    para += nodes.Text(" shows how to install what it needs.")
    title_at = next((i for i, c in enumerate(section.children) if isinstance(c, nodes.title)), 0)
    section.insert(title_at + 1, para)


def notebook_button(app, pagename, templatename, context, doctree) -> None:
    """html-page-context: the theme's download button offers the chapter's notebook."""
    if pagename in getattr(app.env, "calcdocs_chapters", []):
        context["ipynb_source"] = f"{pagename}.ipynb"


# -- EPUB: formulas as MathML --------------------------------------------------------------------


def _brace_arg(text: str, start: int) -> tuple[str, int]:
    """The ``{...}`` group starting at ``text[start]`` (or one token) and the index after it."""
    while start < len(text) and text[start] == " ":
        start += 1
    if start < len(text) and text[start] == "{":
        depth = 0
        for i in range(start, len(text)):
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            if depth == 0:
                return text[start + 1 : i], i + 1
    if start < len(text) and text[start] == "\\":
        match = re.match(r"\\[A-Za-z]+|\\.", text[start:])
        return match.group(0), start + len(match.group(0))
    return text[start : start + 1], start + 1


def expand_macros(tex: str, macros: dict) -> str:
    """Expand MathJax-style macros (``name: body`` or ``name: [body, nargs]``)."""
    for _ in range(10):  # macros may use macros
        changed = False
        for name, body in macros.items():
            body, nargs = (body, 0) if isinstance(body, str) else body
            pattern = re.compile(rf"\\{name}(?![A-Za-z])")
            out, pos = [], 0
            for match in pattern.finditer(tex):
                if match.start() < pos:
                    continue
                out.append(tex[pos : match.start()])
                end = match.end()
                expansion = body
                for n in range(1, nargs + 1):
                    arg, end = _brace_arg(tex, end)
                    expansion = expansion.replace(f"#{n}", arg)
                out.append("{" + expansion + "}" if nargs else expansion + " ")
                pos = end
                changed = True
            out.append(tex[pos:])
            tex = "".join(out)
        if not changed:
            break
    return tex


def expand_math_macros(markdown: str, macros: dict) -> str:
    """The book's MathJax macros expanded inside the ``$...$`` and ``$$...$$`` of Markdown:
    Jupyter does not know them."""
    pattern = re.compile(r"\$\$.+?\$\$|\$[^$\n]+?\$", re.DOTALL)
    return pattern.sub(lambda m: expand_macros(m.group(0), macros).replace(" $", "$"), markdown)


def to_mathml(tex: str, *, display: bool, macros: dict) -> str:
    import latex2mathml.converter

    tex = expand_macros(tex, macros)
    tex = re.sub(r"\\(label|nonumber|notag)\b(\{[^}]*\})?", "", tex)
    # latex2mathml lays out `split` as a table but not `aligned` (same columns)
    tex = re.sub(r"\\(begin|end)\{aligned\}", r"\\\1{split}", tex)
    # commands latex2mathml does not know, in forms it does
    for command, known in _MATHML_SPELLINGS.items():
        tex = re.sub(re.escape(command) + r"(?![A-Za-z])", lambda m, k=known: k, tex)
    tex = re.sub(r"\\text\{([^{}]*)\}", lambda m: m.group(0).replace("\\_", "_"), tex)
    return latex2mathml.converter.convert(tex, display="block" if display else "inline")


_MATHML_SPELLINGS = {
    r"\lvert": "|",
    r"\rvert": "|",
    r"\arg": r"\operatorname{arg}",
    r"\argmin": r"\operatorname{argmin}",
    r"\argmax": r"\operatorname{argmax}",
}


def _aligned(tex: str) -> str:
    return tex if r"\\" not in tex and "&" not in tex else f"\\begin{{split}}{tex}\\end{{split}}"


def epub_math(app, doctree, docname) -> None:
    """doctree-resolved, EPUB only: every formula as MathML, no raw TeX."""
    if not app.builder.name.startswith("epub"):
        return
    macros = app.config.mathjax3_config.get("tex", {}).get("macros", {})
    for node in list(doctree.findall(nodes.math)):
        try:
            mathml = to_mathml(node.astext(), display=False, macros=macros)
        except Exception as exc:
            logger.warning(
                "calcdocs_downloads: %s: MathML of %r failed: %s",
                docname,
                node.astext(),
                exc,
                location=node,
            )
            continue
        node.replace_self(nodes.raw("", mathml, format="html"))
    for node in list(doctree.findall(nodes.math_block)):
        tex = node.astext()
        parts = [p for p in tex.split("\n\n") if p.strip()]
        if not node.get("nowrap") and (len(parts) > 1 or r"\\" in tex):
            # as Sphinx wraps display math for MathJax: each part aligned
            tex = r"\\".join(_aligned(p) for p in parts)
            tex = _aligned(tex) if len(parts) > 1 else tex
        try:
            mathml = to_mathml(tex, display=True, macros=macros)
        except Exception as exc:
            logger.warning(
                "calcdocs_downloads: %s: MathML of %r failed: %s", docname, tex, exc, location=node
            )
            continue
        html = f'<div class="math">{mathml}'
        if node.get("number"):
            html += f'<span class="eqno">({node["number"]})</span>'
        html += "</div>"
        ids = node.get("ids", [])
        anchors = "".join(f'<span id="{i}"></span>' for i in ids)
        node.replace_self(nodes.raw("", anchors + html, format="html"))


def epub_mathml_manifest(app, exception) -> None:
    """build-finished, EPUB only: declare MathML in the manifest (EPUB 3) and re-pack."""
    if exception is not None or app.builder.name != "epub":
        return
    outdir = Path(app.outdir)
    opf = outdir / "content.opf"
    if not opf.is_file():
        return
    text = opf.read_text(encoding="utf-8")

    def add_property(match):
        href = match["href"]
        item = match.group(0)
        path = outdir / href
        if (
            path.suffix == ".xhtml"
            and path.is_file()
            and "<math" in path.read_text(encoding="utf-8")
        ):
            if "properties=" not in item:
                item = item.replace("<item ", '<item properties="mathml" ', 1)
        return item

    new = re.sub(r'<item [^>]*href="(?P<href>[^"]+)"[^>]*/>', add_property, text)
    if new != text:
        opf.write_text(new, encoding="utf-8")
        app.builder.build_epub()


def setup(app):
    app.add_config_value("calcdocs_base_url", "", "html", types=[str])
    app.add_node(placeholder)
    app.add_directive("calcdocs-install", InstallDirective)
    app.add_directive("calcdocs-versions", VersionsDirective)
    app.add_directive("calcdocs-downloads", DownloadsDirective)
    app.add_directive("calcdocs-chapters", ChaptersDirective)
    app.connect("builder-inited", build_wheel, priority=900)
    app.connect("env-get-updated", write_notebooks, priority=900)  # after figure numbers
    app.connect("doctree-resolved", fill_placeholders)
    app.connect("doctree-resolved", add_run_note)
    app.connect("doctree-resolved", epub_math)
    app.connect("html-page-context", notebook_button, priority=400)
    app.connect("build-finished", epub_mathml_manifest)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
