"""Tests for calcdocs.plotting: assert on what lands on the returned Axes."""

import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import BoundaryNorm
from matplotlib.patches import Ellipse, FancyArrowPatch, FancyBboxPatch

from calcdocs import (
    himmelblau,
    plot_contours,
    plot_gradient_field,
    plot_graph,
    plot_path,
    plot_surface,
    plot_tangent,
    quadratic_bowl,
    rosenbrock,
    saddle,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# --- plot_contours ---------------------------------------------------------------------------


def test_contours_levels_and_one_contour_set():
    _, ax = plt.subplots()
    out = plot_contours(himmelblau(), (-5, 5), (-5, 5), levels=12, num=50, ax=ax)
    assert out is ax
    assert len(ax.collections) == 1
    cs = ax.collections[0]
    assert len(cs.levels) == 12
    assert cs.get_cmap().name == "viridis"
    np.testing.assert_allclose(cs.levels[[0, -1]], [0.0, 890.0], atol=5.0)  # min, max on grid


def test_contours_evaluate_the_grid_in_one_call():
    calls = []

    def f(x):
        calls.append(x.shape)
        return (x**2).sum(axis=-1)

    plot_contours(f, (-1, 1), (-2, 2), num=17)
    assert calls == [(17, 17, 2)]


def test_contours_log_scale_levels_are_geometric_above_the_minimum():
    _, ax = plt.subplots()
    f = rosenbrock()
    plot_contours(f, (-2, 2), (-1, 3), levels=25, num=60, log_scale=True, ax=ax)
    cs = ax.collections[0]
    X, Y = np.meshgrid(np.linspace(-2, 2, 60), np.linspace(-1, 3, 60))
    z = f(np.stack([X, Y], axis=-1))
    gaps = cs.levels - z.min()
    np.testing.assert_allclose(gaps[-1], np.ptp(z))
    ratios = gaps[1:] / gaps[:-1]
    np.testing.assert_allclose(ratios, ratios[0], rtol=1e-6)
    assert len(cs.levels) == 25 and ratios[0] > 1
    assert isinstance(cs.norm, BoundaryNorm)


def test_contours_filled_explicit_levels_and_kwargs():
    _, ax = plt.subplots()
    plot_contours(saddle(), (-1, 1), (-1, 1), levels=[-0.5, 0.0, 0.5], filled=True, ax=ax,
                  cmap="cividis")  # fmt: skip
    cs = ax.collections[0]
    assert cs.filled
    np.testing.assert_array_equal(cs.levels, [-0.5, 0.0, 0.5])
    assert cs.get_cmap().name == "cividis"


def test_contours_default_to_current_axes():
    _, (ax1, ax2) = plt.subplots(1, 2)
    plt.sca(ax1)
    assert plot_contours(saddle(), (-1, 1), (-1, 1), num=10) is ax1
    assert len(ax1.collections) == 1 and len(ax2.collections) == 0


# --- plot_surface ----------------------------------------------------------------------------


def test_surface_on_given_3d_axes():
    _, ax = plt.subplots(subplot_kw={"projection": "3d"})
    out = plot_surface(saddle(), (-2, 2), (-1, 1), num=15, ax=ax)
    assert out is ax
    assert len(ax.collections) == 1
    assert ax.collections[0].get_cmap().name == "viridis"
    np.testing.assert_allclose(ax.get_zlim(), [-1.0, 4.0], atol=0.3)  # x^2 - y^2 on the window


def test_surface_without_ax_adds_3d_subplot_to_current_figure():
    fig = plt.figure()
    ax = plot_surface(saddle(), (-1, 1), (-1, 1), num=5)
    assert ax.name == "3d" and ax.figure is fig and fig.axes == [ax]
    again = plot_surface(saddle(), (-1, 1), (-1, 1), num=5)  # reuses the current 3-D Axes
    assert again is ax and len(ax.collections) == 2


def test_surface_rejects_2d_axes():
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match=r"`ax` must be a 3-D Axes .*got a 'rectilinear' Axes"):
        plot_surface(saddle(), (-1, 1), (-1, 1), ax=ax)


