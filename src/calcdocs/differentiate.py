"""Numerical derivatives: finite differences, the complex step and Richardson extrapolation.

Every public function reduces to one engine that differentiates ``t -> f(x + t v)`` at
``t = 0`` for a whole batch of points ``x`` and directions ``v`` at once, stacking all the
perturbed copies into a single array and calling ``f`` once per stencil (or once per
Richardson level). The finite-difference rules themselves are data: the table
``_STENCILS`` holds each first-derivative method's offsets, weights, order and default
step, and ``_HESSIAN`` the same for each second-derivative method.

Numerical failure is reported, never hidden: values of ``f`` that stay non-finite after the
step adapts to the domain raise ``ValueError``; a quotient that changes between the step
``h`` and ``h / 2`` by more than round-off explains, a low-precision ``f`` and a user step
far from the scale of ``x`` give an :class:`AccuracyWarning`.

Conventions (see the book's notation page): a batch of points has shape ``(..., n)``, one
point per row with its ``n`` coordinates on the last axis, so a function ``f`` maps
``(..., n) -> (...)``; gradients have the shape of ``x``; Jacobians are
``(..., m, n)`` (numerator layout); Hessians are ``(..., n, n)``. SciPy's
``scipy.differentiate.jacobian`` and ``hessian`` put the coordinates on the *first* axis
instead.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any, Literal, NamedTuple

import numpy as np

from calcdocs._validation import (
    _short,
    as_array,
    check_callable,
    check_choice,
    check_int,
    check_last_axis,
    check_positive,
)

__all__ = [
    "AccuracyWarning",
    "check_grad",
    "derivative",
    "directional_derivative",
    "gradient",
    "hessian",
    "jacobian",
    "partial",
]

_EPS = float(np.finfo(float).eps)
_TINY = float(np.finfo(float).tiny)


class AccuracyWarning(RuntimeWarning):
    """A numerical derivative is probably inaccurate; the message names the cause.

    Issued when the difference quotient changes between the step ``h`` and ``h / 2`` by
    more than round-off explains (the step is too large for the scale on which `f`
    varies, or `f` is not differentiable there), when `f` computes in low precision
    (float32, float16), when a user's step `h` is far outside the scale of `x`, when `f`
    overflows to infinity at `x`, and when Richardson extrapolation disagrees with the
    central differences it started from. The message names the function, the point (and
    coordinate) and what to try. A subclass of ``RuntimeWarning``: filter it with
    ``warnings.simplefilter("error", AccuracyWarning)`` to turn it into an exception.

    Examples
    --------
    >>> import warnings
    >>> import numpy as np
    >>> from calcdocs import AccuracyWarning, derivative
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     d = derivative(np.sign, 0.0)  # a jump: no derivative at 0
    >>> print(caught[0].category is AccuracyWarning, "unreliable" in str(caught[0].message))
    True True
    """


class _Stencil(NamedTuple):
    """One finite-difference rule: ``f'(x) ~ Re(sum_k w_k f(x + o_k h)) / h``."""

    offsets: tuple[complex, ...]  # o_k, in units of the step h
    weights: tuple[complex, ...]  # w_k
    order: int  # truncation error is O(h**order)
    step: float  # default step relative to the scale max(|x|, 1)


# The derivative rules as data. The default step balances truncation, O(h**order), against
# round-off, O(eps / h), giving h ~ eps**(1 / (order + 1)); the complex step has no round-off
# term, so its step can be as small as we like. "richardson" starts from the central rule at
# a much larger step and extrapolates towards h -> 0 (see `derivative`).
_STENCILS: dict[str, _Stencil] = {
    "forward": _Stencil((0, 1), (-1, 1), 1, _EPS ** (1 / 2)),
    "backward": _Stencil((-1, 0), (-1, 1), 1, _EPS ** (1 / 2)),
    "central": _Stencil((-1, 1), (-1 / 2, 1 / 2), 2, _EPS ** (1 / 3)),
    "complex": _Stencil((1j,), (-1j,), 2, 1e-20),
    "richardson": _Stencil((-1, 1), (-1 / 2, 1 / 2), 2, 2.0**-4),
}


class _HessianStencil(NamedTuple):
    """One second-difference rule for the entry ``(i, j)`` of a Hessian.

    ``H_ij ~ Re(sum_k w_k f(x + a_k h_i e_i + b_k g_j e_j)) / (h_i g_j)``, where
    ``(a_k, b_k)`` are the offsets, ``h = step * scale`` and ``g = h`` for a real rule, or
    ``g = cross * scale`` for the complex step along ``e_j``.
    """

    offsets: tuple[tuple[complex, complex], ...]  # (a_k, b_k), in units of (h_i, g_j)
    weights: tuple[complex, ...]  # w_k
    order: int  # truncation error is O(h**order)
    step: float  # default h relative to the scale max(|x_i|, 1)
    cross: float | None = None  # the step g along e_j, if it is not h (the complex step)


# The Hessian rules as data, with steps from the same balance as above: round-off
# eps / h**2 against truncation h**order gives h ~ eps**(1 / (order + 2)). "richardson" is
# (4 H(h/2) - H(h)) / 3 with the central H, one stencil of 8 points; "complex" is a central
# difference along e_i of complex-step first derivatives along e_j, whose only round-off is
# that of a first derivative, eps / h. Its complex step 2**-27 (truncation ~1e-16) is large
# enough that Im f does not underflow for tiny f, where the 1e-20 of _STENCILS would.
_HESSIAN: dict[str, _HessianStencil] = {
    "central": _HessianStencil(
        ((1, 1), (1, -1), (-1, 1), (-1, -1)), (1 / 4, -1 / 4, -1 / 4, 1 / 4), 2, _EPS ** (1 / 4)
    ),
    "forward": _HessianStencil(
        ((1, 1), (1, 0), (0, 1), (0, 0)), (1, -1, -1, 1), 1, _EPS ** (1 / 3)
    ),
    "backward": _HessianStencil(
        ((-1, -1), (-1, 0), (0, -1), (0, 0)), (1, -1, -1, 1), 1, _EPS ** (1 / 3)
    ),
    "complex": _HessianStencil(
        ((1, 1j), (-1, 1j)), (-1j / 2, 1j / 2), 2, _EPS ** (1 / 3), 2.0**-27
    ),
    "richardson": _HessianStencil(
        ((1, 1), (1, -1), (-1, 1), (-1, -1), (0.5, 0.5), (0.5, -0.5), (-0.5, 0.5), (-0.5, -0.5)),
        (-1 / 12, 1 / 12, 1 / 12, -1 / 12, 4 / 3, -4 / 3, -4 / 3, 4 / 3),
        4,
        _EPS ** (1 / 6),
    ),
}

_MAX_RETRIES = 16  # times a step is cut by _SHRINK where f returns non-finite values
_SHRINK = 8.0
_MAX_NUMBERS = 2**24  # perturbed coordinates per call of f (128 MB of float64), see _directional
_MAX_TOTAL = 2**30  # perturbed coordinates per public call (8 GiB through f): refused beyond
_AGREE_RTOL = 1e-4  # D(h) and D(h/2) may differ by this (relative) plus round-off
_SMALLEST_STEP = 2.0**-1034  # a subnormal step still held to 12 digits
_RATE_BAND = 0.25  # c2 <= (1 + this) c1 / 2**order, see _settled
_FAR = 1e3  # a user step beyond _FAR * max(|x|, 1) is far outside the scale of x
_ROUNDOFF_SAFETY = 16.0  # ulps of error allowed in each value of f
_UNDERFLOW_STEP = _HESSIAN["complex"].cross  # complex step where Im f(x + ih) underflows
_RICHARDSON_LEVELS = 10  # at most 2 * 10 evaluations per point
_RICHARDSON_RTOL = 1e-10  # stop: error estimate (pessimistic) below this, relative
_RICHARDSON_RESTART = 1e-7  # restart with a smaller step: error estimate above this
_RICHARDSON_RESTARTS = 2  # at most this many restarts
_RICHARDSON_RESTART_CUT = 64.0  # a restart divides the first step by this...
_RICHARDSON_RESTART_NEAR = 16.0  # ...and starts at most at |x| / 16


# --------------------------------------------------------------------------------------
# Validation and calling f
# --------------------------------------------------------------------------------------
class _Target(NamedTuple):
    """How to call the user's function and what it must return."""

    f: Callable
    name: str  # argument name used in messages ("f" or "F")
    kind: Literal[
        "elementwise", "scalar", "field"
    ]  # x -> same shape, (..., n) -> (...), -> (..., m)


def _prepare(
    f: Any,
    x: Any,
    method: Any,
    h: Any,
    *,
    name: str = "f",
    kind: Literal["elementwise", "scalar", "field"] = "scalar",
    methods: dict = _STENCILS,
) -> tuple[_Target, np.ndarray, tuple[int, ...], int, float | None]:
    """Validate the common arguments; return ``(target, points (N, n), batch, n, h)``."""
    check_callable(f, name)
    check_choice(method, methods, "method")
    step = None if h is None else check_positive(h, "h")
    if kind == "elementwise":  # derivative: any shape, one coordinate
        arr = as_array(x, "x")
        return _Target(f, name, kind), arr.reshape(-1, 1), arr.shape, 1, step
    arr = check_last_axis(as_array(x, "x"), "x")
    n = arr.shape[-1]
    if n == 0:
        raise ValueError(f"`x` must have at least one coordinate; got shape {arr.shape}.")
    return _Target(f, name, kind), arr.reshape(-1, n), arr.shape[:-1], n, step


def _unwrap(res: np.ndarray, batch: tuple[int, ...]) -> float | np.ndarray:
    """A Python float for a single point (an empty batch shape), else the array."""
    res = res.reshape(batch)
    return float(res) if not batch else res


def _vectorised_note(target: _Target, shape: tuple[int, ...]) -> str:
    if target.kind == "elementwise":
        return (
            f"`{target.name}` is called once on an array of shape {shape} holding every "
            "stencil point; it must be vectorised (work elementwise: np.sin, not math.sin; "
            "np.where, not `if`)."
        )
    return (
        f"`{target.name}` is called once on an array of shape {shape}: one stencil point per "
        "row, its coordinates on the last axis; it must be vectorised over the leading axes "
        "(index with p[..., i], use np.sum(..., axis=-1) and np.where, not math functions or "
        "`if`)."
    )


def _eps_of(dtype: np.dtype) -> float:
    """Machine epsilon of the values `f` returned (float64's for integers and long double)."""
    if dtype.kind in "fc":
        return max(float(np.finfo(dtype).eps), _EPS)
    return _EPS


