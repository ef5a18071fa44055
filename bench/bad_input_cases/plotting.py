"""Bad and edge inputs for ``calcdocs.plotting`` and ``calcdocs.landscape`` (run by
``bench/bad_input.py``).

One block per class of failure the bad-input review (December 2026) names for the plot
helpers: windows and grid sizes (an overflowing window, a huge ``num``), what ``f`` returns
(complex, strings, all-NaN, constant, an infinite value), options silently ignored or
taken for true (``log_scale`` with explicit levels, ``filled="no"``), the Axes argument
(``plot_surface`` drawing over a 2-D Axes), messages that name an argument the user did not
pass (``plot_tangent(np.sqrt, 0.0)`` naming `slope`), and malformed or cyclic graphs. The
last blocks probe the helpers added for the landscapes chapter (paths from a
``Trajectory``, loss curves, animations, loss-landscape slices); on the code before them
those calls fail with AttributeError (class B).

Cases whose error must name a particular argument are wrapped in ``_naming``: an error
that names another argument is re-raised as a RuntimeError, so it counts as unclear (B).
"""

from __future__ import annotations

import re
import time

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np

import calcdocs as cd


def ax2():
    plt.close("all")
    return plt.subplots()[1]


def ax3():
    plt.close("all")
    return plt.subplots(subplot_kw={"projection": "3d"})[1]


def _naming(name, call):
    """Run `call`; if its TypeError/ValueError does not name `name`, make it unclear."""

    def run():
        try:
            return call()
        except (TypeError, ValueError) as exc:
            if f"`{name}`" not in str(exc):
                raise RuntimeError(f"names the wrong argument: {exc}") from exc
            raise

    return run


def _silent_complex_warning(call):
    """A ComplexWarning from NumPy does not name an argument: keep it from counting."""

    def run():
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return call()

    return run


F = cd.saddle()
W = (0.0, 1.0)


def _complex(x):
    return x[..., 0] * (1 + 1j)


def _all_nan(x):
    return np.full(x.shape[:-1], np.nan)


def _constant(x):
    return np.zeros(x.shape[:-1]) + 2.0


def _strings(x):
    return np.full(x.shape[:-1], "a")


class _Node:
    def __init__(self, parents=(), op="", label=None):
        self.data = np.array(1.0)
        self.grad = np.array(0.0)
        self.parents = self._parents = tuple(parents)
        self.op = self._op = op
        self.label = label


def _cyclic():
    node = _Node(op="exp", label="loop")
    node.parents = node._parents = (node,)
    return node


def _no_op():
    node = _Node()
    del node.op, node._op
    return node


def _none_parents():
    node = _Node()
    node.parents = node._parents = None
    return node


def _run(dim=2, record=True, f=False):
    bowl = cd.quadratic_bowl(condition_number=4.0) if dim == 2 else None
    grad = bowl.gradient if dim == 2 else (lambda x: 2 * x)
    return cd.sgd(grad, np.ones(dim), steps=6, lr=0.1, record=record,
                  f=bowl if f else None)  # fmt: skip


def _surface_over_current_2d_axes():
    fig, _ = plt.subplots()
    cd.plot_surface(F, W, W, num=5)
    return f"drew on {[a.name for a in fig.axes]}"


# --- edge inputs: a valid call whose result is checked ------------------------------------------


def _levels_ignore_infinite_value():
    def f(x):
        z = (x**2).sum(axis=-1)
        z[0, 0] = np.inf
        return z

    ax = cd.plot_contours(f, (-1, 1), (-1, 1), num=11, levels=5, ax=ax2())
    levels = ax.collections[-1].levels
    return bool(np.all(np.isfinite(levels)) and np.isclose(levels[-1], 2.0, rtol=0.05))


def _path_of_trajectory():
    run = _run()
    ax = cd.plot_path(run, ax=ax2())
    return bool(np.array_equal(ax.lines[0].get_xydata(), run.points))


def _zero_field():
    ax = cd.plot_gradient_field(lambda x: 0 * x, W, W, num=4, ax=ax2())
    q = ax.collections[-1]
    return bool(np.all(q.U == 0) and np.all(np.isfinite(q.U)))


