"""Plot helpers for the book: contours, surfaces, gradient fields, paths, tangents, graphs.

Every helper follows matplotlib's recommended signature for plotting functions: data
first, options keyword-only, ``ax=None`` meaning the current Axes (``plt.gca()``), and the
Axes returned so calls can be chained or tested. Extra ``**kwargs`` go to exactly one Axes
method, named in each docstring. Nothing here calls ``plt.show()`` or creates figures of
its own, and colormaps default to the colour-blind-friendly ``"viridis"``.

Reaching what a helper drew, without counting ``ax.collections``:

- the colour-mapped helpers (`plot_contours`, `plot_surface`, `plot_gradient_field`) draw
  their own colorbar with ``colorbar=True`` (options for
  :meth:`~matplotlib.figure.Figure.colorbar` in ``colorbar_kws``, e.g. a ``label``), as
  seaborn's ``cbar=``/``cbar_kws=`` do;
- every artist a helper draws carries a *group id* naming the helper
  (:meth:`~matplotlib.artist.Artist.get_gid`): ``"plot_contours"``, ``"plot_path"`` (and
  ``"plot_path.start"``, ``"plot_path.end"``), and so on. `drawn` finds them::

      cs = drawn(ax, "plot_contours")[-1]   # the ContourSet of the last call

Functions of two variables take points with their two coordinates on the **last axis**, like
the objectives in :mod:`calcdocs.functions`: a whole meshgrid is evaluated in one call to ``f``.

:mod:`matplotlib.pyplot` is imported only when a helper runs, so ``import calcdocs`` stays
fast for readers who only differentiate.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from calcdocs._validation import (
    as_array,
    check_bool,
    check_callable,
    check_int,
    check_last_axis,
    check_positive,
    check_real,
)
from calcdocs.autodiff import topological_order
from calcdocs.differentiate import derivative

if TYPE_CHECKING:
    from matplotlib.animation import FuncAnimation
    from matplotlib.axes import Axes

__all__ = [
    "animate_descent",
    "drawn",
    "plot_contours",
    "plot_function",
    "plot_gradient_field",
    "plot_graph",
    "plot_loss_curves",
    "plot_path",
    "plot_paths",
    "plot_surface",
    "plot_tangent",
    "use_style",
]

_CMAP = "viridis"
# Lines (contour lines, arrows) sit on the page itself, light or dark: they take the middle of
# viridis, from t = 0.35 to 0.6, where every colour keeps WCAG's 3:1 contrast for graphics on
# white and on the dark theme's #14181e (viridis' dark purple vanishes on a dark page and its
# yellow on a white one). Filled contours and surfaces bring their own background: full range.
_LINE_CMAP_RANGE = (0.35, 0.6)


def _line_cmap() -> Any:
    from matplotlib import colormaps
    from matplotlib.colors import ListedColormap

    colors = colormaps[_CMAP](np.linspace(*_LINE_CMAP_RANGE, 256))
    return ListedColormap(colors, name="viridis_mid")


# A grid costs about 5 float64 arrays of num x num numbers (X, Y, the stacked points, Z);
# refuse up front what would not fit in this budget instead of failing with a MemoryError.
_GRID_BUDGET = 2**30  # bytes
_BYTES_PER_GRID_POINT = 5 * 8


# ---------------------------------------------------------------------------------------------
# The book's style
# ---------------------------------------------------------------------------------------------


def use_style() -> str:
    """Apply the book's matplotlib style (shipped with the package) and return its path.

    The style makes figures read well on the site's light and dark pages alike: a
    transparent background, text and axes in a mid grey, and a line-colour cycle from
    Okabe and Ito's colour-blind-safe palette (blue, vermillion, green, purple, orange, sky
    blue); sizes suit the book's text column. The book's configuration applies it to every
    executed page and gallery example; call it in your own notebook to match.

    Returns
    -------
    str
        The path of ``calcdocs.mplstyle``, e.g. for ``plt.style.context(path)`` to apply
        the style to a few figures only.

    See Also
    --------
    matplotlib.style.use : what this calls.

    Notes
    -----
    The contrast ratios behind the choices (WCAG 2 definitions) are listed at the top of
    the style file. Colormaps stay ``viridis`` (perceptually uniform, colour-blind safe).

    Examples
    --------
    >>> import matplotlib as mpl
    >>> from calcdocs import use_style
    >>> with mpl.rc_context():
    ...     path = use_style()
    ...     print(path.endswith("calcdocs.mplstyle"), mpl.rcParams["figure.facecolor"])
    True none
    """
    from importlib.resources import files

    import matplotlib.style

    path = str(files("calcdocs") / "calcdocs.mplstyle")
    matplotlib.style.use(path)
    return path


# ---------------------------------------------------------------------------------------------
# Shared checks and grid evaluation
# ---------------------------------------------------------------------------------------------


def _pyplot() -> Any:
    import matplotlib.pyplot as plt  # lazy: `import calcdocs` must not pay for pyplot

    return plt


def _check_limits(lim: Any, name: str) -> tuple[float, float]:
    """Return `lim` as ``(low, high)`` floats with ``low < high``, else raise."""
    try:
        low, high = lim
    except (TypeError, ValueError):
        raise ValueError(f"`{name}` must be a pair (low, high); got {lim!r}.") from None
    low, high = check_real(low, f"{name}[0]"), check_real(high, f"{name}[1]")
    if not low < high:
        raise ValueError(f"`{name}` must satisfy low < high; got {lim!r}.")
    if not math.isfinite(high - low):
        raise ValueError(
            f"`{name}` is too wide: high - low overflows float64, so the grid's spacing is "
            f"not finite; got {lim!r}."
        )
    return low, high


def _check_num(num: Any, *, dims: int = 2) -> int:
    """`num` points per axis of a `dims`-D grid: at least 2, and the grid fits the budget."""
    num = check_int(num, "num", minimum=2)
    need = _BYTES_PER_GRID_POINT * num**dims
    if need > _GRID_BUDGET:
        most = int((_GRID_BUDGET / _BYTES_PER_GRID_POINT) ** (1 / dims))
        grid = " x ".join([str(num)] * dims)
        raise ValueError(
            f"`num` = {num} asks for a grid of {grid} points, about {need / 2**30:.3g} GiB; "
            f"at most {most} points per axis fit in {_GRID_BUDGET / 2**30:g} GiB."
        )
    return num


def _check_grid_args(
    f: Any, xlim: Any, ylim: Any, num: Any, *, name: str = "f"
) -> tuple[Callable, tuple[float, float], tuple[float, float], int]:
    """The preamble of every grid helper: `f` callable, two windows, a grid size."""
    f = check_callable(f, name)
    xlim, ylim = _check_limits(xlim, "xlim"), _check_limits(ylim, "ylim")
    return f, xlim, ylim, _check_num(num)


def _axes_2d(ax: Any) -> Axes:
    from matplotlib.axes import Axes

    if ax is None:
        return _pyplot().gca()
    if not isinstance(ax, Axes):
        raise TypeError(f"`ax` must be a matplotlib Axes or None; got {type(ax).__name__}.")
    return ax


def _real_values(y: Any, name: str, what: str) -> np.ndarray:
    """Check what a user's function returned: numeric and real (complex is refused)."""
    y = np.asarray(y)
    if y.dtype.kind == "c":
        raise ValueError(
            f"`{name}` must return real {what}; it returned complex values (dtype {y.dtype}). "
            "Plot the real part or the modulus explicitly."
        )
    if y.dtype.kind not in "biuf":
        raise TypeError(f"`{name}` must return numbers; it returned dtype {y.dtype}.")
    return y.astype(float, copy=False)