def _call(target: _Target, points: np.ndarray) -> tuple[np.ndarray, float]:
    """Evaluate the user's function once on the points ``(M, n)``.

    Returns ``(M, *out)`` values as float64 (complex128 for complex points) and the machine
    epsilon of the dtype `f` returned. The caller evaluates real points before complex
    ones, so a ``TypeError`` on complex input means `f` is not complex-safe.
    """
    arg = points[:, 0] if target.kind == "elementwise" else points
    is_complex = np.iscomplexobj(points)
    name = target.name
    try:
        with np.errstate(all="ignore"):  # non-finite values are handled by the caller
            y = target.f(arg)
    except TypeError as exc:
        if is_complex:
            raise ValueError(
                f"`{name}` is not complex-safe (it raised {exc!r} on complex input, but not "
                "on real input); use method='central' or 'richardson' instead."
            ) from exc
        exc.add_note(_vectorised_note(target, arg.shape))
        raise
    except Exception as exc:  # the user's own error keeps its type; we add context
        exc.add_note(_vectorised_note(target, arg.shape))
        raise
    try:
        y = np.asarray(y)
    except Exception as exc:  # ragged lists and the like
        raise TypeError(f"`{name}` must return an array of numbers; got {_short(y)}.") from exc
    if y.dtype.kind == "O":  # Python numbers in an object array
        try:
            y = y.astype(complex if any(isinstance(v, complex) for v in y.flat) else float)
        except (TypeError, ValueError):
            pass
    if y.dtype.kind not in "biufc":
        raise TypeError(f"`{name}` must return numbers; got dtype {y.dtype} ({_short(y)}).")
    m = len(points)
    if target.kind == "elementwise":
        if y.shape != arg.shape:
            raise ValueError(
                f"`{name}` must return an array of the same shape as its input; got shape "
                f"{y.shape} for input of shape {arg.shape} (is `{name}` vectorised?)."
            )
    elif target.kind == "field":
        if y.ndim != 2 or y.shape[0] != m:
            raise ValueError(
                f"`{name}` must map points of shape (..., n) to values of shape (..., m); got "
                f"shape {y.shape} for input of shape {arg.shape} (is `{name}` vectorised?)."
            )
    elif y.shape != (m,):
        raise ValueError(
            f"`{name}` must map points of shape (..., n) to values of shape (...); got shape "
            f"{y.shape} for input of shape {arg.shape} (is `{name}` vectorised?)."
        )
    eps = _eps_of(y.dtype)
    if is_complex and y.dtype.kind != "c":
        raise ValueError(
            f"`{name}` is not complex-safe: it returned dtype {y.dtype} for complex input "
            "(np.abs, .real or a cast to float drop the imaginary part); use "
            "method='central' or 'richardson' instead."
        )
    if not is_complex and y.dtype.kind == "c":
        if np.any(np.imag(y) != 0):
            where = np.unravel_index(np.argmax(np.imag(y) != 0), y.shape)[0]
            raise ValueError(
                f"`{name}` returned complex values for real input (at {_point(arg[where])}: "
                f"{_short(y[(where,)])}); real differences would drop the imaginary part. "
                f"Differentiate np.real({name}) and np.imag({name}) separately."
            )
        y = np.real(y)
    return y.astype(complex if is_complex else float, copy=False), eps


def _point(p: Any) -> str:
    p = np.asarray(p)
    if p.ndim == 0 or p.size == 1:
        return f"x = {float(np.real(p.reshape(-1)[0])):.6g}"
    return f"x = {_short(np.real(p).round(6))}"


def _where(x: np.ndarray, v: Any, entry: tuple[int, int], target: _Target) -> str:
    """Describe entry ``(point, direction)`` of a batch for a message."""
    i, j = entry
    text = _point(x[i])
    if target.kind == "elementwise":
        return text
    if isinstance(v, range):
        return f"{text}, coordinate {v[j]}"
    return f"{text}, along v = {_short(np.round(v[i, j], 6))}"


def _abs_max(a: np.ndarray, lead: int = 1) -> np.ndarray:
    """Largest absolute value over the output axes (beyond the first `lead` axes)."""
    a = np.abs(a)
    return a.reshape(*a.shape[:lead], -1).max(axis=-1) if a.ndim > lead else a


def _pow2(h: np.ndarray) -> np.ndarray:
    """Round steps down to powers of two, so that ``x + h`` is exact for most ``x``."""
    mantissa, exponent = np.frexp(np.asarray(h, dtype=np.float64))  # also for subnormals
    return np.where(mantissa > 0, np.ldexp(0.5, exponent), 0.0)


def _extent(x: np.ndarray, v: np.ndarray | range) -> tuple[np.ndarray, np.ndarray]:
    """Size of ``x`` in units of t along each direction, and its scale, both ``(N, d)``.

    For ``t -> f(x + t v)`` the extent is ``max |x_k| / max |v_k|`` over the support of `v`
    (the coordinates that move), and the scale is ``max(extent, 1 / max |v_k|)``, that is
    ``max(|x|, 1) / |v|`` in units of t. ``v`` is ``(N, d, n)``, or a ``range`` of
    coordinate axes (``v_k = e_k``).
    """
    if isinstance(v, range):
        extent = np.abs(x[:, v.start : v.stop])
        return extent, np.maximum(extent, 1.0)
    vmax = np.abs(v).max(axis=-1)
    xmax = np.where(v != 0, np.abs(x[:, None, :]), 0.0).max(axis=-1)
    vmax = np.where(vmax > 0, vmax, 1.0)
    return xmax / vmax, np.maximum(xmax, 1.0) / vmax


def _scales(x: np.ndarray, v: np.ndarray | range) -> np.ndarray:
    """Scale of each entry in units of t, ``max(|x|, 1) / |v|`` over the support of `v`."""
    return _extent(x, v)[1]


def _directions(x: np.ndarray, v: np.ndarray | range) -> np.ndarray:
    """`v` as an explicit ``(N, d, n)`` array (unit vectors for a range of axes)."""
    if not isinstance(v, range):
        return v
    n_pts, n = x.shape
    axes = np.zeros((len(v), n))
    axes[np.arange(len(v)), list(v)] = 1.0
    return np.broadcast_to(axes, (n_pts, len(v), n))


# --------------------------------------------------------------------------------------
# The engine: d/dt f(x + t v) at t = 0 for entries (x_e, v_e)
# --------------------------------------------------------------------------------------
def _perturb(x: np.ndarray, v: np.ndarray | range, t: np.ndarray) -> np.ndarray:
    """Points ``x + t v`` of shape ``(k, N, d, n)`` for steps ``t`` of shape ``(k, N, d)``.

    ``x`` is ``(N, n)``; ``v`` is ``(N, d, n)``, or a range of coordinate axes, in which
    case only one coordinate per copy is touched (no identity matrix is built).
    """
    if not isinstance(v, range):
        return x[None, :, None, :] + t[..., None] * v[None]
    k, n_pts, d = t.shape
    pts = np.empty((k, n_pts, d, x.shape[1]), dtype=np.result_type(x, t))
    pts[...] = x[None, :, None, :]
    pts[:, :, np.arange(d), list(v)] += t
    return pts


class _Quotients(NamedTuple):
    """A fixed stencil at steps h and h / 2, for every entry ``(N, d)``."""

    deriv: np.ndarray  # (N, d, *out) at step h
    half: np.ndarray | None  # (N, d, *out) at step h / 2 (None for the complex step)
    noise: np.ndarray  # (N, d) round-off bound of deriv - half
    finite: np.ndarray  # (N, d) every value of f used is finite
    eps: float  # machine epsilon of f's output


def _stencil_diff(
    target: _Target,
    x: np.ndarray,
    v: np.ndarray | range,
    h: np.ndarray,
    method: str,
) -> _Quotients:
    """Apply one fixed real stencil at steps ``h`` and ``h / 2`` to every entry, in one call.

    ``x`` is ``(N, n)``, ``v`` is ``(N, d, n)`` or a range of axes, ``h`` is ``(N, d)``.
    The point itself (offset 0) is evaluated once per point, not once per direction.
    """
    stencil = _STENCILS[method]
    n_pts, d = h.shape
    moving = [(o, w) for o, w in zip(stencil.offsets, stencil.weights, strict=True) if o != 0]
    centre = [w for o, w in zip(stencil.offsets, stencil.weights, strict=True) if o == 0]
    steps = np.stack([o * h * scale for scale in (1.0, 0.5) for o, _ in moving])  # (2k, N, d)
    blocks = [_perturb(x, v, steps).reshape(-1, x.shape[1])]
    if centre:
        blocks.append(x)
    y, eps = _call(target, np.concatenate(blocks) if centre else blocks[0])
    out = y.shape[1:]
    k = len(moving)
    y_moving = y[: 2 * k * n_pts * d].reshape(2, k, n_pts, d, *out)
    y_centre = y[2 * k * n_pts * d :].reshape(n_pts, 1, *out) if centre else None
    expand = (n_pts, d, *([1] * len(out)))
    results, sizes = [], []
    with np.errstate(over="ignore", invalid="ignore"):  # inf and nan are judged later
        for level, hb in enumerate((h, h / 2)):
            total = sum(w * y_moving[level, idx] for idx, (_, w) in enumerate(moving))
            size = sum(abs(w) * np.abs(y_moving[level, idx]) for idx, (_, w) in enumerate(moving))
            if centre:
                total = total + centre[0] * y_centre
                size = size + abs(centre[0]) * np.abs(y_centre)
            results.append(np.real(total) / hb.reshape(expand))  # sum_k w_k f(x + o_k h v) / h
            sizes.append(_abs_max(size, 2) / hb)
    values = [y_moving.reshape(2 * k, n_pts, d, -1)]
    finite = np.all(np.isfinite(values[0]), axis=(0, 3))
    if centre:
        finite &= np.all(np.isfinite(y_centre.reshape(n_pts, 1, -1)), axis=2)
    noise = _ROUNDOFF_SAFETY * eps * (sizes[0] + sizes[1])
    return _Quotients(results[0], results[1], noise, finite, eps)


def _complex_step(
    target: _Target, x: np.ndarray, v: np.ndarray | range, h: np.ndarray, scale: np.ndarray
) -> _Quotients:
    """The complex step ``Im f(x + i h v) / h`` for every entry, checked for complex safety.

    Real points go to `f` first (``f(x)``, ``f(x + h_c v)``, ``f(x + h_c v / 2)`` for the
    check, in real arithmetic), then the complex ones: a ``TypeError`` on complex input
    alone means `f` is not complex-safe, while one on real input is the user's own. Where
    ``h |f'|`` would underflow (``Im f`` below the smallest normal float over epsilon), the
    entry is recomputed at the larger step ``_UNDERFLOW_STEP * scale``.
    """
    n_pts, d = h.shape
    n = x.shape[1]
    h_c = _pow2(_STENCILS["forward"].step * scale)
    real_pts = np.concatenate([x, _perturb(x, v, np.stack([h_c, h_c / 2])).reshape(-1, n)])
    y_real, eps = _call(target, real_pts)
    out = y_real.shape[1:]
    y_zero = y_real[:n_pts].reshape(n_pts, 1, *out)
    y_check = y_real[n_pts:].reshape(2, n_pts, d, *out)
    imag, _ = _call(target, _perturb(x, v, 1j * h[None]).reshape(-1, n).astype(complex))
    imag = np.imag(imag).reshape(n_pts, d, *out)
    used = np.broadcast_to(h.reshape(n_pts, d, *([1] * len(out))), imag.shape).copy()
    tiny = (_abs_max(imag, 2) < _TINY / _EPS) & (h < _UNDERFLOW_STEP * scale)
    if tiny.any():  # Im f underflows: a larger (still truncation-free) complex step
        rows, cols = np.nonzero(tiny)
        big = _UNDERFLOW_STEP * scale[rows, cols]
        vv = _directions(x, v)[rows, cols]
        again, _ = _call(target, (x[rows] + 1j * big[:, None] * vv).astype(complex))
        imag[rows, cols] = np.imag(again)
        used[rows, cols] = big.reshape(-1, *([1] * len(out)))
    deriv = imag / used
    finite = np.isfinite(_abs_max(imag, 2)) & np.isfinite(_abs_max(y_zero, 2))
    judged, judged_h = deriv, used
    if np.any(h > h_c):  # a user's step with its own truncation error: judge the default
        small = _default_steps("complex", scale, eps)
        judged_h = np.broadcast_to(small.reshape(n_pts, d, *([1] * len(out))), imag.shape)
        again, _ = _call(target, _perturb(x, v, 1j * small[None]).reshape(-1, n).astype(complex))
        judged = np.imag(again).reshape(imag.shape) / judged_h
    verified = _check_complex_safe(target, judged, judged_h, y_zero, y_check, h_c, eps)
    unverified = ~verified & finite
    if unverified.any():
        _complex_step_refine(target, x, v, deriv, used, unverified, out)
    return _Quotients(deriv, None, np.zeros((n_pts, d)), finite, eps)


