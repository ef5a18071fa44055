"""Benchmark calcdocs.optimize against torch.optim: steps per second, one thread, float64.

Run from the repository root with::

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE PYTHONPATH=src python bench/bench_optimize.py

(a few minutes; ``--quick`` for a shorter run). For every optimizer and ``n`` in 10, 10^3,
10^5, 10^6 parameters it times whole runs of ``steps`` updates on the diagonal quadratic
``grad(x) = d * (x - c)``, with the same NumPy gradient for both libraries: calcdocs through
its public function (``record=False``), torch as the usual loop
``p.grad = torch.from_numpy(grad(p)); optimizer.step()`` on a float64 tensor. The two are
timed alternately, three times each, and the best time of each is kept (the machine is
shared). Both run on one thread: ``OPENBLAS_NUM_THREADS=1`` is set before NumPy loads and
``torch.set_num_threads(1)``. The table gives steps per second and their ratio; the target is
a ratio of at least 0.5 for n >= 10^5.
"""

from __future__ import annotations

import os

os.environ["OPENBLAS_NUM_THREADS"] = "1"  # before NumPy loads its BLAS
os.environ["OMP_NUM_THREADS"] = "1"

import argparse
import time

import numpy as np

import calcdocs as cd

SIZES = (10, 1_000, 100_000, 1_000_000)

# (label, calcdocs function, torch class name, options shared by both)
CASES = [
    ("sgd", "sgd", "SGD", {"lr": 1e-3}),
    ("sgd momentum+nesterov", "sgd", "SGD", {"lr": 1e-3, "momentum": 0.9, "nesterov": True}),
    ("adagrad", "adagrad", "Adagrad", {"lr": 1e-2}),
    ("rmsprop", "rmsprop", "RMSprop", {"lr": 1e-3}),
    (
        "rmsprop centered+momentum",
        "rmsprop",
        "RMSprop",
        {"lr": 1e-3, "centered": True, "momentum": 0.5},
    ),
    ("adam", "adam", "Adam", {"lr": 1e-3}),
    ("adam amsgrad", "adam", "Adam", {"lr": 1e-3, "amsgrad": True}),
    ("adamw", "adamw", "AdamW", {"lr": 1e-3}),
]


def problem(n: int):
    rng = np.random.default_rng(n)
    d = rng.uniform(1.0, 10.0, n)
    c = rng.standard_normal(n)
    x0 = rng.standard_normal(n)

    def grad(x):
        return d * (x - c)

    return grad, x0


def steps_for(n: int, quick: bool) -> int:
    budget = 3e6 if quick else 1e7  # parameters x steps per timed run
    return int(min(3000, max(10, budget // n)))


def time_ours(name, options, grad, x0, steps) -> float:
    optimizer = getattr(cd, name)
    start = time.perf_counter()
    run = optimizer(grad, x0, steps=steps, record=False, **options)
    elapsed = time.perf_counter() - start
    assert run.steps == steps and not run.diverged, run.message
    return elapsed


def time_torch(torch, torch_name, options, grad, x0, steps) -> float:
    p = torch.tensor(x0.copy(), requires_grad=True)
    view = p.detach().numpy()  # shares p's memory
    optimizer = getattr(torch.optim, torch_name)([p], **options)
    start = time.perf_counter()
    for _ in range(steps):
        p.grad = torch.from_numpy(grad(view))
        optimizer.step()
    return time.perf_counter() - start


def run_all(quick: bool = False, repeats: int = 3) -> list[dict]:
    import torch

    torch.set_num_threads(1)
    rows = []
    for n in SIZES:
        grad, x0 = problem(n)
        steps = steps_for(n, quick)
        for label, name, torch_name, options in CASES:
            ours, theirs = [], []
            for _ in range(repeats):  # alternate, so both see the same machine load
                ours.append(time_ours(name, options, grad, x0, steps))
                theirs.append(time_torch(torch, torch_name, options, grad, x0, steps))
            rows.append(
                {
                    "n": n,
                    "optimizer": label,
                    "steps": steps,
                    "calcdocs": steps / min(ours),
                    "torch": steps / min(theirs),
                }
            )
    return rows


def report(rows: list[dict]) -> str:
    lines = [
        f"{'optimizer':<27} {'n':>9} {'calcdocs steps/s':>17} {'torch steps/s':>14} {'ratio':>6}",
        "-" * 77,
    ]
    for row in rows:
        lines.append(
            f"{row['optimizer']:<27} {row['n']:>9.0e} {row['calcdocs']:>17,.0f} "
            f"{row['torch']:>14,.0f} {row['calcdocs'] / row['torch']:>6.2f}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter runs")
    args = parser.parse_args()
    import torch

    print(f"numpy {np.__version__}, torch {torch.__version__}, float64, one thread")
    rows = run_all(quick=args.quick)
    print(report(rows))
    large = [r["calcdocs"] / r["torch"] for r in rows if r["n"] >= 100_000]
    print(f"\nworst ratio for n >= 1e5: {min(large):.2f} (target >= 0.5)")


if __name__ == "__main__":
    main()