# --- plot_gradient_field ---------------------------------------------------------------------


@pytest.mark.parametrize("normalize", [True, False])
def test_gradient_field_arrows_point_along_the_gradient(normalize):
    f = quadratic_bowl(condition_number=4.0, angle=0.3)
    _, ax = plt.subplots()
    plot_gradient_field(f.gradient, (-2, 2), (-1, 1), num=7, normalize=normalize, ax=ax)
    q = ax.collections[-1]
    assert q.N == 49
    points = np.column_stack([q.X, q.Y])
    g = f.gradient(points)
    arrows = np.column_stack([np.ravel(q.U), np.ravel(q.V)])
    cross = arrows[:, 0] * g[:, 1] - arrows[:, 1] * g[:, 0]
    np.testing.assert_allclose(cross, 0.0, atol=1e-12)
    assert np.all(np.sum(arrows * g, axis=1) >= 0)
    norms = np.linalg.norm(arrows, axis=1)
    if normalize:
        np.testing.assert_allclose(norms[np.linalg.norm(g, axis=1) > 0], 1.0)
    else:
        np.testing.assert_allclose(arrows, g)
    np.testing.assert_allclose(q.get_array(), np.linalg.norm(g, axis=1))  # colour = magnitude


def test_gradient_field_negated_and_plain_colour():
    f = quadratic_bowl(condition_number=2.0)
    _, ax = plt.subplots()
    plot_gradient_field(lambda x: -f.gradient(x), (-1, 1), (-1, 1), num=5, color="k", ax=ax)
    q = ax.collections[-1]
    g = f.gradient(np.column_stack([q.X, q.Y]))
    assert np.all(np.ravel(q.U) * g[:, 0] + np.ravel(q.V) * g[:, 1] <= 0)
    assert q.get_array() is None


# --- plot_path -------------------------------------------------------------------------------


def test_path_line_holds_the_points_and_marks_start_and_end():
    points = np.array([[0.0, 0.0], [1.0, 2.0], [2.0, 1.5], [2.5, 1.0]])
    _, ax = plt.subplots()
    out = plot_path(points, ax=ax, label="adam", color="C3")
    assert out is ax
    path, start, end = ax.lines
    np.testing.assert_array_equal(path.get_xydata(), points)
    np.testing.assert_array_equal(start.get_xydata(), points[:1])
    np.testing.assert_array_equal(end.get_xydata(), points[-1:])
    assert start.get_color() == end.get_color() == path.get_color() == "C3"
    _, labels = ax.get_legend_handles_labels()
    assert labels == ["adam"]


def test_path_default_axes_and_single_point():
    _, ax = plt.subplots()
    assert plot_path([[1.0, 1.0]]) is ax
    assert len(ax.lines) == 3


# --- plot_tangent ----------------------------------------------------------------------------


def test_tangent_with_given_slope():
    _, ax = plt.subplots()
    plot_tangent(np.exp, 0.0, slope=1.0, halfwidth=0.5, ax=ax, color="C2")
    curve, tangent, point = ax.lines
    np.testing.assert_allclose(curve.get_ydata(), np.exp(curve.get_xdata()))
    assert curve.get_xdata()[[0, -1]].tolist() == [-0.5, 0.5]
    assert curve.get_color() == "C2"
    np.testing.assert_allclose(tangent.get_xydata(), [[-0.5, 0.5], [0.5, 1.5]])
    np.testing.assert_allclose(point.get_xydata(), [[0.0, 1.0]])