def _complex_step_refine(
    target: _Target,
    x: np.ndarray,
    v: np.ndarray | range,
    deriv: np.ndarray,
    used: np.ndarray,
    entries: np.ndarray,
    out: tuple[int, ...],
) -> None:
    """Check, and if need be redo, complex steps the real differences could not verify.

    There f varies on a scale below the real check's step (``log`` at ``x = 1e-300``),
    perhaps below the complex step itself. Free of truncation, ``Im f(x + ih) / h`` does
    not change when h is halved; where it does, the entry is recomputed at the step
    ``_UNDERFLOW_STEP * |x|`` (relative to ``|x|`` rather than ``max(|x|, 1)``; its
    truncation error is about 1e-16 when the singularity is near 0) and checked again, and an
    :class:`AccuracyWarning` is issued if it still changes. Updates `deriv` in place.
    """
    rows, cols = np.nonzero(entries)
    vv = _directions(x, v)[rows, cols]
    shape = (-1, *([1] * len(out)))
    extent = _extent(x[rows], vv[:, None, :])[0][:, 0]

    def step(h: np.ndarray) -> np.ndarray:
        y, _ = _call(target, (x[rows] + 1j * h[:, None] * vv).astype(complex))
        return np.imag(y) / h.reshape(shape)

    h = used[rows, cols].reshape(len(rows), -1)[:, 0]
    current = deriv[rows, cols]

    def moves(d: np.ndarray, hh: np.ndarray) -> np.ndarray:  # not settled at h, h/2, h/4
        d2, d4 = step(hh / 2), step(hh / 4)
        size = np.maximum(_abs_max(d, 1), _abs_max(d2, 1))
        tol = _AGREE_RTOL * size + 4 * _TINY / hh
        return ~_settled(d - d2, d2 - d4, 4.0, tol)  # the complex step is of order 2

    moving = moves(current, h)
    smaller = _pow2(_UNDERFLOW_STEP * extent)  # truncation (h / |x|)**2 ~ 1e-16 still
    retry = moving & (smaller < h) & (smaller > _SMALLEST_STEP)
    if retry.any():
        hh = np.where(retry, smaller, h)
        again = step(hh)
        settled = retry & ~moves(again, hh)
        current[settled] = again[settled]
        moving &= ~settled
    deriv[rows, cols] = current
    if moving.any():
        k = int(np.argmax(moving))
        warnings.warn(
            f"The complex step of `{target.name}` at "
            f"{_where(x, v, (rows[k], cols[k]), target)} is unreliable: Im f(x + ih) / h "
            f"keeps changing when h = {h[k]:.3g} is halved, so `{target.name}` varies on a scale "
            "below the step there (a singularity close to x?); pass a smaller `h`.",
            AccuracyWarning,
            stacklevel=5,
        )


def _check_complex_safe(
    target: _Target,
    deriv: np.ndarray,
    h: np.ndarray,
    y_zero: np.ndarray,
    y_check: np.ndarray,
    h_c: np.ndarray,
    eps: float,
) -> np.ndarray:
    """Raise if the complex-step result disagrees with real forward differences.

    The package's one complex-safety check, used by every ``method="complex"`` (the
    Hessian's too). ``y_zero`` is ``f(x)`` and ``y_check`` holds ``f(x + h_c v)`` and
    ``f(x + h_c v / 2)``, all evaluated in real arithmetic. Their forward differences
    ``fd1``, ``fd2`` give a Richardson estimate ``2 fd2 - fd1`` with error about
    ``|fd1 - fd2|``. The tolerance adds 1% relative disagreement, the differences'
    round-off and the underflow of either side (values below the smallest normal float
    carry an absolute error up to it, ``tiny / h`` after the division), so that only wrong
    answers (a dropped or conjugated imaginary part) are flagged; entries where ``fd1`` and
    ``fd2`` differ by over 10% (a step too large for f's local scale) are not judged.
    Returns which entries ``(N, d)`` could be judged (and passed).
    """
    hc = h_c.reshape(*h_c.shape, *([1] * (deriv.ndim - h_c.ndim)))
    fd1 = (y_check[0] - y_zero) / hc
    fd2 = (y_check[1] - y_zero) / (hc / 2)
    ref = 2 * fd2 - fd1
    size = np.abs(y_zero) + np.abs(y_check[0]) + np.abs(y_check[1])
    roundoff = 1e3 * eps * size / hc + 4 * _TINY / hc + 4 * _TINY / h
    spread = np.abs(fd1 - fd2)
    verifiable = spread <= 0.1 * np.abs(fd2) + roundoff  # differences in their h -> 0 regime
    tol = 1e-2 * (np.abs(deriv) + np.abs(ref)) + 4 * spread + roundoff
    with np.errstate(invalid="ignore"):
        verifiable &= np.isfinite(tol) & np.isfinite(deriv)
        bad = (np.abs(deriv - ref) > tol) & verifiable
    if np.any(bad):
        where = tuple(np.argwhere(bad)[0])
        raise ValueError(
            f"`{target.name}` is not complex-safe: the complex step gives {deriv[where]:.6g} "
            f"where real differences give {ref[where]:.6g} (does `{target.name}` use np.abs, "
            "np.conj, .real or a cast to float?); use method='central' or 'richardson' instead."
        )
    return np.all(verifiable.reshape(*verifiable.shape[:2], -1), axis=-1)


def _quotients(
    target: _Target,
    x: np.ndarray,
    v: np.ndarray | range,
    h: np.ndarray,
    scale: np.ndarray,
    method: str,
) -> _Quotients:
    if method == "complex":
        return _complex_step(target, x, v, h, scale)
    return _stencil_diff(target, x, v, h, method)


def _default_steps(method: str, scale: np.ndarray, eps: float) -> np.ndarray:
    """The table's step for `f`'s precision: ``step * (eps / eps64)**(1 / (order + 1))``."""
    stencil = _STENCILS[method]
    if method == "complex":  # no round-off term: the step does not depend on eps
        return _pow2(stencil.step * scale)
    return _pow2(stencil.step * (eps / _EPS) ** (1 / (stencil.order + 1)) * scale)


def _check_user_step(
    target: _Target,
    x: np.ndarray,
    v: np.ndarray | range,
    h: float,
    scale: np.ndarray,
    order: int,
) -> None:
    """Raise if ``x + h v == x`` for some entry; warn if `h` is far outside the scale of x."""
    if isinstance(v, range):
        lost = x[:, v.start : v.stop] + h == x[:, v.start : v.stop]
    else:
        moved = (x[:, None, :] + h * v != x[:, None, :]) & (v != 0)
        lost = ~moved.any(axis=-1) & (np.abs(v).max(axis=-1) > 0)
    if lost.any():
        entry = tuple(np.argwhere(lost)[0])
        raise ValueError(
            f"`h` = {h!r} is lost in rounding: x + h == x at {_where(x, v, entry, target)}; "
            f"`h` must be well above {_EPS:.1e} times the scale of `x`."
        )
    relative = h / scale
    small = _EPS / relative**order > _AGREE_RTOL  # round-off alone costs more than the target
    large = relative > _FAR
    if small.any() or large.any():
        entry = tuple(np.argwhere(small | large)[0])
        what = "small" if small[entry] else "large"
        warnings.warn(
            f"`h` = {h!r} is far too {what} for the scale max(|x|, 1) = {scale[entry]:.3g} "
            f"at {_where(x, v, entry, target)}: the result of `{target.name}`'s differences "
            f"is probably inaccurate; leave `h` at its default.",
            AccuracyWarning,
            stacklevel=4,
        )


def _fixed(
    target: _Target, x: np.ndarray, v: np.ndarray | range, h: float | None, method: str
) -> np.ndarray:
    """Fixed-stencil derivative of every entry, adapting the step where f is not finite.

    The default step is the table's ``_STENCILS[method].step`` times the scale
    ``max(|x|, 1)``. Where a value of f is not finite (the stencil reached past the edge of
    f's domain, like ``log`` near 0), the scale ``s`` of that entry is cut by ``_SHRINK``
    until the stencil at step ``s`` itself is finite: ``s`` then measures the distance to the
    edge, and the derivative is recomputed at the usual step relative to it (or at ``s``
    when the user gave `h`). The quotient at ``h / 2`` checks the one at ``h``.
    """
    scale = _scales(x, v)
    if h is None:
        steps = _default_steps(method, scale, _EPS)
    else:
        if method != "complex":
            _check_user_step(target, x, v, h, scale, order=1)
        steps = np.full(scale.shape, h)
    res = _quotients(target, x, v, steps, scale, method)
    if res.eps > _EPS and h is None and method != "complex":  # low precision: larger steps
        steps = _default_steps(method, scale, res.eps)
        res = _quotients(target, x, v, steps, scale, method)
    if res.eps > _EPS:
        _warn_low_precision(target, res.eps, method)
    if not res.finite.all():
        res, steps = _retry_nonfinite(target, x, v, h, method, scale, steps, res)
    if res.half is not None:
        _check_agreement(target, x, v, steps, scale, res, method)
    return res.deriv


def _retry_nonfinite(
    target: _Target,
    x: np.ndarray,
    v: np.ndarray | range,
    h: float | None,
    method: str,
    scale: np.ndarray,
    steps: np.ndarray,
    res: _Quotients,
) -> tuple[_Quotients, np.ndarray]:
    """Cut the reach of every entry whose stencil met a non-finite value (see `_fixed`)."""
    rows, cols = np.nonzero(~res.finite)
    x_bad = x[rows]
    v_bad = _directions(x, v)[rows, cols][:, None]
    reach = _pow2(scale[rows, cols] if h is None else steps[rows, cols])[:, None]
    extent = _extent(x_bad, v_bad)[0]
    probing = np.ones(len(rows), dtype=bool)
    for _ in range(_MAX_RETRIES):  # probe: cut the reach until the stencil stays finite
        idx = np.nonzero(probing)[0]
        if idx.size == 0:
            break
        cut = reach[idx] / _SHRINK
        near = (extent[idx] > 0) & (extent[idx] < cut)  # jump to the scale of x itself
        reach[idx] = np.where(near, _pow2(extent[idx] / 2), cut)
        probe = _quotients(target, x_bad[idx], v_bad[idx], reach[idx], reach[idx], method)
        probing[idx[probe.finite[:, 0]]] = False
    final = _default_steps(method, reach, res.eps) if h is None else reach
    again = _quotients(target, x_bad, v_bad, final, reach, method)
    moved = np.any((x_bad[:, None, :] + final[..., None] * v_bad != x_bad[:, None, :]), axis=-1)
    deriv, noise, finite = res.deriv.copy(), res.noise.copy(), res.finite.copy()
    deriv[rows, cols] = again.deriv[:, 0]
    noise[rows, cols] = again.noise[:, 0]
    finite[rows, cols] = again.finite[:, 0] & (moved[:, 0] | (method == "complex"))
    half = None
    if res.half is not None:
        half = res.half.copy()
        half[rows, cols] = again.half[:, 0]
    steps = steps.copy()
    steps[rows, cols] = final[:, 0]
    res = _Quotients(deriv, half, noise, finite, res.eps)
    if not finite.all():
        _report_nonfinite(target, x, v, res)
    return res, steps


