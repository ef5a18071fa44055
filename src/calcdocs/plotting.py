"""Plot helpers for the book: contours, surfaces, gradient fields, paths, tangents, graphs.

Every helper follows matplotlib's recommended signature for plotting functions: data
first, options keyword-only, ``ax=None`` meaning the current Axes (``plt.gca()``), and the
Axes returned so calls can be chained or tested. Extra ``**kwargs`` go to exactly one Axes
method, named in each docstring. Nothing here calls ``plt.show()`` or creates figures of
its own, and colormaps default to the colour-blind-friendly ``"viridis"``.

Functions of two variables take points on the **last axis**, like the objectives in
:mod:`calcdocs.functions`: a whole meshgrid is evaluated in one call to ``f``.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import BoundaryNorm
from matplotlib.patches import Ellipse, FancyArrowPatch, FancyBboxPatch

from calcdocs._validation import (
    as_array,
    check_callable,
    check_int,
    check_last_axis,
    check_positive,
    check_real,
)

__all__ = [
    "plot_contours",
    "plot_gradient_field",
    "plot_graph",
    "plot_path",
    "plot_surface",
    "plot_tangent",
]

_CMAP = "viridis"


# ---------------------------------------------------------------------------------------------
# Shared checks and grid evaluation
# ---------------------------------------------------------------------------------------------


def _check_limits(lim: Any, name: str) -> tuple[float, float]:
    """Return `lim` as ``(low, high)`` floats with ``low < high``, else raise."""
    try:
        low, high = lim
    except (TypeError, ValueError):
        raise ValueError(f"`{name}` must be a pair (low, high); got {lim!r}.") from None
    low, high = check_real(low, f"{name}[0]"), check_real(high, f"{name}[1]")
    if not low < high:
        raise ValueError(f"`{name}` must satisfy low < high; got {lim!r}.")
    return low, high


def _axes_2d(ax: Axes | None) -> Axes:
    if ax is None:
        return plt.gca()
    if not isinstance(ax, Axes):
        raise TypeError(f"`ax` must be a matplotlib Axes or None; got {type(ax).__name__}.")
    return ax


def _evaluate_on_grid(
    f: Callable, xlim: tuple[float, float], ylim: tuple[float, float], num: int, out: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Evaluate `f` on a ``num x num`` meshgrid in one call; check the output shape.

    `out` is ``"scalar"`` (values of shape ``X.shape``) or ``"vector"`` (``X.shape + (2,)``).
    """
    X, Y = np.meshgrid(np.linspace(*xlim, num), np.linspace(*ylim, num))
    Z = np.asarray(f(np.stack([X, Y], axis=-1)))
    expected = X.shape if out == "scalar" else (*X.shape, 2)
    if Z.shape != expected:
        name = "f" if out == "scalar" else "grad"
        rule = "values (...)" if out == "scalar" else "vectors (..., 2)"
        raise ValueError(
            f"`{name}` must map points of shape (..., 2) to {rule}; for input shape "
            f"{(*X.shape, 2)} it returned shape {Z.shape}."
        )
    return X, Y, Z


# ---------------------------------------------------------------------------------------------
# Functions of two variables
# ---------------------------------------------------------------------------------------------


