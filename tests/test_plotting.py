"""Tests for calcdocs.plotting: assert on what lands on the returned Axes."""

import re
import subprocess
import sys
import time

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import BoundaryNorm
from matplotlib.patches import Ellipse, FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path as MplPath

import calcdocs as cd
from calcdocs import (
    animate_descent,
    drawn,
    himmelblau,
    plot_contours,
    plot_function,
    plot_gradient_field,
    plot_graph,
    plot_loss_curves,
    plot_path,
    plot_paths,
    plot_surface,
    plot_tangent,
    quadratic_bowl,
    rosenbrock,
    saddle,
    sgd,
)

# The frame tests draw frames by hand instead of rendering the whole animation; matplotlib
# then warns, when the animation object is collected, that it was never rendered.
pytestmark = pytest.mark.filterwarnings("ignore:Animation was deleted without rendering")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _grid(f, xlim, ylim, num):
    X, Y = np.meshgrid(np.linspace(*xlim, num), np.linspace(*ylim, num))
    return f(np.stack([X, Y], axis=-1))


# --- import cost --------------------------------------------------------------------------------


def test_import_calcdocs_does_not_import_pyplot():
    code = "import sys, calcdocs; print('matplotlib.pyplot' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- plot_contours ----------------------------------------------------------------------------


def test_contours_levels_span_the_range_and_one_contour_set():
    _, ax = plt.subplots()
    out = plot_contours(himmelblau(), (-5, 5), (-5, 5), levels=12, num=50, ax=ax)
    assert out is ax
    (cs,) = drawn(ax, "plot_contours")
    assert cs is ax.collections[0] and len(ax.collections) == 1
    assert len(cs.levels) == 12
    assert cs.get_cmap().name == "viridis_mid"  # lines: the middle of viridis
    z = _grid(himmelblau(), (-5, 5), (-5, 5), 50)
    np.testing.assert_allclose(cs.levels[[0, -1]], [z.min(), z.max()])


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
    cs = drawn(ax, "plot_contours")[-1]
    z = _grid(f, (-2, 2), (-1, 3), 60)
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
    cs = drawn(ax, "plot_contours")[-1]
    assert cs.filled
    np.testing.assert_array_equal(cs.levels, [-0.5, 0.0, 0.5])
    plot_contours(saddle(), (-1, 1), (-1, 1), levels=4, filled=True, num=9, ax=ax)
    assert drawn(ax, "plot_contours")[-1].get_cmap().name == "viridis"  # bands: full range
    assert cs.get_cmap().name == "cividis"


def test_contours_default_to_current_axes():
    _, (ax1, ax2) = plt.subplots(1, 2)
    plt.sca(ax1)
    assert plot_contours(saddle(), (-1, 1), (-1, 1), num=10) is ax1
    assert len(ax1.collections) == 1 and len(ax2.collections) == 0


def test_contour_levels_come_from_the_finite_values_only():
    def log_bowl(x):  # -inf at the origin's column, NaN on the left half
        with np.errstate(all="ignore"):
            return np.log(x[..., 0]) + x[..., 1] ** 2

    _, ax = plt.subplots()
    plot_contours(log_bowl, (-1, 2), (-1, 1), levels=8, num=31, ax=ax)
    levels = drawn(ax, "plot_contours")[-1].levels
    z = _grid(log_bowl, (-1, 2), (-1, 1), 31)
    finite = z[np.isfinite(z)]
    assert np.all(np.isfinite(levels))
    np.testing.assert_allclose(levels[[0, -1]], [finite.min(), finite.max()])


def test_contours_draw_their_own_colorbar():
    fig, ax = plt.subplots()
    plot_contours(saddle(), (-1, 1), (-1, 1), levels=6, num=20, ax=ax, colorbar=True,
                  colorbar_kws={"label": "f(x, y)"})  # fmt: skip
    cs = drawn(ax, "plot_contours")[-1]
    assert cs.colorbar is not None and cs.colorbar.mappable is cs
    assert cs.colorbar.ax in fig.axes and len(fig.axes) == 2
    assert cs.colorbar.ax.get_ylabel() == "f(x, y)"


# --- plot_surface ----------------------------------------------------------------------------


