"""Problem sets shared by the tests and the benchmarks (as in scipy's ``optimize._tstutils``).

Private: not part of the public API, but importable by ``tests/`` and ``bench/`` so both
measure the same thing.
"""

from __future__ import annotations

import numpy as np

__all__: list[str] = []


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


#: Accuracy suite for one-dimensional derivatives: ``(name, f, f', points)``. Every ``f`` is
#: complex-safe, every ``f'`` is nonzero at its points, and the points span scales from 1e-3
#: to 1e3, including oscillatory, steep and near-singular cases (``log`` near 0).
DERIVATIVE_SUITE = [
    ("sin(x)", np.sin, np.cos, [1e-3, 0.3, 1.0, 10.0, 100.0, 1e3]),
    ("sin(50x)", lambda x: np.sin(50 * x), lambda x: 50 * np.cos(50 * x), [1e-3, 0.01, 0.3, 1.0]),
    (
        "sigmoid(20x)",
        lambda x: _sigmoid(20 * x),
        # 20 s(1 - s) written without the cancellation in 1 - s
        lambda x: 20 * _sigmoid(20 * x) * _sigmoid(-20 * x),
        [1e-3, 0.05, -0.1, 0.2, 1.0],
    ),
    ("log(x)", np.log, lambda x: 1 / x, [1e-3, 1e-2, 0.5, 10.0, 1e3]),
    ("exp(x)", np.exp, np.exp, [1e-3, 0.5, 5.0, 20.0, -20.0]),
    (
        "1/(1+x^2)",
        lambda x: 1 / (1 + x**2),
        lambda x: -2 * x / (1 + x**2) ** 2,
        [1e-3, 0.5, 3.0, 1e3],
    ),
    ("x^3", lambda x: x**3, lambda x: 3 * x**2, [1e-3, 0.7, 10.0, 1e3]),
    ("sqrt(x)", np.sqrt, lambda x: 0.5 / np.sqrt(x), [1e-3, 2.0, 1e3]),
    ("x^-2", lambda x: x**-2.0, lambda x: -2 * x**-3.0, [1e-3, 0.3, 50.0]),
    ("tanh(x)", np.tanh, lambda x: 1 / np.cosh(x) ** 2, [1e-3, 0.5, 3.0]),
]


class Counter:
    """Wrap ``f``, counting its calls and its evaluations (points)."""

    def __init__(self, f):
        self.f = f
        self.calls = 0
        self.evaluations = 0

    def __call__(self, x):
        self.calls += 1
        self.evaluations += np.size(x)
        return self.f(x)


def suite_errors(method: str) -> tuple[np.ndarray, float]:
    """Relative errors on `DERIVATIVE_SUITE`, and the mean evaluations of f per point.

    `method` is one of `calcdocs.derivative`'s methods, or ``"scipy"`` for
    ``scipy.differentiate.derivative`` with its defaults (SciPy is imported only then).
    """
    from calcdocs.differentiate import derivative

    errors, evaluations, points = [], 0, 0
    for _, f, df, xs in DERIVATIVE_SUITE:
        x = np.array(xs, dtype=float)
        counted = Counter(f)
        with np.errstate(all="ignore"):  # scipy's first step leaves log's domain
            if method == "scipy":
                import scipy.differentiate

                d = scipy.differentiate.derivative(counted, x).df
            else:
                d = derivative(counted, x, method=method)
        errors.append(np.abs(d - df(x)) / np.abs(df(x)))
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
