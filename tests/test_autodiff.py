"""Tests for calcdocs.autodiff: rule table vs finite differences, PyTorch as a second oracle."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calcdocs import Dual, Tensor, derivative, grad, jvp, topological_order, value_and_grad
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
    "relu": lambda a: a.relu(),
    "abs": lambda a: abs(a),
}

# Where each operand is sampled: (low, high) magnitudes, and whether negatives are allowed.
# Kinks (relu, abs at 0) and singularities are kept away from.
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
    "sigmoid": [(0.1, 4.0, True)],
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
    # A row added to the table without a public spelling, a domain, and a PyTorch twin
    # fails here; one added with a wrong derivative fails the tests below.
    assert set(OPS) == set(_ELEMENTWISE) == set(DOMAINS)
    for name, rule in _ELEMENTWISE.items():
        assert len(rule.partials) == len(DOMAINS[name]), name


def _fd_partial(name: str, xs: list[float], i: int) -> float:
    """d op / d xs[i] at one point by Richardson extrapolation (calcdocs.derivative)."""

    def f(t: np.ndarray) -> np.ndarray:
        args = [Tensor(t) if j == i else xs[j] for j in range(len(xs))]
        return OPS[name](*args).data

    return derivative(f, xs[i], method="richardson")


@pytest.mark.parametrize("name", sorted(_ELEMENTWISE))
def test_reverse_mode_matches_finite_differences(name):
    xs = _sample(name, n=6)
    for i in range(len(xs)):
        leaves = [Tensor(x, requires_grad=(j == i)) for j, x in enumerate(xs)]
        out = OPS[name](*leaves)
        assert out._op == name
        out.backward(np.ones_like(out.data))
        expected = [_fd_partial(name, [x[k] for x in xs], i) for k in range(len(xs[0]))]
        np.testing.assert_allclose(leaves[i].grad, expected, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("name", sorted(_ELEMENTWISE))
def test_forward_mode_matches_finite_differences(name):
    xs = _sample(name, n=6, seed=1)
    for i in range(len(xs)):
        args = [Dual(x, 1.0) if j == i else x for j, x in enumerate(xs)]
        out = OPS[name](*args)
        expected = [_fd_partial(name, [x[k] for x in xs], i) for k in range(len(xs[0]))]
        np.testing.assert_allclose(out.tangent, expected, rtol=1e-7, atol=1e-9)


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
        assert rev.item() == pytest.approx(float(fwd.value), rel=1e-15)
        assert float(t.grad) == pytest.approx(float(fwd.tangent), rel=1e-14)


def test_both_modes_read_the_same_table(monkeypatch):
    # A new row is picked up by reverse and forward mode alike, with no other change.
    cube = _Rule(lambda x: x**3, (lambda x, out: 3.0 * x * x,))
    monkeypatch.setitem(_ELEMENTWISE, "cube", cube)
    t = Tensor([1.0, 2.0], requires_grad=True)
    out = Tensor._apply("cube", t)
    out.backward(np.ones(2))
    d = Dual._apply("cube", Dual([1.0, 2.0], 1.0))
    np.testing.assert_array_equal(t.grad, [3.0, 12.0])
    np.testing.assert_array_equal(d.tangent, [3.0, 12.0])
    assert out._op == "cube"


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


def test_missing_rule_raises_not_implemented():
    with pytest.raises(NotImplementedError, match="'erf'"):
        Tensor._apply("erf", Tensor(1.0))
    with pytest.raises(NotImplementedError, match="'erf'"):
        Dual._apply("erf", Dual(1.0, 1.0))


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


def test_graph_attributes_for_plotting():
    x = Tensor(2.0, requires_grad=True, label="x")
    y = (x * 3.0).exp()
    assert x._op == "" and x._parents == () and x.label == "x"
    assert y._op == "exp" and y.label is None
    (mul,) = y._parents
    assert mul._op == "mul" and mul._parents[0] is x
    assert mul._parents[1]._op == "" and not mul._parents[1].requires_grad
    assert isinstance(y.data, np.ndarray) and isinstance(y.grad, np.ndarray)
    for op, t in [
        ("matmul", Tensor(np.ones((2, 2)), True) @ np.ones(2)),
        ("sum", Tensor([1.0], True).sum()),
        ("mean", Tensor([1.0], True).mean()),
        ("reshape", Tensor([1.0, 2.0], True).reshape(2, 1)),
        ("transpose", Tensor([[1.0, 2.0]], True).T),
        ("getitem", Tensor([1.0, 2.0], True)[0]),
    ]:
        assert t._op == op


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
    x = Tensor(1.0, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0
    order = topological_order(y)
    assert len(order) == 2 * 100_000 + 1 and order[0] is x and order[-1] is y
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


def test_deep_chain_has_no_recursion_limit():
    x = Tensor(1.0, requires_grad=True)
    y = x
    for _ in range(20_000):
        y = y * 1.0
    y.backward()
    assert float(x.grad) == 1.0


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
    assert not c.requires_grad and c._parents == () and c._op == ""
    d = c * b
    assert d.requires_grad and d._op == "mul"
    d.sum().backward()
    np.testing.assert_array_equal(b.grad, c.data)
    np.testing.assert_array_equal(a.grad, [0.0, 0.0])


def test_detach_item_shape_repr():
    x = Tensor([[1.0, 2.0]], requires_grad=True, label="x")
    y = x.detach()
    assert not y.requires_grad and y.data is x.data and y._parents == ()
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
    np.testing.assert_array_equal(grad(lambda x: Tensor(1.0))(x), np.zeros(3))


def test_grad_of_a_scalar_and_of_a_matrix():
    g = grad(lambda x: x * x * x)(3.0)
    assert g.shape == () and float(g) == 27.0
    a = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(grad(lambda m: (m * m).sum() / 2)(a), a)


def test_grad_with_finite_differences_from_calcdocs():
    from calcdocs import gradient

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
    value, tangent = jvp(lambda d: 3.0, x, v)  # constant function
    assert float(value) == 3.0 and float(tangent) == 0.0


def _random_program(leaves, seed):
    """Apply a random sequence of table ops (bounded, with fan-out) to `leaves`.

    The leaves are our Tensors or torch tensors: every spelling in OPS (operators, methods
    such as ``.exp()`` and ``.relu()``, ``abs()``) works on both, so one table drives both.
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
        nodes.append(OPS[name](*picks).tanh())  # tanh keeps values bounded
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
    ref = _random_program(theirs, seed)
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


