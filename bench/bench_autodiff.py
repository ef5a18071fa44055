"""Benchmark calcdocs.autodiff against PyTorch and HIPS autograd, and against finite differences.

Run with ``python bench/bench_autodiff.py`` (about a minute). Prints

1. an MLP 256-256-256-10 with softmax cross-entropy, batch 256, float64: the median time of
   the forward pass and of forward + backward, their ratio (reverse mode's "cheap gradient
   principle": a small constant, PyTorch is about 2-2.5), for calcdocs, PyTorch (if
   installed) and autograd (if installed), with tanh and with relu hidden layers;
2. the time of a reverse-mode gradient of ``f(x) = sum(tanh(x)**2) + sum(x[:-1] * x[1:])``
   as ``n`` grows from 10 to 10**5, against central differences (``calcdocs.gradient``), both
   as multiples of one evaluation of ``f``.

All libraries run single-threaded (NumPy's OpenBLAS through its C API, PyTorch through
``torch.set_num_threads(1)``), so that the comparison measures the libraries, not the cores.
`run_all()` (or `mlp_benchmark` and `scaling_benchmark` alone) returns the numbers as data,
for the book chapter; `report` prints them.
"""

from __future__ import annotations

import ctypes
import glob
import itertools
import os
import time
from collections.abc import Callable

import numpy as np

from calcdocs import Tensor, gradient, jvp
from calcdocs import grad as calcdocs_grad
from calcdocs._tstutils import mlp_logits, mlp_loss

SIZES = (256, 256, 256, 10)
BATCH = 256


# ----------------------------------------------------------------------------------------
# Threads
# ----------------------------------------------------------------------------------------


def _openblas() -> ctypes.CDLL | None:
    """NumPy's bundled OpenBLAS, or None if it cannot be found."""
    root = os.path.dirname(np.__file__) + ".libs"
    for path in glob.glob(os.path.join(root, "*openblas*")):
        try:
            return ctypes.CDLL(path)
        except OSError:
            continue
    return None


def set_single_thread() -> dict[str, str]:
    """Limit NumPy's BLAS and PyTorch to one thread; return what is in effect, as text."""
    info = {}
    lib = _openblas()
    names = ("scipy_openblas_set_num_threads64_", "openblas_set_num_threads")
    setter = next((getattr(lib, n) for n in names if lib and hasattr(lib, n)), None)
    getter_names = ("scipy_openblas_get_num_threads64_", "openblas_get_num_threads")
    getter = next((getattr(lib, n) for n in getter_names if lib and hasattr(lib, n)), None)
    if setter is not None:
        setter(1)
    info["numpy"] = (
        f"OpenBLAS threads = {getter()}" if getter is not None else "BLAS threads unknown"
    )
    torch = _import("torch")
    if torch is not None:
        torch.set_num_threads(1)
        info["torch"] = f"torch {torch.__version__}, intra-op threads = {torch.get_num_threads()}"
    return info


def _import(name: str):
    try:
        return __import__(name)
    except ImportError:
        return None