def _report_nonfinite(target: _Target, x: np.ndarray, v: np.ndarray | range, res) -> None:
    """Values of f still not finite after the retries: an overflow of f, or an error.

    If f itself is infinite at the point (``exp`` at 800), the derivative overflows too: it
    is returned as ``inf`` with the sign of the quotient where that sign is defined, else of
    f, and an :class:`AccuracyWarning` says so. Anything else (NaN at or around the point)
    raises ``ValueError`` naming f and the point.
    """
    rows, cols = np.nonzero(~res.finite)
    y0, _ = _call(target, x[rows])
    y0 = y0.reshape(len(rows), -1)
    overflow = np.all(np.isinf(y0), axis=1)
    if not overflow.all():
        k = int(np.argmin(overflow))
        entry = (rows[k], cols[k])
        value = y0[k]
        at = f"f = {_short(value if value.size > 1 else float(value[0]))} there"
        if np.all(np.isfinite(value)):
            at = "its values at the stencil points stay NaN or infinite however small the step"
        raise ValueError(
            f"`{target.name}` is not finite near {_where(x, v, entry, target)} ({at}); the "
            "derivative is not defined there. Check the domain of "
            f"`{target.name}` (log, sqrt and division need care)."
        )
    deriv = res.deriv
    for k, (i, j) in enumerate(zip(rows, cols, strict=True)):
        sign = np.sign(np.nan_to_num(deriv[i, j], nan=0.0))
        sign = np.where(sign == 0, np.sign(y0[k].reshape(deriv[i, j].shape)), sign)
        deriv[i, j] = sign * np.inf
    entry = (rows[0], cols[0])
    warnings.warn(
        f"`{target.name}` overflows to inf at {_where(x, v, entry, target)}; its derivative "
        "there is reported as inf, with the sign of the quotient where it has one, else "
        f"of `{target.name}`.",
        AccuracyWarning,
        stacklevel=4,
    )


def _warn_low_precision(target: _Target, eps: float, method: str) -> None:
    digits = "its round-off" if method == "complex" else f"about {eps ** (2 / 3):.0e} relative"
    warnings.warn(
        f"`{target.name}` returns values of low precision (machine epsilon {eps:.1e}, not "
        f"{_EPS:.1e}); the steps were chosen for it, but the derivative is only accurate to "
        f"{digits}. Compute `{target.name}` in float64.",
        AccuracyWarning,
        stacklevel=4,
    )


def _settled(c1: np.ndarray, c2: np.ndarray, rate: float, tol: np.ndarray) -> np.ndarray:
    """Whether the changes of a quotient are explained by truncation, per entry.

    ``c1 = D(h) - D(h/2)`` and ``c2 = D(h/2) - D(h/4)`` are ``(E, *out)``, `tol` is ``(E,)``.
    An entry is settled if ``|c1|`` is within `tol` or the changes shrink at least as fast
    as the rule's order says, ``c2 / c1`` in ``[0, (1 + _RATE_BAND) / rate]`` (faster is
    fine: where the leading error term vanishes the next one takes over, as for ``x**5``
    at 0).
    """
    shape = (-1, *([1] * (c1.ndim - 1)))
    tol = np.reshape(tol, shape)
    with np.errstate(invalid="ignore", over="ignore"):
        small = np.abs(c1) <= tol
        shrinking = (c1 * c2 >= 0) & (np.abs(c2) <= (1 + _RATE_BAND) * np.abs(c1) / rate + tol)
    ok = small | shrinking
    return ok.reshape(len(ok), -1).all(axis=1)


def _check_agreement(
    target: _Target,
    x: np.ndarray,
    v: np.ndarray | range,
    steps: np.ndarray,
    scale: np.ndarray,
    res: _Quotients,
    method: str,
) -> None:
    """Warn where the quotients at h and h / 2 differ by more than round-off explains.

    Truncation alone explains a change ``c1 = D(h) - D(h/2)`` when f is smooth on the scale
    of h: then the next change ``c2 = D(h/2) - D(h/4)`` is ``c1 / 2**order``. So an entry
    whose change exceeds ``_AGREE_RTOL`` (relative) plus round-off gets one more quotient,
    at ``h / 4`` (one more call of f, for those entries only), and a warning unless its
    changes shrink at least as fast as the order says (see `_settled`). Stationary points
    (``x**3`` at 0, where every quotient is a pure truncation error) therefore pass, and
    a kink, a jump or a step larger than f's scale (``sin`` at 1e8) do not. Round-off
    includes that of the values of f (``res.noise``) and the rounding of ``x + h`` itself,
    ``eps * scale / h`` relative.
    """
    change = _abs_max(res.deriv - res.half, 2)
    size = np.maximum(_abs_max(res.deriv, 2), _abs_max(res.half, 2))
    with np.errstate(invalid="ignore", over="ignore"):
        tol = _AGREE_RTOL * size + res.noise + 4 * _EPS * scale / steps * size
        flagged = (change > tol) & np.isfinite(change)
    if not flagged.any():
        return
    rows, cols = np.nonzero(flagged)
    v_sub = _directions(x, v)[rows, cols][:, None]
    finer = _stencil_diff(target, x[rows], v_sub, steps[rows, cols][:, None] / 2, method)
    c1 = (res.deriv - res.half)[rows, cols]
    c2 = (finer.deriv - finer.half)[:, 0]
    rate = 2.0 ** _STENCILS[method].order
    bad = ~_settled(c1, c2, rate, tol[rows, cols] + rate * finer.noise[:, 0])
    if bad.any():
        k = int(np.argmax(bad))
        entry = (rows[k], cols[k])
        d1, d2 = res.deriv[entry], res.half[entry]
        pair = (
            f"{float(d1):.6g} at h = {steps[entry]:.3g} and {float(d2):.6g} at h/2"
            if np.ndim(d1) == 0
            else f"changes by {change[entry]:.3g} between h = {steps[entry]:.3g} and h/2"
        )
        warnings.warn(
            f"The difference quotient of `{target.name}` at {_where(x, v, entry, target)} is "
            f"unreliable: it is {pair}, more than round-off explains. `{target.name}` varies "
            "on a scale below the step there or is not differentiable; pass a smaller `h` or "
            "use method='complex' or 'richardson'.",
            AccuracyWarning,
            stacklevel=4,
        )


def _richardson(target: _Target, x: np.ndarray, v: np.ndarray, h: float | None) -> np.ndarray:
    """Richardson-extrapolated central differences, per entry ``(x_e, v_e)``, ``(E, n)``.

    See `_ridders` for one pass. An entry whose error estimate stays above
    ``_RICHARDSON_RESTART`` (relative) and well above round-off after a pass, typically
    because the first step reached past a nearby singularity (``1 / x**2`` at
    ``x = 0.001``), is restarted with a smaller step, relative to ``|x|`` itself where
    ``x != 0``; the pass with the smaller relative error estimate is kept.
    """
    extent, scale = (a[:, 0] for a in _extent(x, v[:, None, :]))
    start = _pow2(_STENCILS["richardson"].step * scale) if h is None else np.full(len(x), h)
    if h is not None:
        _check_user_step(target, x, v[:, None, :], h, scale[:, None], order=1)
    best, err, noise, eps, last, d_last = _ridders(target, x, v, start.copy())
    for _ in range(_RICHARDSON_RESTARTS):
        poor = ~(err <= _RICHARDSON_RESTART * _abs_max(best)) & ~(err <= 100 * noise)
        poor = np.nonzero(poor)[0]
        if poor.size == 0:
            break
        start[poor] /= _RICHARDSON_RESTART_CUT
        near = poor[extent[poor] > 0]
        start[near] = np.minimum(start[near], _pow2(extent[near] / _RICHARDSON_RESTART_NEAR))
        again, err_again, noise_again, _, last_again, d_again = _ridders(
            target, x[poor], v[poor], start[poor].copy()
        )
        relative_old = err[poor] / np.maximum(_abs_max(best[poor]), _TINY)
        better = ~(relative_old <= err_again / np.maximum(_abs_max(again), _TINY))
        best[poor[better]] = again[better]
        err[poor[better]] = err_again[better]
        noise[poor[better]] = noise_again[better]
        last[poor[better]] = last_again[better]
        d_last[poor[better]] = d_again[better]
    if eps > _EPS:
        _warn_low_precision(target, eps, "richardson")
    finite = np.isfinite(_abs_max(best))
    if not finite.all():
        res = _Quotients(best[:, None], None, noise[:, None], finite[:, None], eps)
        _report_nonfinite(target, x, v[:, None, :], res)
        best = res.deriv[:, 0]
    # A second opinion: the central difference at half the finest step (one call of f, two
    # points per entry). Richardson's error estimate cannot see a first step so large that
    # f aliases (sin at 1e8); there its answer is not what the central differences
    # extrapolate to, best - D(h) = (4 / 3) (D(h / 2) - D(h)) for a smooth f.
    c = (last / 2)[:, None]
    y, _ = _call(target, np.concatenate([x + c * v, x - c * v]))
    y = y.reshape(2, len(x), -1)
    wide = d_last.reshape(len(x), -1)
    flat = best.reshape(len(x), -1)
    with np.errstate(invalid="ignore", over="ignore"):
        narrow = (y[0] - y[1]) / (2 * c)
        noise_c = _ROUNDOFF_SAFETY * eps * np.abs(y).sum(axis=0) / c * 3
        deviation = np.abs((flat - wide) - 4 / 3 * (narrow - wide))
        allowed = _RATE_BAND * np.abs(flat - wide) + _AGREE_RTOL * np.abs(flat) + noise_c
        allowed += 100 * noise[:, None]
        unsure = np.any(deviation > allowed, axis=1) & np.all(np.isfinite(y), axis=(0, 2))
    unsure &= finite
    if unsure.any():
        k = int(np.argmax(unsure))
        warnings.warn(
            f"Richardson extrapolation of `{target.name}` at "
            f"{_where(x, v[:, None, :], (k, 0), target)} is unreliable: its answer "
            f"{_short(best[k])} is not what central differences extrapolate to there. "
            f"`{target.name}` varies on a scale below the steps or is not differentiable; "
            "pass a smaller `h` or use method='complex'.",
            AccuracyWarning,
            stacklevel=4,
        )
    return best