def plot_contours(
    f: Callable[[np.ndarray], np.ndarray],
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    *,
    levels: int | Any = 30,
    num: int = 200,
    filled: bool = False,
    log_scale: bool = False,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    r"""Draw level sets of a function of two variables.

    Parameters
    ----------
    f : callable
        Maps points of shape ``(..., 2)`` to values of shape ``(...)``, e.g. any
        :class:`~calcdocs.Objective` of dimension 2. It is called once, on the whole grid.
    xlim, ylim : (float, float)
        The window, as ``(low, high)``.
    levels : int or array_like, default 30
        Number of contour levels (spaced evenly, or geometrically with `log_scale`,
        between the smallest and largest value on the grid), or the levels themselves.
    num : int, default 200
        Grid points per axis.
    filled : bool, default False
        Filled bands (:meth:`~matplotlib.axes.Axes.contourf`) instead of lines
        (:meth:`~matplotlib.axes.Axes.contour`).
    log_scale : bool, default False
        Space the levels geometrically above the minimum, so that a function whose values
        span orders of magnitude (Rosenbrock's valley) still shows contours near its
        minimum; colours then step once per level. Ignored if `levels` is an array.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.
    **kwargs
        Passed to :meth:`~matplotlib.axes.Axes.contour` (or
        :meth:`~matplotlib.axes.Axes.contourf` when `filled`). Default ``cmap="viridis"``
        unless `colors` or `cmap` is given.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on. The new :class:`~matplotlib.contour.ContourSet` is
        ``ax.collections[-1]`` (e.g. for ``fig.colorbar``).

    Raises
    ------
    TypeError
        If `f` is not callable or an option has the wrong type.
    ValueError
        If a window is not ``(low, high)`` with ``low < high``, `levels` or `num` is too
        small, or `f` returns the wrong shape.

    See Also
    --------
    plot_surface : the same function as a 3-D surface.
    plot_gradient_field : the gradient, which is perpendicular to these contours.
    plot_path : overlay an optimisation path.

    Notes
    -----
    With `log_scale`, the levels are :math:`z_{\min} + g_k` where :math:`g_k` runs
    geometrically from the smallest positive value of :math:`f - z_{\min}` on the grid
    (but at least :math:`10^{-6}` of the range) up to the range :math:`z_{\max} - z_{\min}`.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from calcdocs import plot_contours, rosenbrock
    >>> fig, ax = plt.subplots()
    >>> ax = plot_contours(rosenbrock(), (-2, 2), (-1, 3), levels=20, log_scale=True, ax=ax)
    >>> print(len(ax.collections[-1].levels))
    20
    >>> plt.close(fig)
    """
    f = check_callable(f, "f")
    xlim, ylim = _check_limits(xlim, "xlim"), _check_limits(ylim, "ylim")
    num = check_int(num, "num", minimum=2)
    ax = _axes_2d(ax)
    X, Y, Z = _evaluate_on_grid(f, xlim, ylim, num, "scalar")
    if isinstance(levels, numbers.Integral) and not isinstance(levels, bool):
        n_levels = check_int(levels, "levels", minimum=2)
        z_min, z_max = float(np.nanmin(Z)), float(np.nanmax(Z))
        if log_scale:
            gaps = Z - z_min
            span = max(z_max - z_min, np.finfo(float).tiny)
            lowest = max(float(np.nanmin(gaps[gaps > 0], initial=span)), 1e-6 * span)
            levels = z_min + np.geomspace(lowest, span, n_levels)
            if "colors" not in kwargs and "norm" not in kwargs:
                kwargs.setdefault("norm", BoundaryNorm(levels, ncolors=256))
        else:
            levels = np.linspace(z_min, z_max, n_levels)
    else:
        levels = as_array(levels, "levels")
        if levels.ndim != 1 or levels.size < 1:
            raise ValueError(
                f"`levels` must be an integer or a 1-D array of levels; got shape {levels.shape}."
            )
    if "colors" not in kwargs:
        kwargs.setdefault("cmap", _CMAP)
    draw = ax.contourf if filled else ax.contour
    draw(X, Y, Z, levels=levels, **kwargs)
    return ax


def plot_surface(
    f: Callable[[np.ndarray], np.ndarray],
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    *,
    num: int = 80,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Draw the graph of a function of two variables as a 3-D surface.

    Parameters
    ----------
    f : callable
        Maps points of shape ``(..., 2)`` to values of shape ``(...)``; called once.
    xlim, ylim : (float, float)
        The window, as ``(low, high)``.
    num : int, default 80
        Grid points per axis.
    ax : mpl_toolkits.mplot3d.axes3d.Axes3D, optional
        A 3-D Axes (``projection="3d"``). Default: the current Axes if it is 3-D, otherwise
        a new 3-D subplot added to the current figure.
    **kwargs
        Passed to :meth:`~mpl_toolkits.mplot3d.axes3d.Axes3D.plot_surface`. Default
        ``cmap="viridis"`` unless `color` or `cmap` is given.

    Returns
    -------
    mpl_toolkits.mplot3d.axes3d.Axes3D
        The Axes drawn on.

    Raises
    ------
    TypeError
        If `f` is not callable.
    ValueError
        If `ax` is not a 3-D Axes, a window is not ``(low, high)`` with ``low < high``,
        `num` is below 2 or `f` returns the wrong shape.

    See Also
    --------
    plot_contours : the same function seen from above.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from calcdocs import plot_surface, saddle
    >>> fig, ax = plt.subplots(subplot_kw={"projection": "3d"})
    >>> ax = plot_surface(saddle(), (-2, 2), (-2, 2), num=30, ax=ax)
    >>> print(len(ax.collections))
    1
    >>> plt.close(fig)
    """
    f = check_callable(f, "f")
    xlim, ylim = _check_limits(xlim, "xlim"), _check_limits(ylim, "ylim")
    num = check_int(num, "num", minimum=2)
    if ax is None:
        fig = plt.gcf()
        current = fig.gca() if fig.axes else None
        ax = current if current is not None and current.name == "3d" else None
        if ax is None:
            ax = fig.add_subplot(projection="3d")
    elif getattr(ax, "name", None) != "3d":
        raise ValueError(
            "`ax` must be a 3-D Axes (created with projection='3d'); "
            f"got a {getattr(ax, 'name', type(ax).__name__)!r} Axes."
        )
    X, Y, Z = _evaluate_on_grid(f, xlim, ylim, num, "scalar")
    if "color" not in kwargs:
        kwargs.setdefault("cmap", _CMAP)
    ax.plot_surface(X, Y, Z, **kwargs)
    return ax


def plot_gradient_field(
    grad: Callable[[np.ndarray], np.ndarray],
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    *,
    num: int = 20,
    normalize: bool = True,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Draw a vector field, typically a gradient, as arrows on a grid.

    Parameters
    ----------
    grad : callable
        Maps points of shape ``(..., 2)`` to vectors of shape ``(..., 2)``, e.g.
        ``f.gradient`` of an :class:`~calcdocs.Objective`; called once. To draw the
        descent direction, pass ``lambda x: -f.gradient(x)``.
    xlim, ylim : (float, float)
        The window, as ``(low, high)``.
    num : int, default 20
        Arrows per axis.
    normalize : bool, default True
        Draw unit arrows (direction only), so that a field whose size varies by orders of
        magnitude stays readable; zero vectors stay zero. The colour shows the magnitude
        either way.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.
    **kwargs
        Passed to :meth:`~matplotlib.axes.Axes.quiver`. Default ``cmap="viridis"``,
        colouring by magnitude, unless `color` is given.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on; the :class:`~matplotlib.quiver.Quiver` is ``ax.collections[-1]``.

    Raises
    ------
    TypeError
        If `grad` is not callable.
    ValueError
        If a window is not ``(low, high)`` with ``low < high``, `num` is below 2 or `grad`
        returns the wrong shape.

    See Also
    --------
    plot_contours : the level sets the arrows cross at right angles.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from calcdocs import plot_gradient_field, quadratic_bowl
    >>> f = quadratic_bowl(condition_number=5.0)
    >>> fig, ax = plt.subplots()
    >>> ax = plot_gradient_field(lambda x: -f.gradient(x), (-2, 2), (-2, 2), num=9, ax=ax)
    >>> print(ax.collections[-1].N)
    81
    >>> plt.close(fig)
    """
    grad = check_callable(grad, "grad")
    xlim, ylim = _check_limits(xlim, "xlim"), _check_limits(ylim, "ylim")
    num = check_int(num, "num", minimum=2)
    ax = _axes_2d(ax)
    X, Y, G = _evaluate_on_grid(grad, xlim, ylim, num, "vector")
    U, V = G[..., 0], G[..., 1]
    magnitude = np.hypot(U, V)
    if normalize:
        safe = np.where(magnitude > 0, magnitude, 1.0)
        U, V = U / safe, V / safe
    if "color" in kwargs:
        ax.quiver(X, Y, U, V, **kwargs)
    else:
        kwargs.setdefault("cmap", _CMAP)
        ax.quiver(X, Y, U, V, magnitude, **kwargs)
    return ax


def plot_path(
    points: Any, *, ax: Axes | None = None, label: str | None = None, **kwargs: Any
) -> Axes:
    """Draw an optimisation path: the iterates joined by a line, start and end marked.

    Parameters
    ----------
    points : array_like, shape (k, 2)
        The iterates, first to last.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.
    label : str, optional
        Legend entry for the path.
    **kwargs
        Passed to :meth:`~matplotlib.axes.Axes.plot` for the path line (e.g. ``color``);
        default small round markers. The start (a hollow circle) and the end (a star)
        are drawn in the path's colour and left out of the legend.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on; three lines are added (path, start, end), in that order.

    Raises
    ------
    TypeError
        If `points` is not numeric.
    ValueError
        If `points` does not have shape ``(k, 2)`` with ``k >= 1`` or is not finite.

    See Also
    --------
    plot_contours : the landscape to draw the path on.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from calcdocs import plot_path
    >>> fig, ax = plt.subplots()
    >>> ax = plot_path([[0.0, 0.0], [1.0, 0.5], [1.5, 0.6]], label="gd", ax=ax)
    >>> print(len(ax.lines), ax.lines[0].get_xdata())
    3 [0.  1.  1.5]
    >>> plt.close(fig)
    """
    points = check_last_axis(as_array(points, "points"), "points", 2)
    if points.ndim != 2 or len(points) == 0:
        raise ValueError(f"`points` must have shape (k, 2) with k >= 1; got shape {points.shape}.")
    ax = _axes_2d(ax)
    kwargs.setdefault("marker", "o")
    kwargs.setdefault("markersize", 3)
    (line,) = ax.plot(points[:, 0], points[:, 1], label=label, **kwargs)
    color = line.get_color()
    ax.plot(
        *points[0],
        marker="o",
        markersize=9,
        markerfacecolor="white",
        color=color,
        linestyle="none",
        label="_start",
        zorder=line.get_zorder() + 0.1,
    )
    ax.plot(
        *points[-1],
        marker="*",
        markersize=13,
        color=color,
        linestyle="none",
        label="_end",
        zorder=line.get_zorder() + 0.1,
    )
    return ax


# ---------------------------------------------------------------------------------------------
# Functions of one variable
# ---------------------------------------------------------------------------------------------


def plot_tangent(
    f: Callable[[np.ndarray], np.ndarray],
    x0: float,
    *,
    slope: float | None = None,
    halfwidth: float = 1.0,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    r"""Draw a function of one variable near `x0` and its tangent line there.

    The tangent is :math:`t(x) = f(x_0) + f'(x_0)\,(x - x_0)`, the best linear
    approximation of `f` near :math:`x_0`.

    Parameters
    ----------
    f : callable
        A vectorised function of one variable: maps an array of shape ``(m,)`` to values of
        shape ``(m,)`` (NumPy ufuncs such as ``np.sin`` qualify).
    x0 : float
        The point of tangency.
    slope : float, optional
        :math:`f'(x_0)`. Default: computed by :func:`calcdocs.derivative` (central
        differences).
    halfwidth : float, default 1.0
        Draw over ``[x0 - halfwidth, x0 + halfwidth]``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.
    **kwargs
        Passed to :meth:`~matplotlib.axes.Axes.plot` for the curve of `f`. The tangent is
        a dashed black line and the point of tangency a black dot.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on; three lines are added (curve, tangent, point), in that order.

    Raises
    ------
    TypeError
        If `f` is not callable or a number has the wrong type.
    ValueError
        If `halfwidth` is not positive, a number is not finite, or `f` returns the wrong
        shape.

    See Also
    --------
    calcdocs.derivative : the slope of the tangent, numerically.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> from calcdocs import plot_tangent
    >>> fig, ax = plt.subplots()
    >>> ax = plot_tangent(np.square, 1.0, slope=2.0, ax=ax)
    >>> print(ax.lines[1].get_xydata()[[0, -1]])  # the tangent y = 1 + 2 (x - 1)
    [[ 0. -1.]
     [ 2.  3.]]
    >>> plt.close(fig)
    """
    f = check_callable(f, "f")
    x0 = check_real(x0, "x0")
    halfwidth = check_positive(halfwidth, "halfwidth")
    if slope is None:
        from calcdocs.differentiate import derivative  # lazy: keeps the modules independent

        slope = float(derivative(f, x0))
    slope = check_real(slope, "slope")
    ax = _axes_2d(ax)
    x = np.linspace(x0 - halfwidth, x0 + halfwidth, 201)
    y = np.asarray(f(x))
    if y.shape != x.shape:
        raise ValueError(
            f"`f` must be vectorised, mapping shape (m,) to (m,); for shape {x.shape} it "
            f"returned shape {y.shape}."
        )
    y0 = float(np.asarray(f(np.array([x0])))[0])
    ax.plot(x, y, **kwargs)
    ends = np.array([x0 - halfwidth, x0 + halfwidth])
    ax.plot(
        ends, y0 + slope * (ends - x0), linestyle="--", color="black", linewidth=1, label="_tangent"
    )
    ax.plot([x0], [y0], marker="o", color="black", linestyle="none", label="_point")
    return ax


# ---------------------------------------------------------------------------------------------
# Computational graphs (reverse mode)
# ---------------------------------------------------------------------------------------------


def _walk_graph(root: Any) -> tuple[list[Any], list[tuple[int, int]]]:
    """Nodes reachable from `root` through ``_parents`` (each once) and unique edges.

    Returns the nodes in a topological order (parents before children) and the edges as
    ``(parent_index, child_index)`` pairs, each pair once even if an operand is repeated.
    """
    order: list[Any] = []
    index: dict[int, int] = {}
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:  # iterative post-order DFS: deep graphs must not hit the recursion limit
        node, expanded = stack.pop()
        if id(node) in index:
            continue
        if expanded:
            index[id(node)] = len(order)
            order.append(node)
        else:
            stack.append((node, True))
            stack.extend((p, False) for p in reversed(node._parents) if id(p) not in index)
    edges = list(
        dict.fromkeys((index[id(p)], index[id(node)]) for node in order for p in node._parents)
    )
    return order, edges


def _layers(order: list[Any], edges: list[tuple[int, int]]) -> list[int]:
    """Column of each node: leaves left, root right, every edge pointing rightwards."""
    parents: list[list[int]] = [[] for _ in order]
    children: list[list[int]] = [[] for _ in order]
    for p, c in edges:
        parents[c].append(p)
        children[p].append(c)
    layer = [0] * len(order)
    for i in range(len(order)):  # topological order: parents already placed
        if parents[i]:
            layer[i] = 1 + max(layer[p] for p in parents[i])
    for i in range(len(order)):  # pull each leaf next to its first use
        if not parents[i] and children[i]:
            layer[i] = min(layer[c] for c in children[i]) - 1
    return layer


def _format_array(value: Any) -> str:
    arr = np.asarray(value)
    if arr.size == 1:
        return f"{float(arr.reshape(-1)[0]):.4g}"
    return f"shape {arr.shape}"


def _node_text(node: Any, show_grad: bool) -> str:
    name = node.label if node.label is not None else (node._op or "const")
    lines = [str(name), _format_array(node.data)]
    if show_grad:
        grad = np.asarray(node.grad)
        if grad.size == 1:
            lines.append(f"grad {float(grad.reshape(-1)[0]):.4g}")
        else:
            lines.append(f"|grad| {float(np.linalg.norm(grad)):.4g}")
    return "\n".join(lines)


def plot_graph(
    root: Any, *, show_grad: bool = False, ax: Axes | None = None, **kwargs: Any
) -> Axes:
    """Draw the computational graph that reverse-mode autodiff records, ending at `root`.

    Each tensor is a rounded box showing its label (or, if it has none, its operation;
    ``const`` for an unlabelled leaf) and its value (a scalar) or shape (an array), and
    optionally its gradient. Each operation is a small ellipse between its operands and
    its result. Arrows follow the forward pass from the leaves (left) to `root` (right);
    ``backward()`` walks them in the opposite direction.

    Parameters
    ----------
    root : calcdocs.Tensor
        The output, usually a scalar loss. Any object with the attributes ``_parents``
        (tuple of nodes), ``_op`` (str, ``''`` for leaves), ``label`` (str or None),
        ``data`` and ``grad`` (arrays) works.
    show_grad : bool, default False
        Also show each gradient (its value for scalars, its norm for arrays), e.g. after
        ``root.backward()``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes. Its axis is turned off and its aspect set
        to equal.
    **kwargs
        Passed to :meth:`~matplotlib.axes.Axes.text` for the text in every box and
        ellipse (e.g. ``fontsize``). By default the font size is chosen so the text fits
        the boxes at the Axes' current size (between 4 and 10 points); give the figure
        more width for a long graph.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on. Added patches: one
        :class:`~matplotlib.patches.FancyBboxPatch` per distinct tensor (a tensor used
        several times appears once), one :class:`~matplotlib.patches.Ellipse` per
        operation, and one :class:`~matplotlib.patches.FancyArrowPatch` per edge (operand
        to operation, counted once even for ``x * x``, and operation to result).

    Raises
    ------
    TypeError
        If `root` does not have the attributes of a graph node.

    See Also
    --------
    calcdocs.Tensor : records the graph.

    Notes
    -----
    The layout is by depth: a non-leaf tensor sits one column to the right of its deepest
    operand, and a leaf one column to the left of its first use. Within a column, nodes
    are ordered by the mean height of their operands, which keeps most arrows short.
    Large graphs (a few dozen nodes and more) become hard to read; draw a smaller one.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from matplotlib.patches import FancyBboxPatch
    >>> from calcdocs import Tensor, plot_graph
    >>> x = Tensor(2.0, requires_grad=True, label="x")
    >>> w = Tensor(3.0, requires_grad=True, label="w")
    >>> y = x * w + x
    >>> y.label = "y"
    >>> y.backward()
    >>> fig, ax = plt.subplots()
    >>> ax = plot_graph(y, show_grad=True, ax=ax)
    >>> print(sum(isinstance(p, FancyBboxPatch) for p in ax.patches))  # x, w, x*w, y
    4
    >>> plt.close(fig)
    """
    for attribute in ("_parents", "_op", "label", "data", "grad"):
        if not hasattr(root, attribute):
            raise TypeError(
                f"`root` must be a graph node such as calcdocs.Tensor (with `_parents`, "
                f"`_op`, `label`, `data`, `grad`); got {type(root).__name__} without "
                f"`{attribute}`."
            )
    ax = _axes_2d(ax)
    order, edges = _walk_graph(root)
    layer = _layers(order, edges)

    # Rows within each column: ordered by the mean row of the operands (one sweep, left to
    # right), then centred vertically.
    parents: list[list[int]] = [[] for _ in order]
    for p, c in edges:
        parents[c].append(p)
    y_pos = [0.0] * len(order)
    columns: dict[int, list[int]] = {}
    for i in sorted(range(len(order)), key=lambda i: layer[i]):
        columns.setdefault(layer[i], []).append(i)
    for col in sorted(columns):
        members = columns[col]
        members.sort(key=lambda i: np.mean([y_pos[p] for p in parents[i]]) if parents[i] else 0)
        for row, i in enumerate(members):
            y_pos[i] = (len(members) - 1) / 2 - row
    min_layer = min(layer)
    pitch, row_pitch = 3.2, 1.4  # room between columns for an operation and two arrows
    x_pos = [pitch * (layer[i] - min_layer) for i in range(len(order))]
    y_pos = [row_pitch * y for y in y_pos]
    texts = [_node_text(node, show_grad) for node in order]
    n_lines = 3 if show_grad else 2
    longest = max(len(line) for text in texts for line in text.split("\n"))
    box_w, box_h, op_h = max(1.8, 0.12 * longest), 0.3 * n_lines + 0.2, 0.45
    op_widths = {i: 0.4 + 0.1 * len(node._op) for i, node in enumerate(order) if node._parents}

    ax.set_xlim(-box_w, max(x_pos) + box_w)
    ax.set_ylim(min(y_pos) - row_pitch, max(y_pos) + row_pitch)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if "fontsize" not in kwargs:
        # Fit the text to the boxes at the Axes' current size (points per data unit).
        extent = ax.get_window_extent()
        points = (
            72
            / ax.figure.dpi
            * min(extent.width / np.ptp(ax.get_xlim()), extent.height / np.ptp(ax.get_ylim()))
        )
        fits = [box_h / (1.3 * n_lines), box_w / (0.62 * longest)]
        fits += [w / (0.7 * len(order[i]._op)) for i, w in op_widths.items()]
        kwargs["fontsize"] = float(np.clip(0.9 * points * min(fits), 4.0, 10.0))
    cmap = plt.get_cmap(_CMAP)
    leaf_color, inner_color, root_color, op_color = cmap(0.9), cmap(0.55), cmap(0.3), cmap(0.75)

    def arrow(start: tuple[float, float], end: tuple[float, float]) -> None:
        ax.add_patch(
            FancyArrowPatch(
                start, end, arrowstyle="-|>", mutation_scale=8, color="0.3", linewidth=0.8, zorder=1
            )
        )

    for i, node in enumerate(order):
        face = root_color if node is root else (inner_color if node._parents else leaf_color)
        corner = (x_pos[i] - box_w / 2, y_pos[i] - box_h / 2)
        ax.add_patch(
            FancyBboxPatch(
                corner,
                box_w,
                box_h,
                boxstyle="round,pad=0.04,rounding_size=0.12",
                facecolor=face,
                alpha=0.45,
                edgecolor="0.2",
                zorder=2,
            )
        )
        ax.text(x_pos[i], y_pos[i], texts[i], ha="center", va="center", zorder=3, **kwargs)
    for i, op_w in op_widths.items():  # the operation sits halfway between the columns
        op_x = x_pos[i] - pitch / 2
        ellipse = Ellipse(
            (op_x, y_pos[i]), op_w, op_h, facecolor=op_color, alpha=0.6, edgecolor="0.2", zorder=2
        )
        ax.add_patch(ellipse)
        ax.text(op_x, y_pos[i], order[i]._op, ha="center", va="center", zorder=3, **kwargs)
        arrow((op_x + op_w / 2, y_pos[i]), (x_pos[i] - box_w / 2 - 0.04, y_pos[i]))
    for p, c in edges:
        op_left = x_pos[c] - pitch / 2 - op_widths[c] / 2
        arrow((x_pos[p] + box_w / 2 + 0.04, y_pos[p]), (op_left, y_pos[c]))
    return ax