def _long_chain():
    node = _Node(label="x")
    for _ in range(400):
        node = _Node((node,), "tanh")
    ax = cd.plot_graph(node, ax=ax2())
    return len(ax.patches) == 401 + 400 + 2 * 400  # boxes, ops, arrows in and out


def _shared_leaf():
    x = _Node(label="x")
    y = _Node((x, x), "mul", label="y")
    ax = cd.plot_graph(y, ax=ax2())
    return len(ax.patches) == 2 + 1 + 2  # 2 boxes, 1 op, x->op once, op->y


def _float32_f():
    ax = cd.plot_contours(lambda x: (x**2).sum(-1).astype(np.float32), W, W, num=5, ax=ax2())
    return len(ax.collections) == 1


def _cycle_is_fast():
    start = time.perf_counter()
    try:
        cd.plot_graph(_cyclic(), ax=ax2())
    except ValueError as exc:
        return "`root`" in str(exc) and time.perf_counter() - start < 2
    return False


def _tangent_of_sqrt_at_one():
    ax = cd.plot_tangent(np.sqrt, 1.0, ax=ax2())
    (x0, y0), (x1, y1) = ax.lines[1].get_xydata()
    return bool(np.isclose((y1 - y0) / (x1 - x0), 0.5, rtol=1e-8))


def _animation_last_frame():
    run = _run()
    bowl = cd.quadratic_bowl(condition_number=4.0)
    anim = cd.animate_descent(bowl, [run], xlim=(-2, 2), ylim=(-2, 2), num=10, ax=ax2())
    anim.show_frame(len(anim.frame_iterates) - 1)
    anim._draw_was_started = True  # frames drawn by hand: no "never rendered" warning
    return bool(np.array_equal(anim.ax.lines[0].get_xydata(), run.points))


def _animation_html_has_no_remote_link():
    pts = np.array([[1.0, 1.0], [0.5, 0.4], [0.1, 0.1]])
    bowl = cd.quadratic_bowl(condition_number=4.0)
    anim = cd.animate_descent(bowl, [pts], xlim=(-2, 2), ylim=(-2, 2), num=10, ax=ax2())
    return not re.search(r"href=\"https?://", anim.to_jshtml())


def _landscape_origin():
    w = [np.array([[1.0, -2.0], [0.5, 0.3]]), np.array([0.1, 0.2])]

    def loss(p):
        return float(np.sum(p[0] ** 2) + np.sum(p[1]))

    g = cd.loss_slice(loss, w, cd.random_directions(w, seed=0))
    return g(np.zeros(2)) == loss(w)