def _evaluate_on_grid(
    f: Callable, xlim: tuple[float, float], ylim: tuple[float, float], num: int, out: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Evaluate `f` on a ``num x num`` meshgrid in one call; check the output.

    `out` is ``"scalar"`` (values of shape ``X.shape``) or ``"vector"`` (``X.shape + (2,)``).
    """
    X, Y = np.meshgrid(np.linspace(*xlim, num), np.linspace(*ylim, num))
    name = "f" if out == "scalar" else "grad"
    Z = _real_values(f(np.stack([X, Y], axis=-1)), name, "values" if out == "scalar" else "vectors")
    expected = X.shape if out == "scalar" else (*X.shape, 2)
    if Z.shape != expected:
        rule = "values (...)" if out == "scalar" else "vectors (..., 2)"
        raise ValueError(
            f"`{name}` must map points of shape (..., 2) to {rule}; for input shape "
            f"{(*X.shape, 2)} it returned shape {Z.shape}."
        )
    if not np.isfinite(Z).any():
        raise ValueError(
            f"`{name}` has no finite value on the window x in {xlim}, y in {ylim} "
            "(all NaN or infinite): nothing to draw."
        )
    return X, Y, Z


def _colorbar(ax: Axes, artist: Any, colorbar: Any, colorbar_kws: Any) -> None:
    """Draw ``ax.figure.colorbar(artist, ax=ax, **colorbar_kws)`` when asked."""
    if colorbar_kws is not None and not isinstance(colorbar_kws, dict):
        raise TypeError(
            f"`colorbar_kws` must be a dict of Figure.colorbar options or None; got "
            f"{type(colorbar_kws).__name__}."
        )
    if colorbar:
        ax.figure.colorbar(artist, ax=ax, **(colorbar_kws or {}))
    elif colorbar_kws:
        raise ValueError("`colorbar_kws` is given but `colorbar` is False; pass colorbar=True.")


def drawn(ax: Axes, helper: str) -> list[Any]:
    """Return the artists a calcdocs helper drew on `ax`, oldest first.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The Axes a helper returned.
    helper : str
        The helper's name, e.g. ``"plot_contours"``, or a part of what it draws:
        ``"plot_path.start"``, ``"plot_path.end"``, ``"plot_tangent.line"``,
        ``"plot_tangent.point"``, ``"plot_graph.node"``, ``"plot_graph.op"``,
        ``"plot_graph.edge"``.

    Returns
    -------
    list of matplotlib.artist.Artist
        The artists whose group id (:meth:`~matplotlib.artist.Artist.get_gid`) is `helper`,
        in drawing order: ``drawn(ax, "plot_contours")[-1]`` is the newest ContourSet.

    Raises
    ------
    TypeError
        If `ax` is not an Axes or `helper` not a string.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from calcdocs import drawn, plot_contours, saddle
    >>> fig, ax = plt.subplots()
    >>> ax = plot_contours(saddle(), (-1, 1), (-1, 1), levels=5, num=20, ax=ax)
    >>> print(len(drawn(ax, "plot_contours")[-1].levels))
    5
    >>> plt.close(fig)
    """
    ax = _axes_2d(ax)
    if not isinstance(helper, str):
        raise TypeError(f"`helper` must be a string; got {type(helper).__name__}.")
    return [a for a in ax.get_children() if a.get_gid() == helper]


# ---------------------------------------------------------------------------------------------
# Functions of two variables
# ---------------------------------------------------------------------------------------------


def _auto_levels(Z: np.ndarray, n_levels: int, log_scale: bool) -> np.ndarray:
    """`n_levels` levels spanning the finite values of `Z` (geometric above the minimum)."""
    finite = Z[np.isfinite(Z)]
    z_min, z_max = float(finite.min()), float(finite.max())
    if not z_min < z_max:
        raise ValueError(
            f"`f` is constant (= {z_min:.6g}) on the window: it has no level sets to draw."
        )
    if not log_scale:
        return np.linspace(z_min, z_max, n_levels)
    gaps = finite - z_min
    span = z_max - z_min
    lowest = max(float(gaps[gaps > 0].min()), 1e-6 * span)
    return z_min + np.geomspace(lowest, span, n_levels)


def plot_contours(
    f: Callable[[np.ndarray], np.ndarray],
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    *,
    levels: int | Sequence[float] | np.ndarray = 30,
    num: int = 200,
    filled: bool = False,
    log_scale: bool = False,
    colorbar: bool = False,
    colorbar_kws: dict[str, Any] | None = None,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    r"""Draw level sets of a function of two variables.

    Parameters
    ----------
    f : callable
        Maps points of shape ``(..., 2)`` to real values of shape ``(...)``, e.g. any
        :class:`~calcdocs.Objective` of dimension 2. It is called once, on the whole grid.
        Non-finite values (outside a domain) leave holes.
    xlim, ylim : (float, float)
        The window, as ``(low, high)``.
    levels : int or array_like, default 30
        Number of contour levels (spaced evenly, or geometrically with `log_scale`,
        between the smallest and largest finite value on the grid), or the levels
        themselves (strictly increasing).
    num : int, default 200
        Grid points per axis.
    filled : bool, default False
        Filled bands (:meth:`~matplotlib.axes.Axes.contourf`) instead of lines
        (:meth:`~matplotlib.axes.Axes.contour`).
    log_scale : bool, default False
        Space the levels geometrically above the minimum, so that a function whose values
        span orders of magnitude (Rosenbrock's valley) still shows contours near its
        minimum; colours then step once per level. Needs `levels` to be a number.
    colorbar : bool, default False
        Also draw a colorbar for the contours, next to `ax`.
    colorbar_kws : dict, optional
        Options for :meth:`~matplotlib.figure.Figure.colorbar`, e.g. ``{"label": "f"}``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.
    **kwargs
        Passed to :meth:`~matplotlib.axes.Axes.contour` (or
        :meth:`~matplotlib.axes.Axes.contourf` when `filled`). Default colormap: viridis
        for filled bands; for lines its middle (``"viridis_mid"``, t = 0.35 to 0.6), whose
        colours keep a 3:1 contrast on light and dark pages; `colors` or `cmap` override it.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on. The new :class:`~matplotlib.contour.ContourSet` has the group id
        ``"plot_contours"``: ``drawn(ax, "plot_contours")[-1]``.

    Raises
    ------
    TypeError
        If `f` is not callable, returns non-numbers, or an option has the wrong type.
    ValueError
        If a window is not ``(low, high)`` with ``low < high``, `levels` or `num` is too
        small, `num` too large for memory, explicit levels are not increasing or come with
        `log_scale`, or `f` returns the wrong shape, complex values, a constant or no
        finite value at all.

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
    >>> from calcdocs import drawn, plot_contours, rosenbrock
    >>> fig, ax = plt.subplots()
    >>> ax = plot_contours(rosenbrock(), (-2, 2), (-1, 3), levels=20, log_scale=True, ax=ax)
    >>> print(len(drawn(ax, "plot_contours")[-1].levels))
    20
    >>> plt.close(fig)
    """
    f, xlim, ylim, num = _check_grid_args(f, xlim, ylim, num)
    filled, log_scale = check_bool(filled, "filled"), check_bool(log_scale, "log_scale")
    colorbar = check_bool(colorbar, "colorbar")
    if isinstance(levels, numbers.Integral) and not isinstance(levels, bool):
        n_levels = check_int(levels, "levels", minimum=2)
        levels = None
    else:
        if log_scale:
            raise ValueError(
                "`log_scale` spaces levels that calcdocs chooses; with explicit `levels` "
                "space them yourself (e.g. np.geomspace) and drop log_scale=True."
            )
        levels = as_array(levels, "levels")
        if levels.ndim != 1 or levels.size < 1:
            raise ValueError(
                f"`levels` must be an integer or a 1-D array of levels; got shape {levels.shape}."
            )
        if np.any(np.diff(levels) <= 0):
            raise ValueError(f"`levels` must be strictly increasing; got {levels.tolist()!r}.")
    ax = _axes_2d(ax)
    X, Y, Z = _evaluate_on_grid(f, xlim, ylim, num, "scalar")
    if levels is None:
        levels = _auto_levels(Z, n_levels, log_scale)
        if log_scale and "colors" not in kwargs and "norm" not in kwargs:
            from matplotlib.colors import BoundaryNorm

            kwargs["norm"] = BoundaryNorm(levels, ncolors=256)
    if "colors" not in kwargs:
        kwargs.setdefault("cmap", _CMAP if filled else _line_cmap())
    draw = ax.contourf if filled else ax.contour
    cs = draw(X, Y, np.ma.masked_invalid(Z), levels=levels, **kwargs)
    cs.set_gid("plot_contours")
    _colorbar(ax, cs, colorbar, colorbar_kws)
    return ax


def _axes_3d(ax: Any) -> Axes:
    from matplotlib.axes import Axes

    if ax is None:
        fig = _pyplot().gcf()
        if not fig.axes:
            return fig.add_subplot(projection="3d")
        ax = fig.gca()
        if ax.name != "3d":
            raise ValueError(
                "`ax` is None and the current Axes is 2-D; pass a 3-D Axes, e.g. from "
                "plt.subplots(subplot_kw={'projection': '3d'}), instead of drawing over it."
            )
        return ax
    if not isinstance(ax, Axes) or ax.name != "3d":
        got = f"a {ax.name!r} Axes" if isinstance(ax, Axes) else type(ax).__name__
        raise TypeError(f"`ax` must be a 3-D Axes (created with projection='3d'); got {got}.")
    return ax


def plot_surface(
    f: Callable[[np.ndarray], np.ndarray],
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    *,
    num: int = 80,
    colorbar: bool = False,
    colorbar_kws: dict[str, Any] | None = None,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Draw the graph of a function of two variables as a 3-D surface.

    Parameters
    ----------
    f : callable
        Maps points of shape ``(..., 2)`` to real values of shape ``(...)``; called once.
    xlim, ylim : (float, float)
        The window, as ``(low, high)``.
    num : int, default 80
        Grid points per axis.
    colorbar : bool, default False
        Also draw a colorbar for the surface's colours.
    colorbar_kws : dict, optional
        Options for :meth:`~matplotlib.figure.Figure.colorbar`.
    ax : mpl_toolkits.mplot3d.axes3d.Axes3D, optional
        A 3-D Axes (``projection="3d"``). Default: the current Axes if it is 3-D, a new
        3-D subplot if the current figure is empty; a 2-D current Axes is an error (a 3-D
        subplot added on top of it would overlap it).
    **kwargs
        Passed to :meth:`~mpl_toolkits.mplot3d.axes3d.Axes3D.plot_surface`. Default
        ``cmap="viridis"`` unless `color` or `cmap` is given.

    Returns
    -------
    mpl_toolkits.mplot3d.axes3d.Axes3D
        The Axes drawn on; the surface has the group id ``"plot_surface"``.

    Raises
    ------
    TypeError
        If `f` is not callable or `ax` is not a 3-D Axes.
    ValueError
        If `ax` is None while the current Axes is 2-D, a window is not ``(low, high)``
        with ``low < high``, `num` is below 2 or too large, or `f` returns the wrong shape,
        complex values or no finite value.

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
    f, xlim, ylim, num = _check_grid_args(f, xlim, ylim, num)
    colorbar = check_bool(colorbar, "colorbar")
    ax = _axes_3d(ax)
    X, Y, Z = _evaluate_on_grid(f, xlim, ylim, num, "scalar")
    if "color" not in kwargs:
        kwargs.setdefault("cmap", _CMAP)
    surface = ax.plot_surface(X, Y, np.ma.masked_invalid(Z), **kwargs)
    surface.set_gid("plot_surface")
    _colorbar(ax, surface, colorbar, colorbar_kws)
    return ax


def plot_gradient_field(
    grad: Callable[[np.ndarray], np.ndarray],
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    *,
    num: int = 20,
    normalize: bool = True,
    colorbar: bool = False,
    colorbar_kws: dict[str, Any] | None = None,
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
    colorbar : bool, default False
        Also draw a colorbar of the magnitude (needs the default colouring, no `color`).
    colorbar_kws : dict, optional
        Options for :meth:`~matplotlib.figure.Figure.colorbar`, e.g. ``{"label": "|grad|"}``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.
    **kwargs
        Passed to :meth:`~matplotlib.axes.Axes.quiver`. Default: coloured by magnitude
        with the middle of viridis (``"viridis_mid"``, readable on light and dark pages),
        unless `color` or `cmap` is given.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on; the :class:`~matplotlib.quiver.Quiver` has the group id
        ``"plot_gradient_field"``.

    Raises
    ------
    TypeError
        If `grad` is not callable or an option has the wrong type.
    ValueError
        If a window is not ``(low, high)`` with ``low < high``, `num` is below 2 or too
        large, `grad` returns the wrong shape, complex or no finite vectors, or a colorbar
        is asked for arrows of one colour.

    See Also
    --------
    plot_contours : the level sets the arrows cross at right angles.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from calcdocs import drawn, plot_gradient_field, quadratic_bowl
    >>> f = quadratic_bowl(condition_number=5.0)
    >>> fig, ax = plt.subplots()
    >>> ax = plot_gradient_field(lambda x: -f.gradient(x), (-2, 2), (-2, 2), num=9, ax=ax)
    >>> print(drawn(ax, "plot_gradient_field")[-1].N)
    81
    >>> plt.close(fig)
    """
    grad, xlim, ylim, num = _check_grid_args(grad, xlim, ylim, num, name="grad")
    normalize, colorbar = check_bool(normalize, "normalize"), check_bool(colorbar, "colorbar")
    if colorbar and "color" in kwargs:
        raise ValueError("`colorbar` needs arrows coloured by magnitude; drop `color`.")
    ax = _axes_2d(ax)
    X, Y, G = _evaluate_on_grid(grad, xlim, ylim, num, "vector")
    U, V = G[..., 0], G[..., 1]
    magnitude = np.hypot(U, V)
    if normalize:
        safe = np.where(magnitude > 0, magnitude, 1.0)
        U, V = U / safe, V / safe
    if "color" in kwargs:
        quiver = ax.quiver(X, Y, U, V, **kwargs)
    else:
        kwargs.setdefault("cmap", _line_cmap())
        quiver = ax.quiver(X, Y, U, V, magnitude, **kwargs)
    quiver.set_gid("plot_gradient_field")
    _colorbar(ax, quiver, colorbar, colorbar_kws)
    return ax


# ---------------------------------------------------------------------------------------------
# Optimisation paths (arrays of points or calcdocs.optimize.Trajectory)
# ---------------------------------------------------------------------------------------------


def _path_points(path: Any, name: str, dim: int = 2) -> np.ndarray:
    """The iterates of `path` (an array ``(k, dim)`` or a Trajectory) as a checked array."""
    if hasattr(path, "points") and not isinstance(path, np.ndarray):  # a Trajectory
        if path.points is None:
            raise ValueError(
                f"`{name}` is a {type(path).__name__} without recorded points; run the "
                "optimizer with record=True."
            )
        path = path.points
    points = as_array(path, name)
    if points.ndim != 2 or len(points) == 0:
        raise ValueError(
            f"`{name}` must have shape (k, {dim}) with k >= 1 (one iterate per row); "
            f"got shape {points.shape}."
        )
    return check_last_axis(points, name, dim)


def _draw_path(ax: Axes, points: np.ndarray, label: str | None, kwargs: dict) -> list[Any]:
    """The path line, its start (hollow circle) and its end (star): three Line2D."""
    kwargs.setdefault("marker", "o")
    kwargs.setdefault("markersize", 3)
    (line,) = ax.plot(points[:, 0], points[:, 1], label=label, gid="plot_path", **kwargs)
    color, zorder = line.get_color(), line.get_zorder() + 0.1
    (start,) = ax.plot(*points[0], marker="o", markersize=9, markerfacecolor="none",
                       color=color, linestyle="none", label="_start", gid="plot_path.start",
                       zorder=zorder)  # fmt: skip
    (end,) = ax.plot(*points[-1], marker="*", markersize=13, color=color, linestyle="none",
                     label="_end", gid="plot_path.end", zorder=zorder)  # fmt: skip
    return [line, start, end]


def plot_path(
    points: Any, *, label: str | None = None, ax: Axes | None = None, **kwargs: Any
) -> Axes:
    """Draw an optimisation path: the iterates joined by a line, start and end marked.

    Parameters
    ----------
    points : array_like, shape (k, 2), or Trajectory
        The iterates, first to last, or a :class:`~calcdocs.Trajectory` recorded with
        ``record=True`` (its ``points`` are drawn).
    label : str, optional
        Legend entry for the path.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.
    **kwargs
        Passed to :meth:`~matplotlib.axes.Axes.plot` for the path line (e.g. ``color``);
        default small round markers. The start (a hollow circle) and the end (a star)
        are drawn in the path's colour and left out of the legend.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on; three lines are added (path, start, end), in that order, with
        the group ids ``"plot_path"``, ``"plot_path.start"`` and ``"plot_path.end"``.

    Raises
    ------
    TypeError
        If `points` is not numeric.
    ValueError
        If `points` does not have shape ``(k, 2)`` with ``k >= 1``, is not finite, or is a
        Trajectory without recorded points.

    See Also
    --------
    plot_paths : several paths at once.
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
    points = _path_points(points, "points")
    if label is not None and not isinstance(label, str):
        raise TypeError(f"`label` must be a string or None; got {type(label).__name__}.")
    ax = _axes_2d(ax)
    _draw_path(ax, points, label, kwargs)
    return ax


def _labels(labels: Any, runs: list[Any], name: str = "labels") -> list[str | None]:
    """One legend label per run: the given ones, else each Trajectory's ``method``."""
    if labels is None:
        return [getattr(run, "method", None) or None for run in runs]
    if isinstance(labels, str) or not isinstance(labels, Sequence):
        raise TypeError(f"`{name}` must be a sequence of strings or None; got {labels!r}.")
    if len(labels) != len(runs):
        raise ValueError(f"`{name}` must have one entry per run ({len(runs)}); got {len(labels)}.")
    return [None if label is None else str(label) for label in labels]


def _runs(trajectories: Any, name: str = "trajectories") -> list[Any]:
    """A non-empty list of runs; a single Trajectory or array is one run."""
    if hasattr(trajectories, "points") or isinstance(trajectories, np.ndarray):
        return [trajectories]
    if isinstance(trajectories, str) or not isinstance(trajectories, Sequence):
        raise TypeError(
            f"`{name}` must be a sequence of Trajectory objects or arrays of points; got "
            f"{type(trajectories).__name__}."
        )
    if len(trajectories) == 0:
        raise ValueError(f"`{name}` must hold at least one run; got an empty sequence.")
    return list(trajectories)


def plot_paths(
    trajectories: Sequence[Any],
    labels: Sequence[str] | None = None,
    *,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Draw several optimisation paths on one Axes, each in the next colour of the cycle.

    Parameters
    ----------
    trajectories : sequence of Trajectory or array_like
        The runs: each a :class:`~calcdocs.Trajectory` (with recorded points) or an array
        of shape ``(k, 2)``.
    labels : sequence of str, optional
        One legend label per run. Default: each Trajectory's ``method`` (no label for
        plain arrays).
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.
    **kwargs
        Passed to :meth:`~matplotlib.axes.Axes.plot` for every path line.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on; each run adds the three lines of `plot_path`.

    Raises
    ------
    TypeError
        If `trajectories` or `labels` is not a sequence.
    ValueError
        If there is no run, the labels do not match the runs, or a run is not a path in
        the plane (``trajectories[i]`` is named).

    See Also
    --------
    plot_path : one path.
    animate_descent : the same paths, moving.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from calcdocs import plot_paths
    >>> fig, ax = plt.subplots()
    >>> ax = plot_paths([[[0, 0], [1, 1]], [[0, 1], [1, 0]]], ["a", "b"], ax=ax)
    >>> print(ax.get_legend_handles_labels()[1])
    ['a', 'b']
    >>> plt.close(fig)
    """
    runs = _runs(trajectories)
    paths = [_path_points(run, f"trajectories[{i}]") for i, run in enumerate(runs)]
    names = _labels(labels, runs)
    ax = _axes_2d(ax)
    for points, label in zip(paths, names):
        _draw_path(ax, points, label, dict(kwargs))
    return ax


def _curve(run: Any, i: int, kind: str) -> np.ndarray:
    """The loss (or gradient-norm) curve of one run, as a 1-D float array."""
    name = f"trajectories[{i}]"
    if hasattr(run, kind) and not isinstance(run, np.ndarray):
        values = getattr(run, kind)
        if values is None:
            hint = "pass `f=` to the optimizer" if kind == "values" else "record gradients"
            raise ValueError(f"`{name}` has no `{kind}` ({hint}).")
        run = values
    y = as_array(run, name, finite=False)
    if y.ndim != 1 or y.size == 0:
        raise ValueError(f"`{name}` must be a non-empty 1-D curve; got shape {y.shape}.")
    return y


def plot_loss_curves(
    trajectories: Sequence[Any],
    labels: Sequence[str] | None = None,
    *,
    kind: str = "values",
    log_scale: bool | None = None,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Draw the loss (or the gradient norm) against the step, one line per run.

    Parameters
    ----------
    trajectories : sequence of Trajectory or array_like
        The runs: :class:`~calcdocs.Trajectory` objects (their ``values`` or
        ``grad_norms``) or 1-D arrays of numbers, step 0 first.
    labels : sequence of str, optional
        One legend label per run; default each Trajectory's ``method``.
    kind : {"values", "grad_norms"}, default "values"
        Which curve of a Trajectory to draw.
    log_scale : bool, optional
        A logarithmic y axis. Default: on when every finite value is positive and they
        span more than two orders of magnitude (a linearly converging run is then a
        straight line).
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.
    **kwargs
        Passed to :meth:`~matplotlib.axes.Axes.plot` for every curve.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on; one line per run (group id ``"plot_loss_curves"``), x = step.

    Raises
    ------
    TypeError
        If an argument has the wrong type.
    ValueError
        If there is no run, `kind` is unknown, a run has no such curve, or a log scale is
        asked for values that are not all positive.

    See Also
    --------
    plot_paths : the same runs in the plane.

    Notes
    -----
    Non-finite values (a diverging run) are left out of the line, which stops where the
    run left the floating-point range.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from calcdocs import plot_loss_curves
    >>> fig, ax = plt.subplots()
    >>> ax = plot_loss_curves([0.5 ** np.arange(30), 0.8 ** np.arange(30)], ["fast", "slow"],
    ...                       ax=ax)
    >>> print(ax.get_yscale(), len(ax.lines))
    log 2
    >>> plt.close(fig)
    """
    runs = _runs(trajectories)
    if kind not in ("values", "grad_norms"):
        raise ValueError(f"`kind` must be one of ['grad_norms', 'values']; got {kind!r}.")
    curves = [_curve(run, i, kind) for i, run in enumerate(runs)]
    names = _labels(labels, runs)
    if log_scale is not None:
        log_scale = check_bool(log_scale, "log_scale")
    finite = np.concatenate([y[np.isfinite(y)] for y in curves])
    positive = finite.size > 0 and bool(np.all(finite > 0))
    if log_scale is None:
        log_scale = positive and finite.max() > 100 * finite.min()
    elif log_scale and not positive:
        raise ValueError("`log_scale` needs positive values; some finite values are <= 0.")
    ax = _axes_2d(ax)
    for y, label in zip(curves, names):
        y = np.where(np.isfinite(y), y, np.nan)
        ax.plot(np.arange(y.size), y, label=label, gid="plot_loss_curves", **kwargs)
    if log_scale:
        ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("loss" if kind == "values" else "gradient norm")
    return ax


def _animation_class() -> type:
    from matplotlib.animation import FuncAnimation, HTMLWriter

    class _TransparentHTMLWriter(HTMLWriter):
        """HTMLWriter whose PNG frames keep their transparent background.

        matplotlib composites the frames of writers without transparency onto white; PNG
        frames can keep their alpha, so the player reads on light and dark pages alike.
        """

        def _supports_transparency(self) -> bool:
            return self.frame_format == "png"

    class _DescentAnimation(FuncAnimation):
        """A FuncAnimation whose HTML player loads nothing from another host."""

        def to_jshtml(
            self, fps: float | None = None, embed_frames: bool = True, default_mode: str = "loop"
        ) -> str:
            """The JavaScript player (as matplotlib's), transparent, with no CDN link."""
            if getattr(self, "_calcdocs_html", None) is None:
                from tempfile import TemporaryDirectory

                writer = _TransparentHTMLWriter(
                    fps=fps or 1000 / self.interval_ms,
                    embed_frames=embed_frames,
                    default_mode=default_mode,
                )
                with TemporaryDirectory() as tmpdir:
                    path = Path(tmpdir, "animation.html")
                    self.save(str(path), writer=writer)
                    self._calcdocs_html = _strip_remote_links(path.read_text())
            return self._calcdocs_html

    return _DescentAnimation


_REMOTE_LINK = re.compile(r"<link[^>]*href=\"https?://[^\"]*\"[^>]*>\s*", re.IGNORECASE)


def _strip_remote_links(html: str) -> str:
    """Remove ``<link ... href="http(s)://...">`` tags (matplotlib's FontAwesome CDN link).

    The player's buttons keep working without it (the theme supplies the icons, or the
    buttons show their labels).
    """
    return _REMOTE_LINK.sub("", html)


def animate_descent(
    f: Callable[[np.ndarray], np.ndarray],
    trajectories: Sequence[Any],
    *,
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    labels: Sequence[str] | None = None,
    stride: int | None = None,
    max_frames: int = 30,
    levels: int | Sequence[float] = 20,
    filled: bool = True,
    log_scale: bool = False,
    num: int = 120,
    interval: int = 150,
    ax: Axes | None = None,
) -> FuncAnimation:
    """Animate optimisation paths moving over the contours of `f`.

    Parameters
    ----------
    f : callable
        The objective, mapping points ``(..., 2)`` to values (drawn by `plot_contours`).
    trajectories : sequence of Trajectory or array_like
        The runs (see `plot_paths`); runs of different lengths stop at their last iterate.
    xlim, ylim : (float, float)
        The window.
    labels : sequence of str, optional
        Legend labels, one per run; default each Trajectory's ``method``.
    stride : int, optional
        Iterates per frame: frame ``j`` shows iterates ``0 .. min(j * stride, k)``.
        Default: the smallest stride that needs at most `max_frames` frames. The last
        frame always shows the last iterate of the longest run.
    max_frames : int, default 30
        Upper bound on the number of frames when `stride` is not given. Each frame is one
        PNG in the HTML player (about 20-40 kB at the default size and dpi).
    levels, filled, log_scale, num
        Passed to `plot_contours`. Filled bands are the default: each frame is a PNG, and
        flat colour compresses to a fifth of the size of anti-aliased contour lines.
    interval : int, default 150
        Milliseconds between frames.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes. Its figure is animated.

    Returns
    -------
    matplotlib.animation.FuncAnimation
        The animation. ``anim.frame_iterates`` lists the iterate shown in each frame, and
        ``anim.ax`` is the Axes. Its ``to_jshtml()`` (used by sphinx-gallery and Jupyter)
        loads nothing from another host (matplotlib's link to a FontAwesome stylesheet on a
        CDN is removed) and keeps the frames' transparent background (matplotlib would put
        them on white), so the player reads on light and dark pages.

    Raises
    ------
    TypeError
        If an argument has the wrong type.
    ValueError
        As `plot_contours` and `plot_paths`, or for a `stride` or `max_frames` below 1.

    See Also
    --------
    plot_paths : the still picture of the last frame.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from calcdocs import animate_descent, quadratic_bowl
    >>> f = quadratic_bowl(condition_number=4.0)
    >>> path = [[2.0, 1.0]]
    >>> for _ in range(10):
    ...     path.append(path[-1] - 0.2 * f.gradient(np.array(path[-1])))
    >>> fig, ax = plt.subplots()
    >>> anim = animate_descent(f, [np.array(path)], xlim=(-2, 2), ylim=(-1.5, 1.5),
    ...                        stride=2, ax=ax)
    >>> print(anim.frame_iterates)
    [0, 2, 4, 6, 8, 10]
    >>> "https://" in anim.to_jshtml()
    False
    >>> plt.close(fig)
    """
    runs = _runs(trajectories)
    paths = [_path_points(run, f"trajectories[{i}]") for i, run in enumerate(runs)]
    names = _labels(labels, runs)
    max_frames = check_int(max_frames, "max_frames", minimum=1)
    interval = check_int(interval, "interval", minimum=1)
    k = max(len(p) for p in paths) - 1  # steps of the longest run
    if stride is None:
        stride = max(1, math.ceil(k / max(max_frames - 1, 1)))
    stride = check_int(stride, "stride", minimum=1)
    frame_iterates = [*range(0, k, stride), k]  # the last frame: the last iterate
    ax = plot_contours(
        f, xlim, ylim, levels=levels, filled=filled, log_scale=log_scale, num=num, ax=ax
    )
    ax.set(xlim=xlim, ylim=ylim)
    drawn_paths = [_draw_path(ax, p[:1], label, {}) for p, label in zip(paths, names)]
    lines, ends = [d[0] for d in drawn_paths], [d[2] for d in drawn_paths]
    if any(name is not None for name in names):  # above the Axes, on the page's background
        ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=len(names),
                  frameon=False, borderaxespad=0.2)  # fmt: skip
    title = ax.set_title("step 0", loc="right")

    def show_frame(j: int) -> list[Any]:
        i = frame_iterates[j]
        for line, end, p in zip(lines, ends, paths):
            shown = p[: min(i, len(p) - 1) + 1]
            line.set_data(shown[:, 0], shown[:, 1])
            end.set_data(shown[-1:, 0], shown[-1:, 1])
        title.set_text(f"step {i}")
        return [*lines, *ends, title]

    anim = _animation_class()(
        ax.figure, show_frame, frames=len(frame_iterates), interval=interval, blit=False,
        repeat=True,
    )  # fmt: skip
    anim.ax = ax
    anim.interval_ms = interval
    anim.frame_iterates = frame_iterates
    anim.show_frame = show_frame
    return anim


# ---------------------------------------------------------------------------------------------
# Functions of one variable
# ---------------------------------------------------------------------------------------------


def _values_1d(f: Callable, x: np.ndarray) -> np.ndarray:
    y = _real_values(f(x), "f", "values")
    if y.shape != x.shape:
        raise ValueError(
            f"`f` must be vectorised, mapping shape (m,) to (m,); for shape {x.shape} it "
            f"returned shape {y.shape}."
        )
    return y


def _tangent_slope(f: Callable, x0: float, slope: Any) -> tuple[float, float]:
    """``(f(x0), f'(x0))``; the slope by central differences unless given."""
    y0 = float(_values_1d(f, np.array([x0]))[0])
    if not math.isfinite(y0):
        raise ValueError(f"`f` must be finite at the point of tangency x0 = {x0!r}; got {y0!r}.")
    if slope is not None:
        return y0, check_real(slope, "slope")
    computed = float(derivative(f, x0))
    if not math.isfinite(computed):
        raise ValueError(
            f"`f` has no finite derivative at x0 = {x0!r} (central differences gave "
            f"{computed!r}); pass `slope` if you know the tangent."
        )
    return y0, computed


def _draw_tangent(ax: Axes, x0: float, y0: float, slope: float, halfwidth: float) -> None:
    ends = np.array([x0 - halfwidth, x0 + halfwidth])
    ax.plot(ends, y0 + slope * (ends - x0), linestyle="--", color="0.45", linewidth=1.2,
            label="_tangent", gid="plot_tangent.line")  # fmt: skip
    ax.plot([x0], [y0], marker="o", color="0.45", linestyle="none", label="_point",
            gid="plot_tangent.point")  # fmt: skip


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
        a dashed grey line and the point of tangency a grey dot (grey reads on light and
        dark pages).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on; three lines are added (curve, tangent, point), in that order,
        with the group ids ``"plot_tangent"``, ``"plot_tangent.line"``,
        ``"plot_tangent.point"``.

    Raises
    ------
    TypeError
        If `f` is not callable or a number has the wrong type.
    ValueError
        If `halfwidth` is not positive, a number is not finite, `f` returns the wrong
        shape, is not finite at `x0`, or has no finite derivative there.

    See Also
    --------
    plot_function : the function over a window, with tangents.
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
    _check_limits((x0 - halfwidth, x0 + halfwidth), "x0 +- halfwidth")
    x = np.linspace(x0 - halfwidth, x0 + halfwidth, 201)
    y = _values_1d(f, x)
    y0, slope = _tangent_slope(f, x0, slope)
    ax = _axes_2d(ax)
    ax.plot(x, y, gid="plot_tangent", **kwargs)
    _draw_tangent(ax, x0, y0, slope, halfwidth)
    return ax


def plot_function(
    f: Callable[[np.ndarray], np.ndarray],
    xlim: tuple[float, float],
    *,
    tangent_at: float | Sequence[float] | None = None,
    num: int = 400,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Draw a function of one variable over a window, optionally with tangent lines.

    Parameters
    ----------
    f : callable
        A vectorised function of one variable, shape ``(m,)`` to ``(m,)``.
    xlim : (float, float)
        The window, as ``(low, high)``.
    tangent_at : float or sequence of float, optional
        Points where the tangent is drawn (as `plot_tangent` draws it, over a quarter of
        the window each side), its slope by :func:`calcdocs.derivative`.
    num : int, default 400
        Points on the curve.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.
    **kwargs
        Passed to :meth:`~matplotlib.axes.Axes.plot` for the curve.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on: the curve (group id ``"plot_function"``), then per tangent
        point a dashed line and a dot.

    Raises
    ------
    TypeError
        If `f` is not callable or a number has the wrong type.
    ValueError
        If `xlim` is not ``(low, high)`` with ``low < high``, `num` is below 2 or too
        large, `f` returns the wrong shape or complex values, or a tangent point is not
        finite, outside the window or has no finite derivative.

    See Also
    --------
    plot_tangent : one tangent, near its point.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> from calcdocs import plot_function
    >>> fig, ax = plt.subplots()
    >>> ax = plot_function(np.sin, (0, np.pi), tangent_at=[0.0, np.pi / 2], ax=ax)
    >>> print(len(ax.lines))  # the curve, then a line and a dot per tangent
    5
    >>> plt.close(fig)
    """
    f = check_callable(f, "f")
    xlim = _check_limits(xlim, "xlim")
    num = _check_num(num, dims=1)
    if tangent_at is None:
        points = np.empty(0)
    else:
        points = np.atleast_1d(as_array(tangent_at, "tangent_at"))
        if points.ndim != 1:
            raise ValueError(
                f"`tangent_at` must be a number or a 1-D sequence; got shape {points.shape}."
            )
        outside = points[(points < xlim[0]) | (points > xlim[1])]
        if outside.size:
            raise ValueError(
                f"`tangent_at` must lie in the window {xlim}; got {outside.tolist()!r}."
            )
    x = np.linspace(*xlim, num)
    y = _values_1d(f, x)
    tangents = [(float(p), *_tangent_slope(f, float(p), None)) for p in points]
    ax = _axes_2d(ax)
    ax.plot(x, y, gid="plot_function", **kwargs)
    halfwidth = (xlim[1] - xlim[0]) / 4
    for x0, y0, slope in tangents:
        _draw_tangent(ax, x0, y0, slope, halfwidth)
    return ax


# ---------------------------------------------------------------------------------------------
# Computational graphs (reverse mode), read through the public graph protocol
# ---------------------------------------------------------------------------------------------

_NODE_ATTRIBUTES = ("parents", "op", "label", "data", "grad")


def _graph(root: Any) -> tuple[list[Any], list[tuple[int, int]]]:
    """Nodes in topological order (`calcdocs.autodiff.topological_order`) and unique edges.

    The edges are ``(parent_index, child_index)`` pairs, each once even if an operand is
    repeated (``x * x``).
    """
    order = topological_order(root)  # raises on a cycle or a node without `parents`
    for node in order:
        missing = [a for a in _NODE_ATTRIBUTES if not hasattr(node, a)]
        if missing:
            raise TypeError(
                f"`root` must be a graph node such as calcdocs.Tensor (with `parents`, `op`, "
                f"`label`, `data`, `grad`); got a {type(node).__name__} without "
                f"`{missing[0]}`."
            )
    index = {id(node): i for i, node in enumerate(order)}
    edges = list(
        dict.fromkeys((index[id(p)], index[id(node)]) for node in order for p in node.parents)
    )
    return order, edges


def _layout(n: int, edges: list[tuple[int, int]]) -> tuple[list[float], list[float]]:
    """Grid positions ``(column, row)`` of `n` nodes in topological order.

    Columns: a non-leaf one right of its deepest operand; a leaf one left of its first use
    (the *leaf pull*, so a constant used late does not sit far away in column 0). Rows:
    within a column, nodes are ordered by the mean row of their operands (one sweep, left to
    right), which keeps most arrows short, then centred.
    """
    parents: list[list[int]] = [[] for _ in range(n)]
    children: list[list[int]] = [[] for _ in range(n)]
    for p, c in edges:
        parents[c].append(p)
        children[p].append(c)
    column = [0] * n
    for i in range(n):  # topological order: parents already placed
        if parents[i]:
            column[i] = 1 + max(column[p] for p in parents[i])
    for i in range(n):  # the leaf pull
        if not parents[i] and children[i]:
            column[i] = min(column[c] for c in children[i]) - 1
    first = min(column, default=0)
    column = [c - first for c in column]
    row = [0.0] * n
    members: dict[int, list[int]] = {}
    for i in sorted(range(n), key=lambda i: column[i]):
        members.setdefault(column[i], []).append(i)
    for col in sorted(members):  # the row ordering
        nodes = members[col]
        nodes.sort(key=lambda i: -np.mean([row[p] for p in parents[i]]) if parents[i] else 0.0)
        for rank, i in enumerate(nodes):
            row[i] = (len(nodes) - 1) / 2 - rank
    return [float(c) for c in column], row


def _format_number(value: Any) -> str:
    return f"{float(np.asarray(value).reshape(-1)[0]):.4g}"


def _node_text(node: Any, show_grad: bool) -> str:
    name = node.label if node.label is not None else (node.op or "const")
    data = np.asarray(node.data)
    lines = [str(name), _format_number(data) if data.size == 1 else f"shape {data.shape}"]
    if show_grad:
        if node.grad is None:
            lines.append("grad -")
        else:
            grad = np.asarray(node.grad, dtype=float)
            lines.append(
                f"grad {_format_number(grad)}"
                if grad.size == 1
                else f"|grad| {float(np.linalg.norm(grad)):.4g}"
            )
    return "\n".join(lines)


def _fit_fontsize(ax: Axes, longest: int, n_lines: int, box: tuple[float, float],
                  op_widths: dict[int, float], ops: list[str]) -> float:  # fmt: skip
    """The largest font size (4 to 10 pt) at which the texts fit their boxes on `ax`."""
    extent = ax.get_window_extent()
    points = (72 / ax.figure.dpi) * min(
        extent.width / np.ptp(ax.get_xlim()), extent.height / np.ptp(ax.get_ylim())
    )  # points per data unit
    box_w, box_h = box
    fits = [box_h / (1.3 * n_lines), box_w / (0.62 * longest)]
    fits += [w / (0.7 * max(len(ops[i]), 1)) for i, w in op_widths.items()]
    return float(np.clip(0.9 * points * min(fits), 4.0, 10.0))


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
        The output, usually a scalar loss. The graph is read through the public graph
        protocol: :func:`calcdocs.topological_order` and each node's ``parents`` (tuple of
        nodes), ``op`` (str, ``''`` for leaves), ``label`` (str or None), ``data`` and
        ``grad`` (arrays, ``grad`` may be None). Any object with these attributes works.
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
        :class:`~matplotlib.patches.FancyBboxPatch` per distinct tensor (group id
        ``"plot_graph.node"``; a tensor used several times appears once), one
        :class:`~matplotlib.patches.Ellipse` per operation (``"plot_graph.op"``), and one
        :class:`~matplotlib.patches.FancyArrowPatch` per edge (``"plot_graph.edge"``:
        operand to operation, counted once even for ``x * x``, and operation to result).

    Raises
    ------
    TypeError
        If a node does not have the attributes of the graph protocol, or `show_grad` is
        not a bool.
    ValueError
        If the graph has a cycle (from :func:`calcdocs.topological_order`).

    See Also
    --------
    calcdocs.Tensor : records the graph.
    calcdocs.topological_order : the order drawn, leaves first.

    Notes
    -----
    The layout is by depth: a non-leaf tensor sits one column to the right of its deepest
    operand, and a leaf one column to the left of its first use. Within a column, nodes
    are ordered by the mean height of their operands, which keeps most arrows short.
    Large graphs (a few dozen nodes and more) become hard to read; draw a smaller one.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from calcdocs import Tensor, drawn, plot_graph
    >>> x = Tensor(2.0, requires_grad=True, label="x")
    >>> w = Tensor(3.0, requires_grad=True, label="w")
    >>> y = x * w + x
    >>> y.label = "y"
    >>> y.backward()
    >>> fig, ax = plt.subplots()
    >>> ax = plot_graph(y, show_grad=True, ax=ax)
    >>> print(len(drawn(ax, "plot_graph.node")))  # x, w, x*w, y
    4
    >>> plt.close(fig)
    """
    show_grad = check_bool(show_grad, "show_grad")
    if not hasattr(root, "parents"):
        raise TypeError(
            f"`root` must be a graph node such as calcdocs.Tensor (with `parents`, `op`, "
            f"`label`, `data`, `grad`); got {type(root).__name__} without `parents`."
        )
    order, edges = _graph(root)
    ax = _axes_2d(ax)
    column, row = _layout(len(order), edges)
    pitch, row_pitch = 3.2, 1.4  # room between columns for an operation and two arrows
    x_pos = [pitch * c for c in column]
    y_pos = [row_pitch * r for r in row]
    texts = [_node_text(node, show_grad) for node in order]
    ops = [str(node.op) for node in order]
    n_lines = 3 if show_grad else 2
    longest = max(len(line) for text in texts for line in text.split("\n"))
    box_w, box_h, op_h = max(1.8, 0.12 * longest), 0.3 * n_lines + 0.2, 0.45
    op_widths = {i: 0.4 + 0.1 * len(ops[i]) for i, node in enumerate(order) if node.parents}

    ax.set_xlim(-box_w, max(x_pos) + box_w)
    ax.set_ylim(min(y_pos) - row_pitch, max(y_pos) + row_pitch)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if "fontsize" not in kwargs:
        kwargs["fontsize"] = _fit_fontsize(ax, longest, n_lines, (box_w, box_h), op_widths, ops)
    _draw_graph(ax, order, root, edges, (x_pos, y_pos), texts, (box_w, box_h, op_h, pitch),
                op_widths, kwargs)  # fmt: skip
    return ax


def _draw_graph(ax: Axes, order: list[Any], root: Any, edges: list[tuple[int, int]],
                pos: tuple[list[float], list[float]], texts: list[str],
                sizes: tuple[float, float, float, float], op_widths: dict[int, float],
                text_kw: dict[str, Any]) -> None:  # fmt: skip
    """Boxes for tensors, ellipses for operations, arrows along the forward pass.

    Patches go in with ``add_artist``, not ``add_patch``: the limits are already set, and
    ``add_patch`` recomputes the data limits of every patch (most of the time of a long
    graph).
    """
    from matplotlib.patches import Ellipse, FancyArrowPatch, FancyBboxPatch

    x_pos, y_pos = pos
    box_w, box_h, op_h, pitch = sizes
    # Opaque pastel boxes with dark text: each box carries its own contrast, so the graph
    # reads the same on a light or a dark page (transparent boxes under the page's grey text
    # would not). The faces are viridis samples mixed half with white.
    cmap = _pyplot().get_cmap(_CMAP)

    def pastel(t: float) -> tuple[float, float, float]:
        return tuple(0.5 + 0.5 * c for c in cmap(t)[:3])

    leaf_color, inner_color, root_color, op_color = (pastel(t) for t in (0.9, 0.55, 0.3, 0.75))
    edge_color = "0.5"  # mid grey: visible on light and dark pages
    text_kw = {"color": "0.1", **text_kw}

    def arrow(start: tuple[float, float], end: tuple[float, float]) -> None:
        ax.add_artist(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=8,
                                     color=edge_color, linewidth=0.8, zorder=1,
                                     gid="plot_graph.edge"))  # fmt: skip

    for i, node in enumerate(order):
        face = root_color if node is root else (inner_color if node.parents else leaf_color)
        corner = (x_pos[i] - box_w / 2, y_pos[i] - box_h / 2)
        ax.add_artist(FancyBboxPatch(corner, box_w, box_h,
                                    boxstyle="round,pad=0.04,rounding_size=0.12",
                                    facecolor=face, edgecolor=edge_color, zorder=2,
                                    gid="plot_graph.node"))  # fmt: skip
        ax.text(x_pos[i], y_pos[i], texts[i], ha="center", va="center", zorder=3, **text_kw)
    for i, op_w in op_widths.items():  # the operation sits halfway between the columns
        op_x = x_pos[i] - pitch / 2
        ax.add_artist(Ellipse((op_x, y_pos[i]), op_w, op_h, facecolor=op_color,
                             edgecolor=edge_color, zorder=2, gid="plot_graph.op"))  # fmt: skip
        ax.text(op_x, y_pos[i], order[i].op, ha="center", va="center", zorder=3, **text_kw)
        arrow((op_x + op_w / 2, y_pos[i]), (x_pos[i] - box_w / 2 - 0.04, y_pos[i]))
    for p, c in edges:
        op_left = x_pos[c] - pitch / 2 - op_widths[c] / 2
        arrow((x_pos[p] + box_w / 2 + 0.04, y_pos[p]), (op_left, y_pos[c]))
