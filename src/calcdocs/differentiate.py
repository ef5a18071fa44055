"""Numerical derivatives: finite differences, the complex step and Richardson extrapolation.

Every public function reduces to one engine that differentiates ``t -> f(x + t v)`` at
``t = 0`` for a whole batch of points ``x`` and directions ``v`` at once, stacking all the
perturbed copies into a single array and calling ``f`` once per stencil (or once per
Richardson level). The finite-difference rules themselves are data: the table
``_STENCILS`` holds each method's offsets, weights, order and default step.

Conventions (see the book's notation page): points live on the last axis, so a function
``f`` maps ``(..., n) -> (...)``; gradients have the shape of ``x``; Jacobians are
``(..., m, n)`` (numerator layout); Hessians are ``(..., n, n)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from calcdocs._validation import (
    as_array,
    check_callable,
    check_choice,
    check_int,
    check_last_axis,
    check_positive,
)

__all__ = [
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

_MAX_RETRIES = 16  # times a step is cut by _SHRINK where f returns non-finite values
_SHRINK = 8.0
_MAX_NUMBERS = 2**24  # perturbed coordinates per call of f (128 MB of float64), see _directional
_RICHARDSON_LEVELS = 10  # at most 2 * 10 evaluations per point
_RICHARDSON_RTOL = 1e-10  # stop: error estimate (pessimistic) below this, relative
_RICHARDSON_RESTART = 1e-7  # restart with a smaller step: error estimate above this


# --------------------------------------------------------------------------------------
# Validation and calling f
# --------------------------------------------------------------------------------------
def _check_common(f: Any, method: Any, h: Any, methods: Any = None) -> float | None:
    check_callable(f, "f")
    check_choice(method, _STENCILS if methods is None else methods, "method")
    return None if h is None else check_positive(h, "h")


class _Target(NamedTuple):
    """How to call the user's function and what it must return."""

    f: Callable
    name: str  # argument name used in messages ("f" or "F")
    scalar_input: bool  # derivative: f takes x itself, not points on a last axis
    vector_output: bool  # jacobian: f returns (..., m)


def _call(target: _Target, points: np.ndarray) -> np.ndarray:
    """Evaluate the user's function once on the points ``(M, n)``; return ``(M, *out)``."""
    arg = points[:, 0] if target.scalar_input else points
    is_complex = np.iscomplexobj(points)
    try:
        with np.errstate(all="ignore"):  # non-finite values are handled by the caller
            y = np.asarray(target.f(arg))
    except TypeError as exc:
        if is_complex:
            raise ValueError(
                f"`{target.name}` is not complex-safe (it raised {exc!r} on complex input); "
                "use method='central' or 'richardson' instead."
            ) from exc
        raise
    m = len(points)
    if target.scalar_input:
        if y.shape != arg.shape:
            raise ValueError(
                f"`{target.name}` must return an array of the same shape as its input; "
                f"got shape {y.shape} for input of shape {arg.shape}."
            )
    elif target.vector_output:
        if y.ndim != 2 or y.shape[0] != m:
            raise ValueError(
                f"`{target.name}` must map points of shape (..., n) to values of shape "
                f"(..., m); got shape {y.shape} for input of shape {arg.shape}."
            )
    elif y.shape != (m,):
        raise ValueError(
            f"`{target.name}` must map points of shape (..., n) to values of shape (...); "
            f"got shape {y.shape} for input of shape {arg.shape}."
        )
    if is_complex and y.dtype.kind != "c":
        raise ValueError(
            f"`{target.name}` is not complex-safe: it returned dtype {y.dtype} for complex "
            "input (np.abs, .real or a cast to float drop the imaginary part); use "
            "method='central' or 'richardson' instead."
        )
    if y.dtype.kind in "biu":
        y = y.astype(float)
    return y


def _abs_max(a: np.ndarray) -> np.ndarray:
    """Largest absolute value over the output axes (beyond the first)."""
    a = np.abs(a)
    return a.reshape(len(a), -1).max(axis=1) if a.ndim > 1 else a