def test_surface_on_given_3d_axes():
    _, ax = plt.subplots(subplot_kw={"projection": "3d"})
    out = plot_surface(saddle(), (-2, 2), (-1, 1), num=15, ax=ax)
    assert out is ax
    (surface,) = drawn(ax, "plot_surface")
    assert surface.get_cmap().name == "viridis"
    np.testing.assert_allclose(ax.get_zlim(), [-1.0, 4.0], atol=0.3)  # x^2 - y^2 on the window


def test_surface_without_ax_adds_3d_subplot_only_to_an_empty_figure():
    fig = plt.figure()
    ax = plot_surface(saddle(), (-1, 1), (-1, 1), num=5)
    assert ax.name == "3d" and ax.figure is fig and fig.axes == [ax]
    again = plot_surface(saddle(), (-1, 1), (-1, 1), num=5)  # reuses the current 3-D Axes
    assert again is ax and len(drawn(ax, "plot_surface")) == 2


def test_surface_refuses_to_overlap_a_current_2d_axes():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match=r"`ax` is None and the current Axes is 2-D"):
        plot_surface(saddle(), (-1, 1), (-1, 1), num=5)
    assert fig.axes == [ax]  # nothing added


def test_surface_colorbar():
    fig, ax = plt.subplots(subplot_kw={"projection": "3d"})
    plot_surface(saddle(), (-1, 1), (-1, 1), num=8, ax=ax, colorbar=True)
    assert drawn(ax, "plot_surface")[-1].colorbar is not None and len(fig.axes) == 2


# --- plot_gradient_field ---------------------------------------------------------------------


@pytest.mark.parametrize("normalize", [True, False])
def test_gradient_field_arrows_point_along_the_gradient(normalize):
    f = quadratic_bowl(condition_number=4.0, angle=0.3)
    _, ax = plt.subplots()
    plot_gradient_field(f.gradient, (-2, 2), (-1, 1), num=7, normalize=normalize, ax=ax)
    (q,) = drawn(ax, "plot_gradient_field")
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
    q = drawn(ax, "plot_gradient_field")[-1]
    g = f.gradient(np.column_stack([q.X, q.Y]))
    assert np.all(np.ravel(q.U) * g[:, 0] + np.ravel(q.V) * g[:, 1] <= 0)
    assert q.get_array() is None


def test_gradient_field_colorbar_shows_the_magnitude():
    f = quadratic_bowl(condition_number=2.0)
    _, ax = plt.subplots()
    plot_gradient_field(f.gradient, (-1, 1), (-1, 1), num=5, ax=ax, colorbar=True,
                        colorbar_kws={"label": "|grad|"})  # fmt: skip
    q = drawn(ax, "plot_gradient_field")[-1]
    assert q.colorbar.mappable is q and q.colorbar.ax.get_ylabel() == "|grad|"


# --- plot_path, plot_paths (arrays and Trajectory) -----------------------------------------------


def test_path_line_holds_the_points_and_marks_start_and_end():
    points = np.array([[0.0, 0.0], [1.0, 2.0], [2.0, 1.5], [2.5, 1.0]])
    _, ax = plt.subplots()
    out = plot_path(points, label="adam", ax=ax, color="C3")
    assert out is ax
    path, start, end = ax.lines
    assert drawn(ax, "plot_path") == [path] and drawn(ax, "plot_path.end") == [end]
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


def test_path_of_a_trajectory_is_its_points():
    f = quadratic_bowl(condition_number=5.0)
    run = sgd(f.gradient, np.array([1.5, 1.0]), steps=12, lr=0.1)
    _, ax = plt.subplots()
    plot_path(run, ax=ax)
    np.testing.assert_array_equal(drawn(ax, "plot_path")[0].get_xydata(), run.points)
    np.testing.assert_array_equal(drawn(ax, "plot_path.end")[0].get_xydata(), run.x[None])


def test_paths_one_coloured_line_per_run_labelled_by_method():
    f = quadratic_bowl(condition_number=5.0)
    runs = [sgd(f.gradient, np.array([1.5, 1.0]), steps=10, lr=lr) for lr in (0.05, 0.15)]
    _, ax = plt.subplots()
    plot_paths([*runs, np.array([[0.0, 0.0], [1.0, 1.0]])], ax=ax)
    lines = drawn(ax, "plot_path")
    assert len(lines) == 3 and len({line.get_color() for line in lines}) == 3
    for line, run in zip(lines, runs):
        np.testing.assert_array_equal(line.get_xydata(), run.points)
    assert ax.get_legend_handles_labels()[1] == ["sgd", "sgd"]
    _, ax2 = plt.subplots()
    plot_paths(runs, ["slow", "fast"], ax=ax2)
    assert ax2.get_legend_handles_labels()[1] == ["slow", "fast"]


