"""Benchmark calcdocs.differentiate: accuracy against SciPy, and the speed of `gradient`.

Run with ``python bench/bench_differentiate.py`` (under a minute). Prints

1. per method, the median and maximum relative error of ``derivative`` on a suite of smooth
   functions at points of varied scale, and the mean number of evaluations of f per point,
   with ``scipy.differentiate.derivative`` (defaults) measured in the same run;
2. the time of ``gradient`` over a 500 x 500 grid, as a multiple of one evaluation of f on
   the grid, against a per-point Python loop and ``scipy.optimize.approx_fprime``.
"""

from __future__ import annotations

import time

import numpy as np
import scipy.differentiate
import scipy.optimize

from calcdocs import gradient
from calcdocs._tstutils import DERIVATIVE_SUITE, suite_errors


def accuracy_table():
    n_points = sum(len(problem.points) for problem in DERIVATIVE_SUITE)
    print("derivative on", n_points, "points of", len(DERIVATIVE_SUITE), "functions")
    print(f"{'method':<24}{'median rel err':>16}{'max rel err':>14}{'NaN':>6}{'evals/pt':>10}")
    for method in ["forward", "backward", "central", "complex", "richardson", "scipy"]:
        if method == "scipy":
            errors, evals = suite_errors(reference=True)
        else:
            errors, evals = suite_errors(method)
        label = "scipy.derivative (dflt)" if method == "scipy" else method
        nan = int(np.isnan(errors).sum())
        print(
            f"{label:<24}{np.nanmedian(errors):>16.2e}{np.nanmax(errors):>14.2e}"
            f"{nan:>6}{evals:>10.1f}"
        )


def _f_grid(p):
    x, y = p[..., 0], p[..., 1]
    return np.sin(x) * np.exp(-(y**2)) + np.log1p(x**2 + y**2)


def _best_time(fn, repeat=9):
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def timing_table():
    X, Y = np.meshgrid(np.linspace(-2, 2, 500), np.linspace(-2, 2, 500))
    grid = np.stack([X, Y], axis=-1)
    t_f = _best_time(lambda: _f_grid(grid))
    t_grad = _best_time(lambda: gradient(_f_grid, grid))
    flat = grid.reshape(-1, 2)
    sample = flat[:: len(flat) // 2000][:2000]  # per-point loops: timed on 2000, extrapolated

    def loop():
        for p in sample:
            gradient(_f_grid, p)

    def fprime():
        for p in sample:
            scipy.optimize.approx_fprime(p, _f_grid)

    scale = len(flat) / len(sample)
    t_loop = _best_time(loop, repeat=2) * scale
    t_fprime = _best_time(fprime, repeat=2) * scale
    print()
    print("gradient of sin(x)exp(-y^2) + log1p(x^2+y^2) on a 500 x 500 grid (best of 9)")
    print(f"{'one evaluation of f':<44}{t_f * 1e3:>10.1f} ms   1.0 x f")
    print(
        f"{'calcdocs.gradient, one call (central)':<44}{t_grad * 1e3:>10.1f} ms"
        f"{t_grad / t_f:>6.1f} x f"
    )
    print(
        f"{'per-point loop of gradient (extrapolated)*':<44}{t_loop * 1e3:>10.1f} ms"
        f"{t_loop / t_f:>6.0f} x f   ({t_loop / t_grad:.0f} x slower)"
    )
    print(
        f"{'scipy.optimize.approx_fprime loop*':<44}{t_fprime * 1e3:>10.1f} ms"
        f"{t_fprime / t_f:>6.0f} x f   ({t_fprime / t_grad:.0f} x slower)"
    )
    print(f"* timed on {len(sample)} points and scaled to {len(flat)}.")


if __name__ == "__main__":
    accuracy_table()
    timing_table()