def test_tangent_slope_defaults_to_numerical_derivative():
    _, ax = plt.subplots()
    plot_tangent(np.sin, 1.0, ax=ax)
    (x0, y0), (x1, y1) = ax.lines[1].get_xydata()
    np.testing.assert_allclose((y1 - y0) / (x1 - x0), np.cos(1.0), rtol=1e-8)
    assert plot_tangent(np.cos, 0.0) is ax


# --- plot_graph ------------------------------------------------------------------------------


class Node:
    """A stand-in for calcdocs.Tensor with the attributes plot_graph reads."""

    def __init__(self, data, parents=(), op="", label=None):
        self.data = np.asarray(data, dtype=float)
        self.grad = np.zeros_like(self.data)
        self._parents = tuple(parents)
        self._op = op
        self.label = label


def _count(ax, kind):
    return sum(isinstance(p, kind) for p in ax.patches)


def _texts(ax):
    return [t.get_text() for t in ax.texts]


def test_graph_one_box_per_unique_node_and_one_arrow_per_edge():
    x = Node(2.0, label="x")
    w = Node([1.0, 2.0], label="w")
    xx = Node(4.0, (x, x), "mul")  # x used twice by one op: one edge
    s = Node([5.0, 6.0], (xx, w), "add")  # x reaches the root along two routes
    t = Node([6.0, 8.0], (s, x), "mul")
    root = Node(14.0, (t,), "sum", label="loss")
    _, ax = plt.subplots()
    assert plot_graph(root, ax=ax) is ax
    n_nodes, n_ops = 6, 4
    n_edges = 6  # x->xx (once, though used twice), xx->s, w->s, s->t, x->t, t->root
    assert _count(ax, FancyBboxPatch) == n_nodes
    assert _count(ax, Ellipse) == n_ops
    assert _count(ax, FancyArrowPatch) == n_edges + n_ops  # operands -> op, op -> result
    texts = _texts(ax)
    assert texts.count("x\n2") == 1  # the reused leaf is drawn once
    assert "w\nshape (2,)" in texts and "loss\n14" in texts
    assert sorted(t for t in texts if "\n" not in t) == ["add", "mul", "mul", "sum"]
    assert not ax.axison


def test_graph_layout_runs_left_to_right():
    a, b = Node(1.0, label="a"), Node(2.0, label="b")
    c = Node(3.0, (a, b), "add", label="c")
    d = Node(6.0, (c, b), "mul", label="d")
    _, ax = plt.subplots()
    plot_graph(d, ax=ax)
    x_of = {t.get_text().split("\n")[0]: t.get_position()[0] for t in ax.texts}
    assert x_of["a"] < x_of["add"] < x_of["c"] < x_of["mul"] < x_of["d"]
    for arrow in (p for p in ax.patches if isinstance(p, FancyArrowPatch)):
        (x_start, _), (x_end, _) = arrow._posA_posB
        assert x_start < x_end


def test_graph_show_grad_and_default_axes():
    x = Node(3.0, label="x")
    y = Node(9.0, (x, x), "mul", label="y")
    y.grad, x.grad = np.array(1.0), np.array(6.0)
    _, ax = plt.subplots()
    assert plot_graph(y, show_grad=True, fontsize=7) is ax
    assert "x\n3\ngrad 6" in _texts(ax) and "y\n9\ngrad 1" in _texts(ax)
    assert {t.get_fontsize() for t in ax.texts} == {7.0}


def test_graph_of_a_long_chain_does_not_recurse():
    node = Node(0.0, label="x0")
    for _ in range(300):
        node = Node(0.0, (node,), "tanh")
    _, ax = plt.subplots()
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(200)  # a recursive walk of 301 nodes would fail
    try:
        plot_graph(node, ax=ax)
    finally:
        sys.setrecursionlimit(limit)
    assert _count(ax, FancyBboxPatch) == 301


