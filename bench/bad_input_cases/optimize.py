"""Bad and edge inputs for ``calcdocs.optimize`` (run by ``bench/bad_input.py``).

Bad inputs are the argument rules of issue 8 (learning rate, steps, betas, eps, momentum,
alpha, dampening, Nesterov, x0, what grad is and returns, schedules, minibatches). Edge
inputs return True when the run reports what happened: a gradient that turns non-finite or
blows up mid-run ends as ``diverged`` with the history kept, a singular Hessian is not
divergence, ``steps=0`` returns the start.
"""

from __future__ import annotations

import numpy as np

import calcdocs as cd

X0 = np.array([1.0, -2.0])


def grad(x):
    return np.array([1.0, 10.0]) * x


def _nan_after(k):
    calls = []

    def g(x):
        calls.append(1)
        return grad(x) if len(calls) <= k else np.full_like(x, np.nan)

    return g


def _nan_mid_run():
    run = cd.adam(_nan_after(3), X0, steps=50, lr=0.1)
    return run.diverged and run.steps == 3 and "step 3" in run.message and len(run.points) == 4


def _blow_up():
    run = cd.gradient_descent(grad, X0, steps=10_000, lr=0.25)  # 2/L = 0.2
    return run.diverged and "blew up" in run.message


def _singular_logistic():
    X, y = cd.make_moons(60, noise=0.3, seed=1)
    X = np.column_stack([np.ones(60), X, X[:, 0]])  # a duplicated column
    f = cd.logistic_regression_loss(X, y)
    return f.minima.shape == (1, 4) and bool(np.linalg.norm(f.gradient(f.minima[0])) < 1e-10)


def _x0_untouched():
    x0 = X0.copy()
    cd.sgd(grad, x0, steps=5, lr=0.1, momentum=0.9)
    return bool(np.array_equal(x0, X0))


CASES = [
    ("sgd lr=0", "bad", lambda: cd.sgd(grad, X0, steps=1, lr=0.0)),
    ("adam lr=-1e-3", "bad", lambda: cd.adam(grad, X0, steps=1, lr=-1e-3)),
    ("rmsprop lr=inf", "bad", lambda: cd.rmsprop(grad, X0, steps=1, lr=np.inf)),
    ("sgd lr=None", "bad", lambda: cd.sgd(grad, X0, steps=1, lr=None)),
    ("schedule returns nan", "bad", lambda: cd.sgd(grad, X0, steps=2, lr=lambda t: np.nan)),
    ("steps=-1", "bad", lambda: cd.adagrad(grad, X0, steps=-1)),
    ("steps=1.5", "bad", lambda: cd.sgd(grad, X0, steps=1.5)),
    ("betas=(1, 0.999)", "bad", lambda: cd.adam(grad, X0, steps=1, betas=(1.0, 0.999))),
    ("betas=(0.9, -0.1)", "bad", lambda: cd.adamw(grad, X0, steps=1, betas=(0.9, -0.1))),
    ("eps=-1", "bad", lambda: cd.adam(grad, X0, steps=1, eps=-1.0)),
    ("momentum=1.5", "bad", lambda: cd.sgd(grad, X0, steps=1, momentum=1.5)),
    ("alpha=1", "bad", lambda: cd.rmsprop(grad, X0, steps=1, alpha=1.0)),
    ("dampening=-0.1", "bad", lambda: cd.sgd(grad, X0, steps=1, dampening=-0.1)),
    ("nesterov without momentum", "bad", lambda: cd.sgd(grad, X0, steps=1, nesterov=True)),
    (
        "nesterov with dampening",
        "bad",
        lambda: cd.sgd(grad, X0, steps=1, momentum=0.9, dampening=0.5, nesterov=True),
    ),
    ("x0 with nan", "bad", lambda: cd.sgd(grad, [np.nan, 1.0], steps=1)),
    ("grad not callable", "bad", lambda: cd.adam("grad", X0, steps=1)),
    ("grad wrong shape", "bad", lambda: cd.adam(lambda x: np.zeros(3), X0, steps=1)),
    ("grad returns text", "bad", lambda: cd.sgd(lambda x: "down", X0, steps=1)),
    ("grad returns None", "bad", lambda: cd.sgd(lambda x: None, X0, steps=1)),
    (
        "line search without f",
        "bad",
        lambda: cd.gradient_descent(grad, X0, steps=1, lr=1.0, line_search=True),
    ),
    ("hess wrong shape", "bad", lambda: cd.newton(grad, lambda x: np.eye(3), X0, steps=1)),
    ("StepLR step_size=0", "bad", lambda: cd.StepLR(0.1, step_size=0)),
    ("LinearLR start_factor=0", "bad", lambda: cd.LinearLR(0.1, start_factor=0.0)),
    (
        "batch_size > N",
        "bad",
        lambda: cd.MinibatchGradient(lambda w, b: w, np.ones((4, 2)), batch_size=5),
    ),
    ("nan gradient mid-run is divergence", "edge", _nan_mid_run),
    ("blow-up is divergence", "edge", _blow_up),
    ("singular Hessian still finds the minimum", "edge", _singular_logistic),
    ("x0 never mutated", "edge", _x0_untouched),
    ("steps=0 returns x0", "edge", lambda: bool(np.array_equal(cd.adam(grad, X0, steps=0).x, X0))),
    (
        "integer x0",
        "edge",
        lambda: bool(cd.sgd(grad, [1, 2], steps=3, lr=0.1).x.dtype == np.float64),
    ),
]