# --- plot_loss_curves ---------------------------------------------------------------------------


def test_loss_curves_are_the_values_against_the_step():
    f = quadratic_bowl(condition_number=10.0)
    runs = [sgd(f.gradient, np.array([1.0, 1.0]), steps=40, lr=lr, f=f) for lr in (0.02, 0.1)]
    _, ax = plt.subplots()
    assert plot_loss_curves(runs, ["small", "large"], ax=ax) is ax
    lines = drawn(ax, "plot_loss_curves")
    for line, run in zip(lines, runs):
        np.testing.assert_array_equal(line.get_xdata(), np.arange(41))
        np.testing.assert_array_equal(line.get_ydata(), run.values)
    assert ax.get_yscale() == "log"  # the values span orders of magnitude
    _, ax2 = plt.subplots()
    plot_loss_curves(runs, kind="grad_norms", log_scale=False, ax=ax2)
    np.testing.assert_array_equal(drawn(ax2, "plot_loss_curves")[1].get_ydata(),
                                  runs[1].grad_norms)  # fmt: skip
    assert ax2.get_yscale() == "linear" and ax2.get_ylabel() == "gradient norm"


def test_loss_curves_linear_scale_for_a_narrow_range_and_gaps_for_divergence():
    _, ax = plt.subplots()
    plot_loss_curves([np.array([3.0, 2.0, 1.5, np.inf, np.nan])], ax=ax)
    y = drawn(ax, "plot_loss_curves")[0].get_ydata()
    assert ax.get_yscale() == "linear"
    np.testing.assert_array_equal(y[:3], [3.0, 2.0, 1.5])
    assert np.all(np.isnan(y[3:]))


# --- plot_tangent and plot_function --------------------------------------------------------


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


def test_function_curve_and_tangents_with_the_derivative_as_slope():
    _, ax = plt.subplots()
    plot_function(np.sin, (0.0, 3.0), tangent_at=[0.5, 2.0], num=50, ax=ax)
    (curve,) = drawn(ax, "plot_function")
    np.testing.assert_array_equal(curve.get_xdata(), np.linspace(0.0, 3.0, 50))
    np.testing.assert_allclose(curve.get_ydata(), np.sin(curve.get_xdata()))
    tangents = drawn(ax, "plot_tangent.line")
    points = drawn(ax, "plot_tangent.point")
    assert len(tangents) == len(points) == 2
    for line, point, x0 in zip(tangents, points, [0.5, 2.0]):
        (xa, ya), (xb, yb) = line.get_xydata()
        np.testing.assert_allclose((yb - ya) / (xb - xa), np.cos(x0), rtol=1e-8)
        np.testing.assert_allclose(point.get_xydata(), [[x0, np.sin(x0)]])


# --- animate_descent ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rosenbrock_runs():
    f = rosenbrock()
    runs = [
        sgd(f.gradient, np.array([-1.5, 2.0]), steps=150, lr=1e-3, f=f),
        sgd(f.gradient, np.array([-1.5, 2.0]), steps=90, lr=1e-3, momentum=0.9, f=f),
    ]
    return f, runs


@pytest.mark.parametrize(
    ("stride", "expected"),
    [(1, list(range(151))), (7, [*range(0, 150, 7), 150]), (None, None)],
    ids=["every-step", "stride-7", "auto-stride"],
)
def test_animation_frames_per_stride_and_last_frame_shows_last_iterate(
    rosenbrock_runs, stride, expected
):
    f, runs = rosenbrock_runs
    _, ax = plt.subplots()
    anim = animate_descent(f, runs, xlim=(-2, 2), ylim=(-1, 3), stride=stride, num=30, ax=ax)
    frames = anim.frame_iterates
    if expected is not None:
        assert frames == expected
    else:
        assert len(frames) <= 30 and frames[0] == 0 and frames[-1] == 150
    assert len(list(anim.new_frame_seq())) == len(frames)
    anim.show_frame(len(frames) - 1)
    lines, ends = drawn(ax, "plot_path"), drawn(ax, "plot_path.end")
    for line, end, run in zip(lines, ends, runs):  # the shorter run stopped at its end
        np.testing.assert_array_equal(line.get_xydata(), run.points)
        np.testing.assert_array_equal(end.get_xydata(), run.x[None])
    anim.show_frame(1)
    np.testing.assert_array_equal(lines[0].get_xydata(), runs[0].points[: frames[1] + 1])
    assert ax.get_legend_handles_labels()[1] == ["sgd", "sgd"]


