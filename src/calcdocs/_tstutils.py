"""Problem sets shared by the tests and the benchmarks (as in scipy's ``optimize._tstutils``).

Private: not part of the public API, but importable by ``tests/`` and ``bench/`` so both
measure the same thing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import scipy.differentiate

from calcdocs.differentiate import derivative
from calcdocs.functions import sigmoid

__all__: list[str] = []


class SuiteProblem(NamedTuple):
    """One row of `DERIVATIVE_SUITE`: a function, its derivative and the points to test."""

    name: str
    f: Callable[[np.ndarray], np.ndarray]
    df: Callable[[np.ndarray], np.ndarray]
    points: list[float]


#: Accuracy suite for one-dimensional derivatives. Every ``f`` is complex-safe, every
#: ``f'`` is nonzero at its points, and the points span scales from 1e-3 to 1e3, including
#: oscillatory, steep and near-singular cases (``log`` near 0).
DERIVATIVE_SUITE = [
    SuiteProblem("sin(x)", np.sin, np.cos, [1e-3, 0.3, 1.0, 10.0, 100.0, 1e3]),
    SuiteProblem(
        "sin(50x)", lambda x: np.sin(50 * x), lambda x: 50 * np.cos(50 * x), [1e-3, 0.01, 0.3, 1.0]
    ),
    SuiteProblem(
        "sigmoid(20x)",
        lambda x: sigmoid(20 * x),
        # 20 s(1 - s) written without the cancellation in 1 - s
        lambda x: 20 * sigmoid(20 * x) * sigmoid(-20 * x),
        [1e-3, 0.05, -0.1, 0.2, 1.0],
    ),
    SuiteProblem("log(x)", np.log, lambda x: 1 / x, [1e-3, 1e-2, 0.5, 10.0, 1e3]),
    SuiteProblem("exp(x)", np.exp, np.exp, [1e-3, 0.5, 5.0, 20.0, -20.0]),
    SuiteProblem(
        "1/(1+x^2)",
        lambda x: 1 / (1 + x**2),
        lambda x: -2 * x / (1 + x**2) ** 2,
        [1e-3, 0.5, 3.0, 1e3],
    ),
    SuiteProblem("x^3", lambda x: x**3, lambda x: 3 * x**2, [1e-3, 0.7, 10.0, 1e3]),
    SuiteProblem("sqrt(x)", np.sqrt, lambda x: 0.5 / np.sqrt(x), [1e-3, 2.0, 1e3]),
    SuiteProblem("x^-2", lambda x: x**-2.0, lambda x: -2 * x**-3.0, [1e-3, 0.3, 50.0]),
    SuiteProblem("tanh(x)", np.tanh, lambda x: 1 / np.cosh(x) ** 2, [1e-3, 0.5, 3.0]),
]


class CallCounter:
    """Wrap ``f``, counting its calls and its evaluations (numbers it was given)."""

    def __init__(self, f: Callable[[np.ndarray], np.ndarray]):
        self.f = f
        self.calls = 0
        self.evaluations = 0
        self.sizes: list[int] = []  # numbers per call

    def __call__(self, x: np.ndarray) -> np.ndarray:
        self.calls += 1
        self.evaluations += np.size(x)
        self.sizes.append(int(np.size(x)))
        return self.f(x)


def suite_errors(method: str = "central", *, reference: bool = False) -> tuple[np.ndarray, float]:
    """Relative errors on `DERIVATIVE_SUITE`, and the mean evaluations of f per point.

    `method` is one of `calcdocs.derivative`'s methods. With ``reference=True`` the suite is
    measured for ``scipy.differentiate.derivative`` with its defaults instead (`method` is
    then ignored), the reference the tests and the benchmark compare with.
    """
    errors, evaluations, points = [], 0, 0
    for problem in DERIVATIVE_SUITE:
        x = np.array(problem.points, dtype=float)
        counted = CallCounter(problem.f)
        if reference:
            with np.errstate(all="ignore"):  # scipy's first step leaves log's domain
                d = scipy.differentiate.derivative(counted, x).df
        else:
            d = derivative(counted, x, method=method)
        exact = problem.df(x)
        errors.append(np.abs(d - exact) / np.abs(exact))
        evaluations += counted.evaluations
        points += x.size
    return np.concatenate(errors), evaluations / points


def mlp_logits(params, x, *, activation="tanh"):
    """Logits of an MLP ``h -> act(h @ w + b)`` (no activation after the last layer).

    Written once for calcdocs Tensors and torch tensors alike: `params` is a list of
    ``(w, b)`` pairs and `activation` the name of a method both have (``"tanh"``, ``"relu"``,
    ``"sigmoid"``). Shared by ``tests/test_autodiff.py`` and ``bench/bench_autodiff.py``.
    """
    h = x
    for k, (w, b) in enumerate(params):
        h = h @ w + b
        if k < len(params) - 1:
            h = getattr(h, activation)()
    return h


def mlp_loss(params, x, y_onehot, *, activation="tanh"):
    """Mean softmax cross-entropy of `mlp_logits`, in calcdocs Tensor operations.

    The log-sum-exp is shifted by the row maxima, a constant (taken from ``.data``), so
    that no exponential overflows; `y_onehot` has one row per sample.
    """
    logits = mlp_logits(params, x, activation=activation)
    shifted = logits - logits.data.max(axis=1, keepdims=True)  # a constant shift
    log_probs = shifted - shifted.exp().sum(axis=1, keepdims=True).log()
    return -(log_probs * y_onehot).sum() / logits.shape[0]