def _pow2(h: np.ndarray) -> np.ndarray:
    """Round steps down to powers of two, so that ``x + h`` is exact for most ``x``."""
    bits = np.ascontiguousarray(h, dtype=np.float64).view(np.int64)
    return (bits & ~np.int64((1 << 52) - 1)).view(np.float64)  # clear the mantissa


def _scales(x: np.ndarray, v: np.ndarray | None) -> np.ndarray:
    """Scale of each entry in units of t for ``t -> f(x + t v)``: ``max(|x|, 1) / |v|``.

    ``v=None`` stands for the coordinate axes (``x`` is ``(N, n)``, result ``(N, n)``).
    """
    if v is None:
        return np.maximum(np.abs(x), 1.0)
    vmax = np.abs(v).max(axis=-1)
    xmax = np.where(v != 0, np.abs(x), 0.0).max(axis=-1)
    return np.maximum(xmax, 1.0) / np.where(vmax > 0, vmax, 1.0)


# --------------------------------------------------------------------------------------
# The engine: d/dt f(x + t v) at t = 0 for entries (x_e, v_e)
# --------------------------------------------------------------------------------------
def _perturb(x: np.ndarray, v: np.ndarray | None, t: np.ndarray) -> np.ndarray:
    """Points ``x + t v`` of shape ``(k, N, d, n)`` for steps ``t`` of shape ``(k, N, d)``.

    ``x`` is ``(N, n)``; ``v`` is ``(N, d, n)``, or None for the coordinate axes (d = n),
    in which case only the diagonal is touched (the fast path of `gradient`).
    """
    if v is not None:
        return x[None, :, None, :] + t[..., None] * v[None]
    k, n_pts, n = t.shape
    pts = np.empty((k, n_pts, n, n), dtype=np.result_type(x, t))
    pts[...] = x[None, :, None, :]
    pts.reshape(k, n_pts, n * n)[:, :, :: n + 1] += t  # the diagonal, as a strided view
    return pts


def _stencil_diff(
    target: _Target, x: np.ndarray, v: np.ndarray, h: np.ndarray, scale: np.ndarray, method: str
) -> np.ndarray:
    """Apply one fixed stencil to every entry, in one call of f.

    ``x`` is ``(N, n)``, ``v`` is ``(N, d, n)`` (d directions per point; None for the
    coordinate axes) and ``h`` is ``(N, d)``. Returns ``(N, d, *out)``. The point itself
    (offset 0) is evaluated once per point, not once per direction.
    """
    stencil = _STENCILS[method]
    kind = complex if any(isinstance(o, complex) for o in stencil.offsets) else float
    offsets = np.array(stencil.offsets, dtype=kind)
    weights = np.array(stencil.weights, dtype=kind)
    n_pts, d = h.shape
    n = x.shape[1]
    moving = offsets != 0
    k = int(moving.sum())
    steps = offsets[moving][:, None, None] * h  # (k, N, d)
    blocks = [_perturb(x, v, steps).reshape(-1, n)]
    has_centre = not moving.all()
    if has_centre:
        blocks.append(x)
    checking = method == "complex"
    if checking:  # real forward differences at h_c and h_c / 2, to verify complex safety
        h_c = _pow2(_STENCILS["forward"].step * scale)
        blocks.append(_perturb(x, v, np.stack([h_c, h_c / 2])).reshape(-1, n))
    pts = np.concatenate(blocks) if len(blocks) > 1 else blocks[0]
    y = _call(target, pts.astype(offsets.dtype, copy=False))
    out = y.shape[1:]
    y_moving = y[: k * n_pts * d].reshape(k, n_pts, d, *out)
    total = 0
    j = 0
    for w, o in zip(weights, offsets, strict=True):
        if o == 0:
            values = y[k * n_pts * d : k * n_pts * d + n_pts][:, None]
        else:
            values = y_moving[j]
            j += 1
        total = total + w * values  # sum_k w_k f(x + o_k h v)
    hb = h.reshape(n_pts, d, *([1] * len(out)))
    deriv = np.real(total) / hb
    if checking:
        start = k * n_pts * d
        y_check = np.real(y[start:]).reshape(2, n_pts, d, *out)
        _check_complex_safe(target, deriv, np.real(y_moving[0]), y_check, h_c)
    return deriv