def test_graph_with_real_tensor():
    from calcdocs import Tensor

    x = Tensor([1.0, -2.0], requires_grad=True, label="x")
    W = Tensor([[0.5, -1.0], [2.0, 0.3]], requires_grad=True, label="W")
    h = (W @ x).tanh()
    loss = (h * h).sum()
    loss.label = "loss"
    loss.backward()
    nodes, stack = {}, [loss]
    while stack:
        node = stack.pop()
        if id(node) not in nodes:
            nodes[id(node)] = node
            stack.extend(node._parents)
    _, ax = plt.subplots()
    plot_graph(loss, show_grad=True, ax=ax)
    assert _count(ax, FancyBboxPatch) == len(nodes)
    assert _count(ax, Ellipse) == sum(bool(n._parents) for n in nodes.values())
    assert any(t.startswith("loss\n") and t.endswith("grad 1") for t in _texts(ax))


# --- validation ------------------------------------------------------------------------------


def test_input_validation():
    f = saddle()
    with pytest.raises(TypeError, match=r"`f` must be callable; got int"):
        plot_contours(1, (0, 1), (0, 1))
    with pytest.raises(ValueError, match=r"`xlim` must be a pair \(low, high\); got 3"):
        plot_contours(f, 3, (0, 1))
    with pytest.raises(ValueError, match=r"`ylim` must satisfy low < high; got \(1, 0\)"):
        plot_contours(f, (0, 1), (1, 0))
    with pytest.raises(ValueError, match=r"`xlim\[1\]` must be finite"):
        plot_contours(f, (0, np.inf), (0, 1))
    with pytest.raises(ValueError, match=r"`num` must be at least 2; got 1"):
        plot_contours(f, (0, 1), (0, 1), num=1)
    with pytest.raises(ValueError, match=r"`levels` must be at least 2; got 1"):
        plot_contours(f, (0, 1), (0, 1), levels=1)
    with pytest.raises(ValueError, match=r"`levels` must be an integer or a 1-D array"):
        plot_contours(f, (0, 1), (0, 1), levels=[[1.0, 2.0]])
    with pytest.raises(ValueError, match=r"`f` must map points of shape \(\.\.\., 2\) to values"):
        plot_contours(lambda x: x, (0, 1), (0, 1), num=4)
    with pytest.raises(TypeError, match=r"`ax` must be a matplotlib Axes or None; got str"):
        plot_contours(f, (0, 1), (0, 1), ax="ax")
    with pytest.raises(ValueError, match=r"`ax` must be a 3-D Axes"):
        plot_surface(f, (0, 1), (0, 1), ax=plt.subplots()[1])
    with pytest.raises(TypeError, match=r"`grad` must be callable; got NoneType"):
        plot_gradient_field(None, (0, 1), (0, 1))
    with pytest.raises(ValueError, match=r"`grad` must map points of shape \(\.\.\., 2\) to vec"):
        plot_gradient_field(f, (0, 1), (0, 1))
    with pytest.raises(ValueError, match=r"`points` must have length 2 on its last axis"):
        plot_path([[1.0, 2.0, 3.0]])
    with pytest.raises(ValueError, match=r"`points` must have shape \(k, 2\) with k >= 1"):
        plot_path(np.zeros((0, 2)))
    with pytest.raises(ValueError, match=r"`points` must be finite"):
        plot_path([[0.0, np.nan]])
    with pytest.raises(ValueError, match=r"`halfwidth` must be positive; got 0.0"):
        plot_tangent(np.sin, 0.0, halfwidth=0.0)
    with pytest.raises(TypeError, match=r"`x0` must be a real number; got str"):
        plot_tangent(np.sin, "0")
    with pytest.raises(TypeError, match=r"`slope` must be a real number; got str"):
        plot_tangent(np.sin, 0.0, slope="1")
    with pytest.raises(ValueError, match=r"`f` must be vectorised"):
        plot_tangent(lambda x: 1.0, 0.0, slope=0.0)
    with pytest.raises(TypeError, match=r"`root` must be a graph node .* without `_parents`"):
        plot_graph(3.0)