def test_animation_html_loads_nothing_remote_and_stays_under_2_mb(rosenbrock_runs):
    f, runs = rosenbrock_runs
    with matplotlib.rc_context():
        cd.use_style()  # as the book renders it
        _, ax = plt.subplots()
        anim = animate_descent(f, runs, xlim=(-2, 2), ylim=(-1, 3), log_scale=True, ax=ax)
        start = time.perf_counter()
        html = anim.to_jshtml()
        seconds = time.perf_counter() - start
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", html), "a remote resource"
    assert "maxcdn" not in html and "font-awesome" not in html
    n_frames = len(re.findall(r"frames\[\d+\] = ", html))
    assert n_frames == len(anim.frame_iterates) <= 30
    import base64
    import io

    from PIL import Image

    first = re.search(r"frames\[0\] = \"data:image/png;base64,([^\"]+)\"", html).group(1)
    alpha = np.asarray(Image.open(io.BytesIO(base64.b64decode(first))).convert("RGBA"))[..., 3]
    assert alpha.min() == 0  # transparent margins: the player reads on dark pages too
    size = len(html.encode())
    print(f"\n{n_frames} frames, {size / 1e6:.2f} MB of jshtml in {seconds:.1f} s")
    assert size < 2e6


# --- plot_graph ------------------------------------------------------------------------------


class Node:
    """A stand-in for calcdocs.Tensor with the public graph protocol plot_graph reads."""

    def __init__(self, data, parents=(), op="", label=None):
        self.data = np.asarray(data, dtype=float)
        self.grad = np.zeros_like(self.data)
        self.parents = tuple(parents)
        self.op = op
        self.label = label


def _count(ax, kind):
    return sum(isinstance(p, kind) for p in ax.patches)


def _texts(ax):
    return [t.get_text() for t in ax.texts]


def _position(ax, name):
    """Centre of the box whose first text line is `name`."""
    (text,) = [t for t in ax.texts if t.get_text().split("\n")[0] == name and "\n" in t.get_text()]
    return text.get_position()


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
    assert _count(ax, FancyBboxPatch) == len(drawn(ax, "plot_graph.node")) == n_nodes
    assert _count(ax, Ellipse) == len(drawn(ax, "plot_graph.op")) == n_ops
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
    fig, ax = plt.subplots()
    plot_graph(d, ax=ax)
    x_of = {t.get_text().split("\n")[0]: t.get_position()[0] for t in ax.texts}
    assert x_of["a"] < x_of["add"] < x_of["c"] < x_of["mul"] < x_of["d"]
    fig.canvas.draw()
    for arrow in drawn(ax, "plot_graph.edge"):
        path = arrow.get_path()  # the tail first, then the shaft and the head
        x = path.vertices[path.codes != MplPath.CLOSEPOLY, 0]
        assert x[0] == x.min() < x.max()


def test_graph_leaf_sits_next_to_its_first_use():
    x = Node(1.0, label="x")
    deep = Node(0.0, (Node(0.0, (Node(0.0, (x,), "exp"),), "exp"),), "exp", label="e3")
    c = Node(2.0, label="c")  # used only by the last operation
    root = Node(2.0, (deep, c), "add", label="root")
    _, ax = plt.subplots()
    plot_graph(root, ax=ax)
    (x_root, _), (x_c, _), (x_e3, _) = (_position(ax, n) for n in ("root", "c", "e3"))
    (x_x, _) = _position(ax, "x")
    assert x_c == pytest.approx(x_e3)  # one column left of the root, not in column 0
    assert x_x < x_c < x_root


