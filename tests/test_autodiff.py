"""Tests for calcdocs.autodiff: rule table vs finite differences, PyTorch as a second oracle."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import calcdocs
from calcdocs import (
    Dual,
    Tensor,
    derivative,
    grad,
    gradient,
    jvp,
    topological_order,
    value_and_grad,
)
from calcdocs._tstutils import mlp_logits, mlp_loss
from calcdocs.autodiff import _ELEMENTWISE, _Rule, _unbroadcast

# torch warns about its own use of torch.jit.script on import; not ours to fix.
pytestmark = pytest.mark.filterwarnings(
    "ignore:`torch.jit.script` is deprecated:DeprecationWarning"
)

RTOL = 1e-10  # reverse/forward mode against PyTorch, float64 on both sides

# ----------------------------------------------------------------------------------------
# The table: every row is exercised through its public operator or method
# ----------------------------------------------------------------------------------------

# Public spelling of each table row; works for Tensor and Dual alike.
OPS = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "pow": lambda a, b: a**b,
    "neg": lambda a: -a,
    "exp": lambda a: a.exp(),
    "log": lambda a: a.log(),
    "sqrt": lambda a: a.sqrt(),
    "sin": lambda a: a.sin(),
    "cos": lambda a: a.cos(),
    "tanh": lambda a: a.tanh(),
    "sigmoid": lambda a: a.sigmoid(),
    "softplus": lambda a: a.softplus(),
    "log_sigmoid": lambda a: a.log_sigmoid(),
    "relu": lambda a: a.relu(),
    "abs": lambda a: abs(a),
}


def _torch_functional(name):
    def op(a):
        import torch

        return getattr(torch.nn.functional, name)(a)

    return op


# PyTorch's spelling of each row: the same as ours except where torch has no such method.
TORCH_OPS = {
    **OPS,
    "softplus": _torch_functional("softplus"),
    "log_sigmoid": _torch_functional("logsigmoid"),
}

# Where each operand is sampled: (low, high) magnitudes, and whether negatives are allowed.
# Kinks (relu, abs at 0) and singularities are kept away from; the tails of the sigmoid
# family have their own test.
DOMAINS = {
    "add": [(0.1, 2.0, True), (0.1, 2.0, True)],
    "sub": [(0.1, 2.0, True), (0.1, 2.0, True)],
    "mul": [(0.1, 2.0, True), (0.1, 2.0, True)],
    "div": [(0.1, 2.0, True), (0.5, 2.0, True)],
    "pow": [(0.5, 2.0, False), (0.1, 2.5, True)],
    "neg": [(0.1, 2.0, True)],
    "exp": [(0.1, 2.0, True)],
    "log": [(0.2, 3.0, False)],
    "sqrt": [(0.2, 3.0, False)],
    "sin": [(0.1, 3.0, True)],
    "cos": [(0.1, 3.0, True)],
    "tanh": [(0.1, 2.0, True)],
    "sigmoid": [(0.1, 8.0, True)],
    "softplus": [(0.1, 8.0, True)],
    "log_sigmoid": [(0.1, 8.0, True)],
    "relu": [(0.1, 2.0, True)],
    "abs": [(0.1, 2.0, True)],
}


def _sample(name: str, n: int, seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng([seed, *name.encode()])
    out = []
    for low, high, signed in DOMAINS[name]:
        x = rng.uniform(low, high, size=n)
        if signed:
            x *= rng.choice([-1.0, 1.0], size=n)
        out.append(x)
    return out


def test_table_rows_are_all_tested():
    # Every row has a public spelling that reaches that row (its result's `op` is the
    # row's name), a sampling domain with one interval per operand, and a PyTorch
    # spelling. The tests below are parametrized over the table itself, so each row is
    # checked against finite differences in both modes and against PyTorch.
    assert set(OPS) == set(_ELEMENTWISE) == set(DOMAINS) == set(TORCH_OPS)
    for name, rule in _ELEMENTWISE.items():
        assert len(rule.partials) == len(DOMAINS[name]), name
        args = [Tensor(x, requires_grad=True) for x in _sample(name, n=2)]
        assert OPS[name](*args).op == name
        assert callable(TORCH_OPS[name])


def _fd_partial(name: str, xs: list[float], i: int) -> float:
    """d op / d xs[i] at one point by Richardson extrapolation (calcdocs.derivative)."""

    def f(t: np.ndarray) -> np.ndarray:
        args = [Tensor(t) if j == i else xs[j] for j in range(len(xs))]
        return OPS[name](*args).data

    return derivative(f, xs[i], method="richardson")


def _partial(mode: str, name: str, xs: list[np.ndarray], i: int) -> np.ndarray:
    """d op / d xs[i], elementwise, by reverse mode (seed ones) or forward mode (tangent 1)."""
    if mode == "reverse":
        leaves = [Tensor(x, requires_grad=(j == i)) for j, x in enumerate(xs)]
        out = OPS[name](*leaves)
        assert out.op == name
        out.backward(np.ones_like(out.data))
        return leaves[i].grad
    args = [Dual(x, 1.0) if j == i else x for j, x in enumerate(xs)]
    return OPS[name](*args).tangent


@pytest.mark.parametrize("mode", ["reverse", "forward"])
@pytest.mark.parametrize("name", sorted(_ELEMENTWISE))
def test_rows_match_finite_differences(name, mode):
    xs = _sample(name, n=6, seed={"reverse": 0, "forward": 1}[mode])
    for i in range(len(xs)):
        expected = [_fd_partial(name, [x[k] for x in xs], i) for k in range(len(xs[0]))]
        np.testing.assert_allclose(_partial(mode, name, xs, i), expected, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("name", sorted(_ELEMENTWISE))
def test_rows_match_torch(name):
    torch = pytest.importorskip("torch")
    xs = _sample(name, n=6, seed=3)
    for i in range(len(xs)):
        theirs = [torch.tensor(x, requires_grad=(j == i)) for j, x in enumerate(xs)]
        ref = TORCH_OPS[name](*theirs)
        ref.sum().backward()
        ours = [Tensor(x, requires_grad=(j == i)) for j, x in enumerate(xs)]
        out = OPS[name](*ours)
        np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-14, atol=0)
        for mode in ("reverse", "forward"):
            np.testing.assert_allclose(
                _partial(mode, name, xs, i), theirs[i].grad.numpy(), rtol=RTOL, atol=1e-300
            )


@pytest.mark.parametrize("name", sorted(_ELEMENTWISE))
def test_forward_and_reverse_agree_with_scalars_on_either_side(name):
    # Python scalars are constants on the left and on the right.
    xs = _sample(name, n=1, seed=2)
    scalars = [float(x[0]) for x in xs]
    for i in range(len(xs)):
        t = Tensor(scalars[i], requires_grad=True)
        rev = OPS[name](*[t if j == i else s for j, s in enumerate(scalars)])
        rev.backward()
        fwd = OPS[name](*[Dual(s, 1.0) if j == i else s for j, s in enumerate(scalars)])
        assert rev.data.shape == () and fwd.value.shape == ()
        assert rev.item() == pytest.approx(float(fwd.value[()]), rel=1e-15)
        assert float(t.grad) == pytest.approx(float(fwd.tangent[()]), rel=1e-14)


def test_both_modes_read_the_same_table(monkeypatch):
    # Changing a row changes reverse and forward mode alike, through the public methods.
    wrong_sin = _Rule(np.sin, (lambda x, out: 2.0 * np.cos(x),))
    monkeypatch.setitem(_ELEMENTWISE, "sin", wrong_sin)
    t = Tensor([1.0, 2.0], requires_grad=True)
    out = t.sin()
    out.backward(np.ones(2))
    d = Dual([1.0, 2.0], 1.0).sin()
    np.testing.assert_array_equal(t.grad, 2.0 * np.cos([1.0, 2.0]))
    np.testing.assert_array_equal(d.tangent, 2.0 * np.cos([1.0, 2.0]))
    assert out.op == "sin"


@given(
    name=st.sampled_from(
        sorted(name for name, rule in _ELEMENTWISE.items() if len(rule.partials) == 1)
    ),
    shape=st.lists(st.integers(1, 4), max_size=3).map(tuple),
    seed=st.integers(0, 2**32 - 1),
)
@settings(max_examples=60, deadline=None)
def test_unary_ops_reverse_equals_forward(name, shape, seed):
    # A unary elementwise op has a diagonal Jacobian: the VJP and JVP with all-ones agree.
    rng = np.random.default_rng(seed)
    low, high, signed = DOMAINS[name][0]
    x = rng.uniform(low, high, size=shape) * (rng.choice([-1.0, 1.0], size=shape) if signed else 1)
    t = Tensor(x, requires_grad=True)
    out = OPS[name](t)
    out.backward(np.ones(shape))
    d = OPS[name](Dual(x, np.ones(shape)))
    assert out.shape == d.shape == shape
    np.testing.assert_allclose(out.data, d.value, rtol=0, atol=0)
    np.testing.assert_allclose(t.grad, d.tangent, rtol=1e-15)


def test_missing_rule_raises_not_implemented(monkeypatch):
    monkeypatch.delitem(_ELEMENTWISE, "sin")
    with pytest.raises(NotImplementedError, match="'sin'"):
        Tensor(1.0).sin()
    with pytest.raises(NotImplementedError, match="'sin'"):
        Dual(1.0, 1.0).sin()


# ----------------------------------------------------------------------------------------
# Graph mechanics
# ----------------------------------------------------------------------------------------


def test_micrograd_example_values():
    a = Tensor(-4.0, requires_grad=True, label="a")
    b = Tensor(2.0, requires_grad=True, label="b")
    c = a + b
    d = a * b + b**3
    c = c + c + 1
    c = c + 1 + c + (-a)
    d = d + d * 2 + (b + a).relu()
    d = d + 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g = g + 10.0 / f
    g.backward()
    # Values from micrograd's README (checked there against PyTorch).
    assert g.item() == pytest.approx(24.7041, abs=1e-4)
    assert a.grad == pytest.approx(138.8338, abs=1e-4)
    assert b.grad == pytest.approx(645.5773, abs=1e-4)


def test_graph_protocol_attributes_are_public_and_read_only():
    x = Tensor(2.0, requires_grad=True, label="x")
    y = (x * 3.0).exp()
    assert x.op == "" and x.parents == () and x.label == "x"
    assert y.op == "exp" and y.label is None
    (mul,) = y.parents
    assert mul.op == "mul" and mul.parents[0] is x
    assert mul.parents[1].op == "" and not mul.parents[1].requires_grad
    assert isinstance(y.data, np.ndarray) and isinstance(y.grad, np.ndarray)
    for attribute in ("parents", "op", "requires_grad"):
        with pytest.raises(AttributeError):
            setattr(y, attribute, getattr(x, attribute))
    y.label = "y"  # the display name may be set, and is checked
    assert y.label == "y"
    assert not hasattr(y, "__dict__")  # __slots__: no stray attributes
    with pytest.raises(AttributeError):
        y.colour = "red"
    for op, t in [
        ("matmul", Tensor(np.ones((2, 2)), requires_grad=True) @ np.ones(2)),
        ("sum", Tensor([1.0], requires_grad=True).sum()),
        ("mean", Tensor([1.0], requires_grad=True).mean()),
        ("reshape", Tensor([1.0, 2.0], requires_grad=True).reshape(2, 1)),
        ("transpose", Tensor([[1.0, 2.0]], requires_grad=True).T),
        ("getitem", Tensor([1.0, 2.0], requires_grad=True)[0]),
    ]:
        assert t.op == op


class _Node:
    """A duck-typed graph node: only ``parents`` is required by the protocol."""

    def __init__(self, *parents, label=None):
        self.parents = parents
        self.label = label


def test_topological_order_puts_every_node_after_its_parents():
    a = _Node(label="a")
    b = _Node(a, label="b")
    c = _Node(a, b, label="c")
    d = _Node(c, b, a, label="d")
    order = topological_order(d)
    assert [n.label for n in order] == ["a", "b", "c", "d"]
    x = Tensor([1.0, 2.0], requires_grad=True)
    h = x.exp()
    y = (h * x + h.sin()).sum()
    order = topological_order(y)
    position = {id(n): k for k, n in enumerate(order)}
    assert len(position) == len(order)  # each node once
    assert order[-1] is y and order[0] is x
    for node in order:
        assert all(position[id(p)] < position[id(node)] for p in node.parents)


def test_topological_order_of_a_long_chain_is_iterative():
    # Far past Python's recursion limit: a recursive search would fail here.
    nodes = [_Node(label=0)]
    for k in range(1, 100_000):
        nodes.append(_Node(nodes[-1], label=k))
    order = topological_order(nodes[-1])
    assert [n.label for n in order] == list(range(100_000))
    x = Tensor(1.0, requires_grad=True)
    y = x
    for _ in range(20_000):
        y = y * 1.0
    y.backward()
    assert float(x.grad) == 1.0


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda: _Node.__new__(_Node), TypeError, r"`root`: every graph node needs a `parents`"),
        (lambda: _Node(object()), TypeError, r"`root`: every graph node needs a `parents`"),
        (lambda: type("Bad", (), {"parents": None})(), TypeError,
         r"`root`: a node's `parents` must be a tuple of nodes; got NoneType"),
    ],
    ids=["root-without-parents", "parent-without-parents", "parents-is-none"],
)  # fmt: skip
def test_topological_order_rejects_malformed_nodes(make, error, match):
    with pytest.raises(error, match=match):
        topological_order(make())


@pytest.mark.parametrize("length", [1, 2, 5])
def test_topological_order_raises_on_a_cycle(length):
    nodes = [_Node() for _ in range(length)]
    for k, node in enumerate(nodes):
        node.parents = (nodes[(k + 1) % length],)
    with pytest.raises(ValueError, match=r"`root`: the graph has a cycle"):
        topological_order(nodes[0])


def test_accumulation_and_zero_grad():
    x = Tensor([1.0, 2.0], requires_grad=True)
    for k in range(1, 4):
        (x * x).sum().backward()
        np.testing.assert_array_equal(x.grad, k * 2 * x.data)
    x.zero_grad()
    np.testing.assert_array_equal(x.grad, [0.0, 0.0])
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad, 2 * x.data)


def test_second_backward_propagates_only_the_new_seed():
    # Intermediate nodes accumulate too, but each pass propagates only its own gradient.
    x = Tensor(3.0, requires_grad=True)
    h = x * x
    y = h * 2.0
    y.backward()
    y.backward()
    assert float(x.grad) == 2 * 12.0
    assert float(h.grad) == 2 * 2.0
    assert float(y.grad) == 2 * 1.0


def test_fan_out():
    x = Tensor(1.5, requires_grad=True)
    y = x * x * x + x + x.exp() * x  # x used five times
    y.backward()
    expected = 3 * 1.5**2 + 1 + math.exp(1.5) * (1 + 1.5)
    assert float(x.grad) == pytest.approx(expected, rel=1e-14)


def test_fan_out_of_an_intermediate_node_many_times():
    x = Tensor(np.array([0.5, -1.0]), requires_grad=True)
    h = x.tanh()
    total = h
    for _ in range(99):
        total = total + h  # h feeds 100 uses
    total.sum().backward()
    np.testing.assert_allclose(x.grad, 100 * (1 - np.tanh(x.data) ** 2), rtol=1e-14)


@pytest.mark.parametrize(
    ("shape_a", "shape_b"),
    [((3, 1), (1, 4)), ((), (3, 4)), ((4,), (3, 4)), ((2, 1, 4), (3, 1)), ((1, 1), (5,))],
)
def test_broadcasting_gradients_are_reduced_to_input_shapes(shape_a, shape_b):
    rng = np.random.default_rng(0)
    a = Tensor(rng.normal(size=shape_a), requires_grad=True)
    b = Tensor(rng.normal(size=shape_b), requires_grad=True)
    out = a * b
    out.backward(np.ones(out.shape))
    assert a.grad.shape == shape_a and b.grad.shape == shape_b
    full_shape = np.broadcast_shapes(shape_a, shape_b)
    np.testing.assert_allclose(
        a.grad, _unbroadcast(np.broadcast_to(b.data, full_shape), shape_a), rtol=1e-14
    )
    np.testing.assert_allclose(a.grad.sum(), (np.ones(full_shape) * b.data).sum(), rtol=1e-12)


def test_scalar_plus_array_gradient_counts_uses():
    s = Tensor(2.0, requires_grad=True)
    out = s + np.arange(6.0).reshape(2, 3)
    out.sum().backward()
    assert s.grad.shape == () and float(s.grad) == 6.0


def test_ndarray_on_the_left_defers_to_tensor_and_dual():
    t = Tensor([1.0, 2.0], requires_grad=True)
    for out in (np.ones(2) + t, np.ones(2) - t, np.ones(2) * t, np.ones(2) / t, np.ones(2) ** t):
        assert isinstance(out, Tensor)
    assert isinstance(np.ones((3, 2)) @ t, Tensor)
    d = Dual([1.0, 2.0], 1.0)
    assert isinstance(np.ones(2) * d, Dual) and isinstance(np.ones((3, 2)) @ d, Dual)


@pytest.mark.parametrize("axis", [None, 0, 1, -1, (0, 2)])
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_reductions(axis, keepdims, reduction):
    rng = np.random.default_rng(1)
    data = rng.normal(size=(2, 3, 4))
    x = Tensor(data, requires_grad=True)
    out = getattr(x, reduction)(axis=axis, keepdims=keepdims)
    ref = getattr(data, reduction)(axis=axis, keepdims=keepdims)
    np.testing.assert_allclose(out.data, ref)
    seed = rng.normal(size=np.shape(ref))
    out.backward(seed)
    # <seed, J dx> = <J^T seed, dx> for the linear map x -> reduction(x)
    dx = rng.normal(size=data.shape)
    lhs = np.sum(seed * getattr(dx, reduction)(axis=axis, keepdims=keepdims))
    assert np.sum(x.grad * dx) == pytest.approx(lhs, rel=1e-12)
    d = getattr(Dual(data, dx), reduction)(axis=axis, keepdims=keepdims)
    np.testing.assert_allclose(d.tangent, getattr(dx, reduction)(axis=axis, keepdims=keepdims))


def test_reshape_transpose_getitem():
    data = np.arange(6.0).reshape(2, 3)
    x = Tensor(data, requires_grad=True)
    w = np.arange(6.0)
    y = (x.T.reshape(6) * w).sum() + x.transpose(1, 0)[0].sum() + x[[0, 0], 1].sum()
    y.backward()
    expected = w.reshape(3, 2).T.copy()
    expected[:, 0] += 1
    expected[0, 1] += 2  # index repeated: gradients add
    np.testing.assert_array_equal(x.grad, expected)
    assert x.reshape((3, 2)).shape == x.reshape(3, 2).shape == (3, 2)
    d = Dual(data, np.ones_like(data))
    assert d.T.shape == (3, 2) and d.reshape(6).shape == (6,) and d[1].shape == (3,)


@pytest.mark.parametrize(
    ("shape_a", "shape_b"),
    [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)), ((5, 2, 3), (3, 4)),
     ((2, 3), (5, 3, 4)), ((5, 2, 3), (1, 3, 4))],
)  # fmt: skip
def test_matmul_shapes(shape_a, shape_b):
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=shape_a), rng.normal(size=shape_b)
    A, B = Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)
    out = A @ B
    seed = rng.normal(size=out.shape)
    out.backward(seed)
    assert A.grad.shape == shape_a and B.grad.shape == shape_b
    # Check the VJP against forward mode through the dot-product identity.
    da, db = rng.normal(size=shape_a), rng.normal(size=shape_b)
    tangent = (Dual(a, da) @ Dual(b, db)).tangent
    assert np.sum(A.grad * da) + np.sum(B.grad * db) == pytest.approx(
        np.sum(seed * tangent), rel=1e-12
    )


def test_seed_gradient_for_non_scalar_output():
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * x
    y.backward([1.0, 0.0, -1.0])
    np.testing.assert_array_equal(x.grad, [2.0, 0.0, -6.0])
    z = Tensor([[2.0]], requires_grad=True)
    (z * 3).backward()  # one entry: seed defaults to 1
    np.testing.assert_array_equal(z.grad, [[3.0]])


def test_requires_grad_propagation_and_no_bookkeeping():
    a = Tensor([1.0, 2.0])
    b = Tensor([3.0, 4.0], requires_grad=True)
    c = a * 2 + 1
    assert not c.requires_grad and c.parents == () and c.op == ""
    d = c * b
    assert d.requires_grad and d.op == "mul"
    d.sum().backward()
    np.testing.assert_array_equal(b.grad, c.data)
    np.testing.assert_array_equal(a.grad, [0.0, 0.0])


def test_detach_item_shape_repr():
    x = Tensor([[1.0, 2.0]], requires_grad=True, label="x")
    y = x.detach()
    assert not y.requires_grad and y.data is x.data and y.parents == ()
    assert x.shape == (1, 2) and x.ndim == 2 and x.size == 2 and len(x) == 1
    assert Tensor([5]).item() == 5.0 and isinstance(Tensor([5]).item(), float)
    assert repr(x) == "Tensor([[1., 2.]], requires_grad=True, label='x')"
    assert repr(x * 2) == "Tensor([[2., 4.]], requires_grad=True, op='mul')"
    assert repr(Dual(1.0, 2.0)) == "Dual(value=1.0, tangent=2.0)"
    assert Tensor(x).data is not x.data  # constructing copies


def test_tensor_data_is_copied_and_float64():
    raw = np.array([1, 2, 3])
    t = Tensor(raw)
    assert t.data.dtype == np.float64
    t.data[0] = 10
    assert raw[0] == 1


def test_leaf_grad_is_private_and_writable():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = Tensor([3.0, 4.0], requires_grad=True)
    (x + y).sum().backward()
    x.grad *= 2  # must not change y.grad
    np.testing.assert_array_equal(y.grad, [1.0, 1.0])


def test_numpy_semantics_for_non_finite_values():
    x = Tensor([0.0, 1.0], requires_grad=True)
    with pytest.warns(RuntimeWarning):
        y = x.log()
    assert y.data[0] == -np.inf
    with pytest.warns(RuntimeWarning):
        y.backward(np.ones(2))
    assert x.grad[0] == np.inf and x.grad[1] == 1.0


# ----------------------------------------------------------------------------------------
# grad, value_and_grad, jvp
# ----------------------------------------------------------------------------------------


def test_grad_and_value_and_grad():
    def f(x):
        return (x.tanh() ** 2).sum() + (x * x).mean()

    x = np.array([0.3, -1.2, 2.0])
    expected = 2 * np.tanh(x) * (1 - np.tanh(x) ** 2) + 2 * x / 3
    np.testing.assert_allclose(grad(f)(x), expected, rtol=1e-14)
    value, g = value_and_grad(f)(x)
    assert isinstance(value, float)
    assert value == pytest.approx(np.sum(np.tanh(x) ** 2) + np.mean(x * x), rel=1e-15)
    np.testing.assert_allclose(g, expected, rtol=1e-14)
    np.testing.assert_array_equal(grad(lambda x: 0 * x.sum() + 1.0)(x), np.zeros(3))


def test_grad_of_a_scalar_and_of_a_matrix():
    g = grad(lambda x: x * x * x)(3.0)
    assert type(g) is float and g == 27.0  # scalar results are Python floats
    a = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(grad(lambda m: (m * m).sum() / 2)(a), a)


def test_grad_with_finite_differences_from_calcdocs():
    def f_np(x):
        return np.sum(np.sin(x) * np.exp(-(x**2)), axis=-1)

    x = np.linspace(-1, 1, 7)
    g = grad(lambda t: ((t.sin()) * (-(t * t)).exp()).sum())(x)
    np.testing.assert_allclose(g, gradient(f_np, x), rtol=1e-6, atol=1e-9)


def test_jvp():
    x = np.array([0.5, -0.3])
    v = np.array([1.0, 2.0])

    def f(d):
        return (d * d).sin() + d.exp()

    value, tangent = jvp(f, x, v)
    np.testing.assert_allclose(value, np.sin(x * x) + np.exp(x))
    np.testing.assert_allclose(tangent, (np.cos(x * x) * 2 * x + np.exp(x)) * v, rtol=1e-15)
    value, tangent = jvp(lambda d: (d * d).sum(), x, v)  # a scalar output: Python floats
    assert type(value) is float and type(tangent) is float
    assert value == pytest.approx(0.34) and tangent == pytest.approx(2 * x @ v)


def _random_program(leaves, seed, ops=OPS):
    """Apply a random sequence of table ops (bounded, with fan-out) to `leaves`.

    The leaves are our Tensors (with ``ops=OPS``) or torch tensors (``ops=TORCH_OPS``, the
    same spellings except for the ops torch has only in ``torch.nn.functional``).
    """
    rng = np.random.default_rng(seed)
    nodes = list(leaves)
    for _ in range(12):
        name = sorted(_ELEMENTWISE)[rng.integers(len(_ELEMENTWISE))]
        picks = [nodes[k] for k in rng.integers(len(nodes), size=len(DOMAINS[name]))]
        if name in ("log", "sqrt", "pow"):  # positive first operand
            picks[0] = picks[0].sigmoid() + 0.5
        if name == "div":  # denominator away from zero
            picks[1] = picks[1].sigmoid() + 0.5
        nodes.append(ops[name](*picks).tanh())  # tanh keeps values bounded
    return nodes


@given(seed=st.integers(0, 2**32 - 1), v_seed=st.integers(0, 2**32 - 1))
@settings(max_examples=30, deadline=None)
def test_dot_product_identity_forward_vs_reverse(seed, v_seed):
    # For any program F, <J v, w> computed by forward mode equals <v, J^T w> by reverse mode.
    rng = np.random.default_rng(v_seed)
    shapes = [(3, 1), (1, 4), (4,), ()]
    xs = [rng.normal(size=s) for s in shapes]
    vs = [rng.normal(size=s) for s in shapes]
    w = rng.normal(size=(3, 4))
    tensors = [Tensor(x, requires_grad=True) for x in xs]
    out = sum(_random_program(tensors, seed)[-6:])
    out = out + np.zeros((3, 4))  # make the output shape (3, 4) whatever the last ops did
    out.backward(w)
    duals = [Dual(x, v) for x, v in zip(xs, vs, strict=True)]
    fwd = sum(_random_program(duals, seed)[-6:]) + np.zeros((3, 4))
    lhs = np.sum(fwd.tangent * w)
    rhs = sum(np.sum(t.grad * v) for t, v in zip(tensors, vs, strict=True))
    assert lhs == pytest.approx(rhs, rel=1e-10, abs=1e-12)


@given(
    shape=st.lists(st.integers(1, 3), min_size=0, max_size=3).map(tuple),
    data=st.data(),
)
@settings(max_examples=50, deadline=None)
def test_unbroadcast_inverts_broadcasting(shape, data):
    # Drop some leading axes and squash some axes to 1: the result broadcasts to `shape`.
    lead = data.draw(st.integers(0, len(shape)))
    small = tuple(1 if data.draw(st.booleans()) else n for n in shape[lead:])
    g = np.arange(math.prod(shape), dtype=float).reshape(shape)
    reduced = _unbroadcast(g, small)
    assert reduced.shape == small
    assert reduced.sum() == pytest.approx(g.sum())
    x = Tensor(np.ones(small), requires_grad=True)
    (x * np.ones(shape)).backward(g)
    np.testing.assert_array_equal(x.grad, reduced)


# ----------------------------------------------------------------------------------------
# PyTorch as a second oracle
# ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(25))
def test_random_graphs_match_torch(seed):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(seed)
    shapes = [(3, 1), (1, 4), (4,), ()]
    xs = [rng.normal(size=s) for s in shapes]
    ours = [Tensor(x, requires_grad=True) for x in xs]
    theirs = [torch.tensor(x, requires_grad=True) for x in xs]
    mine = _random_program(ours, seed)
    ref = _random_program(theirs, seed, TORCH_OPS)
    for a, b in zip(mine, ref, strict=True):
        np.testing.assert_allclose(a.data, b.detach().numpy(), rtol=1e-13, atol=1e-15)
    # Sum every node with broadcasting (so each leaf is used), then reduce with weights.
    w = rng.normal(size=(3, 4))
    loss = (sum(mine) * w).sum()
    loss_ref = (sum(ref) * torch.tensor(w)).sum()
    loss.backward()
    loss_ref.backward()
    for t, r in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(t.grad, r.grad.numpy(), rtol=RTOL, atol=1e-13)


def test_mlp_softmax_cross_entropy_matches_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    sizes = [8, 16, 16, 5]
    weights = [
        (rng.normal(size=(m, n)) / np.sqrt(m), 0.1 * rng.normal(size=n))
        for m, n in itertools.pairwise(sizes)
    ]
    x = rng.normal(size=(32, sizes[0]))
    labels = rng.integers(0, sizes[-1], size=32)
    ours = [(Tensor(w, requires_grad=True), Tensor(b, requires_grad=True)) for w, b in weights]
    theirs = [
        (torch.tensor(w, requires_grad=True), torch.tensor(b, requires_grad=True))
        for w, b in weights
    ]
    loss = mlp_loss(ours, Tensor(x), np.eye(sizes[-1])[labels])
    loss.backward()
    loss_ref = torch.nn.functional.cross_entropy(
        mlp_logits(theirs, torch.tensor(x)), torch.tensor(labels)
    )
    loss_ref.backward()
    assert loss_ref.dtype == torch.float64
    assert loss.item() == pytest.approx(loss_ref.item(), rel=1e-13)
    for (w, b), (tw, tb) in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(w.grad, tw.grad.numpy(), rtol=RTOL, atol=1e-14)
        np.testing.assert_allclose(b.grad, tb.grad.numpy(), rtol=RTOL, atol=1e-14)


def test_structural_ops_match_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(4)
    a, b = rng.normal(size=(2, 3, 4)), rng.normal(size=(4, 5))
    A, B = Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)
    TA, TB = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    out = ((A @ B).transpose(0, 2, 1).reshape(10, 3).mean(axis=0, keepdims=True) * A[0, :, 1]).sum()
    ref = ((TA @ TB).permute(0, 2, 1).reshape(10, 3).mean(dim=0, keepdim=True) * TA[0, :, 1]).sum()
    out.backward()
    ref.backward()
    assert out.item() == pytest.approx(ref.item(), rel=1e-13)
    np.testing.assert_allclose(A.grad, TA.grad.numpy(), rtol=RTOL, atol=1e-14)
    np.testing.assert_allclose(B.grad, TB.grad.numpy(), rtol=RTOL, atol=1e-14)


@pytest.mark.parametrize("perm", [(1, 2, 0), (2, 0, 1), (0, 2, 1), (1, 0, 2)])
def test_transpose_uses_the_inverse_permutation(perm):
    # (1, 2, 0) and (2, 0, 1) are not their own inverses: a backward pass that permuted
    # the gradient by `perm` instead of its inverse would fail here.
    rng = np.random.default_rng(6)
    a = rng.normal(size=(2, 3, 4))
    w = rng.normal(size=np.transpose(a, perm).shape)
    A = Tensor(a, requires_grad=True)
    (A.transpose(*perm) * w).sum().backward()

    def f(flat):  # vectorised over a batch of flattened points, as calcdocs.gradient needs
        batch = flat.ndim - 1
        x = flat.reshape(*flat.shape[:-1], *a.shape)
        moved = np.transpose(x, (*range(batch), *(batch + p for p in perm)))
        return np.sum(moved * w, axis=(-3, -2, -1))

    fd = gradient(f, a.reshape(-1))
    np.testing.assert_allclose(A.grad.reshape(-1), fd, rtol=1e-8, atol=1e-10)
    d = Dual(a, np.ones_like(a)).transpose(*perm)
    np.testing.assert_array_equal(d.value, np.transpose(a, perm))
    np.testing.assert_array_equal(d.tangent, np.ones_like(w))
    torch = pytest.importorskip("torch")
    TA = torch.tensor(a, requires_grad=True)
    (TA.permute(*perm) * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(A.grad, TA.grad.numpy(), rtol=RTOL, atol=0)


def test_grad_and_jvp_match_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(5)
    x, v = rng.normal(size=6), rng.normal(size=6)
    m = rng.normal(size=(4, 6))

    def f(t, m=m):  # works for Tensor, Dual and torch tensors alike
        return ((m @ t).sigmoid() * (t[:4] * t[:4] + 1.0).log()).sum()

    def f_torch(t):
        return f(t, m=torch.tensor(m))

    g_ref = torch.func.grad(f_torch)(torch.tensor(x))
    np.testing.assert_allclose(grad(f)(x), g_ref.numpy(), rtol=RTOL, atol=1e-14)
    value, tangent = jvp(f, x, v)
    value_ref, tangent_ref = torch.func.jvp(f_torch, (torch.tensor(x),), (torch.tensor(v),))
    assert float(value) == pytest.approx(value_ref.item(), rel=1e-13)
    assert float(tangent) == pytest.approx(tangent_ref.item(), rel=RTOL)


# ----------------------------------------------------------------------------------------
# Contracts: one sigmoid, NumPy's edge cases, copies, protocols, scalar results
# ----------------------------------------------------------------------------------------

SIGMOID_AT_MINUS_40 = math.exp(-40.0) / (1.0 + math.exp(-40.0))  # 4.248e-18, no cancellation


@pytest.mark.parametrize("x", [-40.0, -20.0, -745.0, 0.0, 20.0, 40.0])
def test_one_sigmoid_for_the_package(x):
    # Tensor, Dual and calcdocs.sigmoid compute the same numbers, in the tails too.
    expected = calcdocs.sigmoid(x)
    assert Tensor(x).sigmoid().item() == expected
    assert float(Dual(x).sigmoid().value) == expected
    assert Tensor(x).softplus().item() == calcdocs.softplus(x)


def test_sigmoid_family_tails():
    assert Tensor(-40.0).sigmoid().item() == pytest.approx(SIGMOID_AT_MINUS_40, rel=1e-15)
    assert calcdocs.sigmoid(-40.0) == pytest.approx(4.248354255291589e-18, rel=1e-15)
    # Derivatives in the left tail, both modes: sigma'(-40) = sigma(-40) (1 - sigma(-40)).
    x = Tensor(-40.0, requires_grad=True)
    x.sigmoid().backward()
    assert float(x.grad) == pytest.approx(SIGMOID_AT_MINUS_40, rel=1e-15)
    assert float(Dual(-40.0, 1.0).sigmoid().tangent) == pytest.approx(SIGMOID_AT_MINUS_40)
    # log sigmoid stays finite where log(sigmoid(x)) is -inf (sigmoid underflows).
    x = Tensor(np.array([-1000.0, -40.0, 40.0, 1000.0]), requires_grad=True)
    y = x.log_sigmoid()
    y.backward(np.ones(4))
    np.testing.assert_allclose(y.data, [-1000.0, -40.0, -SIGMOID_AT_MINUS_40, 0.0], rtol=1e-15)
    np.testing.assert_allclose(x.grad, [1.0, 1.0, SIGMOID_AT_MINUS_40, 0.0], rtol=1e-15)
    s = Tensor(np.array([-1000.0, 1000.0]), requires_grad=True)
    out = s.softplus()
    out.backward(np.ones(2))
    np.testing.assert_array_equal(out.data, [0.0, 1000.0])
    np.testing.assert_array_equal(s.grad, [0.0, 1.0])


def test_sigmoid_family_tails_match_torch():
    torch = pytest.importorskip("torch")
    x = np.array([-700.0, -40.0, -20.0, 20.0, 40.0])
    for name in ("sigmoid", "softplus", "log_sigmoid"):
        t = Tensor(x, requires_grad=True)
        OPS[name](t).backward(np.ones_like(x))
        r = torch.tensor(x, requires_grad=True)
        ref = TORCH_OPS[name](r)
        ref.sum().backward()
        np.testing.assert_allclose(OPS[name](t).data, ref.detach().numpy(), rtol=1e-14)
        np.testing.assert_allclose(t.grad, r.grad.numpy(), rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_derivative_of_zero_to_the_power_y_in_y_is_zero(mode):
    # d/dy 0**y = 0 for y > 0 (0 * log 0 would be NaN); PyTorch also gives 0 at y = 0.
    y = np.array([0.0, 0.5, 1.0, 2.0])
    with np.errstate(all="raise"):  # no NaN, no warning
        if mode == "reverse":
            t = Tensor(y, requires_grad=True)
            (0.0**t).backward(np.ones(4))
            partial = t.grad
        else:
            partial = (0.0 ** Dual(y, 1.0)).tangent
    np.testing.assert_array_equal(partial, np.zeros(4))
    torch = pytest.importorskip("torch")
    r = torch.tensor(y, requires_grad=True)
    (torch.tensor(0.0, dtype=torch.float64) ** r).sum().backward()
    np.testing.assert_array_equal(partial, r.grad.numpy())


@pytest.mark.parametrize(
    ("shape", "axis"), [((0,), None), ((3, 0), 1), ((0, 2), 0)], ids=["all", "axis1", "axis0"]
)
def test_mean_of_an_empty_tensor_is_nan_with_an_empty_gradient(shape, axis):
    x = Tensor(np.zeros(shape), requires_grad=True)
    with pytest.warns(RuntimeWarning):  # NumPy's "Mean of empty slice"
        y = x.mean(axis=axis)
    assert np.all(np.isnan(y.data))
    y.backward(np.ones(y.shape))
    assert x.grad.shape == shape
    with pytest.warns(RuntimeWarning):
        d = Dual(np.zeros(shape), 1.0).mean(axis=axis)
    assert d.shape == y.shape


def test_constants_in_the_graph_are_copied():
    x = Tensor([1.0, 2.0], requires_grad=True)
    a, m = np.array([1.0, 2.0]), np.eye(2)
    y = (x * a).sum() + (m @ x).sum()
    a[:] = 100.0  # the caller's arrays change after the graph was recorded
    m[:] = 100.0
    y.backward()
    np.testing.assert_array_equal(x.grad, [2.0, 3.0])
    (constant,) = [p for p in y.parents[0].parents[0].parents if not p.requires_grad]
    assert not constant.data.flags.writeable


def test_every_tensor_owns_its_gradient():
    # The reverse pass shares gradient arrays between nodes (`add` passes its own on), but
    # each `.grad` is a private array: changing one changes no other, and a second pass
    # accumulates correctly. Without the copy in `_accumulate` this test fails.
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = Tensor([3.0, 4.0], requires_grad=True)
    h = x + y
    out = h.sum()
    out.backward()
    grads = [x.grad, y.grad, h.grad]
    for g1, g2 in itertools.combinations(grads, 2):
        assert not np.shares_memory(g1, g2)
    x.grad *= 5
    np.testing.assert_array_equal(y.grad, [1.0, 1.0])
    np.testing.assert_array_equal(h.grad, [1.0, 1.0])
    out.backward()
    np.testing.assert_array_equal(x.grad, [6.0, 6.0])
    np.testing.assert_array_equal(y.grad, [2.0, 2.0])


def test_grad_setter_checks_and_copies():
    x = Tensor([1.0, 2.0], requires_grad=True)
    g = np.array([3, 4])
    x.grad = g
    g[0] = 0
    assert x.grad.dtype == np.float64 and list(x.grad) == [3.0, 4.0]
    x.grad = None
    np.testing.assert_array_equal(x.grad, [0.0, 0.0])


@pytest.mark.parametrize("kind", ["Tensor", "Dual"])
def test_python_and_numpy_protocols(kind):
    make = Tensor if kind == "Tensor" else (lambda v: Dual(v, 1.0))
    assert bool(make([0.0])) is False and bool(make(3.0)) is True  # one entry, as NumPy
    matrix = make(np.arange(6.0).reshape(2, 3))
    rows = list(matrix)
    assert len(rows) == len(matrix) == 2 and all(type(r).__name__ == kind for r in rows)
    assert rows[1].shape == (3,)
    np.testing.assert_array_equal(np.sum(matrix, axis=0)._primal, [3.0, 5.0, 7.0])
    assert float(np.mean(matrix)._primal) == 2.5
    for call, error, match in [
        (lambda: bool(matrix), ValueError, r"truth value of a \w+ with 6 entries"),
        (lambda: iter(make(1.0)), TypeError, r"iteration over a 0-d"),
        (lambda: len(make(1.0)), TypeError, r"`len` of a 0-d"),
        (lambda: np.asarray(matrix), TypeError, r"`np.asarray` of a \w+ would drop"),
        (lambda: float(make(1.0)), TypeError, r"`float\(\)` of a \w+ would drop"),
        (lambda: math.sin(make(1.0)), TypeError, r"use methods such as `x.sin\(\)`"),
        (lambda: np.stack([matrix, matrix]), TypeError, r"`np.stack` does not support"),
        (lambda: np.sum(matrix, dtype=float), TypeError, r"supports only `axis` and"),
    ]:
        with pytest.raises(error, match=match):
            call()


def test_iteration_stays_in_the_graph():
    x = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    total = sum(row * float(k + 1) for k, row in enumerate(x))
    total.sum().backward()
    np.testing.assert_array_equal(x.grad, [[1.0] * 3, [2.0] * 3])


def _rebuilt_from_data(t):
    return Tensor(np.sin(t.data)).sum()


@pytest.mark.parametrize(
    "f",
    [
        pytest.param(_rebuilt_from_data, id="rebuilt-from-data"),
        pytest.param(lambda t: Tensor(1.0), id="constant-tensor"),
        pytest.param(lambda t: (Tensor(2.0, requires_grad=True) * 3).sum(), id="other-leaf"),
    ],
)
def test_grad_raises_when_the_output_does_not_depend_on_the_input(f):
    # PyTorch raises here too; a silent zero gradient would hide the broken graph.
    for transform in (grad, value_and_grad):
        with pytest.raises(ValueError, match=r"`f`'s result does not depend on its argument"):
            transform(f)(np.array([0.5, 1.0]))


def test_jvp_requires_a_dual_result():
    with pytest.raises(TypeError, match=r"`f` must return a Dual .*; got float"):
        jvp(lambda d: float(np.sin(d.value).sum()), np.ones(2), np.ones(2))


def test_transforms_keep_the_name_and_docstring():
    def loss(x):
        """The loss."""
        return (x * x).sum()

    for transform in (grad, value_and_grad):
        wrapped = transform(loss)
        assert wrapped.__name__ == "loss" and wrapped.__doc__ == "The loss."
        assert wrapped.__wrapped__ is loss
    np.testing.assert_array_equal(grad(loss)(np.ones(2)), [2.0, 2.0])


def test_scalar_results_are_python_floats():
    value, g = value_and_grad(lambda x: x * x)(3.0)
    assert type(value) is float and type(g) is float and g == 6.0
    assert type(Tensor([5]).item()) is float
    value, tangent = jvp(lambda d: d.sin(), 0.0, 1.0)
    assert type(value) is float and type(tangent) is float and tangent == 1.0
    assert isinstance(grad(lambda x: x.sum())(np.ones(2)), np.ndarray)


# ----------------------------------------------------------------------------------------
# Input validation
# ----------------------------------------------------------------------------------------


def _backward_on_constant():
    Tensor([1.0, 2.0]).sum().backward()


def _set_grad(value):
    Tensor([1.0, 2.0], requires_grad=True).grad = value


# (id, call, error, match): one row per message.
VALIDATION = [
    ("data-str", lambda: Tensor("abc"), TypeError, r"`data` must be array-like of real numbers"),
    ("data-complex", lambda: Tensor([1.0, 2j]), TypeError,
     r"`data` must be array-like of real numbers"),
    ("data-ragged", lambda: Tensor([[1.0], [1.0, 2.0]]), TypeError, r"`data` must be array-like"),
    ("data-bool", lambda: Tensor([True, False]), TypeError, r"`data` must be array-like of real"),
    ("requires-grad-positional", lambda: Tensor([1.0], True), TypeError,
     r"takes 2 positional arguments"),
    ("requires-grad-str", lambda: Tensor([1.0], requires_grad="False"), TypeError,
     r"`requires_grad` must be True or False; got 'False'"),
    ("requires-grad-int", lambda: Tensor([1.0], requires_grad=1), TypeError,
     r"`requires_grad` must be True or False; got 1"),
    ("label-int", lambda: Tensor([1.0], label=3), TypeError,
     r"`label` must be a str or None; got int"),
    ("grad-shape", lambda: _set_grad(np.ones((2, 2))), ValueError,
     r"`grad` must have shape \(2,\); got shape \(2, 2\)"),
    ("grad-str", lambda: _set_grad("abc"), TypeError, r"`grad` must be array-like of real"),
    ("add-str", lambda: Tensor(1.0) + "a", TypeError, r"unsupported operand"),
    ("matmul-float", lambda: Tensor(1.0) @ 2.0, TypeError, r"unsupported operand"),
    ("operand-str-array", lambda: Tensor(1.0) + np.array(["a"]), TypeError,
     r"`operand` must be array-like of real numbers; got dtype <U1"),
    ("dual-operand-str-array", lambda: Dual(1.0, 1.0) * np.array(["a"]), TypeError,
     r"`operand` must be array-like of real numbers"),
    ("broadcast", lambda: Tensor(np.ones(3)) + Tensor(np.ones(4)), ValueError,
     r"could not be broadcast together; got shapes \(3,\) and \(4,\)"),
    ("matmul-inner", lambda: Tensor(np.ones((2, 3))) @ Tensor(np.ones((2, 3))), ValueError,
     r"`@` needs matching inner dimensions.*got shapes \(2, 3\) and \(2, 3\)"),
    ("matmul-0d", lambda: Tensor(np.ones(3)) @ Tensor(2.0), ValueError,
     r"`@` needs matching inner dimensions.*got shapes \(3,\) and \(\)"),
    ("reshape", lambda: Tensor(np.ones(6)).reshape(4, 2), ValueError,
     r"cannot reshape a Tensor of shape \(6,\) into shape \(4, 2\)"),
    ("backward-no-seed", lambda: Tensor(np.ones(3), requires_grad=True).backward(), RuntimeError,
     r"non-scalar Tensor of shape \(3,\) needs a seed `gradient`"),
    ("backward-constant", _backward_on_constant, RuntimeError, r"requires_grad=True"),
    ("backward-seed-shape", lambda: Tensor(np.ones(3), requires_grad=True).backward(np.ones(4)),
     ValueError, r"`gradient` must have shape \(3,\); got shape \(4,\)"),
    ("backward-seed-str", lambda: Tensor(np.ones(3), requires_grad=True).backward("x"),
     TypeError, r"`gradient` must be array-like of real numbers"),
    ("item-two-entries", lambda: Tensor([1.0, 2.0]).item(), ValueError,
     r"`item\(\)` needs a tensor with one entry; got shape \(2,\)"),
    ("dual-tangent-shape", lambda: Dual(np.ones(3), np.ones(2)), ValueError,
     r"`tangent` must have the shape of `value`, \(3,\); got shape \(2,\)"),
    ("dual-value-str", lambda: Dual("a", 1.0), TypeError,
     r"`value` must be array-like of real numbers"),
    ("dual-broadcast", lambda: Dual(np.ones(3), 1.0) * Dual(np.ones(2), 1.0), ValueError,
     r"could not be broadcast together; got shapes \(3,\) and \(2,\)"),
    ("dual-matmul", lambda: Dual(np.ones(3), 1.0) @ Dual(np.ones(2), 1.0), ValueError,
     r"`@` needs matching inner dimensions.*\(3,\) and \(2,\)"),
    ("dual-plus-tensor", lambda: Dual(1.0, 1.0) + Tensor(1.0), TypeError, r"unsupported operand"),
    ("grad-f-not-callable", lambda: grad(3.0), TypeError, r"`f` must be callable; got float"),
    ("grad-x-str", lambda: grad(lambda x: x.sum())("abc"), TypeError,
     r"`x` must be array-like of real numbers"),
    ("grad-returns-float", lambda: grad(lambda x: 1.0)(np.ones(2)), TypeError,
     r"`f` must return a Tensor .*; got float"),
    ("grad-returns-vector", lambda: grad(lambda x: x * 2)(np.ones(2)), ValueError,
     r"`f` must return a scalar \(one entry\).*got shape \(2,\)"),
    ("grad-math-module", lambda: grad(lambda x: math.sin(x))(1.0), TypeError,
     r"`float\(\)` of a Tensor would drop its derivative \(the `math` module"),
    ("jvp-v-shape", lambda: jvp(lambda d: d, np.ones(3), np.ones(2)), ValueError,
     r"`v` must have shape \(3,\); got shape \(2,\)"),
    ("jvp-f-not-callable", lambda: jvp(None, np.ones(3), np.ones(3)), TypeError,
     r"`f` must be callable"),
    ("jvp-x-str", lambda: jvp(lambda d: d, "x", 1.0), TypeError, r"`x` must be array-like"),
    ("jvp-returns-float", lambda: jvp(lambda d: 3.0, np.ones(2), np.ones(2)), TypeError,
     r"`f` must return a Dual"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("call", "error", "match"), [row[1:] for row in VALIDATION], ids=[row[0] for row in VALIDATION]
)
def test_input_validation(call, error, match):
    with pytest.raises(error, match=match):
        call()
