"""Time forward mode, reverse mode and central differences, as in the backprop chapter.

Run from the repository root with::

    PYTHONPATH=src python bench/bench_forward_reverse.py

(about ten seconds; ``--quick`` for fewer sizes). It prints two tables:

1. the full gradient of the chapter's test function ``f(x) = sum(sin(x) * exp(-x**2))`` at a
   point of R^n, for n from 10 to 10**4: the time of one evaluation of ``f`` in NumPy, of
   reverse mode (``calcdocs.grad``), of forward mode (n JVPs with ``calcdocs.jvp``) and of
   central differences (``calcdocs.gradient``), and each as a multiple of one evaluation of
   ``f``. Forward mode and central differences stop at n = 1000 (beyond, each takes seconds);
2. the full Jacobian of ``F(x) = tanh(M x)`` with a random (m, n) matrix ``M``: n forward
   passes (one column each) against m reverse passes (one row each), first with m = 10 and n
   growing, then with n = 10 and m growing.

The book's page ``docs/differential/backprop.md`` runs a short version of table 1 (four
sizes) for its figure; this script is the full sweep behind it, and the place to look at
the numbers on another machine. Every time is the best CPU time of several runs (the machine
may be shared); NumPy's BLAS runs on one thread (``OPENBLAS_NUM_THREADS=1``, set before NumPy
loads), so that the comparison measures the methods, not the cores.
``bench/bench_autodiff.py`` compares the engine with PyTorch and HIPS autograd.
"""

from __future__ import annotations

import os

os.environ["OPENBLAS_NUM_THREADS"] = "1"  # before NumPy loads its BLAS
os.environ["OMP_NUM_THREADS"] = "1"

import argparse
import time
from collections.abc import Callable

import numpy as np

import calcdocs as cd
from calcdocs import Tensor

GRADIENT_SIZES = (10, 30, 100, 300, 1_000, 3_000, 10_000)
SLOW_MAX_N = 1_000  # forward mode and central differences stop here
JACOBIAN_COUNTS = (2, 5, 10, 20, 50, 100, 200)


def best_time(fn: Callable[[], object], repeat: int = 5, budget: float = 5e-3) -> float:
    """Shortest CPU time of one call of `fn`, in seconds.

    CPU time (``time.process_time``) is what this process used, which other programs on a
    shared machine do not inflate as they do the time on the clock. Each of `repeat` runs
    makes enough calls to last about `budget` seconds (at least one) and counts their mean;
    the shortest run is the one least disturbed.
    """
    start = time.process_time()
    fn()  # the first call also pays one-off costs; it only sets the number of calls
    once = time.process_time() - start
    number = max(1, int(budget / max(once, 1e-7)))
    best = np.inf
    for _ in range(repeat):
        start = time.process_time()
        for _ in range(number):
            fn()
        best = min(best, (time.process_time() - start) / number)
    return best


# ----------------------------------------------------------------------------------------
# 1. The gradient of f: R^n -> R
# ----------------------------------------------------------------------------------------


def f_ad(x):
    """The test function in operations that `Tensor` and `Dual` share."""
    return (x.sin() * (-(x * x)).exp()).sum()


def f_numpy(x: np.ndarray) -> np.ndarray:
    """The same function of points on the last axis, as `calcdocs.gradient` expects."""
    return np.sum(np.sin(x) * np.exp(-x * x), axis=-1)


def grad_forward(f: Callable, x: np.ndarray) -> np.ndarray:
    """The gradient by forward mode: one JVP per basis vector e_j."""
    e = np.zeros_like(x)
    out = np.empty_like(x)
    for j in range(x.size):
        e[j] = 1.0
        out[j] = cd.jvp(f, x, e)[1]
        e[j] = 0.0
    return out


def gradient_benchmark(sizes: tuple[int, ...] = GRADIENT_SIZES) -> list[dict]:
    """Time the four ways to the gradient of `f_numpy` at a random point of R^n.

    Returns one row per n: ``{"n", "f", "reverse", "forward", "central"}`` in seconds
    (NaN where not run), after checking that the three gradients agree.
    """
    rng = np.random.default_rng(0)
    grad_reverse = cd.grad(f_ad)
    rows = []
    for n in sizes:
        x = rng.standard_normal(n)
        slow = n <= SLOW_MAX_N
        if slow:
            g_rev = grad_reverse(x)
            for g in (grad_forward(f_ad, x), cd.gradient(f_numpy, x)):
                err = np.linalg.norm(g - g_rev) / np.linalg.norm(g_rev)
                if err > 1e-8:
                    raise AssertionError(f"n = {n}: gradients differ, relative error {err:.1e}")
        reps = 5 if n <= 100 else 3
        rows.append(
            dict(
                n=n,
                f=best_time(lambda x=x: f_numpy(x)),
                reverse=best_time(lambda x=x: grad_reverse(x)),
                forward=best_time(lambda x=x: grad_forward(f_ad, x), reps) if slow else np.nan,
                central=best_time(lambda x=x: cd.gradient(f_numpy, x), reps) if slow else np.nan,
            )
        )
    return rows