def test_graph_rows_follow_the_operands_so_arrows_do_not_cross():
    a, b = Node(1.0, label="a"), Node(2.0, label="b")
    u = Node(2.0, (a, b), "mul", label="u")  # placed first by the graph walk
    v = Node(2.7, (a,), "exp", label="v")  # a's only other use
    root = Node(4.7, (u, v), "add", label="r")
    _, ax = plt.subplots()
    plot_graph(root, ax=ax)
    y = {name: _position(ax, name)[1] for name in "abuv"}
    assert y["a"] > y["b"]
    assert y["v"] > y["u"]  # v follows its operand a (top): a->v and b->u do not cross


@pytest.mark.parametrize("cycle_length", [1, 2], ids=["self-loop", "two-cycle"])
def test_graph_with_a_cycle_raises_instead_of_hanging(cycle_length):
    a = Node(1.0, label="a")
    b = Node(1.0, (a,), "exp", label="b") if cycle_length == 2 else a
    a.parents = (b,)
    start = time.perf_counter()
    with pytest.raises(ValueError, match=r"`root`: the graph has a cycle"):
        plot_graph(a, ax=plt.subplots()[1])
    assert time.perf_counter() - start < 2


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


def test_graph_with_real_tensor_uses_the_public_topological_order():
    x = cd.Tensor([1.0, -2.0], requires_grad=True, label="x")
    W = cd.Tensor([[0.5, -1.0], [2.0, 0.3]], requires_grad=True, label="W")
    h = (W @ x).tanh()
    loss = (h * h).sum()
    loss.label = "loss"
    loss.backward()
    nodes = cd.topological_order(loss)
    _, ax = plt.subplots()
    plot_graph(loss, show_grad=True, ax=ax)
    assert _count(ax, FancyBboxPatch) == len(nodes)
    assert _count(ax, Ellipse) == sum(bool(n.parents) for n in nodes)
    assert any(t.startswith("loss\n") and t.endswith("grad 1") for t in _texts(ax))


# --- validation ------------------------------------------------------------------------------

F = saddle()


class NoOp(Node):
    def __init__(self):
        super().__init__(1.0)
        del self.op


def _complex(x):
    return x[..., 0] * (1 + 1j)


def _all_nan(x):
    return np.full(x.shape[:-1], np.nan)


def _run3d():
    return sgd(lambda x: 2 * x, np.ones(3), steps=2, lr=0.1)


def _unrecorded():
    return sgd(lambda x: 2 * x, np.ones(2), steps=2, lr=0.1, record=False)


