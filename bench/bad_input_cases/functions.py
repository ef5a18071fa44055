"""Bad and edge inputs for ``calcdocs.functions`` (run by ``bench/bad_input.py``).

One block per class of failure named by the reviews (December 2026) for the test problems
and losses: the ``Objective`` constructor and its immutability, arrays a loss keeps, the
autodiff path through every problem, ``softmax`` and the seeds of the data generators,
keyword-only options and scalar result types. Edge cases return True when the result is
right.
"""

from __future__ import annotations

import operator

import numpy as np

import calcdocs as cd


def _objective(**changes):
    args = dict(
        value=lambda x: (x**2).sum(axis=-1),
        gradient=lambda x: 2 * x,
        hessian=lambda x: np.broadcast_to(2 * np.eye(2), (*x.shape, 2)).copy(),
    )
    args.update(changes)
    return cd.Objective("f", 2, args.pop("value"), args.pop("gradient"), args.pop("hessian"),
                        **args)  # fmt: skip


def _mutate(name, value):
    f = cd.rosenbrock()
    setattr(f, name, value)
    return getattr(f, name)


def _loss_keeps_its_data(make, column):
    X = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0], [1.0, 3.0]])
    y = np.array([0.0, 1.0, 0.0, 1.0])
    f = make(X, y)
    w = np.array([0.3, -0.2])
    before = (f(w), f.gradient(w), f.hessian(w))
    (X if column == "X" else y)[:] = 0.0
    after = (f(w), f.gradient(w), f.hessian(w))
    return all(np.array_equal(a, b) for a, b in zip(before, after, strict=True))


def _autodiff_matches(f, x):
    return bool(np.allclose(cd.grad(f)(x), f.gradient(x), rtol=1e-10, atol=1e-12))


def _jvp_matches(f, x, v):
    return bool(np.isclose(cd.jvp(f, x, v)[1], f.gradient(x) @ v, rtol=1e-10))


_X = np.array([[1.0, -1.0], [1.0, 0.5], [1.0, 1.0], [1.0, 2.0]])
_Y = np.array([0.0, 1.0, 0.0, 1.0])

