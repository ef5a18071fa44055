"""Execute the book's pages side by side, one kernel per core, before Sphinx reads them.

myst-nb (``nb_execution_mode = "cache"``) executes each page while Sphinx reads it, one page
after another, even with ``-j``: Sphinx hands its workers the pages in alphabetical chunks,
and the chapters, being neighbours, land in the same chunk. On ``env-before-read-docs`` this
extension finds the pages Sphinx is about to read whose code is not in myst-nb's execution
cache, executes them in a pool of processes (one per core), and stores each result in that
cache exactly as myst-nb would (same notebook, same hash, same record). myst-nb then finds
every page in the cache and executes nothing.

Nothing is hidden: a page that fails here is logged as an error with the failing cell and
its traceback, and is not cached, so myst-nb executes it again and fails the build. (Sphinx
reads with ``-j`` in worker processes, and the traceback of an error raised there goes to a
crash file, not to the log: hence this extension's own report, and why it executes even a
single page.) A page whose notebook differs from what myst-nb reads (it would not be found in
the cache) is simply executed twice; the site tests count executions, so that would show.
Set ``calcdocs_execute_workers = 1`` to turn it off.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path, PurePosixPath
from typing import Any

from sphinx.util import logging

logger = logging.getLogger(__name__)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")  # the colours of IPython's tracebacks


def cores() -> int:
    """The cores this process may use (also sphinx-gallery's `parallel`, in conf.py)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _execute(notebook: Any, cwd: str, timeout: int, allow_errors: bool) -> tuple:
    """In a worker: run one notebook; return it executed, its seconds, any error."""
    from jupyter_cache.executors.utils import single_nb_execution

    result = single_nb_execution(
        notebook,
        cwd=cwd,
        allow_errors=allow_errors,
        timeout=timeout,
        meta_override=True,
    )
    error = None
    if result.err is not None:
        error = f"{type(result.err).__name__}: {result.err}"
    return notebook, result.time, error


def _pending(app: Any, env: Any, docnames: list[str], cache: Any) -> list[dict]:
    """The pages among ``docnames`` that myst-nb would execute: read as myst-nb reads them."""
    from myst_nb.core.nb_to_tokens import nb_node_to_dict
    from myst_nb.core.read import create_nb_reader

    nb_config = env.mystnb_config
    pending = []
    for docname in docnames:
        path = Path(env.doc2path(docname))
        if path.suffix != ".md" or not path.is_file():
            continue
        posix = PurePosixPath(path.as_posix())
        if any(posix.match(p) for p in nb_config.execution_excludepatterns):
            continue
        text = path.read_text(encoding="utf-8")
        reader = create_nb_reader(str(path), env.myst_config, nb_config, text)
        if reader is None:
            continue
        notebook = reader.read(text)
        if not any(cell["cell_type"] == "code" for cell in notebook.cells):
            continue
        try:
            cache.match_cache_notebook(notebook)
            continue  # already executed
        except KeyError:
            pass
        config = nb_config
        if nb_config.metadata_key in notebook.metadata:
            overrides = nb_node_to_dict(notebook.metadata[nb_config.metadata_key])
            overrides.pop("output_folder", None)
            config = nb_config.copy(**overrides)
        pending.append(
            {
                "docname": docname,
                "path": path,
                "notebook": notebook,
                "reader": reader,
                "config": config,
            }
        )
    return pending


def execute_pages(app: Any, env: Any, docnames: list[str]) -> None:
    """env-before-read-docs: execute the uncached pages in parallel into myst-nb's cache."""
    nb_config = getattr(env, "mystnb_config", None)
    workers = app.config.calcdocs_execute_workers or cores()
    if nb_config is None or nb_config.execution_mode != "cache" or workers < 2:
        return
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn
    from jupyter_cache.cache.db import NbProjectRecord

    cache = get_cache(nb_config.execution_cache_path or ".jupyter_cache")
    pending = _pending(app, env, docnames, cache)
    if not pending:
        return
    workers = min(workers, len(pending))
    # the longest code first (a rough guess at the slowest), so no core idles at the end
    pending.sort(key=lambda job: -sum(len(c.source) for c in job["notebook"].cells))
    logger.info(f"calcdocs_execute: executing {len(pending)} pages, {workers} at a time")
    start = time.perf_counter()
    context = multiprocessing.get_context("spawn")  # no fork of the Sphinx process
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = []
        for job in pending:
            logger.info(f"{job['path']}: Executing notebook using local CWD [calcdocs_execute]")
            config = job["config"]
            cwd = str(job["path"].parent)
            futures.append(
                pool.submit(
                    _execute,
                    job["notebook"],
                    cwd,
                    config.execution_timeout,
                    config.execution_allow_errors,
                )
            )
        for job, future in zip(pending, futures):
            notebook, seconds, error = future.result()
            if error is not None:
                # not cached: myst-nb executes the page again and fails the build
                logger.error(
                    f"a cell failed [calcdocs_execute]:\n{_ANSI.sub('', error)}",
                    location=job["docname"],
                )
                continue
            logger.info(
                f"{job['path']}: Executed notebook in {seconds:.2f} seconds [calcdocs_execute]"
            )
            read_fmt = job["reader"].read_fmt
            if read_fmt is not None:
                record = cache.add_nb_to_project(str(job["path"]), read_data=read_fmt)
            else:
                record = cache.add_nb_to_project(str(job["path"]))
            NbProjectRecord.remove_tracebacks([record.pk], cache.db)
            cache.cache_notebook_bundle(
                CacheBundleIn(notebook, record.uri, data={"execution_seconds": seconds}),
                check_validity=False,
                overwrite=True,
            )
    logger.info(f"calcdocs_execute: {len(pending)} pages in {time.perf_counter() - start:.1f} s")


def setup(app: Any) -> dict[str, Any]:
    # 0 (the default): one worker per core; 1: leave execution to myst-nb alone
    app.add_config_value("calcdocs_execute_workers", 0, "env", int)
    app.connect("env-before-read-docs", execute_pages)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