INVALID = [
    ("contours-f", lambda: plot_contours(1, (0, 1), (0, 1)), TypeError,
     r"`f` must be callable; got int"),
    ("xlim-not-pair", lambda: plot_contours(F, 3, (0, 1)), ValueError,
     r"`xlim` must be a pair \(low, high\); got 3"),
    ("ylim-reversed", lambda: plot_contours(F, (0, 1), (1, 0)), ValueError,
     r"`ylim` must satisfy low < high; got \(1, 0\)"),
    ("xlim-equal", lambda: plot_contours(F, (1, 1), (0, 1)), ValueError,
     r"`xlim` must satisfy low < high"),
    ("xlim-inf", lambda: plot_contours(F, (0, np.inf), (0, 1)), ValueError,
     r"`xlim\[1\]` must be finite"),
    ("xlim-overflows", lambda: plot_contours(F, (-1e308, 1e308), (0, 1)), ValueError,
     r"`xlim` is too wide: high - low overflows"),
    ("num-small", lambda: plot_contours(F, (0, 1), (0, 1), num=1), ValueError,
     r"`num` must be at least 2; got 1"),
    ("num-huge", lambda: plot_contours(F, (0, 1), (0, 1), num=100_000), ValueError,
     r"`num` = 100000 asks for a grid of 100000 x 100000 points, about 373 GiB"),
    ("num-huge-1d", lambda: plot_function(np.sin, (0, 1), num=10**9), ValueError,
     r"`num` = 1000000000 asks for a grid of 1000000000 points"),
    ("levels-small", lambda: plot_contours(F, (0, 1), (0, 1), levels=1), ValueError,
     r"`levels` must be at least 2; got 1"),
    ("levels-2d", lambda: plot_contours(F, (0, 1), (0, 1), levels=[[1.0, 2.0]]), ValueError,
     r"`levels` must be an integer or a 1-D array"),
    ("levels-unsorted", lambda: plot_contours(F, (0, 1), (0, 1), levels=[1.0, 0.0]),
     ValueError, r"`levels` must be strictly increasing; got \[1.0, 0.0\]"),
    ("log-scale-with-levels",
     lambda: plot_contours(F, (0, 1), (0, 1), levels=[0.1, 1.0], log_scale=True), ValueError,
     r"`log_scale` spaces levels that calcdocs chooses"),
    ("filled-string", lambda: plot_contours(F, (0, 1), (0, 1), filled="no"), TypeError,
     r"`filled` must be True or False; got 'no'"),
    ("log-scale-int", lambda: plot_contours(F, (0, 1), (0, 1), log_scale=1), TypeError,
     r"`log_scale` must be True or False; got 1"),
    ("f-shape", lambda: plot_contours(lambda x: x, (0, 1), (0, 1), num=4), ValueError,
     r"`f` must map points of shape \(\.\.\., 2\) to values"),
    ("f-complex", lambda: plot_contours(_complex, (0, 1), (0, 1), num=4), ValueError,
     r"`f` must return real values; it returned complex values"),
    ("f-strings", lambda: plot_contours(lambda x: np.full(x.shape[:-1], "a"), (0, 1), (0, 1),
                                        num=4), TypeError, r"`f` must return numbers"),
    ("f-all-nan", lambda: plot_contours(_all_nan, (0, 1), (0, 1), num=4), ValueError,
     r"`f` has no finite value on the window"),
    ("f-constant", lambda: plot_contours(lambda x: 0 * x[..., 0] + 2, (0, 1), (0, 1), num=4),
     ValueError, r"`f` is constant \(= 2\) on the window"),
    ("contours-ax", lambda: plot_contours(F, (0, 1), (0, 1), ax="ax"), TypeError,
     r"`ax` must be a matplotlib Axes or None; got str"),
    ("colorbar-kws-alone",
     lambda: plot_contours(F, (0, 1), (0, 1), num=4, colorbar_kws={"label": "f"}), ValueError,
     r"`colorbar_kws` is given but `colorbar` is False"),
    ("colorbar-kws-type",
     lambda: plot_contours(F, (0, 1), (0, 1), num=4, colorbar=True, colorbar_kws="f"),
     TypeError, r"`colorbar_kws` must be a dict"),
    ("surface-2d-ax", lambda: plot_surface(F, (0, 1), (0, 1), ax=plt.subplots()[1]),
     TypeError, r"`ax` must be a 3-D Axes .*got a 'rectilinear' Axes"),
    ("surface-ax-str", lambda: plot_surface(F, (0, 1), (0, 1), ax="3d"), TypeError,
     r"`ax` must be a 3-D Axes .*got str"),
    ("surface-complex", lambda: plot_surface(_complex, (0, 1), (0, 1), num=4,
                                             ax=plt.subplots(subplot_kw={"projection": "3d"})[1]),
     ValueError, r"`f` must return real values"),
    ("field-grad", lambda: plot_gradient_field(None, (0, 1), (0, 1)), TypeError,
     r"`grad` must be callable; got NoneType"),
    ("field-shape", lambda: plot_gradient_field(F, (0, 1), (0, 1)), ValueError,
     r"`grad` must map points of shape \(\.\.\., 2\) to vec"),
    ("field-normalize-str",
     lambda: plot_gradient_field(F.gradient, (0, 1), (0, 1), normalize="False"), TypeError,
     r"`normalize` must be True or False; got 'False'"),
    ("field-colorbar-color",
     lambda: plot_gradient_field(F.gradient, (0, 1), (0, 1), colorbar=True, color="k"),
     ValueError, r"`colorbar` needs arrows coloured by magnitude"),
    ("field-all-nan", lambda: plot_gradient_field(lambda x: x * np.nan, (0, 1), (0, 1)),
     ValueError, r"`grad` has no finite value on the window"),
    ("path-3-columns", lambda: plot_path([[1.0, 2.0, 3.0]]), ValueError,
     r"`points` must have length 2 on its last axis"),
    ("path-empty", lambda: plot_path(np.zeros((0, 2))), ValueError,
     r"`points` must have shape \(k, 2\) with k >= 1"),
    ("path-nan", lambda: plot_path([[0.0, np.nan]]), ValueError, r"`points` must be finite"),
    ("path-trajectory-3d", lambda: plot_path(_run3d()), ValueError,
     r"`points` must have length 2 on its last axis; got shape \(3, 3\)"),
    ("path-unrecorded", lambda: plot_path(_unrecorded()), ValueError,
     r"`points` is a Trajectory without recorded points; run the optimizer with record=True"),
    ("path-label", lambda: plot_path([[0.0, 0.0]], label=3), TypeError,
     r"`label` must be a string or None; got int"),
    ("paths-empty", lambda: plot_paths([]), ValueError, r"`trajectories` must hold at least"),
    ("paths-3d", lambda: plot_paths([np.zeros((2, 2)), _run3d()]), ValueError,
     r"`trajectories\[1\]` must have length 2 on its last axis"),
    ("paths-labels-count", lambda: plot_paths([np.zeros((2, 2))], ["a", "b"]), ValueError,
     r"`labels` must have one entry per run \(1\); got 2"),
    ("paths-labels-str", lambda: plot_paths([np.zeros((2, 2))], "a"), TypeError,
     r"`labels` must be a sequence of strings or None"),
    ("curves-kind", lambda: plot_loss_curves([np.ones(3)], kind="loss"), ValueError,
     r"`kind` must be one of \['grad_norms', 'values'\]; got 'loss'"),
    ("curves-no-values", lambda: plot_loss_curves([_run3d()]), ValueError,
     r"`trajectories\[0\]` has no `values` \(pass `f=` to the optimizer\)"),
    ("curves-log-negative", lambda: plot_loss_curves([np.array([1.0, -1.0])], log_scale=True),
     ValueError, r"`log_scale` needs positive values"),
    ("curves-2d", lambda: plot_loss_curves([np.ones((2, 2))]), ValueError,
     r"`trajectories\[0\]` must be a non-empty 1-D curve"),
    ("animate-stride",
     lambda: animate_descent(F, [np.zeros((3, 2))], xlim=(0, 1), ylim=(0, 1), stride=0),
     ValueError, r"`stride` must be at least 1; got 0"),
    ("animate-xlim",
     lambda: animate_descent(F, [np.zeros((3, 2))], xlim=(1, 0), ylim=(0, 1)), ValueError,
     r"`xlim` must satisfy low < high"),
    ("animate-3d", lambda: animate_descent(F, [_run3d()], xlim=(0, 1), ylim=(0, 1)),
     ValueError, r"`trajectories\[0\]` must have length 2 on its last axis"),
    ("tangent-halfwidth", lambda: plot_tangent(np.sin, 0.0, halfwidth=0.0), ValueError,
     r"`halfwidth` must be positive; got 0.0"),
    ("tangent-x0", lambda: plot_tangent(np.sin, "0"), TypeError,
     r"`x0` must be a real number; got str"),
    ("tangent-slope", lambda: plot_tangent(np.sin, 0.0, slope="1"), TypeError,
     r"`slope` must be a real number; got str"),
    ("tangent-not-vectorised", lambda: plot_tangent(lambda x: 1.0, 0.0, slope=0.0), ValueError,
     r"`f` must be vectorised"),
    ("tangent-no-derivative", lambda: plot_tangent(np.sqrt, 0.0), ValueError,
     r"^(?!.*`slope` must).*`f`.*(x0 = 0.0|x = 0)"),
    ("tangent-not-finite-at-x0", lambda: plot_tangent(np.log, 0.0, slope=1.0), ValueError,
     r"`f` must be finite at the point of tangency x0 = 0.0"),
    ("function-tangent-outside", lambda: plot_function(np.sin, (0, 1), tangent_at=2.0),
     ValueError, r"`tangent_at` must lie in the window \(0.0, 1.0\); got \[2.0\]"),
    ("function-xlim", lambda: plot_function(np.sin, (1, 1)), ValueError,
     r"`xlim` must satisfy low < high"),
    ("function-complex", lambda: plot_function(lambda x: x + 1j, (0, 1)), ValueError,
     r"`f` must return real values"),
    ("graph-not-a-node", lambda: plot_graph(3.0), TypeError,
     r"`root` must be a graph node .* without `parents`"),
    ("graph-node-without-op", lambda: plot_graph(NoOp()), TypeError,
     r"`root` must be a graph node .* without `op`"),
    ("graph-show-grad-int", lambda: plot_graph(Node(1.0), show_grad=1), TypeError,
     r"`show_grad` must be True or False; got 1"),
    ("drawn-helper", lambda: drawn(plt.subplots()[1], 3), TypeError,
     r"`helper` must be a string; got int"),
]  # fmt: skip


