"""The one clean build of the whole site that every ``site`` test reads.

A clean build executes every page and example (minutes on two cores), so the suite makes it
once: ``built_site`` copies the sources (``dev.copy_sources``) into a temporary folder, builds
them there with ``dev.build_site`` (the project's one build helper) for a server on a port
chosen up front, and serves the output on that port. The page and browser checks
(``test_site.py``), the reader's downloads (``test_downloads.py``) and the interactive figures
(``test_interactive.py``) all use it; the notebooks downloaded from it install the wheel from
that address. Only the reproducibility test makes a second clean build, to compare with.

``dev.py test --site`` runs the site tests in one pytest process (so the build is made once)
and the unit tests in another beside it.

Two things keep the site tests' wall time down on two cores, without checking less:

- the reproducibility test's second clean build, and the reader's fresh environment
  (``test_downloads.make_reader``: mostly pip downloading and unpacking), start in the
  background as soon as the first build is done (each only when a test that needs it was
  collected), and run while the browser checks run;
- the tests that edit the sources and rebuild (marked ``edits_site``) edit the built tree in
  place, so each rebuild is incremental (seconds, not a full read and write of every page),
  and run last, after every test that reads the build; every file they write is restored.
"""

from __future__ import annotations

import concurrent.futures
import functools
import http.server
import socket
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import dev  # noqa: E402  (the build helper; stdlib only)

# Work a session fixture of a test module can start as soon as the site is built: the
# fixture's name -> a function of (the built site, a fresh temporary folder). The module
# registers it at import; `built_site` starts it in the background when a collected test uses
# that fixture, and the fixture takes the result with `background_result`.
BACKGROUND: dict[str, object] = {}


def background_result(site: BuiltSite, name: str, tmp_path_factory):
    """The result of the BACKGROUND task ``name``: waits for it, or runs it now."""
    future = site.background.get(name)
    if future is None:
        return BACKGROUND[name](site, tmp_path_factory.mktemp(name))
    return future.result()  # re-raises the task's failure here


def pytest_collection_modifyitems(config, items):
    # the tests that edit the built tree go last (a stable sort keeps the rest in order)
    items.sort(key=lambda item: item.get_closest_marker("edits_site") is not None)


@dataclass
class BuiltSite:
    src: Path  # the docs/ folder built
    out: Path  # the HTML output
    log: str
    seconds: float
    base: str = ""  # the address it is served at, ending in "/" ("" when not served)
    options: tuple[str, ...] = ()  # the sphinx-build options it was built with
    # the reproducibility test's second clean build, started when this one was done
    second: concurrent.futures.Future | None = None
    # the results of the BACKGROUND tasks started when this build was done, by fixture name
    background: dict[str, concurrent.futures.Future] = field(default_factory=dict)

    @property
    def work(self) -> Path:
        return self.src.parent


def fail_with_log(build: dev.SiteBuild) -> None:
    """Fail the test with the build's warnings and the end of its log."""
    pytest.fail(
        f"sphinx-build failed (exit {build.returncode}); warnings and errors:\n"
        + "\n".join(build.problems()[:60])
        + "\n--- last lines ---\n"
        + "\n".join(build.log.splitlines()[-40:])
    )


def clean_build(work: Path, *, options: tuple[str, ...] = ()) -> BuiltSite:
    """Copy the sources into ``work`` and build them from nothing; fail on any warning."""
    src = dev.copy_sources(work)
    result = dev.build_site(src, work / "html", options=options)
    if not result.ok:
        fail_with_log(result)
    return BuiltSite(src, work / "html", result.log, result.seconds, options=options)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def built_site(request, tmp_path_factory) -> Iterator[BuiltSite]:
    """The whole site, built from scratch in a temporary folder and served on 127.0.0.1."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    build = clean_build(
        tmp_path_factory.mktemp("book"), options=("-D", f"calcdocs_base_url={base}")
    )
    build.base = base
    print(f"\nclean build of the site: {build.seconds:.1f} s")
    used = {name for item in request.session.items for name in item.fixturenames}
    pool = concurrent.futures.ThreadPoolExecutor(1 + len(BACKGROUND))
    if "second_build" in used:
        build.second = pool.submit(clean_build, tmp_path_factory.mktemp("book-again"))
    for name, task in BACKGROUND.items():
        if name in used:
            build.background[name] = pool.submit(task, build, tmp_path_factory.mktemp(name))
    handler = functools.partial(_QuietHandler, directory=str(build.out))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield build
    httpd.shutdown()
    pool.shutdown(wait=True)


@pytest.fixture(scope="session")
def second_build(built_site, tmp_path_factory) -> BuiltSite:
    """A second clean build from its own copy of the sources (no cache shared), made in the
    background while other tests ran (see the module docstring)."""
    if built_site.second is None:
        return clean_build(tmp_path_factory.mktemp("book-again"))
    return built_site.second.result()  # waits; re-raises the build's failure here