def _mlp_logits(x, params):
    """Tanh MLP, written once for Tensor and torch tensors."""
    h = x
    for k, (w, b) in enumerate(params):
        h = h @ w + b
        if k < len(params) - 1:
            h = h.tanh()
    return h


def _cross_entropy(logits, y_onehot):
    """Mean softmax cross-entropy from Tensor operations (log-sum-exp, shifted for stability)."""
    shifted = logits - logits.data.max(axis=1, keepdims=True)  # a constant shift
    log_probs = shifted - shifted.exp().sum(axis=1, keepdims=True).log()
    return -(log_probs * y_onehot).sum() / logits.shape[0]


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
    ours = [(Tensor(w, True), Tensor(b, True)) for w, b in weights]
    theirs = [
        (torch.tensor(w, requires_grad=True), torch.tensor(b, requires_grad=True))
        for w, b in weights
    ]
    loss = _cross_entropy(_mlp_logits(Tensor(x), ours), np.eye(sizes[-1])[labels])
    loss.backward()
    loss_ref = torch.nn.functional.cross_entropy(
        _mlp_logits(torch.tensor(x), theirs), torch.tensor(labels)
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
    A, B = Tensor(a, True), Tensor(b, True)
    TA, TB = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    out = ((A @ B).transpose(0, 2, 1).reshape(10, 3).mean(axis=0, keepdims=True) * A[0, :, 1]).sum()
    ref = ((TA @ TB).permute(0, 2, 1).reshape(10, 3).mean(dim=0, keepdim=True) * TA[0, :, 1]).sum()
    out.backward()
    ref.backward()
    assert out.item() == pytest.approx(ref.item(), rel=1e-13)
    np.testing.assert_allclose(A.grad, TA.grad.numpy(), rtol=RTOL, atol=1e-14)
    np.testing.assert_allclose(B.grad, TB.grad.numpy(), rtol=RTOL, atol=1e-14)


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
# Input validation
# ----------------------------------------------------------------------------------------


def _backward_on_constant():
    Tensor([1.0, 2.0]).sum().backward()


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: Tensor("abc"), TypeError, r"`data` must be array-like of real numbers"),
        (lambda: Tensor([1.0, 2j]), TypeError, r"`data` must be array-like of real numbers"),
        (lambda: Tensor([[1.0], [1.0, 2.0]]), TypeError, r"`data` must be array-like"),
        (lambda: Tensor(1.0) + "a", TypeError, r"unsupported operand"),
        (lambda: Tensor(1.0) @ 2.0, TypeError, r"unsupported operand"),
        (lambda: Tensor(1.0) + np.array(["a"]), TypeError,
         r"`operand` must be array-like of real numbers; got dtype <U1"),
        (lambda: Dual(1.0, 1.0) * np.array(["a"]), TypeError,
         r"`operand` must be array-like of real numbers"),
        (lambda: Tensor(np.ones(3)) + Tensor(np.ones(4)), ValueError,
         r"could not be broadcast together; got shapes \(3,\) and \(4,\)"),
        (lambda: Tensor(np.ones((2, 3))) @ Tensor(np.ones((2, 3))), ValueError,
         r"`@` needs matching inner dimensions.*got shapes \(2, 3\) and \(2, 3\)"),
        (lambda: Tensor(np.ones(3)) @ Tensor(2.0), ValueError,
         r"`@` needs matching inner dimensions.*got shapes \(3,\) and \(\)"),
        (lambda: Tensor(np.ones(6)).reshape(4, 2), ValueError,
         r"cannot reshape a Tensor of shape \(6,\) into shape \(4, 2\)"),
        (lambda: Tensor(np.ones(3), requires_grad=True).backward(), RuntimeError,
         r"non-scalar Tensor of shape \(3,\) needs a seed `gradient`"),
        (_backward_on_constant, RuntimeError, r"requires_grad=True"),
        (lambda: Tensor(np.ones(3), requires_grad=True).backward(np.ones(4)), ValueError,
         r"`gradient` must have shape \(3,\); got shape \(4,\)"),
        (lambda: Tensor(np.ones(3), requires_grad=True).backward("x"), TypeError,
         r"`gradient` must be array-like of real numbers"),
        (lambda: Tensor([1.0, 2.0]).item(), ValueError,
         r"`item\(\)` needs a tensor with one entry; got shape \(2,\)"),
        (lambda: Dual(np.ones(3), np.ones(2)), ValueError,
         r"`tangent` must have the shape of `value`, \(3,\); got shape \(2,\)"),
        (lambda: Dual("a", 1.0), TypeError, r"`value` must be array-like of real numbers"),
        (lambda: Dual(np.ones(3), 1.0) * Dual(np.ones(2), 1.0), ValueError,
         r"could not be broadcast together; got shapes \(3,\) and \(2,\)"),
        (lambda: Dual(np.ones(3), 1.0) @ Dual(np.ones(2), 1.0), ValueError,
         r"`@` needs matching inner dimensions.*\(3,\) and \(2,\)"),
        (lambda: Dual(1.0, 1.0) + Tensor(1.0), TypeError, r"unsupported operand"),
        (lambda: grad(3.0), TypeError, r"`f` must be callable; got float"),
        (lambda: grad(lambda x: 1.0)(np.ones(2)), TypeError,
         r"`f` must return a Tensor .*; got float"),
        (lambda: grad(lambda x: x * 2)(np.ones(2)), ValueError,
         r"`f` must return a scalar \(one entry\).*got shape \(2,\)"),
        (lambda: jvp(lambda d: d, np.ones(3), np.ones(2)), ValueError,
         r"`v` must have shape \(3,\); got shape \(2,\)"),
        (lambda: jvp(None, np.ones(3), np.ones(3)), TypeError, r"`f` must be callable"),
        (lambda: jvp(lambda d: d, "x", 1.0), TypeError, r"`x` must be array-like"),
    ],
)  # fmt: skip
def test_input_validation(call, error, match):
    with pytest.raises(error, match=match):
        call()