def _median_time(fn: Callable[[], object], repeats: int, warmup: int = 3) -> float:
    """Median wall time of `fn()` in seconds."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


# ----------------------------------------------------------------------------------------
# 1. MLP: forward vs forward + backward
# ----------------------------------------------------------------------------------------


def _data(seed: int = 0):
    rng = np.random.default_rng(seed)
    params = [
        (rng.normal(size=(m, n)) / np.sqrt(m), np.zeros(n)) for m, n in itertools.pairwise(SIZES)
    ]
    x = rng.normal(size=(BATCH, SIZES[0]))
    labels = rng.integers(0, SIZES[-1], size=BATCH)
    return params, x, labels


def _loss_numpy(np_, params, x, y_onehot, activation):
    """The same loss in NumPy syntax; `np_` is numpy or autograd.numpy."""
    h = x
    for k, (w, b) in enumerate(params):
        h = np_.dot(h, w) + b
        if k < len(params) - 1:
            h = np_.tanh(h) if activation == "tanh" else np_.maximum(h, 0.0)
    shifted = h - np_.max(h, axis=1, keepdims=True)
    log_probs = shifted - np_.log(np_.sum(np_.exp(shifted), axis=1, keepdims=True))
    return -np_.sum(log_probs * y_onehot) / x.shape[0]


def _grad_numpy(params, x, y_onehot, activation):
    """Forward and a hand-written backward pass in NumPy: the floor for NumPy autodiff."""
    hs, h = [], x
    for k, (w, b) in enumerate(params):
        hs.append(h)
        h = h @ w + b
        if k < len(params) - 1:
            h = np.tanh(h) if activation == "tanh" else np.maximum(h, 0.0)
    shifted = h - h.max(axis=1, keepdims=True)
    probs = np.exp(shifted)
    probs /= probs.sum(axis=1, keepdims=True)
    g = (probs - y_onehot) / x.shape[0]  # d loss / d logits
    grads = []
    for k in range(len(params) - 1, -1, -1):
        grads.append((hs[k].T @ g, g.sum(axis=0)))
        if k > 0:
            g = g @ params[k][0].T
            a = hs[k]  # the activation's output
            g = g * (1.0 - a * a) if activation == "tanh" else g * (a > 0)
    return grads[::-1]


def mlp_benchmark(activation: str = "tanh", repeats: int = 40) -> list[dict]:
    """Time forward and forward + backward of the MLP in each available library.

    The libraries are timed round-robin (each round runs every library's forward and
    forward + backward once) so that background load hits them all alike; the medians
    over `repeats` rounds are reported. Returns a list of rows ``{"library", "forward_ms",
    "forward_backward_ms", "ratio", "ratio_of_minima", "calcdocs_speedup"}``; the first row
    is plain NumPy with a hand-written backward pass, the floor for NumPy-based autodiff.
    """
    params, x, labels = _data()
    y = np.eye(SIZES[-1])[labels]
    tasks: dict[str, tuple[Callable[[], object], Callable[[], object]]] = {}
    tasks["numpy, by hand"] = (
        lambda: _loss_numpy(np, params, x, y, activation),
        lambda: _grad_numpy(params, x, y, activation),
    )

    tparams = [(Tensor(w, requires_grad=True), Tensor(b, requires_grad=True)) for w, b in params]
    tx = Tensor(x)

    def ours_forward():
        return mlp_loss(tparams, tx, y, activation=activation)

    def ours_both():
        for w, b in tparams:
            w.zero_grad()
            b.zero_grad()
        mlp_loss(tparams, tx, y, activation=activation).backward()

    tasks["calcdocs"] = (ours_forward, ours_both)

    torch = _import("torch")
    if torch is not None:
        tp = [
            (torch.tensor(w, requires_grad=True), torch.tensor(b, requires_grad=True))
            for w, b in params
        ]
        txx, tl = torch.tensor(x), torch.tensor(labels)

        def torch_loss():
            logits = mlp_logits(tp, txx, activation=activation)
            return torch.nn.functional.cross_entropy(logits, tl)

        def torch_both():
            for w, b in tp:
                w.grad = b.grad = None
            torch_loss().backward()

        tasks[f"torch {torch.__version__}"] = (torch_loss, torch_both)

    autograd = _import("autograd")
    if autograd is not None:
        import autograd.numpy as anp

        def ag_loss(p):
            return _loss_numpy(anp, p, x, y, activation)

        ag_grad = autograd.grad(ag_loss)
        tasks[f"autograd {_version('autograd')}"] = (
            lambda: ag_loss(params),
            lambda: ag_grad(params),
        )

    times: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in tasks}
    for round_ in range(repeats + 3):  # the first 3 rounds warm up
        for name, (forward, both) in tasks.items():
            for fn, bucket in ((forward, times[name][0]), (both, times[name][1])):
                start = time.perf_counter()
                fn()
                if round_ >= 3:
                    bucket.append(time.perf_counter() - start)

    rows = []
    for name, (t_forward, t_both) in times.items():
        forward, both = 1e3 * float(np.median(t_forward)), 1e3 * float(np.median(t_both))
        rows.append(
            dict(
                library=name,
                forward_ms=forward,
                forward_backward_ms=both,
                ratio=both / forward,
                ratio_of_minima=min(t_both) / min(t_forward),
            )
        )
    ours = rows[1]["forward_backward_ms"]
    for row in rows:
        row["calcdocs_speedup"] = row["forward_backward_ms"] / ours
    return rows


def _version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


# ----------------------------------------------------------------------------------------
# 2. Gradient cost as n grows: reverse mode vs central differences
# ----------------------------------------------------------------------------------------


def _f_autodiff(x):
    """The test function in Tensor / Dual operations."""
    return (x.tanh() ** 2).sum() + (x[:-1] * x[1:]).sum()


def _f_numpy(x: np.ndarray) -> np.ndarray:
    """Vectorised over points on the last axis, as `calcdocs.gradient` expects."""
    return np.sum(np.tanh(x) ** 2, axis=-1) + np.sum(x[..., :-1] * x[..., 1:], axis=-1)


def _forward_mode_gradient(x: np.ndarray) -> np.ndarray:
    """The gradient by forward mode: one JVP per basis vector e_i."""
    basis = np.eye(1, x.size)[0]
    out = np.empty_like(x)
    for i in range(x.size):
        out[i] = jvp(_f_autodiff, x, np.roll(basis, i))[1]
    return out


def scaling_benchmark(
    ns: tuple[int, ...] = (10, 100, 1_000, 10_000, 100_000),
    fd_max_bytes: float = 0.5e9,
    forward_max_n: int = 1_000,
) -> list[dict]:
    """Time the gradient of ``f`` at a point in R^n: reverse mode, forward mode, central FD.

    Central differences evaluate f at 2n points of R^n at once, a (2n, n) array; they are
    skipped when that array would exceed `fd_max_bytes`, and forward mode (n JVPs, a Python
    loop) for n above `forward_max_n`: both costs grow like n**2. A skipped method's time
    is estimated (and listed in ``"estimated"``): forward mode as n times one measured JVP,
    central differences as 2n times one evaluation of f.
    Returns rows ``{"n", "f_ms", "reverse_ms", "forward_ms", "fd_ms", "estimated", ...}``
    with each time also as a multiple of one evaluation of f (``*_over_f``) and
    ``max_abs_diff``, the largest difference between the gradients from FD and reverse mode.
    """
    rng = np.random.default_rng(1)
    g = calcdocs_grad(_f_autodiff)
    rows = []
    for n in ns:
        x = rng.normal(size=n)
        repeats = 20 if n <= 10_000 else 5
        t_f = _median_time(lambda x=x: _f_numpy(x), repeats)
        t_rev = _median_time(lambda x=x: g(x), repeats)
        row = dict(n=n, f_ms=1e3 * t_f, reverse_ms=1e3 * t_rev, estimated=[], max_abs_diff=None)
        v = np.eye(1, n)[0]
        t_jvp = _median_time(lambda x=x, v=v: jvp(_f_autodiff, x, v), repeats)
        measure = {
            # method: (run it?, how, estimate if not run)
            "forward": (n <= forward_max_n, lambda x=x: _forward_mode_gradient(x), n * t_jvp),
            "fd": (
                2 * n * n * 8 <= fd_max_bytes,
                lambda x=x: gradient(_f_numpy, x),
                2 * n * t_f,
            ),
        }
        for method, (feasible, fn, estimate) in measure.items():
            if feasible:
                seconds = _median_time(fn, 5 if n < 1000 else 2, warmup=1)
            else:
                seconds = estimate
                row["estimated"].append(method)
            row[f"{method}_ms"] = 1e3 * seconds
        if 2 * n * n * 8 <= fd_max_bytes:
            row["max_abs_diff"] = float(np.max(np.abs(gradient(_f_numpy, x) - g(x))))
        for key in ("reverse", "forward", "fd"):
            row[f"{key}_over_f"] = row[f"{key}_ms"] / row["f_ms"]
        rows.append(row)
    return rows


# ----------------------------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------------------------


def _fmt_ms(ms: float) -> str:
    """A time in readable units, 8 characters wide."""
    if ms < 1:
        return f"{ms * 1e3:>5.3g} us"
    if ms < 1e3:
        return f"{ms:>5.3g} ms"
    if ms < 120e3:
        return f"{ms / 1e3:>6.3g} s"
    return f"{ms / 60e3:>4.3g} min"


def run_all() -> dict:
    """Run every benchmark single-threaded; return the numbers as data (for the book)."""
    threads = set_single_thread()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return dict(
        threads=threads,
        cpus=os.cpu_count(),
        load_average=load,
        mlp={activation: mlp_benchmark(activation) for activation in ("tanh", "relu")},
        scaling=scaling_benchmark(),
    )


def report(results: dict) -> None:
    """Print the results of `run_all` as tables."""
    print("Threads:", "; ".join(results["threads"].values()))
    print(f"Machine: {results['cpus']} CPUs, load average {results['load_average']:.2f} at start")
    print(f"MLP {'-'.join(map(str, SIZES))}, batch {BATCH}, float64, softmax cross-entropy;")
    print("times are medians in ms over 40 interleaved rounds; ratio = (forward + backward) /")
    print("forward, of the medians and (less sensitive to background load) of the minima;")
    print("'vs calcdocs' = that library's forward+backward time / ours (>1: ours faster).")
    print("'numpy, by hand': the same forward in NumPy plus a hand-written backward pass.")
    print("autograd's forward is plain NumPy (it records nothing until asked for a gradient).")
    for activation, rows in results["mlp"].items():
        print(f"\n[{activation} hidden layers]")
        print(
            f"{'library':<22}{'forward':>10}{'fwd+bwd':>10}{'ratio':>8}{'(minima)':>10}"
            f"{'vs calcdocs':>13}"
        )
        for row in rows:
            print(
                f"{row['library']:<22}{row['forward_ms']:>10.2f}"
                f"{row['forward_backward_ms']:>10.2f}{row['ratio']:>8.2f}"
                f"{row['ratio_of_minima']:>10.2f}"
                f"{row['calcdocs_speedup']:>13.2f}"
            )

    print("\nGradient of f(x) = sum(tanh(x)**2) + sum(x[:-1] * x[1:]) at x in R^n")
    print("median times, and as multiples of one NumPy evaluation of f; forward mode = n JVPs;")
    print("'~' marks an estimate, not run (too slow): n x one JVP, or 2n x one evaluation of f.")
    print(
        f"{'n':>7}{'f':>10}{'reverse':>22}{'forward mode':>22}{'central FD':>22}{'|FD - rev|':>12}"
    )

    def cell(row, key):
        mark = "~" if key in row["estimated"] else " "
        ratio = row[key + "_over_f"]
        ratio_text = f"{ratio:,.1f}" if ratio < 100 else f"{ratio:,.0f}"
        return f"{mark}{_fmt_ms(row[key + '_ms'])} ({ratio_text:>9}x)"

    for row in results["scaling"]:
        diff = f"{row['max_abs_diff']:>12.1e}" if row["max_abs_diff"] is not None else " " * 12
        print(
            f"{row['n']:>7}{_fmt_ms(row['f_ms']):>10}{cell(row, 'reverse'):>22}"
            f"{cell(row, 'forward'):>22}{cell(row, 'fd'):>22}{diff}"
        )
    print(
        "Reverse mode's cost grows like n (a constant multiple of f for large n; Python\n"
        "overhead of ~0.15 ms dominates for small n); forward mode and central differences\n"
        "need n or 2n evaluations of an O(n) function, so their cost grows like n**2.\n"
        "Central differences are not run where their 2n perturbed copies of x (2n*n numbers)\n"
        "exceed 0.5 GB: calcdocs.gradient would split them into blocks, but it would take minutes."
    )


if __name__ == "__main__":
    report(run_all())