CASES = [
    # windows and grid sizes
    ("contours-f-int", "bad", lambda: cd.plot_contours(1, W, W, ax=ax2())),
    ("xlim-scalar", "bad", lambda: cd.plot_contours(F, 3, W, ax=ax2())),
    ("xlim-reversed", "bad", lambda: cd.plot_contours(F, (1, 0), W, ax=ax2())),
    ("xlim-equal", "bad", lambda: cd.plot_contours(F, (1, 1), W, ax=ax2())),
    ("xlim-nan", "bad", lambda: cd.plot_contours(F, (np.nan, 1), W, ax=ax2())),
    ("ylim-inf", "bad", lambda: cd.plot_contours(F, W, (0, np.inf), ax=ax2())),
    ("ylim-strings", "bad", lambda: cd.plot_contours(F, W, ("0", "1"), ax=ax2())),
    ("xlim-overflows", "bad",
     _naming("xlim", lambda: cd.plot_contours(F, (-1e308, 1e308), W, num=5, ax=ax2()))),
    ("surface-xlim-overflows", "bad",
     _naming("xlim", lambda: cd.plot_surface(F, (-1e308, 1e308), W, num=5, ax=ax3()))),
    ("num-1", "bad", lambda: cd.plot_contours(F, W, W, num=1, ax=ax2())),
    ("num-float", "bad", lambda: cd.plot_contours(F, W, W, num=2.5, ax=ax2())),
    ("num-bool", "bad", lambda: cd.plot_contours(F, W, W, num=True, ax=ax2())),
    ("num-huge", "bad",
     _naming("num", lambda: cd.plot_contours(F, W, W, num=100_000, ax=ax2()))),
    ("surface-num-huge", "bad",
     _naming("num", lambda: cd.plot_surface(F, W, W, num=60_000, ax=ax3()))),
    ("field-num-huge", "bad",
     _naming("num", lambda: cd.plot_gradient_field(F.gradient, W, W, num=80_000, ax=ax2()))),
    # levels and options
    ("levels-1", "bad", lambda: cd.plot_contours(F, W, W, levels=1, ax=ax2())),
    ("levels-2d", "bad", lambda: cd.plot_contours(F, W, W, levels=[[1, 2]], ax=ax2())),
    ("levels-unsorted", "bad",
     _naming("levels", lambda: cd.plot_contours(F, W, W, levels=[1.0, 0.0], num=5, ax=ax2()))),
    ("levels-string", "bad", lambda: cd.plot_contours(F, W, W, levels="many", ax=ax2())),
    ("log-scale-with-levels", "bad",
     lambda: cd.plot_contours(F, W, W, levels=[0.1, 1.0], log_scale=True, num=5, ax=ax2())),
    ("filled-no", "bad", lambda: cd.plot_contours(F, W, W, filled="no", num=5, ax=ax2())),
    ("log-scale-yes", "bad", lambda: cd.plot_contours(F, W, W, log_scale="yes", num=5,
                                                      ax=ax2())),
    ("normalize-False-string", "bad",
     lambda: cd.plot_gradient_field(F.gradient, W, W, normalize="False", num=4, ax=ax2())),
    ("show-grad-string", "bad", lambda: cd.plot_graph(_Node(label="x"), show_grad="no",
                                                      ax=ax2())),
    # what f returns
    ("f-complex", "bad", _silent_complex_warning(
        lambda: cd.plot_contours(_complex, W, W, num=5, ax=ax2()))),
    ("surface-f-complex", "bad", _silent_complex_warning(
        lambda: cd.plot_surface(_complex, W, W, num=5, ax=ax3()))),
    ("field-complex", "bad", _silent_complex_warning(
        lambda: cd.plot_gradient_field(lambda x: x * 1j, W, W, num=4, ax=ax2()))),
    ("f-strings", "bad", lambda: cd.plot_contours(_strings, W, W, num=5, ax=ax2())),
    ("f-wrong-shape", "bad", lambda: cd.plot_contours(lambda x: x, W, W, num=5, ax=ax2())),
    ("f-all-nan", "bad", lambda: cd.plot_contours(_all_nan, W, W, num=5, ax=ax2())),
    ("surface-all-nan", "bad", lambda: cd.plot_surface(_all_nan, W, W, num=5, ax=ax3())),
    ("field-all-nan", "bad",
     lambda: cd.plot_gradient_field(lambda x: x * np.nan, W, W, num=4, ax=ax2())),
    ("f-constant", "bad", lambda: cd.plot_contours(_constant, W, W, num=5, ax=ax2())),
    ("levels-finite-despite-inf", "edge", _levels_ignore_infinite_value),
    ("f-float32", "edge", _float32_f),
    ("field-zero", "edge", _zero_field),
    # the Axes argument
    ("contours-ax-string", "bad", lambda: cd.plot_contours(F, W, W, ax="ax")),
    ("surface-ax-2d", "bad", lambda: cd.plot_surface(F, W, W, num=5, ax=ax2())),
    ("surface-ax-string", "bad", lambda: cd.plot_surface(F, W, W, num=5, ax="3d")),
    ("surface-over-current-2d-axes", "bad", _surface_over_current_2d_axes),
    # paths
    ("path-3-columns", "bad", lambda: cd.plot_path([[1.0, 2.0, 3.0]], ax=ax2())),
    ("path-empty", "bad", lambda: cd.plot_path(np.zeros((0, 2)), ax=ax2())),
    ("path-nan", "bad", lambda: cd.plot_path([[0.0, np.nan]], ax=ax2())),
    ("path-1d", "bad", lambda: cd.plot_path([1.0, 2.0], ax=ax2())),
    ("path-strings", "bad", lambda: cd.plot_path([["a", "b"]], ax=ax2())),
    ("path-ragged", "bad", lambda: cd.plot_path([[1.0, 2.0], [3.0]], ax=ax2())),
    ("path-trajectory-3d", "bad", lambda: cd.plot_path(_run(dim=3), ax=ax2())),
    ("path-trajectory-unrecorded", "bad", lambda: cd.plot_path(_run(record=False), ax=ax2())),
    ("path-of-trajectory", "edge", _path_of_trajectory),
    # tangents
    ("tangent-halfwidth-0", "bad", lambda: cd.plot_tangent(np.sin, 0.0, halfwidth=0.0,
                                                           ax=ax2())),
    ("tangent-x0-string", "bad", lambda: cd.plot_tangent(np.sin, "0", ax=ax2())),
    ("tangent-slope-string", "bad", lambda: cd.plot_tangent(np.sin, 0.0, slope="1", ax=ax2())),
    ("tangent-not-vectorised", "bad",
     lambda: cd.plot_tangent(lambda x: 1.0, 0.0, slope=0.0, ax=ax2())),
    ("tangent-sqrt-at-0", "bad",
     _naming("f", lambda: cd.plot_tangent(np.sqrt, 0.0, ax=ax2()))),
    ("tangent-log-at-0", "bad", lambda: cd.plot_tangent(np.log, 0.0, slope=1.0, ax=ax2())),
    ("tangent-complex-f", "bad", _silent_complex_warning(
        lambda: cd.plot_tangent(lambda x: x + 1j, 0.0, slope=1.0, ax=ax2()))),
    ("tangent-sqrt-at-1", "edge", _tangent_of_sqrt_at_one),
    # graphs
    ("graph-cyclic", "bad", lambda: cd.plot_graph(_cyclic(), ax=ax2())),
    ("graph-not-a-node", "bad", lambda: cd.plot_graph(3.0, ax=ax2())),
    ("graph-node-without-op", "bad", lambda: cd.plot_graph(_no_op(), ax=ax2())),
    ("graph-parents-none", "bad", lambda: cd.plot_graph(_none_parents(), ax=ax2())),
    ("graph-cycle-is-fast", "edge", _cycle_is_fast),
    ("graph-long-chain", "edge", _long_chain),
    ("graph-shared-leaf", "edge", _shared_leaf),
    # helpers added for the landscapes chapter
    ("function-xlim-reversed", "bad", lambda: cd.plot_function(np.sin, (1, 0), ax=ax2())),
    ("function-tangent-outside", "bad",
     lambda: cd.plot_function(np.sin, W, tangent_at=3.0, ax=ax2())),
    ("function-num-huge", "bad", lambda: cd.plot_function(np.sin, W, num=10**10, ax=ax2())),
    ("paths-empty", "bad", lambda: cd.plot_paths([], ax=ax2())),
    ("paths-labels-mismatch", "bad",
     lambda: cd.plot_paths([np.zeros((2, 2))], ["a", "b"], ax=ax2())),
    ("paths-3d-run", "bad", lambda: cd.plot_paths([_run(), _run(dim=3)], ax=ax2())),
    ("curves-kind", "bad", lambda: cd.plot_loss_curves([np.ones(3)], kind="loss", ax=ax2())),
    ("curves-without-values", "bad", lambda: cd.plot_loss_curves([_run()], ax=ax2())),
    ("curves-log-negative", "bad",
     lambda: cd.plot_loss_curves([np.array([1.0, -1.0])], log_scale=True, ax=ax2())),
    ("animate-stride-0", "bad",
     lambda: cd.animate_descent(F, [np.zeros((3, 2))], xlim=W, ylim=W, stride=0, ax=ax2())),
    ("animate-ylim-reversed", "bad",
     lambda: cd.animate_descent(F, [np.zeros((3, 2))], xlim=W, ylim=(1, 0), ax=ax2())),
    ("animate-3d-run", "bad",
     lambda: cd.animate_descent(F, [_run(dim=3)], xlim=W, ylim=W, ax=ax2())),
    ("animation-last-frame", "edge", _animation_last_frame),
    ("animation-no-remote-link", "edge", _animation_html_has_no_remote_link),
    ("landscape-count-0", "bad", lambda: cd.random_directions([np.ones((2, 2))], count=0)),
    ("landscape-direction-shape", "bad",
     lambda: cd.loss_slice(np.sum, [np.ones((2, 2))], [[np.ones(3)]])),
    ("landscape-interp-shapes", "bad",
     lambda: cd.interpolation_slice(np.sum, np.ones(2), np.ones(3))),
    ("landscape-origin-is-the-loss", "edge", _landscape_origin),
]  # fmt: skip
