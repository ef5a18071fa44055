"""Bad-input probe: run every case of ``bench/bad_input_cases/<area>.py`` and classify it.

Run with ``PYTHONPATH=<tree>/src python bench/bad_input.py [AREA ...] [--list]``. Each case
module defines ``CASES``, a list of ``(id, kind, call)`` tuples where ``call`` takes no
argument. Each call runs in this process under a 10 s alarm, with every warning recorded,
and gets one class:

- ``kind="bad"`` (bad input): **A** if it raises TypeError/ValueError whose message (notes
  included) names an argument in backticks, or returns after a warning that names one;
  **B** if it raises anything else, or a message naming no argument; **C** if it returns
  normally with no such warning; **D** if it hangs (over 10 s) or crashes the interpreter's
  limits (RecursionError).
- ``kind="edge"`` (a valid edge input): ``call`` returns True when the result is right:
  **E** if True, **C** if False, **B** if it raises, **D** if it hangs.

The output is a table of counts per class and area; ``--list`` also lists every case that
is neither A nor E with what happened. The address space is capped (``--memory``, GiB) so
that a case allocating an absurd array fails with ``MemoryError`` (class B) instead of
taking the machine down.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import resource
import signal
import sys
import traceback
import warnings
from pathlib import Path

CASES_DIR = Path(__file__).parent / "bad_input_cases"
TIMEOUT = 10  # seconds per case
CLASSES = "ABCDE"
NAMES_ARGUMENT = re.compile(r"`[A-Za-z_][A-Za-z0-9_.\[\]]*`")


class _Timeout(BaseException):
    """Raised by the alarm; a BaseException so that a case's ``except Exception`` misses it."""


def _alarm(signum, frame):
    raise _Timeout


def _text(exc: BaseException) -> str:
    """The message of `exc` with its notes (``add_note``), as a reader sees it."""
    return "\n".join([str(exc), *getattr(exc, "__notes__", [])])


def _warning_names_argument(caught) -> str | None:
    for w in caught:
        message = str(w.message)
        if NAMES_ARGUMENT.search(message):
            return f"{w.category.__name__}: {message}"
    return None


def run_case(kind: str, call) -> tuple[str, str]:
    """Run one case; return its class and a one-line account of what happened."""
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(TIMEOUT)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = call()
    except _Timeout:
        return "D", f"hung for more than {TIMEOUT} s"
    except RecursionError as exc:
        return "D", f"RecursionError: {_text(exc)[:200]}"
    except Exception as exc:
        text = f"{type(exc).__name__}: {_text(exc)}"
        if kind == "edge":
            return "B", text
        clear = isinstance(exc, (TypeError, ValueError)) and NAMES_ARGUMENT.search(_text(exc))
        return ("A" if clear else "B"), text
    finally:
        signal.alarm(0)
    if kind == "edge":
        return ("E", "correct") if result is True else ("C", f"returned {result!r}")
    warned = _warning_names_argument(caught)
    if warned:
        return "A", warned
    others = "; ".join(f"{w.category.__name__}: {w.message}" for w in caught[:2])
    return "C", f"returned {_short(result)}" + (f" (only {others})" if others else "")


def _short(value, limit: int = 120) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def load_cases(area: str) -> list[tuple[str, str, object]]:
    path = CASES_DIR / f"{area}.py"
    spec = importlib.util.spec_from_file_location(f"bad_input_cases_{area}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    ids = [case[0] for case in module.CASES]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise SystemExit(f"{path}: duplicate case ids {duplicates}")
    for case_id, kind, call in module.CASES:
        if kind not in ("bad", "edge") or not callable(call):
            raise SystemExit(f"{path}: case {case_id!r} must be (id, 'bad'|'edge', callable)")
    return module.CASES


def main(argv: list[str] | None = None) -> dict[str, dict[str, int]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("areas", nargs="*", help="areas to run (default: every case module)")
    parser.add_argument("--list", action="store_true", help="list the cases that are not A/E")
    parser.add_argument("--memory", type=float, default=8.0, help="address-space cap, GiB")
    args = parser.parse_args(argv)
    cap = int(args.memory * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (cap, resource.getrlimit(resource.RLIMIT_AS)[1]))
    areas = args.areas or sorted(p.stem for p in CASES_DIR.glob("*.py") if p.stem[0] != "_")
    counts: dict[str, dict[str, int]] = {}
    listing: list[str] = []
    for area in areas:
        counts[area] = dict.fromkeys(CLASSES, 0)
        try:
            cases = load_cases(area)
        except Exception:  # a case module that does not import is itself a finding
            traceback.print_exc()
            raise SystemExit(f"could not load the cases of area {area!r}") from None
        for case_id, kind, call in cases:
            cls, what = run_case(kind, call)
            counts[area][cls] += 1
            if cls not in "AE":
                listing.append(f"{cls}  {area}/{case_id} [{kind}]: {what.splitlines()[0][:160]}")
    width = max(8, *(len(a) for a in counts))
    print(f"{'area':<{width}}" + "".join(f"{c:>6}" for c in CLASSES) + f"{'total':>7}")
    for area, row in counts.items():
        print(
            f"{area:<{width}}"
            + "".join(f"{row[c]:>6}" for c in CLASSES)
            + f"{sum(row.values()):>7}"
        )
    if len(counts) > 1:
        total = {c: sum(row[c] for row in counts.values()) for c in CLASSES}
        print(
            f"{'all':<{width}}"
            + "".join(f"{total[c]:>6}" for c in CLASSES)
            + f"{sum(total.values()):>7}"
        )
    if args.list:
        print()
        print("\n".join(listing) if listing else "every case is A or E")
    return counts


if __name__ == "__main__":
    sys.exit(main() and 0)
