"""Bad and edge inputs for ``calcdocs.autodiff`` (run by ``bench/bad_input.py``).

One block per class of failure named by the reviews (December 2026) for autodiff: the
graph protocol (cycles, malformed nodes), a broken graph returning silent zeros,
``jvp`` of a non-Dual result, ``0**y``, the sigmoid tail, constants kept by the graph,
Python's and NumPy's protocols on Tensor, the constructor and the ``grad`` setter, and
scalar result types. Edge cases return True when the result is right.
"""

from __future__ import annotations

import math

import numpy as np

import calcdocs as cd
from calcdocs import Dual, Tensor


def _topological_order(root):
    from calcdocs.autodiff import topological_order

    return topological_order(root)


class _Node:
    def __init__(self, *parents):
        self.parents = parents


def _cycle(length):
    nodes = [_Node() for _ in range(length)]
    for k, node in enumerate(nodes):
        node.parents = (nodes[(k + 1) % length],)
    return nodes[0]


def _set_grad(value):
    t = Tensor([1.0, 2.0], requires_grad=True)
    t.grad = value
    return t.grad


def _constant_mutated_after_the_graph():
    x = Tensor([1.0, 2.0], requires_grad=True)
    a = np.array([1.0, 2.0])
    y = (x * a).sum()
    a[:] = 100.0
    y.backward()
    return np.array_equal(x.grad, [1.0, 2.0])


def _matmul_constant_mutated():
    x = Tensor([1.0, 2.0], requires_grad=True)
    m = np.eye(2)
    y = (m @ x).sum()
    m[:] = 7.0
    y.backward()
    return np.array_equal(x.grad, [1.0, 1.0])


def _zero_base_exponent(mode):
    y = np.array([0.5, 2.0])
    with np.errstate(all="ignore"):
        if mode == "reverse":
            t = Tensor(y, requires_grad=True)
            (0.0**t).backward(np.ones(2))
            g = t.grad
        else:
            g = (0.0 ** Dual(y, 1.0)).tangent
    return bool(np.array_equal(g, [0.0, 0.0]))


def _mean_of_empty():
    x = Tensor(np.zeros(0), requires_grad=True)
    with np.errstate(all="ignore"), __import__("warnings").catch_warnings():
        __import__("warnings").simplefilter("ignore")
        y = x.mean()
        y.backward()
    return bool(np.isnan(y.data)) and x.grad.shape == (0,)


def _long_chain(n):
    x = Tensor(1.0, requires_grad=True)
    y = x
    for _ in range(n):
        y = y * 1.0
    y.backward()
    return float(x.grad) == 1.0


def _transpose_3_cycle():
    a = np.arange(24.0).reshape(2, 3, 4)
    w = np.random.default_rng(0).normal(size=(3, 4, 2))
    t = Tensor(a, requires_grad=True)
    (t.transpose(1, 2, 0) * w).sum().backward()
    return bool(np.allclose(t.grad, np.transpose(w, (2, 0, 1))))


def _every_grad_private():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = Tensor([3.0, 4.0], requires_grad=True)
    (x + y).sum().backward()
    x.grad *= 5
    return bool(np.array_equal(y.grad, [1.0, 1.0]))


def _wraps():
    def loss(x):
        return (x * x).sum()

    return cd.grad(loss).__name__ == "loss" and cd.value_and_grad(loss).__name__ == "loss"