def _check_complex_safe(
    target: _Target, deriv: np.ndarray, y_zero: np.ndarray, y_check: np.ndarray, h_c: np.ndarray
) -> None:
    """Raise if the complex-step result disagrees with real forward differences.

    ``y_zero`` is ``Re f(x + ih v) = f(x) + O(h**2)``, ``y_check`` holds ``f(x + h_c v)`` and
    ``f(x + h_c v / 2)``. Their forward differences ``fd1``, ``fd2`` give a Richardson
    estimate ``2 fd2 - fd1`` with error about ``|fd1 - fd2|``. The tolerance adds 1%
    relative disagreement and the differences' round-off, so that only wrong answers (a
    dropped or conjugated imaginary part) are flagged; points where ``fd1`` and ``fd2``
    differ by over 10% (a step too large for f's local scale) are not judged.
    """
    hc = h_c.reshape(*h_c.shape, *([1] * (deriv.ndim - h_c.ndim)))
    fd1 = (y_check[0] - y_zero) / hc
    fd2 = (y_check[1] - y_zero) / (hc / 2)
    ref = 2 * fd2 - fd1
    size = np.abs(y_zero) + np.abs(y_check[0]) + np.abs(y_check[1])
    roundoff = 1e3 * _EPS * size / hc
    spread = np.abs(fd1 - fd2)
    verifiable = spread <= 0.1 * np.abs(fd2) + roundoff  # differences in their h -> 0 regime
    tol = 1e-2 * (np.abs(deriv) + np.abs(ref)) + 4 * spread + roundoff
    bad = (np.abs(deriv - ref) > tol) & verifiable & np.isfinite(tol) & np.isfinite(deriv)
    if np.any(bad):
        where = tuple(np.argwhere(bad)[0])
        raise ValueError(
            f"`{target.name}` is not complex-safe: the complex step gives {deriv[where]:.6g} "
            f"where real differences give {ref[where]:.6g} (does `{target.name}` use np.abs, "
            "np.conj, .real or a cast to float?); use method='central' or 'richardson' instead."
        )