# ----------------------------------------------------------------------------------------
# 2. The Jacobian of F: R^n -> R^m
# ----------------------------------------------------------------------------------------


def make_problem(n: int, m: int, seed: int = 0):
    """``F(x) = tanh(M x)`` with a random (m, n) matrix, and a point x."""
    rng = np.random.default_rng(seed)
    M = rng.standard_normal((m, n)) / np.sqrt(n)

    def F(x):  # works for Dual and Tensor inputs
        return (x @ M.T).tanh()

    return F, M, rng.standard_normal(n)


def jacobian_forward(F: Callable, x: np.ndarray) -> np.ndarray:
    """n JVPs, one column J e_j each."""
    return np.stack([cd.jvp(F, x, e)[1] for e in np.eye(x.size)], axis=1)


def jacobian_reverse(F: Callable, x: np.ndarray, m: int) -> np.ndarray:
    """m VJPs, one row e_i^T J each."""
    rows = []
    for e in np.eye(m):
        x_t = Tensor(x, requires_grad=True)
        F(x_t).backward(e)
        rows.append(x_t.grad)
    return np.stack(rows)


def jacobian_benchmark(counts: tuple[int, ...] = JACOBIAN_COUNTS) -> list[dict]:
    """Time both Jacobians with m = 10 outputs and n = k inputs, then n = 10 and m = k.

    Returns rows ``{"k", "grow_n_forward", "grow_n_reverse", "grow_m_forward",
    "grow_m_reverse"}`` in seconds, after checking both Jacobians against the exact one,
    ``diag(1 - tanh(M x)**2) M``.
    """
    rows = []
    for k in counts:
        row = {"k": k}
        for tag, (n, m) in (("grow_n", (k, 10)), ("grow_m", (10, k))):
            F, M, x = make_problem(n, m)
            exact = (1 - np.tanh(M @ x) ** 2)[:, None] * M
            for J in (jacobian_forward(F, x), jacobian_reverse(F, x, m)):
                if not np.allclose(J, exact, rtol=1e-12, atol=1e-14):
                    raise AssertionError(f"n = {n}, m = {m}: a Jacobian is wrong")
            row[f"{tag}_forward"] = best_time(lambda F=F, x=x: jacobian_forward(F, x), 3)
            row[f"{tag}_reverse"] = best_time(lambda F=F, x=x, m=m: jacobian_reverse(F, x, m), 3)
        rows.append(row)
    return rows


# ----------------------------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    return f"{'-':>10}" if np.isnan(seconds) else f"{seconds * 1e3:>7.3f} ms"


def report(gradient_rows: list[dict], jacobian_rows: list[dict]) -> None:
    """Print both tables."""
    print("1. Gradient of f(x) = sum(sin(x) exp(-x^2)) at a point of R^n (best CPU times);")
    print("   in brackets: as a multiple of one NumPy evaluation of f")
    keys = ("f", "reverse", "forward", "central")
    names = ("f itself", "reverse mode", "forward mode", "central diff.")
    print(f"{'n':>6} " + "".join(f"{name:>22}" for name in names))
    for row in gradient_rows:
        cells = []
        for key in keys:
            ratio = row[key] / row["f"]
            extra = "" if np.isnan(ratio) else f"({ratio:,.{1 if ratio < 10 else 0}f}x)"
            cells.append(f"{_ms(row[key])} {extra:>9}")
        print(f"{row['n']:>6} " + "".join(f"{cell:>22}" for cell in cells))
    first, last = gradient_rows[0], gradient_rows[-1]
    at = {row["n"]: row for row in gradient_rows}
    if first["n"] in at and SLOW_MAX_N in at:
        slow = at[SLOW_MAX_N]
        print(
            f"From n = {first['n']} to {last['n']}, reverse mode's time grows by a factor of "
            f"{last['reverse'] / first['reverse']:.3g}; from n = {first['n']} to "
            f"{SLOW_MAX_N}, forward mode's grows by {slow['forward'] / first['forward']:.3g}."
        )

    print("\n2. Full Jacobian of F(x) = tanh(M x): n JVPs (forward) or m VJPs (reverse)")
    print(f"{'k':>5} | {'m = 10, n = k':^25} | {'n = 10, m = k':^25}")
    print(f"{'':>5} | {'forward':>12}{'reverse':>13} | {'forward':>12}{'reverse':>13}")
    for row in jacobian_rows:
        print(
            f"{row['k']:>5} | {_ms(row['grow_n_forward']):>12}{_ms(row['grow_n_reverse']):>13}"
            f" | {_ms(row['grow_m_forward']):>12}{_ms(row['grow_m_reverse']):>13}"
        )
    print(
        "Each mode's cost grows with the dimension it loops over (forward: inputs n,\n"
        "reverse: outputs m) and hardly with the other one."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer sizes")
    args = parser.parse_args()
    sizes = (10, 100, 1_000, 10_000) if args.quick else GRADIENT_SIZES
    counts = (2, 10, 50, 200) if args.quick else JACOBIAN_COUNTS
    report(gradient_benchmark(sizes), jacobian_benchmark(counts))


if __name__ == "__main__":
    main()