def _ridders(
    target: _Target, x: np.ndarray, v: np.ndarray, steps: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, np.ndarray, np.ndarray]:
    """One pass of Ridders' tableau: estimates, error bounds, round-off, eps, last step, D.

    The last two are each entry's finest step and its central difference there.

    Level ``i`` is the central difference at ``h_i = h_0 / 2**i``; column ``j`` of the
    tableau cancels the ``h**(2j)`` error term. The error bound of an entry is the larger of
    the tableau's estimate (the change against lower orders) and the round-off
    ``eps (|f(x+h)| + |f(x-h)|) / h`` of the finest step used. An entry stops when its bound
    drops below ``_RICHARDSON_RTOL`` (relative) or to round-off, grows (round-off has taken
    over) or f stops being finite. Only unfinished entries are evaluated, one call of f per
    level.
    """
    n_entries = len(x)
    precision = [_EPS]

    def central(idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        hs = steps[idx][:, None]
        y, eps = _call(target, np.concatenate([x[idx] + hs * v[idx], x[idx] - hs * v[idx]]))
        precision[0] = max(precision[0], eps)
        hb = steps[idx].reshape(-1, *([1] * (y.ndim - 1)))
        y_plus, y_minus = y[: len(idx)], y[len(idx) :]
        with np.errstate(invalid="ignore", over="ignore"):  # non-finite: handled by callers
            roundoff = eps * _abs_max(np.abs(y_plus) + np.abs(y_minus)) / steps[idx]
            return (y_plus - y_minus) / (2 * hb), roundoff

    first, noise = central(np.arange(n_entries))
    for _ in range(_MAX_RETRIES):  # a first step that leaves f's domain is cut until it fits
        bad = np.nonzero(~np.isfinite(_abs_max(first)))[0]
        if bad.size == 0:
            break
        steps[bad] /= _SHRINK
        first[bad], noise[bad] = central(bad)
    column = [first]  # column[j] = T[j, i - 1], the previous level's tableau column
    best = first.copy()
    err = np.full(n_entries, np.inf)
    best_noise = noise.copy()
    active = np.isfinite(_abs_max(first))
    ratio = 4.0  # (h_{i-1} / h_i)**2: the error series of central differences is in h**2
    for level in range(1, _RICHARDSON_LEVELS):
        idx = np.nonzero(active)[0]
        if idx.size == 0:
            break
        steps[idx] /= 2
        d0, level_noise = central(idx)
        new = [d0]
        fac = ratio
        for j in range(1, level + 1):
            prev = column[j - 1][idx]
            t = (fac * new[j - 1] - prev) / (fac - 1)
            fac *= ratio
            change = np.maximum(_abs_max(t - new[j - 1]), _abs_max(t - prev))
            err_t = np.maximum(change, level_noise)
            better = err_t <= err[idx]
            err[idx[better]] = err_t[better]
            best[idx[better]] = t[better]
            best_noise[idx[better]] = level_noise[better]
            new.append(t)
        column.append(np.zeros_like(first))
        for j in range(level + 1):
            column[j][idx] = new[j]
        growing = _abs_max(new[level] - column[level - 1][idx]) >= 2 * err[idx]
        done = err[idx] <= _RICHARDSON_RTOL * _abs_max(best[idx]) + _TINY
        at_noise = err[idx] <= best_noise[idx]
        lost = ~np.isfinite(_abs_max(d0))
        active[idx[growing | done | at_noise | lost]] = False
    return best, err, best_noise, precision[0], steps, column[0]


def _points_per_direction(method: str) -> int:
    """Perturbed copies of a point per direction (h and h / 2, or the complex step's 3)."""
    return 3 if method == "complex" else 2 * sum(o != 0 for o in _STENCILS[method].offsets)


def _check_size(n_pts: int, n: int, copies: int, what: str) -> None:
    """Refuse up front a call that would push more than _MAX_TOTAL numbers through f."""
    total = n_pts * copies * n
    if total > _MAX_TOTAL:
        raise ValueError(
            f"`x` is too large for {what} by finite differences: {n_pts} point(s) of "
            f"n = {n} coordinates need {copies} perturbed copies of n numbers each, "
            f"{total * 8 / 2**30:.1f} GiB of float64 through `f` (the limit is "
            f"{_MAX_TOTAL * 8 / 2**30:.0f} GiB); use automatic differentiation "
            "(calcdocs.grad) or fewer variables."
        )


def _directional(
    target: _Target, x: np.ndarray, v: np.ndarray | range, method: str, h: float | None
) -> np.ndarray:
    """Derivatives along ``v`` ``(N, d, n)`` at points ``x`` ``(N, n)``: ``(N, d, *out)``.

    ``v`` may be a ``range`` of coordinate axes (gradients and Jacobians). The perturbed
    copies take a few times ``d * n`` numbers per point; past ``_MAX_NUMBERS`` numbers the
    directions are split into blocks, one call of f per block, so memory stays bounded
    for many variables (the results agree up to round-off in f).
    """
    n_pts, n = x.shape
    d = len(v) if isinstance(v, range) else v.shape[1]
    if n_pts == 0 or d == 0:  # nothing to differentiate: f on no points gives the shape
        y, _ = _call(target, np.zeros((0, n)))
        return np.zeros((n_pts, d, *y.shape[1:]))
    copies = _points_per_direction(method)
    block = max(1, _MAX_NUMBERS // (copies * n_pts * n))
    if block < d:
        _check_size(n_pts, n, copies * d, "these derivatives")
        if isinstance(v, range):
            parts = [range(j, min(j + block, v.stop)) for j in range(v.start, v.stop, block)]
        else:
            parts = [v[:, j : j + block] for j in range(0, d, block)]
        return np.concatenate([_directional(target, x, p, method, h) for p in parts], axis=1)
    if method == "richardson":
        vv = _directions(x, v)
        xe = np.broadcast_to(x[:, None, :], vv.shape).reshape(-1, n)
        res = _richardson(target, xe, vv.reshape(-1, n), h)
        return res.reshape(n_pts, d, *res.shape[1:])
    return _fixed(target, x, v, h, method)


# --------------------------------------------------------------------------------------
# The Hessian: one stencil of _HESSIAN over the pairs (i, j), blocked
# --------------------------------------------------------------------------------------
def _pairs(n: int, rule: _HessianStencil) -> tuple[np.ndarray, np.ndarray]:
    """Entries ``(i, j)`` to evaluate: ``i <= j`` for a real (symmetric) rule, else all."""
    if rule.cross is None:
        return np.triu_indices(n)
    rows, cols = np.indices((n, n))
    return rows.ravel(), cols.ravel()


def _hessian_stencil(
    target: _Target,
    x: np.ndarray,
    h: np.ndarray,
    g: np.ndarray,
    rule: _HessianStencil,
    pairs: tuple[np.ndarray, np.ndarray],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Apply one Hessian rule to the entries ``pairs = (rows, cols)`` at every point.

    ``x`` is ``(N, n)`` and the steps ``h``, ``g`` are ``(N, n)``. Returns the entries
    ``(N, P)``, whether each used only finite values of f, their round-off bound, and the
    machine epsilon of f's output. The pairs go to f in blocks of at most ``_MAX_NUMBERS``
    perturbed coordinates, one call per block.
    """
    n_pts, n = x.shape
    rows, cols = pairs
    k = len(rule.offsets)
    dtype = float if rule.cross is None else complex
    block = max(1, _MAX_NUMBERS // (k * n_pts * n))
    values = np.empty((n_pts, len(rows)))
    finite = np.empty((n_pts, len(rows)), dtype=bool)
    noise = np.empty((n_pts, len(rows)))
    eps = _EPS
    for start in range(0, len(rows), block):
        r, c = rows[start : start + block], cols[start : start + block]
        at = np.arange(len(r))
        pts = np.empty((k, n_pts, len(r), n), dtype=dtype)
        pts[...] = x[None, :, None, :]
        for p, (a, b) in zip(pts, rule.offsets, strict=True):  # x + a h_i e_i + b g_j e_j
            p[:, at, r] += a * h[:, r]
            p[:, at, c] += b * g[:, c]
        y, eps_block = _call(target, pts.reshape(-1, n))
        eps = max(eps, eps_block)
        y = y.reshape(k, n_pts, len(r))
        total = sum(w * y_k for w, y_k in zip(rule.weights, y, strict=True))
        size = sum(abs(w) * np.abs(y_k) for w, y_k in zip(rule.weights, y, strict=True))
        part = slice(start, start + len(r))
        values[:, part] = np.real(total) / (h[:, r] * g[:, c])
        noise[:, part] = _ROUNDOFF_SAFETY * eps_block * size / (h[:, r] * np.abs(g[:, c]))
        finite[:, part] = np.isfinite(y).all(axis=0)
    return values, finite, noise, eps


def _hessian_matrix(
    target: _Target, x: np.ndarray, h: np.ndarray, g: np.ndarray, rule: _HessianStencil
) -> tuple[np.ndarray, np.ndarray, float]:
    """Hessians ``(N, n, n)`` from the rule, which entries are finite, and f's epsilon."""
    n_pts, n = x.shape
    rows, cols = _pairs(n, rule)
    values, finite, _, eps = _hessian_stencil(target, x, h, g, rule, (rows, cols))
    hess = np.empty((n_pts, n, n))
    ok = np.empty((n_pts, n, n), dtype=bool)
    hess[:, rows, cols], ok[:, rows, cols] = values, finite
    if rule.cross is None:  # mirror the upper triangle: H == H.T exactly
        hess[:, cols, rows], ok[:, cols, rows] = values, finite
    else:
        hess = (hess + np.swapaxes(hess, -1, -2)) / 2
        ok &= np.swapaxes(ok, -1, -2)
    return hess, ok, eps


def _hessian(target: _Target, x: np.ndarray, h: float | None, method: str) -> np.ndarray:
    """Hessians ``(N, n, n)`` by the rule ``_HESSIAN[method]``, adapting steps as `_fixed`.

    The diagonal is recomputed at ``h / 2`` (a few more points, in one more call) to check
    it as `_fixed` checks first derivatives.
    """
    rule = _HESSIAN[method]
    n_pts, n = x.shape
    if n_pts == 0:
        _call(target, np.zeros((0, n)))
        return np.zeros((0, n, n))
    _check_size(n_pts, n, len(rule.offsets) * len(_pairs(n, rule)[0]), "a Hessian")
    if method == "complex":  # the one complex-safety check, on the first derivatives
        _fixed(target, x, range(n), None, "complex")
    scale = _scales(x, range(n))
    if h is None:
        steps = _pow2(rule.step * scale)
    else:
        _check_user_step(target, x, range(n), h, scale, order=1 if rule.cross else 2)
        steps = np.full(scale.shape, h)

    def cross(h_: np.ndarray, scale_: np.ndarray) -> np.ndarray:  # the step g along e_j
        return h_ if rule.cross is None else _pow2(rule.cross * scale_)

    hess, ok, eps = _hessian_matrix(target, x, steps, cross(steps, scale), rule)
    if eps > _EPS and h is None and rule.cross is None:  # low precision: larger steps
        steps = _pow2(rule.step * (eps / _EPS) ** (1 / (rule.order + 2)) * scale)
        hess, ok, eps = _hessian_matrix(target, x, steps, cross(steps, scale), rule)
    if eps > _EPS:
        _warn_low_precision(target, eps, method)
    if not ok.all():
        steps = _hessian_retry(target, x, h, rule, scale, steps, hess, ok, cross)
    diagonal = (np.arange(n), np.arange(n))
    half, finite, noise, _ = _hessian_stencil(
        target, x, steps / 2, cross(steps / 2, scale), rule, diagonal
    )
    full = hess[:, np.arange(n), np.arange(n)]
    change = np.abs(full - half)
    size = np.maximum(np.abs(full), np.abs(half))
    with np.errstate(invalid="ignore", over="ignore"):
        bad = (change > _AGREE_RTOL * size + noise + np.abs(full) * _EPS) & finite
    if bad.any():
        k, i = (int(a[0]) for a in np.nonzero(bad))
        warnings.warn(
            f"The second difference of `{target.name}` at {_point(x[k])}, entry ({i}, {i}), "
            f"is unreliable: it is {full[k, i]:.6g} at h = {steps[k, i]:.3g} and "
            f"{half[k, i]:.6g} at h/2, more than round-off explains. `{target.name}` varies "
            "on a scale below the step there; pass a smaller `h` or use method='complex' or "
            "'richardson'.",
            AccuracyWarning,
            stacklevel=3,
        )
    return hess


def _hessian_retry(target, x, h, rule, scale, steps, hess, ok, cross) -> np.ndarray:
    """Cut the reach of every coordinate whose entries meet non-finite values of f.

    A coordinate is cut when its diagonal entry is not finite, or when an entry ``(i, j)``
    is not finite although both diagonals are. It stops when its row is finite, apart from
    entries shared with coordinates still being cut. Updates `hess` in place; returns the
    steps used.
    """
    n = x.shape[1]
    points = np.nonzero(~ok.all(axis=(1, 2)))[0]
    sub_ok = ok[points]
    diag_ok = sub_ok[:, np.arange(n), np.arange(n)]
    bad = ~diag_ok
    pi, ri, ci = np.nonzero(~sub_ok & diag_ok[:, :, None] & diag_ok[:, None, :])
    bad[pi, ri] = bad[pi, ci] = True
    reach = _pow2(scale[points] if h is None else steps[points])
    extent = np.abs(x[points])
    sub = x[points]
    probing = bad.copy()
    other = ~np.eye(n, dtype=bool)
    for _ in range(_MAX_RETRIES):
        if not probing.any():
            break
        cut = reach / _SHRINK
        near = (extent > 0) & (extent < cut)  # jump to the scale of x itself
        reach = np.where(probing, np.where(near, _pow2(extent / 2), cut), reach)
        trial = np.where(bad, reach, steps[points])
        _, ok_trial, _ = _hessian_matrix(target, sub, trial, cross(trial, scale[points]), rule)
        fine = np.all(ok_trial | (probing[:, None, :] & other), axis=2)
        probing &= ~fine
    final = np.where(bad, _pow2(rule.step * reach) if h is None else reach, steps[points])
    new, ok_final, _ = _hessian_matrix(target, sub, final, cross(final, scale[points]), rule)
    kept = (sub + final != sub) | ~bad  # a step lost in rounding is no step
    ok_final &= kept[:, :, None] & kept[:, None, :]
    hess[points] = new
    if not ok_final.all():
        k, i, j = (int(a[0]) for a in np.nonzero(~ok_final))
        y0, _ = _call(target, sub[k : k + 1])
        if not np.isinf(y0).all():
            raise ValueError(
                f"`{target.name}` is not finite near {_point(sub[k])} (entry ({i}, {j}) of "
                f"the Hessian: f = {_short(float(y0[0]))} at the point, NaN or infinite at "
                "its stencil points however small the step); the Hessian is not defined "
                f"there. Check the domain of `{target.name}`."
            )
        hess[points[k]][~ok_final[k]] = np.inf * np.sign(y0[0])
        warnings.warn(
            f"`{target.name}` overflows to inf at {_point(sub[k])}; its Hessian entries there "
            f"are reported as inf with the sign of `{target.name}`.",
            AccuracyWarning,
            stacklevel=4,
        )
    out = steps.copy()
    out[points] = final
    return out


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------
def derivative(
    f: Callable[[np.ndarray], np.ndarray],
    x: float | np.ndarray,
    *,
    method: str = "central",
    h: float | None = None,
) -> float | np.ndarray:
    r"""Derivative of a scalar function at one point or at an array of points.

    Parameters
    ----------
    f : callable
        Scalar function, vectorised: ``f(a)`` returns an array of the shape of ``a``. For
        ``method="complex"`` it must also accept complex input and be complex-safe (built
        from analytic operations; no ``np.abs``, ``.real``, ``np.conj`` or casts to float).
    x : float or array_like
        Point or array of points (any shape). All points are evaluated in one call of `f`
        per stencil (``"richardson"``: one call per extrapolation level).
    method : {"central", "forward", "backward", "complex", "richardson"}, optional
        Difference rule (see Notes). Default ``"central"``.
    h : float, optional
        Step. Default: chosen per point from the method's error analysis and the scale
        ``s = max(|x|, 1)``, rounded down to a power of two (see Notes). For
        ``"richardson"`` it is the first, largest step.

    Returns
    -------
    float or numpy.ndarray
        ``f'(x)``: a Python float for scalar `x`, else an array of the shape of `x`.

    Raises
    ------
    TypeError
        If `f` is not callable, `x` is not numeric, or `f` does not return numbers. An
        exception raised inside `f` keeps its type, with a note on how `f` is called.
    ValueError
        If `x` is not finite, `h` is not positive and finite, `method` is unknown, `f`
        returns the wrong shape or complex values, `f` is not finite near `x` however
        small the step, `h` is lost in rounding (``x + h == x``), or ``method="complex"``
        and `f` is not complex-safe.

    Warns
    -----
    AccuracyWarning
        If the quotient changes between the steps ``h`` and ``h / 2`` by more than
        round-off and truncation explain (a kink, a jump, a step wider than the scale on
        which `f` varies), `f` returns low-precision values (float32), `h` is far outside
        the scale of `x`, or `f` overflows to infinity at `x` (the result is then ``inf``).

    See Also
    --------
    gradient : All first partial derivatives of a function of several variables.
    directional_derivative : Derivative along a direction.
    scipy.differentiate.derivative : SciPy's adaptive finite differences.

    Notes
    -----
    Taylor's theorem to order :math:`m = 4`, for `f` with five continuous derivatives
    (:math:`f \in C^5`), gives

    .. math::

        f(x \pm h) = f(x) \pm h f'(x) + \tfrac{h^2}{2} f''(x) \pm \tfrac{h^3}{6} f'''(x)
        + \tfrac{h^4}{24} f^{(4)}(x) + O(h^5).

    Dividing :math:`f(x+h) - f(x)` by :math:`h` gives the **forward** difference, with
    truncation error :math:`\tfrac{h}{2} f''(x) + O(h^2)` (order 1, for which
    :math:`f \in C^3` suffices; **backward** is its mirror image). Subtracting the two
    expansions cancels the even powers, the :math:`h^4` terms included, and leaves a
    remainder :math:`O(h^5)`; dividing by :math:`2h` gives the **central** difference

    .. math::

        \frac{f(x+h) - f(x-h)}{2h} = f'(x) + \frac{h^2}{6} f'''(x) + O(h^4),

    of order 2. (Expanding only to :math:`m = 3` would leave two :math:`O(h^4)` remainders
    that need not cancel, and an :math:`O(h^3)` bound.) Each rule is one row of
    ``_STENCILS``: offsets :math:`o_k` and weights :math:`w_k` with
    :math:`f'(x) \approx \sum_k w_k f(x + o_k h) / h`.

    Shrinking :math:`h` reduces the truncation error :math:`C h^p` but amplifies
    round-off: each value of `f` carries a relative error near machine epsilon
    :math:`\varepsilon \approx 2.2 \times 10^{-16}`, and dividing by :math:`h` magnifies it
    to about :math:`\varepsilon |f| / h`. The total :math:`C h^p + \varepsilon |f| / h` is
    smallest at :math:`h \propto \varepsilon^{1/(p+1)}`, so the default steps are
    :math:`\varepsilon^{1/2} s \approx 1.5 \times 10^{-8} s` (forward, backward; error
    about :math:`10^{-8}`) and :math:`\varepsilon^{1/3} s \approx 6 \times 10^{-6} s`
    (central; error about :math:`10^{-11}`).

    The **complex step** (Squire & Trapp) evaluates `f` once off the real axis:

    .. math::

        f(x + ih) = f(x) + ih f'(x) - \tfrac{h^2}{2} f''(x) + O(h^3)
        \quad\Rightarrow\quad f'(x) = \frac{\operatorname{Im} f(x + ih)}{h} + O(h^2).

    There is no subtraction, hence no cancellation, and :math:`h = 10^{-20} s` makes the
    truncation error vanish below round-off: the result is accurate to machine precision,
    with one caveat. Where :math:`|f'(x)| h` falls below about :math:`10^{-292}`, the
    imaginary part underflows (to a subnormal number or to 0); those points are redone at
    :math:`h = 2^{-27} s`, still free of truncation error, and a derivative below about
    :math:`10^{-300}` keeps an absolute error near :math:`10^{-323} / h`. Its price: `f`
    must be complex-safe. Each call first evaluates three real points, :math:`x`,
    :math:`x + h_c` and :math:`x + h_c / 2` (in real arithmetic, so an error `f` raises
    there is its own), and raises ``ValueError`` if the complex step disagrees grossly
    with their (extrapolated) forward differences; where these cannot judge it (`f` varies
    on a scale below :math:`h_c`), the complex step is repeated at :math:`h / 2` and, if
    it changes, at a step relative to :math:`|x|`.

    **Richardson** extrapolation (Richardson 1911) treats the central difference
    :math:`D(h) = f'(x) + c_1 h^2 + c_2 h^4 + \dots` as a function of :math:`h` and cancels
    the error terms one by one: :math:`(4 D(h/2) - D(h)) / 3` removes :math:`c_1 h^2`, and
    so on in a triangular tableau (Ridders' method). Starting from :math:`h = s / 16`, each
    level halves the step (two evaluations); each point stops when the tableau's error
    estimate reaches round-off or starts to grow. Wherever `f` is not finite at the first
    step (a step that leaves the domain, such as ``log`` near 0), that point's step is cut
    by a factor of 8 until it is, for every method. The fixed stencils still assume `f` is
    smooth over a step relative to :math:`\max(|x|, 1)`: close to a singularity that the
    step does not cross into NaN (``log`` at ``x = 1e-9`` with a forward step, a pole of
    ``1 / x**2`` at ``x = 1e-6``) they can be badly wrong; pass a smaller `h`, or use
    ``"richardson"`` (which restarts at a step relative to ``|x|``) or ``"complex"``.

    **Failure is reported.** The fixed stencils are also evaluated at :math:`h / 2` (in
    the same call of `f`): for a smooth `f` the two quotients differ by round-off, or by a
    truncation error that shrinks by :math:`2^p` when the step is halved again (checked at
    :math:`h / 4`, one more call, where they differ). Otherwise an
    :class:`AccuracyWarning` names the point: `f` has a kink or a jump there, or varies on
    a scale below the step (``sin`` at :math:`10^8`, where the central step is 512).
    Richardson's answer is checked against the central differences at its finest step.
    At a kink where the one-sided slopes are opposite (:math:`|x|` at 0) the central
    difference returns their average, 0, with no warning: it cannot see the kink. A
    low-precision `f` (float32) gets the steps of its own machine epsilon, and a warning.
    Where `f` stays NaN however small the step, ``ValueError`` names the point; where `f`
    itself overflows (``exp`` at 800), the derivative is reported as ``inf``.

    References
    ----------
    .. [1] L. F. Richardson, "The approximate arithmetical solution by finite differences
       of physical problems involving differential equations", Phil. Trans. R. Soc. A 210,
       307-357 (1911).
    .. [2] W. Squire and G. Trapp, "Using complex variables to estimate derivatives of real
       functions", SIAM Review 40(1), 110-112 (1998).
    .. [3] C. J. F. Ridders, "Accurate computation of F'(x) and F'(x)F''(x)", Advances in
       Engineering Software 4(2), 75-76 (1982).
    .. [4] J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed., Springer (2006),
       section 8.1.

    Examples
    --------
    >>> import numpy as np
    >>> from calcdocs import derivative
    >>> d = derivative(np.sin, 1.0)
    >>> print(f"{d:.8f}  {np.cos(1.0):.8f}")
    0.54030231  0.54030231
    >>> print(f"{derivative(np.exp, 0.5, method='complex') - np.exp(0.5):.1e}")
    0.0e+00

    A whole array of points at once:

    >>> print(np.round(derivative(lambda t: t**3, np.array([0.0, 1.0, 2.0])), 8))
    [ 0.  3. 12.]
    """
    target, pts, batch, _, step = _prepare(f, x, method, h, kind="elementwise")
    return _unwrap(_directional(target, pts, range(1), method, step), batch)


def gradient(
    f: Callable[[np.ndarray], np.ndarray],
    x: Any,
    *,
    method: str = "central",
    h: float | None = None,
) -> np.ndarray:
    r"""Gradient of a scalar function of several variables, at one point or a batch.

    Parameters
    ----------
    f : callable
        Function mapping points ``(..., n)`` to values ``(...)``, vectorised over the
        leading axes.
    x : array_like, shape (n,) or (..., n)
        One point, or a batch of points with the coordinates on the last axis (e.g. a
        meshgrid stacked with ``np.stack([X, Y], axis=-1)``).
    method : {"central", "forward", "backward", "complex", "richardson"}, optional
        Difference rule, as in :func:`derivative`. Default ``"central"``.
    h : float, optional
        Step; default per coordinate, from the method and ``max(|x_j|, 1)``.

    Returns
    -------
    numpy.ndarray
        The gradient, of the shape of `x` (a column vector per point).

    Raises
    ------
    TypeError
        If `f` is not callable, `x` is not numeric, or `f` does not return numbers.
    ValueError
        If `x` is a scalar or not finite, `h` is not positive or is lost in rounding,
        `method` is unknown, `f` returns the wrong shape or complex values, `f` is not
        finite near `x` (the message names the coordinate), `f` is not complex-safe for
        ``method="complex"``, or the call would push more than about 8 GiB through `f`.

    Warns
    -----
    AccuracyWarning
        For any reason listed in :func:`derivative`; the message names the coordinate.

    See Also
    --------
    derivative : Step choice and error analysis.
    partial, directional_derivative, jacobian, hessian, check_grad

    Notes
    -----
    Component :math:`j` is the derivative of :math:`t \mapsto f(x + t e_j)` at 0:

    .. math::

        \frac{\partial f}{\partial x_j}(x) \approx \frac{f(x + h e_j) - f(x - h e_j)}{2h}.

    All :math:`4n` perturbed copies of every point (the stencil at :math:`h` and at
    :math:`h / 2`, which checks it; see :func:`derivative`) are stacked into one array and
    `f` is called **once** for ``"central"``; forward and backward reuse :math:`f(x)`
    (:math:`2n + 1` points). ``"complex"`` evaluates :math:`3n + 1` points per point in two
    calls: :math:`x` and :math:`2n` real points for the safety check first, then the
    :math:`n` complex ones. ``"richardson"`` calls `f` once per level. A coordinate whose
    quotients disagree costs one more call for the points concerned. The cost is therefore
    about :math:`4n` evaluations of `f` on the batch, with no Python loop over points. The
    stacked array holds :math:`4n \times n` numbers per point; past about
    :math:`1.7 \times 10^7` numbers the coordinates are split into blocks, one call of `f`
    per block (no :math:`n \times n` array is ever built), so memory stays bounded; past
    about :math:`10^9` numbers in all (8 GiB through `f`) the call is refused up front with
    a ``ValueError`` that gives the size. The work still grows like :math:`n` evaluations
    of `f`: this is the right tool for functions of a few variables on many points (a whole
    grid), not for thousands of variables, where reverse-mode automatic differentiation
    (:func:`calcdocs.grad`) costs a small multiple of one evaluation of `f`.

    References
    ----------
    .. [1] J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed., Springer (2006),
       section 8.1.

    Examples
    --------
    >>> import numpy as np
    >>> from calcdocs import gradient
    >>> f = lambda p: p[..., 0] ** 2 * p[..., 1] + np.sin(p[..., 1])
    >>> print(np.round(gradient(f, [1.0, 2.0]), 6))
    [4.       0.583853]

    A whole grid in one call:

    >>> X, Y = np.meshgrid(np.linspace(-1, 1, 4), np.linspace(0, 1, 3))
    >>> gradient(f, np.stack([X, Y], axis=-1)).shape
    (3, 4, 2)
    """
    target, pts, batch, n, step = _prepare(f, x, method, h)
    return _directional(target, pts, range(n), method, step).reshape(*batch, n)


def partial(
    f: Callable[[np.ndarray], np.ndarray],
    x: Any,
    i: int,
    *,
    method: str = "central",
    h: float | None = None,
) -> float | np.ndarray:
    r"""Partial derivative :math:`\partial f / \partial x_i` at one point or a batch.

    Parameters
    ----------
    f : callable
        Function mapping points ``(..., n)`` to values ``(...)``.
    x : array_like, shape (n,) or (..., n)
        Point, or batch of points with the coordinates on the last axis.
    i : int
        Coordinate, ``0 <= i < n``.
    method : {"central", "forward", "backward", "complex", "richardson"}, optional
        Difference rule, as in :func:`derivative`. Default ``"central"``.
    h : float, optional
        Step; default from the method and ``max(|x_i|, 1)``.

    Returns
    -------
    float or numpy.ndarray
        A float for a single point, else an array of shape ``x.shape[:-1]``.

    Raises
    ------
    TypeError
        If `f` is not callable, `x` is not numeric or `i` is not an integer.
    ValueError
        If `i` is out of range, or for any reason listed in :func:`gradient`.

    See Also
    --------
    gradient : All partial derivatives at once.

    Notes
    -----
    The derivative of :math:`t \mapsto f(x + t e_i)` at :math:`t = 0`, computed by the
    engine behind :func:`derivative` with the same stencils and steps.

    Examples
    --------
    >>> import numpy as np
    >>> from calcdocs import partial
    >>> f = lambda p: p[..., 0] * np.exp(p[..., 1])
    >>> print(f"{partial(f, [2.0, 0.0], 1):.6f}")
    2.000000
    """
    target, pts, batch, n, step = _prepare(f, x, method, h)
    i = check_int(i, "i", minimum=0)
    if i >= n:
        raise ValueError(f"`i` must be less than n = {n} (the length of `x`); got {i}.")
    return _unwrap(_directional(target, pts, range(i, i + 1), method, step), batch)


def directional_derivative(
    f: Callable[[np.ndarray], np.ndarray],
    x: Any,
    v: Any,
    *,
    method: str = "central",
    h: float | None = None,
) -> float | np.ndarray:
    r"""Derivative of `f` along the vector `v` as given: :math:`\frac{d}{dt} f(x + t v)|_0`.

    Parameters
    ----------
    f : callable
        Function mapping points ``(..., n)`` to values ``(...)``.
    x : array_like, shape (n,) or (..., n)
        Point, or batch of points with the coordinates on the last axis.
    v : array_like, shape (n,) or x's shape
        Direction, one for all points or one per point. It is **not** normalised: the
        result scales with ``|v|`` and equals :math:`\nabla f(x) \cdot v`. Pass
        ``v / np.linalg.norm(v)`` for the slope per unit length.
    method : {"central", "forward", "backward", "complex", "richardson"}, optional
        Difference rule, as in :func:`derivative`. Default ``"central"``.
    h : float, optional
        Step in units of ``t``; default from the method and ``max(|x|, 1) / max(|v|)``.

    Returns
    -------
    float or numpy.ndarray
        A float for a single point, else an array of shape ``x.shape[:-1]``.

    Raises
    ------
    TypeError
        If `f` is not callable or `x`, `v` are not numeric.
    ValueError
        If `v` has the wrong shape or is not finite, or for any reason in :func:`gradient`.

    See Also
    --------
    gradient : The directional derivative equals ``gradient(f, x) @ v``.

    Notes
    -----
    One derivative of the scalar function :math:`g(t) = f(x + t v)`: two evaluations per
    point for the central difference, instead of the :math:`2n` a full gradient costs,

    .. math::

        D_v f(x) = g'(0) = \nabla f(x) \cdot v \approx \frac{f(x + h v) - f(x - h v)}{2h}.

    Examples
    --------
    >>> import numpy as np
    >>> from calcdocs import directional_derivative
    >>> f = lambda p: p[..., 0] ** 2 + 3 * p[..., 1]
    >>> print(f"{directional_derivative(f, [1.0, 0.0], [1.0, 1.0]):.6f}")
    5.000000
    """
    target, pts, batch, n, step = _prepare(f, x, method, h)
    vec = as_array(v, "v")
    if vec.shape not in {(n,), (*batch, n)}:
        raise ValueError(
            f"`v` must have shape ({n},) or the shape of `x` {(*batch, n)}; got shape {vec.shape}."
        )
    vec = np.broadcast_to(vec, (*batch, n)).reshape(-1, 1, n)
    # D_v f = c D_u f for u = v / c, with c a power of two near max |v|: exact, the same
    # points x + h v as without it, and no overflow of the scale 1 / |v| for a tiny v.
    size = _pow2(np.abs(vec).max(axis=-1, keepdims=True))
    size = np.where(size > 0, size, 1.0)
    res = _directional(target, pts, vec / size, method, step) * size[..., 0]
    return _unwrap(res, batch)


def jacobian(
    F: Callable[[np.ndarray], np.ndarray],
    x: Any,
    *,
    method: str = "central",
    h: float | None = None,
) -> np.ndarray:
    r"""Jacobian matrix of a vector field, in numerator layout ``(..., m, n)``.

    Parameters
    ----------
    F : callable
        Vector field mapping points ``(..., n)`` to values ``(..., m)``.
    x : array_like, shape (n,) or (..., n)
        Point, or batch of points with the coordinates on the last axis.
    method : {"central", "forward", "backward", "complex", "richardson"}, optional
        Difference rule, as in :func:`derivative`. Default ``"central"``.
    h : float, optional
        Step; default per coordinate from the method and ``max(|x_j|, 1)``.

    Returns
    -------
    numpy.ndarray
        ``J[..., i, j] = dF_i / dx_j``, shape ``(..., m, n)``.

    Raises
    ------
    TypeError
        If `F` is not callable or `x` is not numeric.
    ValueError
        If `F` does not return ``(..., m)``, or for any reason in :func:`gradient`.

    See Also
    --------
    gradient : The case m = 1 (a gradient is the transposed row of the Jacobian).
    scipy.differentiate.jacobian : SciPy's version, coordinates on the first axis.

    Notes
    -----
    Column :math:`j` is the derivative of :math:`t \mapsto F(x + t e_j)`, so each column
    costs the same as one gradient component:

    .. math::

        J_{ij}(x) = \frac{\partial F_i}{\partial x_j}(x)
        \approx \frac{F_i(x + h e_j) - F_i(x - h e_j)}{2h}.

    For ``"richardson"`` a column stops refining when the largest error estimate over its
    :math:`m` entries is small.

    Coordinates sit on the **last** axis here: `x` is ``(..., n)`` and `F` maps it to
    ``(..., m)``. ``scipy.differentiate.jacobian`` puts them on the **first** axis instead
    (`x` of shape ``(n, ...)``, a Jacobian of shape ``(m, n, ...)``), so
    ``jacobian(F, x)`` corresponds to SciPy's result with its first two axes moved last.

    Examples
    --------
    >>> import numpy as np
    >>> from calcdocs import jacobian
    >>> F = lambda p: np.stack([p[..., 0] * p[..., 1], np.sin(p[..., 0])], axis=-1)
    >>> print(np.round(jacobian(F, [0.0, 2.0]), 6))
    [[2. 0.]
     [1. 0.]]
    """
    target, pts, batch, n, step = _prepare(F, x, method, h, name="F", kind="field")
    res = _directional(target, pts, range(n), method, step)  # (N, n, m)
    return np.swapaxes(res, -1, -2).reshape(*batch, res.shape[-1], n)


def hessian(
    f: Callable[[np.ndarray], np.ndarray],
    x: Any,
    *,
    method: str = "central",
    h: float | None = None,
) -> np.ndarray:
    r"""Hessian matrix of a scalar function, at one point or a batch, exactly symmetric.

    Parameters
    ----------
    f : callable
        Function mapping points ``(..., n)`` to values ``(...)``.
    x : array_like, shape (n,) or (..., n)
        Point, or batch of points with the coordinates on the last axis.
    method : {"central", "forward", "backward", "complex", "richardson"}, optional
        Second-difference rule (see Notes). Default ``"central"``.
    h : float, optional
        Step; default per coordinate, ``max(|x_j|, 1)`` times the ``step`` of the method's
        row in ``_HESSIAN``: :math:`\varepsilon^{1/4}` (central), :math:`\varepsilon^{1/3}`
        (forward, backward, complex) or :math:`\varepsilon^{1/6}` (richardson), rounded to
        a power of two.

    Returns
    -------
    numpy.ndarray
        ``H[..., i, j] = d^2 f / dx_i dx_j``, shape ``(..., n, n)``, with ``H == H.T``
        exactly.

    Raises
    ------
    TypeError
        If `f` is not callable or `x` is not numeric.
    ValueError
        For any reason listed in :func:`gradient` (a non-finite `f` names the entry).

    Warns
    -----
    AccuracyWarning
        If a diagonal entry changes between ``h`` and ``h / 2`` by more than round-off
        explains, `f` returns low-precision values, or `h` is so small that round-off,
        :math:`\varepsilon |f| / h^2`, costs more than four digits.

    See Also
    --------
    gradient, jacobian
    scipy.differentiate.hessian : SciPy's version, coordinates on the first axis.

    Notes
    -----
    **Central** (the default; Nocedal & Wright, eq. 8.10 in central form): expanding `f` to
    fourth order around `x`,

    .. math::

        H_{ij} \approx \frac{f(x + h_i e_i + h_j e_j) - f(x + h_i e_i - h_j e_j)
        - f(x - h_i e_i + h_j e_j) + f(x - h_i e_i - h_j e_j)}{4 h_i h_j},

    with error :math:`O(h^2)` from truncation and :math:`O(\varepsilon |f| / h^2)` from
    round-off, balanced at :math:`h \propto \varepsilon^{1/4}` for a relative accuracy of
    about :math:`10^{-8}` (up to :math:`10^{-7}` on the test problems). For :math:`i = j`
    the stencil is the second difference at step :math:`2h_i`. Only :math:`i \le j` is
    computed and mirrored, so `H` is symmetric exactly; all :math:`2n(n+1)` points go to
    `f` in one call (in blocks past about :math:`1.7 \times 10^7` numbers), and one more
    call recomputes the diagonal at :math:`h / 2` to check it. Each rule is one row of
    ``_HESSIAN``: offsets :math:`(a_k, b_k)` and weights :math:`w_k` with
    :math:`H_{ij} \approx \sum_k w_k f(x + a_k h_i e_i + b_k g_j e_j) / (h_i g_j)`.
    Where `f` is not finite at a stencil point, the steps of the coordinates concerned are
    cut as in :func:`derivative`.

    **Forward** / **backward**: :math:`[f(x + h_i e_i + h_j e_j) - f(x + h_i e_i)
    - f(x + h_j e_j) + f(x)] / (h_i h_j)` (with :math:`-h` for backward), error
    :math:`O(h)`, about :math:`10^{-5}`-:math:`10^{-4}` relative at
    :math:`h \propto \varepsilon^{1/3}`.

    **Richardson**: :math:`(4 H(h/2) - H(h)) / 3` with the central :math:`H`, which cancels
    the :math:`h^2` term (error :math:`O(h^4)`, step :math:`\propto \varepsilon^{1/6}`,
    about :math:`10^{-9}` relative), one stencil of 8 points per entry.

    **Complex**: the complex step of a central-difference gradient,

    .. math::

        H_{ij} \approx \frac{\operatorname{Im}\,[f(x + h e_i + i\,\eta e_j)
        - f(x - h e_i + i\,\eta e_j)]}{2 h \eta},

    whose only subtraction is the central difference of exact first derivatives, so its
    error is that of a first-derivative central difference, about :math:`10^{-10}`, with
    :math:`\eta = 2^{-27} \max(|x_j|, 1)` (truncation about :math:`10^{-16}`, and no
    underflow of :math:`\operatorname{Im} f` for tiny `f`). The result is symmetrised,
    :math:`(H + H^T) / 2`. As in :func:`derivative`, `f` must be complex-safe: the complex
    gradient at `x`, with its one safety check, is computed first.

    References
    ----------
    .. [1] J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed., Springer (2006),
       section 8.1.
    .. [2] W. Squire and G. Trapp, "Using complex variables to estimate derivatives of real
       functions", SIAM Review 40(1), 110-112 (1998).
    .. [3] L. F. Richardson, "The approximate arithmetical solution by finite differences
       of physical problems involving differential equations", Phil. Trans. R. Soc. A 210,
       307-357 (1911).

    Examples
    --------
    >>> import numpy as np
    >>> from calcdocs import hessian
    >>> f = lambda p: p[..., 0] ** 2 * p[..., 1] + p[..., 1] ** 3
    >>> print(np.round(hessian(f, [1.0, 2.0]), 5))
    [[ 4.  2.]
     [ 2. 12.]]
    """
    target, pts, batch, n, step = _prepare(f, x, method, h, methods=_HESSIAN)
    return _hessian(target, pts, step, method).reshape(*batch, n, n)


def check_grad(
    f: Callable[[np.ndarray], np.ndarray],
    grad: Callable[[np.ndarray], np.ndarray],
    x: Any,
    *,
    method: str = "central",
    h: float | None = None,
) -> float:
    r"""Relative error between an analytic gradient and a numerical one (gradient checking).

    Parameters
    ----------
    f : callable
        Function mapping points ``(..., n)`` to values ``(...)``.
    grad : callable
        Its claimed gradient, mapping ``(..., n)`` to ``(..., n)``.
    x : array_like, shape (n,) or (..., n)
        Point or batch of points at which to compare.
    method : {"central", "forward", "backward", "complex", "richardson"}, optional
        Method for the numerical gradient (see :func:`gradient`). Default ``"central"``.
    h : float, optional
        Step for the numerical gradient.

    Returns
    -------
    float
        The relative error, the **largest over all points** for a batch (see Notes).
        Values near ``1e-10`` (central) mean agreement; anything above ``1e-5`` deserves a
        look, and ``1`` means the two gradients share nothing.

    Raises
    ------
    TypeError
        If `f` or `grad` is not callable, `x` is not numeric, or `grad` does not return
        real numbers.
    ValueError
        If `grad` does not return the shape of `x` or returns NaN or infinity, `x` holds no
        points, or for any reason in :func:`gradient`.

    See Also
    --------
    gradient : The numerical gradient used here.
    scipy.optimize.check_grad : SciPy's version (absolute error, one point).

    Notes
    -----
    With :math:`g_a` the analytic and :math:`g_n` the numerical gradient at a point,

    .. math::

        \text{err} = \frac{\lVert g_a - g_n \rVert_2}
        {\max(\lVert g_a \rVert_2 + \lVert g_n \rVert_2,\ \text{tiny})},

    where tiny is the smallest normal float (so two zero gradients give 0, not NaN). The
    error lies in :math:`[0, 1]` and is scale-free, the form used to check backpropagation
    code; for a batch the worst point is reported. `grad` receives a copy of `x`, so a
    `grad` that writes into its argument cannot change the caller's array.

    References
    ----------
    .. [1] J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed., Springer (2006),
       section 8.1 ("derivative checking").

    Examples
    --------
    >>> import numpy as np
    >>> from calcdocs import check_grad
    >>> f = lambda p: np.sum(p**2, axis=-1)
    >>> print(check_grad(f, lambda p: 2 * p, [1.0, -2.0, 3.0]) < 1e-9)
    True
    >>> print(f"{check_grad(f, lambda p: p, [1.0, -2.0, 3.0]):.4f}")
    0.3333
    """
    check_callable(grad, "grad")
    numeric = gradient(f, x, method=method, h=h)
    pts = as_array(x, "x")
    if numeric.size == 0:
        raise ValueError(f"`x` holds no points (shape {pts.shape}); there is nothing to check.")
    analytic = np.asarray(grad(pts.copy()))  # a copy: grad cannot change the caller's x
    if analytic.dtype.kind not in "biuf":
        raise TypeError(f"`grad` must return real numbers; got dtype {analytic.dtype}.")
    if analytic.shape != pts.shape:
        raise ValueError(
            f"`grad` must return an array of the shape of `x` {pts.shape}; "
            f"got shape {analytic.shape}."
        )
    if not np.all(np.isfinite(analytic)):
        rows = analytic.reshape(-1, pts.shape[-1])
        where = np.argwhere(~np.isfinite(rows))[0, 0]
        raise ValueError(
            f"`grad` returned non-finite values at {_point(pts.reshape(rows.shape)[where])}: "
            f"{_short(rows[where])}."
        )
    diff = np.linalg.norm(analytic - numeric, axis=-1)
    size = np.linalg.norm(analytic, axis=-1) + np.linalg.norm(numeric, axis=-1)
    return float(np.max(diff / np.maximum(size, _TINY)))