@pytest.mark.parametrize(("call", "error", "match"), [c[1:] for c in INVALID],
                         ids=[c[0] for c in INVALID])  # fmt: skip
def test_input_validation(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_refused_grid_is_refused_before_f_is_called():
    calls = []
    with pytest.raises(ValueError, match=r"`num`"):
        plot_contours(lambda x: calls.append(1), (0, 1), (0, 1), num=50_000)
    assert calls == []


def test_the_site_hook_strips_the_cdn_link_of_any_matplotlib_player():
    from pathlib import Path

    from matplotlib.animation import FuncAnimation

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs" / "_ext"))
    try:
        import calcdocs_figures
    finally:
        sys.path.pop(0)
    fig, ax = plt.subplots(figsize=(1, 1), dpi=20)
    (line,) = ax.plot([0, 1], [0, 1])
    anim = FuncAnimation(fig, lambda i: [line], frames=2)
    source = [f"Text.\n\n.. raw:: html\n\n{anim.to_jshtml()}\n"]
    assert "https://" in source[0]  # matplotlib's own player links its CDN
    calcdocs_figures._strip_remote_links(None, "example", source)
    assert not re.search(r"href=\"https?://", source[0])
    assert "Animation(frames" in source[0] or "new Animation" in source[0]


# --- the book's style ---------------------------------------------------------------------------


def test_book_style_is_shipped_transparent_and_colour_blind_safe():
    from pathlib import Path

    from matplotlib.colors import to_hex, to_rgba

    with matplotlib.rc_context():
        path = cd.use_style()
        assert Path(path).is_file() and Path(path).parent == Path(cd.__file__).parent
        rc = matplotlib.rcParams
        assert to_rgba(rc["figure.facecolor"])[3] == 0 and to_rgba(rc["axes.facecolor"])[3] == 0
        cycle = [to_hex(c["color"]) for c in rc["axes.prop_cycle"]]
        okabe_ito = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9"]
        assert cycle == okabe_ito
        assert rc["font.size"] >= 10 and rc["image.cmap"] == "viridis"
        _, ax = plt.subplots()
        assert to_hex(ax.xaxis.label.get_color()) == "#7a7a7a"
    assert to_rgba(matplotlib.rcParams["figure.facecolor"])[3] == 1  # the context restored


def _luminance(color):
    from matplotlib.colors import to_rgb

    c = np.array(to_rgb(color))
    c = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(c @ [0.2126, 0.7152, 0.0722])


def _contrast(a, b):
    la, lb = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_book_style_ink_keeps_its_contrast_on_light_and_dark_pages():
    with matplotlib.rc_context():
        cd.use_style()
        rc = matplotlib.rcParams
        ink = rc["text.color"]
        cycle = [c["color"] for c in rc["axes.prop_cycle"]]
    for page in ("#ffffff", "#14181e"):  # pydata-sphinx-theme's light and dark backgrounds
        assert _contrast(ink, page) >= 4.0
        assert all(_contrast(c, page) >= 3.0 for c in cycle[:4])  # WCAG's 3:1 for graphics


def test_line_colormap_keeps_its_contrast_on_light_and_dark_pages():
    _, ax = plt.subplots()
    plot_contours(saddle(), (-1, 1), (-1, 1), levels=9, num=20, ax=ax)
    plot_gradient_field(saddle().gradient, (-1, 1), (-1, 1), num=5, ax=ax)
    for artist in (drawn(ax, "plot_contours")[0], drawn(ax, "plot_gradient_field")[0]):
        cmap = artist.get_cmap()
        for t in np.linspace(0, 1, 11):
            for page in ("#ffffff", "#14181e"):
                assert _contrast(cmap(t), page) >= 3.0, (cmap.name, t, page)