CASES = [
    # --- the graph protocol: cycles and malformed nodes --------------------------------------
    ("topological-self-cycle", "bad", lambda: _topological_order(_cycle(1))),
    ("topological-3-cycle", "bad", lambda: _topological_order(_cycle(3))),
    ("topological-no-parents", "bad", lambda: _topological_order(object())),
    ("topological-parents-none", "bad",
     lambda: _topological_order(type("N", (), {"parents": None})())),
    ("topological-parent-not-a-node", "bad", lambda: _topological_order(_Node(3.0))),
    ("graph-public-parents", "edge",
     lambda: (Tensor(1.0, requires_grad=True) * 2).parents[1].op == ""),
    ("graph-order-leaves-first", "edge",
     lambda: [n.op for n in _topological_order((Tensor(1.0, requires_grad=True) * 2).exp())]
     == ["", "", "mul", "exp"]),
    ("graph-parents-read-only", "bad", lambda: setattr(Tensor(1.0), "parents", ())),
    # --- a broken graph: silent zeros --------------------------------------------------------
    ("grad-rebuilt-from-data", "bad",
     lambda: cd.grad(lambda t: Tensor(np.sin(t.data)).sum())(np.ones(2))),
    ("value-and-grad-rebuilt", "bad",
     lambda: cd.value_and_grad(lambda t: Tensor(np.sin(t.data)).sum())(np.ones(2))),
    ("grad-constant-tensor", "bad", lambda: cd.grad(lambda t: Tensor(1.0))(np.ones(2))),
    ("grad-other-leaf", "bad",
     lambda: cd.grad(lambda t: (Tensor(2.0, requires_grad=True) * 3).sum())(np.ones(2))),
    ("grad-math-sin", "bad", lambda: cd.grad(lambda t: math.sin(t))(1.0)),
    ("grad-x-str", "bad", lambda: cd.grad(lambda t: t.sum())("abc")),
    ("jvp-returns-float", "bad", lambda: cd.jvp(lambda d: 3.0, np.ones(2), np.ones(2))),
    ("jvp-returns-array-from-value", "bad",
     lambda: cd.jvp(lambda d: np.sin(d.value), np.ones(2), np.ones(2))),
    ("jvp-math-sin", "bad", lambda: cd.jvp(lambda d: math.sin(d), 1.0, 1.0)),
    # --- 0**y and the sigmoid tail -----------------------------------------------------------
    ("pow-zero-base-reverse", "edge", lambda: _zero_base_exponent("reverse")),
    ("pow-zero-base-forward", "edge", lambda: _zero_base_exponent("forward")),
    ("sigmoid-tail-tensor", "edge", lambda: Tensor(-40.0).sigmoid().item() == cd.sigmoid(-40.0)),
    ("sigmoid-tail-dual", "edge", lambda: float(Dual(-40.0).sigmoid().value) == cd.sigmoid(-40.0)),
    ("sigmoid-tail-log", "edge", lambda: bool(np.isfinite(Tensor(-40.0).sigmoid().log().item()))),
    ("sigmoid-tail-value", "edge",
     lambda: math.isclose(Tensor(-40.0).sigmoid().item(), 4.248354255291589e-18, rel_tol=1e-14)),
    ("log-sigmoid-tail", "edge", lambda: Tensor(-1000.0).log_sigmoid().item() == -1000.0),
    ("softplus-large", "edge", lambda: Tensor(1000.0).softplus().item() == 1000.0),
    # --- arrays the graph keeps --------------------------------------------------------------
    ("constant-mutated-after", "edge", _constant_mutated_after_the_graph),
    ("matmul-constant-mutated", "edge", _matmul_constant_mutated),
    ("leaf-grads-private", "edge", _every_grad_private),
    # --- structural ops and the reverse pass -------------------------------------------------
    ("mean-of-empty", "edge", _mean_of_empty),
    ("chain-100000", "edge", lambda: _long_chain(100_000)),
    ("transpose-3-cycle", "edge", _transpose_3_cycle),
    # --- Python's and NumPy's protocols ------------------------------------------------------
    ("bool-two-entries", "bad", lambda: bool(Tensor([1.0, 2.0]))),
    ("bool-one-entry-zero", "edge", lambda: bool(Tensor([0.0])) is False),
    ("bool-0d", "edge", lambda: bool(Tensor(2.0)) is True),
    ("iter-0d", "bad", lambda: list(Tensor(1.0))),
    ("len-0d", "bad", lambda: len(Tensor(1.0))),
    ("builtin-sum-0d", "bad", lambda: sum(Tensor(5.0))),
    ("iter-rows", "edge", lambda: [r.shape for r in Tensor(np.ones((2, 3)))] == [(3,), (3,)]),
    ("np-asarray", "bad", lambda: np.asarray(Tensor([1.0, 2.0]))),
    ("np-sum", "edge", lambda: np.sum(Tensor([1.0, 2.0])).item() == 3.0),
    ("np-mean-axis", "edge", lambda: np.mean(Tensor(np.ones((2, 3))), axis=0).shape == (3,)),
    ("np-sum-dtype", "bad", lambda: np.sum(Tensor([1.0]), dtype=float)),
    ("np-stack", "bad", lambda: np.stack([Tensor([1.0]), Tensor([2.0])])),
    ("float-of-tensor", "bad", lambda: float(Tensor(1.0))),
    ("dual-np-asarray", "bad", lambda: np.asarray(Dual([1.0, 2.0], 1.0))),
    ("dual-bool-two", "bad", lambda: bool(Dual([1.0, 2.0], 1.0))),
    # --- constructor, setter, booleans -------------------------------------------------------
    ("requires-grad-str", "bad", lambda: Tensor([1.0], requires_grad="False")),
    ("requires-grad-int", "bad", lambda: Tensor([1.0], requires_grad=2)),
    ("requires-grad-positional", "bad", lambda: Tensor([1.0], True)),
    ("label-int", "bad", lambda: Tensor([1.0], label=3)),
    ("data-bool", "bad", lambda: Tensor([True, False])),
    ("grad-setter-shape", "bad", lambda: _set_grad(np.ones((2, 2)))),
    ("grad-setter-str", "bad", lambda: _set_grad("abc")),
    ("grad-setter-ok", "edge", lambda: _set_grad([3, 4]).dtype == np.float64),
    # --- scalar results and the closures -----------------------------------------------------
    ("grad-scalar-is-float", "edge", lambda: type(cd.grad(lambda t: t**3)(2.0)) is float),
    ("jvp-scalar-is-float", "edge",
     lambda: {type(v) for v in cd.jvp(lambda d: (d * d).sum(), np.ones(2), np.ones(2))} == {float}),
    ("item-is-float", "edge", lambda: type(Tensor([5]).item()) is float),
    ("grad-wraps", "edge", _wraps),
    # --- argument checks that held before ----------------------------------------------------
    ("backward-seed-shape", "bad",
     lambda: Tensor(np.ones(3), requires_grad=True).backward(np.ones(4))),
    ("dual-tangent-shape", "bad", lambda: Dual(np.ones(3), np.ones(2))),
    ("tensor-data-str", "bad", lambda: Tensor("abc")),
    ("grad-f-not-callable", "bad", lambda: cd.grad(3.0)),
]  # fmt: skip