def _nonfinite(deriv: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    return ~np.isfinite(_abs_max(deriv.reshape(-1, *deriv.shape[len(shape) :]))).reshape(shape)


def _fixed(
    target: _Target, x: np.ndarray, v: np.ndarray | None, h: float | None, method: str
) -> np.ndarray:
    """Fixed-stencil derivative of every entry, adapting the step where f is not finite.

    Where the stencil returns a non-finite value (it reached past the edge of f's domain,
    like ``log`` near 0), the scale ``s`` of that entry is cut by ``_SHRINK`` until the
    stencil at step ``s`` itself is finite: ``s`` then measures the distance to the edge, and
    the derivative is recomputed at the method's usual step relative to it,
    ``_STENCILS[method].step * s`` (or at ``s`` when the user gave `h`).
    """
    stencil = _STENCILS[method]
    scale = _scales(x, None) if v is None else _scales(x[:, None, :], v)
    steps = _pow2(stencil.step * scale) if h is None else np.full(scale.shape, h)
    deriv = _stencil_diff(target, x, v, steps, scale, method)
    bad = _nonfinite(deriv, scale.shape)
    if not bad.any():
        return deriv
    rows, cols = np.nonzero(bad)
    x_bad = x[rows]
    v_bad = (np.eye(x.shape[1])[cols] if v is None else v[rows, cols])[:, None]
    reach = _pow2(scale[rows, cols] if h is None else steps[rows, cols])[:, None]
    probing = np.ones(len(rows), dtype=bool)
    for _ in range(_MAX_RETRIES):  # probe: cut the reach until the stencil stays finite
        idx = np.nonzero(probing)[0]
        if idx.size == 0:
            break
        reach[idx] /= _SHRINK
        probe = _stencil_diff(target, x_bad[idx], v_bad[idx], reach[idx], reach[idx], method)
        probing[idx[~_nonfinite(probe, (idx.size, 1))[:, 0]]] = False
    final = _pow2(stencil.step * reach) if h is None else reach
    deriv[rows, cols] = _stencil_diff(target, x_bad, v_bad, final, reach, method)[:, 0]
    return deriv


def _richardson(target: _Target, x: np.ndarray, v: np.ndarray, h: float | None) -> np.ndarray:
    """Richardson-extrapolated central differences, per entry ``(x_e, v_e)``, ``(E, n)``.

    See `_ridders` for one pass. An entry whose error estimate stays above
    ``_RICHARDSON_RESTART`` (relative) and well above round-off after a pass, typically
    because the first step reached past a nearby singularity (``1 / x**2`` at
    ``x = 0.001``), is restarted with a smaller step, relative to ``|x|`` itself where
    ``x != 0``; the pass with the smaller relative error estimate is kept.
    """
    scale = _scales(x, v)
    start = _pow2(_STENCILS["richardson"].step * scale) if h is None else np.full(len(x), h)
    best, err, noise = _ridders(target, x, v, start.copy())
    vmax = np.abs(v).max(axis=-1)
    size = np.where(v != 0, np.abs(x), 0.0).max(axis=-1) / np.where(vmax > 0, vmax, 1.0)
    for _ in range(2):
        poor = ~(err <= _RICHARDSON_RESTART * _abs_max(best)) & ~(err <= 100 * noise)
        poor = np.nonzero(poor)[0]
        if poor.size == 0:
            break
        start[poor] /= 64
        near = poor[size[poor] > 0]
        start[near] = np.minimum(start[near], _pow2(size[near] / 16))
        again, err_again, noise_again = _ridders(target, x[poor], v[poor], start[poor].copy())
        relative_old = err[poor] / np.maximum(_abs_max(best[poor]), _TINY)
        better = ~(relative_old <= err_again / np.maximum(_abs_max(again), _TINY))
        best[poor[better]] = again[better]
        err[poor[better]] = err_again[better]
        noise[poor[better]] = noise_again[better]
    return best


def _ridders(
    target: _Target, x: np.ndarray, v: np.ndarray, steps: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One pass of Ridders' tableau for every entry: estimates, error bounds, round-off.

    Level ``i`` is the central difference at ``h_i = h_0 / 2**i``; column ``j`` of the
    tableau cancels the ``h**(2j)`` error term. The error bound of an entry is the larger of
    the tableau's estimate (the change against lower orders) and the round-off
    ``eps (|f(x+h)| + |f(x-h)|) / h`` of the finest step used. An entry stops when its bound
    drops below ``_RICHARDSON_RTOL`` (relative) or to round-off, grows (round-off has taken
    over) or f stops being finite. Only unfinished entries are evaluated, one call of f per
    level.
    """
    n_entries = len(x)

    def central(idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        hs = steps[idx][:, None]
        y = _call(target, np.concatenate([x[idx] + hs * v[idx], x[idx] - hs * v[idx]]))
        hb = steps[idx].reshape(-1, *([1] * (y.ndim - 1)))
        y_plus, y_minus = y[: len(idx)], y[len(idx) :]
        roundoff = _EPS * _abs_max(np.abs(y_plus) + np.abs(y_minus)) / steps[idx]
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
    return best, err, best_noise


def _directional(
    target: _Target, x: np.ndarray, v: np.ndarray | None, method: str, h: float | None
) -> np.ndarray:
    """Derivatives along ``v`` ``(N, d, n)`` at points ``x`` ``(N, n)``: ``(N, d, *out)``.

    ``v=None`` means the n coordinate axes (gradients and Jacobians). The perturbed copies
    of the points take ``2 n`` times the memory of the batch itself; past ``_MAX_NUMBERS``
    numbers the axes are split into blocks, one call of f per block, so memory stays bounded
    for many variables (the results agree up to round-off in f).
    """
    if v is None:
        n_pts, n = x.shape
        block = max(1, _MAX_NUMBERS // (2 * n_pts * n))
        if block < n:
            axes = np.eye(n)
            return np.concatenate(
                [
                    _directional(
                        target,
                        x,
                        np.broadcast_to(axes[j : j + block], (n_pts, len(axes[j : j + block]), n)),
                        method,
                        h,
                    )
                    for j in range(0, n, block)
                ],
                axis=1,
            )
    if method == "richardson":
        if v is None:
            v = np.broadcast_to(np.eye(x.shape[1]), (len(x), x.shape[1], x.shape[1]))
        n_pts, d, n = v.shape
        xe = np.broadcast_to(x[:, None, :], v.shape).reshape(-1, n)
        res = _richardson(target, xe, v.reshape(-1, n), h)
        return res.reshape(n_pts, d, *res.shape[1:])
    return _fixed(target, x, v, h, method)


def _points(x: Any, name: str = "x") -> tuple[np.ndarray, tuple[int, ...], int]:
    """Validate a point or batch ``(..., n)``; return it as ``(N, n)``, the batch shape, n."""
    arr = check_last_axis(as_array(x, name), name)
    n = arr.shape[-1]
    if n == 0:
        raise ValueError(f"`{name}` must have at least one coordinate; got shape {arr.shape}.")
    return arr.reshape(-1, n), arr.shape[:-1], n


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
        If `f` is not callable or `x` is not numeric.
    ValueError
        If `x` is not finite, `h` is not positive and finite, `method` is unknown, `f`
        returns the wrong shape, or ``method="complex"`` and `f` is not complex-safe.

    See Also
    --------
    gradient : All first partial derivatives of a function of several variables.
    directional_derivative : Derivative along a direction.
    scipy.differentiate.derivative : SciPy's adaptive finite differences.

    Notes
    -----
    Taylor's theorem gives, for a smooth `f`,

    .. math::

        f(x \pm h) = f(x) \pm h f'(x) + \tfrac{h^2}{2} f''(x) \pm \tfrac{h^3}{6} f'''(x)
        + O(h^4).

    Dividing :math:`f(x+h) - f(x)` by :math:`h` gives the **forward** difference, with
    truncation error :math:`\tfrac{h}{2} f''(x)` (order 1; **backward** is its mirror
    image). Subtracting the two expansions cancels the even terms and gives the
    **central** difference

    .. math::

        \frac{f(x+h) - f(x-h)}{2h} = f'(x) + \frac{h^2}{6} f'''(x) + O(h^4),

    of order 2. Each rule is one row of ``_STENCILS``: offsets :math:`o_k` and weights
    :math:`w_k` with :math:`f'(x) \approx \sum_k w_k f(x + o_k h) / h`.

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
    truncation error vanish below round-off: the result is accurate to machine precision.
    Its price: `f` must be complex-safe. Each call also evaluates two real points,
    :math:`x + h_c` and :math:`x + h_c / 2`, and raises ``ValueError`` if the complex step
    disagrees grossly with their (extrapolated) forward differences.

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
    step = _check_common(f, method, h)
    arr = as_array(x, "x")
    target = _Target(f, "f", scalar_input=True, vector_output=False)
    flat = arr.reshape(-1, 1)
    res = _directional(target, flat, np.ones((len(flat), 1, 1)), method, step)
    res = res.reshape(arr.shape)
    return float(res) if arr.ndim == 0 else res


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
        One point, or a batch of points on the last axis (e.g. a meshgrid stacked with
        ``np.stack([X, Y], axis=-1)``).
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
        If `f` is not callable or `x` is not numeric.
    ValueError
        If `x` is a scalar or not finite, `h` is not positive, `method` is unknown, `f`
        returns the wrong shape, or `f` is not complex-safe for ``method="complex"``.

    See Also
    --------
    derivative : Step choice and error analysis.
    partial, directional_derivative, jacobian, hessian, check_grad

    Notes
    -----
    Component :math:`j` is the derivative of :math:`t \mapsto f(x + t e_j)` at 0:

    .. math::

        \frac{\partial f}{\partial x_j}(x) \approx \frac{f(x + h e_j) - f(x - h e_j)}{2h}.

    All :math:`2n` perturbed copies of every point are stacked into one array and `f` is
    called **once** (``"central"``, ``"complex"``; forward and backward reuse
    :math:`f(x)`, :math:`n + 1` points); ``"richardson"`` calls `f` once per level. The
    cost is therefore about :math:`2n` evaluations of `f` on the batch, with no Python
    loop over points. The stacked array holds :math:`2n \times n` numbers per point; past
    about :math:`1.7 \times 10^7` numbers the coordinates are split into blocks, one call of
    `f` per block, so memory stays bounded. The work still grows like :math:`n` evaluations
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
    step = _check_common(f, method, h)
    pts, batch, n = _points(x)
    target = _Target(f, "f", scalar_input=False, vector_output=False)
    res = _directional(target, pts, None, method, step)
    return res.reshape(*batch, n)


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
        Point or batch of points on the last axis.
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
    step = _check_common(f, method, h)
    pts, batch, n = _points(x)
    i = check_int(i, "i", minimum=0)
    if i >= n:
        raise ValueError(f"`i` must be less than n = {n} (the length of `x`); got {i}.")
    target = _Target(f, "f", scalar_input=False, vector_output=False)
    v = np.zeros((len(pts), 1, n))
    v[:, 0, i] = 1.0
    res = _directional(target, pts, v, method, step).reshape(batch)
    return float(res) if not batch else res


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
        Point or batch of points on the last axis.
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
    step = _check_common(f, method, h)
    pts, batch, n = _points(x)
    vec = as_array(v, "v")
    if vec.shape not in {(n,), (*batch, n)}:
        raise ValueError(
            f"`v` must have shape ({n},) or the shape of `x` {(*batch, n)}; got shape {vec.shape}."
        )
    vec = np.broadcast_to(vec, (*batch, n)).reshape(-1, 1, n)
    target = _Target(f, "f", scalar_input=False, vector_output=False)
    res = _directional(target, pts, vec, method, step).reshape(batch)
    return float(res) if not batch else res


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
        Point or batch of points on the last axis.
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

    Notes
    -----
    Column :math:`j` is the derivative of :math:`t \mapsto F(x + t e_j)`, so each column
    costs the same as one gradient component:

    .. math::

        J_{ij}(x) = \frac{\partial F_i}{\partial x_j}(x)
        \approx \frac{F_i(x + h e_j) - F_i(x - h e_j)}{2h}.

    For ``"richardson"`` a column stops refining when the largest error estimate over its
    :math:`m` entries is small.

    Examples
    --------
    >>> import numpy as np
    >>> from calcdocs import jacobian
    >>> F = lambda p: np.stack([p[..., 0] * p[..., 1], np.sin(p[..., 0])], axis=-1)
    >>> print(np.round(jacobian(F, [0.0, 2.0]), 6))
    [[2. 0.]
     [1. 0.]]
    """
    check_callable(F, "F")
    check_choice(method, _STENCILS, "method")
    step = None if h is None else check_positive(h, "h")
    pts, batch, n = _points(x)
    target = _Target(F, "F", scalar_input=False, vector_output=True)
    res = _directional(target, pts, None, method, step)  # (N, n, m)
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
        Point or batch of points on the last axis.
    method : {"central", "forward", "backward", "complex", "richardson"}, optional
        Second-difference rule (see Notes). Default ``"central"``.
    h : float, optional
        Step; default per coordinate, ``max(|x_j|, 1)`` times
        :math:`\varepsilon^{1/4}` (central), :math:`\varepsilon^{1/3}` (forward, backward,
        complex) or :math:`\varepsilon^{1/6}` (richardson), rounded to a power of two.

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
        For any reason listed in :func:`gradient`.

    See Also
    --------
    gradient, jacobian

    Notes
    -----
    **Central** (the default; Nocedal & Wright, eq. 8.10 in central form): expanding `f` to
    fourth order around `x`,

    .. math::

        H_{ij} \approx \frac{f(x + h_i e_i + h_j e_j) - f(x + h_i e_i - h_j e_j)
        - f(x - h_i e_i + h_j e_j) + f(x - h_i e_i - h_j e_j)}{4 h_i h_j},

    with error :math:`O(h^2)` from truncation and :math:`O(\varepsilon |f| / h^2)` from
    round-off, balanced at :math:`h \propto \varepsilon^{1/4}` for a relative accuracy of
    about :math:`10^{-8}`. For :math:`i = j` the stencil is the second difference at step
    :math:`2h_i`. Only :math:`i \le j` is computed and mirrored, so `H` is symmetric
    exactly; all :math:`2n(n+1)` points go to `f` in one call.

    **Forward** / **backward**: :math:`[f(x + h_i e_i + h_j e_j) - f(x + h_i e_i)
    - f(x + h_j e_j) + f(x)] / (h_i h_j)` (with :math:`-h` for backward), error
    :math:`O(h)`, about :math:`10^{-5}`-:math:`10^{-4}` relative at
    :math:`h \propto \varepsilon^{1/3}`.

    **Richardson**: :math:`(4 H(h/2) - H(h)) / 3` with the central :math:`H`, which cancels
    the :math:`h^2` term (error :math:`O(h^4)`, step :math:`\propto \varepsilon^{1/6}`).

    **Complex**: the complex step of a central-difference gradient,

    .. math::

        H_{ij} \approx \frac{\operatorname{Im}\,[f(x + h e_i + i\,\eta e_j)
        - f(x - h e_i + i\,\eta e_j)]}{2 h \eta},

    whose only subtraction is the central difference of exact first derivatives, so its
    error is that of a first-derivative central difference, about :math:`10^{-10}`. The
    result is symmetrised, :math:`(H + H^T) / 2`. As in :func:`derivative`, `f` must be
    complex-safe; a real second difference on the diagonal checks it.

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
    step = _check_common(f, method, h)
    pts, batch, n = _points(x)
    target = _Target(f, "f", scalar_input=False, vector_output=False)
    scale = np.maximum(np.abs(pts), 1.0)  # (N, n)
    exponent = {"central": 1 / 4, "richardson": 1 / 6}.get(method, 1 / 3)
    steps = _pow2(_EPS**exponent * scale) if step is None else np.full(scale.shape, step)
    if method == "central":
        hess = _hessian_central(target, pts, steps)
    elif method == "richardson":
        coarse = _hessian_central(target, pts, steps)
        fine = _hessian_central(target, pts, steps / 2)
        hess = (4 * fine - coarse) / 3
    elif method in ("forward", "backward"):
        hess = _hessian_forward(target, pts, steps if method == "forward" else -steps)
    else:
        hess = _hessian_complex(target, pts, steps)
    return hess.reshape(*batch, n, n)


def _upper(n: int) -> tuple[np.ndarray, np.ndarray]:
    return np.triu_indices(n)


def _mirror(upper_values: np.ndarray, n: int) -> np.ndarray:
    """Fill an ``(N, n, n)`` symmetric matrix from its upper triangle ``(N, n(n+1)/2)``."""
    rows, cols = _upper(n)
    hess = np.empty((len(upper_values), n, n))
    hess[:, rows, cols] = upper_values
    hess[:, cols, rows] = upper_values
    return hess


def _hessian_central(target: _Target, x: np.ndarray, h: np.ndarray) -> np.ndarray:
    n_pts, n = x.shape
    rows, cols = _upper(n)
    eye = np.eye(n)
    hi = h[:, rows, None] * eye[rows]  # (N, P, n): h_i e_i for each pair
    hj = h[:, cols, None] * eye[cols]
    base = x[:, None, :]
    blocks = [base + hi + hj, base + hi - hj, base - hi + hj, base - hi - hj]
    y = _call(target, np.stack(blocks).reshape(-1, n)).reshape(4, n_pts, len(rows))
    upper = (y[0] - y[1] - y[2] + y[3]) / (4 * h[:, rows] * h[:, cols])
    return _mirror(upper, n)


def _hessian_forward(target: _Target, x: np.ndarray, h: np.ndarray) -> np.ndarray:
    n_pts, n = x.shape
    rows, cols = _upper(n)
    eye = np.eye(n)
    pairs = x[:, None, :] + h[:, rows, None] * eye[rows] + h[:, cols, None] * eye[cols]
    singles = x[:, None, :] + h[:, :, None] * eye
    pts = np.concatenate([pairs, singles, x[:, None, :]], axis=1)  # (N, P + n + 1, n)
    y = _call(target, pts.reshape(-1, n)).reshape(n_pts, -1)
    n_pairs = len(rows)
    y_pair, y_single, y_zero = y[:, :n_pairs], y[:, n_pairs:-1], y[:, -1:]
    upper = (y_pair - y_single[:, rows] - y_single[:, cols] + y_zero) / (h[:, rows] * h[:, cols])
    return _mirror(upper, n)


def _hessian_complex(target: _Target, x: np.ndarray, h: np.ndarray) -> np.ndarray:
    n_pts, n = x.shape
    eta = 1e-20 * np.maximum(np.abs(x), 1.0)  # (N, n), the complex step along e_j
    eye = np.eye(n)
    real = h[:, :, None] * eye  # (N, n_i, n): h_i e_i
    imag = 1j * eta[:, :, None] * eye  # (N, n_j, n)
    base = x[:, None, None, :]
    plus = base + real[:, :, None, :] + imag[:, None, :, :]  # (N, i, j, n)
    minus = base - real[:, :, None, :] + imag[:, None, :, :]
    pts = np.concatenate([plus.reshape(-1, n), minus.reshape(-1, n), x.astype(complex)])
    y = _call(target, pts)
    half = n_pts * n * n
    y_plus = y[:half].reshape(n_pts, n, n)
    y_minus = y[half : 2 * half].reshape(n_pts, n, n)
    y_zero = np.real(y[2 * half :])
    hess = np.imag(y_plus - y_minus) / (2 * h[:, :, None] * eta[:, None, :])
    hess = (hess + np.swapaxes(hess, -1, -2)) / 2
    # Check complex safety on the diagonal with a real second difference of the same values.
    diag = np.arange(n)
    f_plus = np.real(y_plus[:, diag, diag])
    f_minus = np.real(y_minus[:, diag, diag])
    second = (f_plus - 2 * y_zero[:, None] + f_minus) / h**2
    size = np.abs(f_plus) + 2 * np.abs(y_zero[:, None]) + np.abs(f_minus)
    tol = 1e-2 * (np.abs(hess[:, diag, diag]) + np.abs(second)) + 1e3 * _EPS * size / h**2
    tol = tol + 1e-4 * size / np.maximum(np.abs(x), 1.0) ** 2
    bad = (np.abs(hess[:, diag, diag] - second) > tol) & np.isfinite(second)
    if bad.any():
        raise ValueError(
            "`f` is not complex-safe: the complex-step Hessian disagrees with a real second "
            "difference (does `f` use np.abs, np.conj, .real or a cast to float?); use "
            "method='central' or 'richardson' instead."
        )
    return hess


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
        If `f` or `grad` is not callable or `x` is not numeric.
    ValueError
        If `grad` does not return the shape of `x`, or for any reason in :func:`gradient`.

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
    code; for a batch the worst point is reported.

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
    pts = np.asarray(x, dtype=float)
    analytic = np.asarray(grad(pts))
    if analytic.shape != pts.shape:
        raise ValueError(
            f"`grad` must return an array of the shape of `x` {pts.shape}; "
            f"got shape {analytic.shape}."
        )
    diff = np.linalg.norm(analytic - numeric, axis=-1)
    size = np.linalg.norm(analytic, axis=-1) + np.linalg.norm(numeric, axis=-1)
    return float(np.max(diff / np.maximum(size, _TINY)))