CASES = [
    # --- the Objective constructor -----------------------------------------------------------
    ("minima-nan", "bad", lambda: _objective(minima=[[np.nan, 0.0]])),
    ("minima-str", "bad", lambda: _objective(minima=[["a", "b"]])),
    ("minima-ragged", "bad", lambda: _objective(minima=[[1.0], [1.0, 2.0]])),
    ("min-value-nan", "bad", lambda: _objective(min_value=np.nan)),
    ("domain-low-above-high", "bad", lambda: _objective(domain=[(0.0, 1.0), (2.0, 1.0)])),
    ("domain-nan-bound", "bad", lambda: _objective(domain=[(0.0, 1.0), (np.nan, 1.0)])),
    ("domain-number", "bad", lambda: _objective(domain=3)),
    ("domain-triples", "bad", lambda: _objective(domain=[(0, 1, 2), (0, 1, 2)])),
    ("domain-str-bound", "bad", lambda: _objective(domain=[(0.0, 1.0), ("a", 1.0)])),
    ("params-list", "bad", lambda: _objective(params=[1, 2])),
    ("params-int-keys", "bad", lambda: _objective(params={1: 2})),
    ("name-int", "bad", lambda: cd.Objective(3, 2, np.sin, np.sin, np.sin)),
    ("value-wrong-shape", "bad", lambda: _objective(value=lambda x: x)([1.0, 2.0])),
    ("gradient-wrong-shape", "bad",
     lambda: _objective(gradient=lambda x: x[..., 0]).gradient([1.0, 2.0])),
    ("hessian-wrong-shape", "bad", lambda: _objective(hessian=lambda x: x).hessian([1.0, 2.0])),
    # --- immutability --------------------------------------------------------------------------
    ("set-minima", "bad", lambda: _mutate("minima", "nonsense")),
    ("set-domain", "bad", lambda: _mutate("domain", 3)),
    ("set-min-value", "bad", lambda: _mutate("min_value", -1.0)),
    ("params-item", "bad", lambda: operator.setitem(cd.quadratic_bowl().params, "A", 0)),
    ("params-array-writable", "bad", lambda: cd.quadratic_bowl().params["A"].__setitem__(0, 5.0)),
    # --- arrays a loss keeps ------------------------------------------------------------------
    ("mse-X-mutated", "edge", lambda: _loss_keeps_its_data(cd.linear_regression_mse, "X")),
    ("mse-y-mutated", "edge", lambda: _loss_keeps_its_data(cd.linear_regression_mse, "y")),
    ("logistic-X-mutated", "edge", lambda: _loss_keeps_its_data(cd.logistic_regression_loss, "X")),
    ("mse-zero-columns", "bad", lambda: cd.linear_regression_mse(np.zeros((3, 0)), np.zeros(3))),
    # --- the autodiff path through every problem -----------------------------------------------
    ("grad-rosenbrock", "edge", lambda: _autodiff_matches(cd.rosenbrock(), np.array([-0.5, 1.5]))),
    ("grad-rosenbrock-4d", "edge",
     lambda: _autodiff_matches(cd.rosenbrock(4), np.linspace(-1, 1, 4))),
    ("grad-quadratic-bowl", "edge",
     lambda: _autodiff_matches(cd.quadratic_bowl(angle=0.4), np.array([0.3, -1.0]))),
    ("grad-himmelblau", "edge", lambda: _autodiff_matches(cd.himmelblau(), np.array([1.0, -2.0]))),
    ("grad-beale", "edge", lambda: _autodiff_matches(cd.beale(), np.array([1.0, 0.7]))),
    ("grad-saddle", "edge", lambda: _autodiff_matches(cd.saddle(), np.array([1.0, 0.7]))),
    ("grad-mse", "edge",
     lambda: _autodiff_matches(cd.linear_regression_mse(_X, _Y), np.array([0.2, 0.1]))),
    ("grad-logistic", "edge",
     lambda: _autodiff_matches(cd.logistic_regression_loss(_X, _Y, l2=0.1), np.array([0.2, 0.1]))),
    ("jvp-himmelblau", "edge",
     lambda: _jvp_matches(cd.himmelblau(), np.array([1.0, 2.0]), np.array([0.3, -1.0]))),
    # --- softmax and seeds -------------------------------------------------------------------
    ("softmax-empty", "bad", lambda: cd.softmax([])),
    ("softmax-axis-out-of-range", "bad", lambda: cd.softmax([1.0, 2.0], axis=3)),
    ("softmax-empty-batch", "edge", lambda: cd.softmax(np.zeros((0, 3))).shape == (0, 3)),
    ("moons-seed-str", "bad", lambda: cd.make_moons(seed="a")),
    ("moons-seed-negative", "bad", lambda: cd.make_moons(seed=-1)),
    ("moons-seed-float", "bad", lambda: cd.make_moons(seed=1.5)),
    ("moons-seed-bool", "bad", lambda: cd.make_moons(seed=True)),
    ("linear-seed-negative-list", "bad", lambda: cd.make_linear_data(seed=[-1])),
    ("moons-seed-generator", "edge",
     lambda: cd.make_moons(10, seed=np.random.default_rng(1))[0].shape == (10, 2)),
    # --- keyword-only options, one dimension name, scalar types --------------------------------
    ("quadratic-bowl-positional", "bad", lambda: cd.quadratic_bowl(10.0)),
    ("quadratic-bowl-keyword", "edge",
     lambda: cd.quadratic_bowl(condition_number=4.0).params["condition_number"] == 4.0),
    ("objective-n", "edge", lambda: cd.rosenbrock(3).n == 3),
    ("value-is-float", "edge", lambda: type(cd.rosenbrock()([1.0, 2.0])) is float),
    ("sigmoid-is-float", "edge", lambda: type(cd.sigmoid(0.0)) is float),
    ("softplus-is-float", "edge", lambda: type(cd.softplus(0.0)) is float),
    ("log-sigmoid-tail", "edge", lambda: cd.log_sigmoid(-1000.0) == -1000.0),
    # --- argument checks that held before ----------------------------------------------------
    ("rosenbrock-n-float", "bad", lambda: cd.rosenbrock(2.0)),
    ("x-wrong-length", "bad", lambda: cd.rosenbrock()([1.0, 2.0, 3.0])),
    ("condition-number-low", "bad", lambda: cd.quadratic_bowl(condition_number=0.5)),
    ("logistic-labels", "bad", lambda: cd.logistic_regression_loss(np.ones((3, 2)), [0, 1, 2])),
]  # fmt: skip
