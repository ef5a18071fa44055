"""Test problems and machine-learning losses with analytic value, gradient and Hessian.

Every problem is an :class:`Objective`: one object that holds the value, the gradient and
the Hessian of a scalar function of ``n`` variables, together with its known minimisers and a
suggested plotting window. A batch of points has shape ``(..., n)``: one point per row, with
its coordinates on the **last axis** (the opposite of :func:`scipy.optimize.rosen`, which
takes the coordinates on the *first* axis, and whose ``rosen_hess`` does not broadcast over
points), so a whole meshgrid evaluates in one call::

    X, Y = np.meshgrid(np.linspace(-2, 2, 50), np.linspace(-1, 3, 50))
    Z = rosenbrock()(np.stack([X, Y], axis=-1))  # shape X.shape

Shapes, for a batch of points ``x`` of shape ``(..., n)``:

======================  ================
``f(x)``                ``(...)``
``f.gradient(x)``       ``(..., n)``
``f.hessian(x)``        ``(..., n, n)``
======================  ================

Complex input is accepted and carried through every formula (no ``abs``, ``max`` or
``np.logaddexp`` on the value path), so the complex-step method of
:mod:`calcdocs.differentiate` can check the analytic derivatives. The values are written with
operations that :class:`calcdocs.Tensor` and :class:`calcdocs.Dual` support too, so
``calcdocs.grad(f)`` gives a third, automatic, gradient of every problem.

A single point gives a Python ``float`` value, the package's scalar type.

The module also holds the numerically stable building blocks of the ML losses
(:func:`sigmoid`, :func:`softplus`, :func:`log_sigmoid`, :func:`softmax`; ``Tensor`` and
``Dual`` use the same functions) and two seeded data generators
(:func:`make_moons`, :func:`make_linear_data`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

import numpy as np

from calcdocs._validation import (
    _short,
    as_array,
    check_callable,
    check_int,
    check_last_axis,
    check_positive,
    check_real,
)
from calcdocs.optimize import newton

__all__ = [
    "Objective",
    "beale",
    "himmelblau",
    "linear_regression_mse",
    "log_sigmoid",
    "logistic_regression_loss",
    "make_linear_data",
    "make_moons",
    "quadratic_bowl",
    "rosenbrock",
    "saddle",
    "sigmoid",
    "softmax",
    "softplus",
]


# ---------------------------------------------------------------------------------------------
# The Objective container
# ---------------------------------------------------------------------------------------------


class Objective:
    r"""A scalar function of ``n`` variables with its analytic gradient and Hessian.

    The factories in this module (:func:`rosenbrock`, :func:`quadratic_bowl`, ...) return
    ``Objective`` instances; you can also build your own from three functions. An
    ``Objective`` is immutable (its arrays are read-only copies); :meth:`replace` returns a
    changed copy.

    Parameters
    ----------
    name : str
        Short name, used in ``repr`` and plot titles.
    n : int
        Number of variables; inputs must have length ``n`` on their last axis.
    value, gradient, hessian : callable
        Functions of a validated array ``x`` of shape ``(..., n)`` returning arrays of shape
        ``(...)``, ``(..., n)`` and ``(..., n, n)`` (checked at each call). To let
        :func:`calcdocs.grad` and :func:`calcdocs.jvp` differentiate the objective, write
        `value` with operations that `Tensor` and `Dual` share: arithmetic, ``@``,
        indexing and the methods ``.sum(axis=...)`` and ``.mean(axis=...)``.
    minima : array_like, shape (k, n), optional
        Known global minimisers (``k`` may be 0, e.g. for a saddle or when no closed form is
        known). Default: none.
    min_value : float, optional
        The global minimum value, or ``None`` when there is none or it is not known.
    domain : sequence of (low, high) pairs, optional
        A suggested plotting window, one pair per coordinate, each with ``low < high``.
        Default ``(-2, 2)`` for each.
    params : dict, optional
        Parameters of the problem (str keys), shown by ``repr``; arrays are kept as
        read-only copies.

    Attributes
    ----------
    name : str
    n : int
    minima : ndarray, shape (k, n)
        Read-only.
    min_value : float or None
    domain : tuple of (float, float)
    params : mapping
        Read-only.

    Raises
    ------
    TypeError
        If `name` is not a str, `n` not an integer, `value`, `gradient` or `hessian` not
        callable, `minima` or a `domain` bound not numeric, or `params` not a dict with str
        keys.
    ValueError
        If `minima` does not have shape ``(k, n)`` or holds NaN or infinity, `min_value` or
        a bound is not finite, `domain` does not have ``n`` pairs or a pair has
        ``low >= high``.

    See Also
    --------
    rosenbrock, quadratic_bowl, himmelblau, beale, saddle,
    linear_regression_mse, logistic_regression_loss

    Notes
    -----
    A single point (shape ``(n,)``) gives a Python ``float`` value, the package's scalar
    type; a batch gives an array. A `calcdocs.Tensor` or `calcdocs.Dual` point is passed
    to `value` as it is, so ``calcdocs.grad(f)`` and ``calcdocs.jvp(f, x, v)`` work for
    every objective of this module: the analytic, the numerical and the automatic gradient
    of one function can be compared.

    Examples
    --------
    >>> import numpy as np
    >>> from calcdocs import Objective
    >>> f = Objective(
    ...     "sphere", 2,
    ...     value=lambda x: (x**2).sum(axis=-1),
    ...     gradient=lambda x: 2 * x,
    ...     hessian=lambda x: np.broadcast_to(2 * np.eye(2), x.shape + (2,)),
    ...     minima=[[0.0, 0.0]], min_value=0.0,
    ... )
    >>> print(f([1.0, 2.0]), f.gradient([1.0, 2.0]))
    5.0 [2. 4.]
    >>> X, Y = np.meshgrid(np.linspace(-1, 1, 4), np.linspace(-1, 1, 3))
    >>> print(f(np.stack([X, Y], axis=-1)).shape)
    (3, 4)
    """

    __slots__ = (
        "_domain",
        "_gradient",
        "_hessian",
        "_min_value",
        "_minima",
        "_n",
        "_name",
        "_params",
        "_value",
    )

    def __init__(
        self,
        name: str,
        n: int,
        value: Callable[[np.ndarray], np.ndarray],
        gradient: Callable[[np.ndarray], np.ndarray],
        hessian: Callable[[np.ndarray], np.ndarray],
        *,
        minima: Any = None,
        min_value: float | None = None,
        domain: Sequence[tuple[float, float]] | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        if not isinstance(name, str):
            raise TypeError(f"`name` must be a str; got {type(name).__name__}.")
        n = check_int(n, "n", minimum=1)
        fields = {
            "_name": name,
            "_n": n,
            "_value": check_callable(value, "value"),
            "_gradient": check_callable(gradient, "gradient"),
            "_hessian": check_callable(hessian, "hessian"),
            "_minima": _check_minima(minima, n),
            "_min_value": None if min_value is None else check_real(min_value, "min_value"),
            "_domain": _check_domain(domain, n),
            "_params": _check_params(params),
        }
        for key, val in fields.items():
            object.__setattr__(self, key, val)

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError(
            f"an Objective is immutable: cannot set {key!r}; use `replace({key}=...)` to get "
            f"a changed copy."
        )

    def __delattr__(self, key: str) -> None:
        raise AttributeError(f"an Objective is immutable: cannot delete {key!r}.")

    def replace(self, **changes: Any) -> Objective:
        """Return a copy with some constructor arguments changed (validated again).

        Parameters
        ----------
        **changes
            Any of ``name``, ``n``, ``value``, ``gradient``, ``hessian``, ``minima``,
            ``min_value``, ``domain``, ``params``.

        Raises
        ------
        TypeError
            For an unknown argument name, or as the constructor does.
        ValueError
            As the constructor does.
        """
        current = {
            "name": self._name,
            "n": self._n,
            "value": self._value,
            "gradient": self._gradient,
            "hessian": self._hessian,
            "minima": self._minima,
            "min_value": self._min_value,
            "domain": self._domain,
            "params": dict(self._params),
        }
        unknown = sorted(set(changes) - set(current))
        if unknown:
            raise TypeError(f"`replace` got unknown arguments {unknown}; known: {sorted(current)}.")
        current.update(changes)
        name, n, value, gradient, hessian = (
            current.pop(k) for k in ("name", "n", "value", "gradient", "hessian")
        )
        return Objective(name, n, value, gradient, hessian, **current)

    @property
    def name(self) -> str:
        """Short name (read-only)."""
        return self._name

    @property
    def n(self) -> int:
        """Number of variables (read-only)."""
        return self._n

    @property
    def minima(self) -> np.ndarray:
        """Known global minimisers, shape ``(k, n)`` (a read-only array)."""
        return self._minima

    @property
    def min_value(self) -> float | None:
        """The global minimum value, or None when there is none or it is not known."""
        return self._min_value

    @property
    def domain(self) -> tuple[tuple[float, float], ...]:
        """Suggested plotting window: one ``(low, high)`` pair per coordinate."""
        return self._domain

    @property
    def params(self) -> Mapping[str, Any]:
        """Parameters of the problem (a read-only mapping; arrays are read-only)."""
        return self._params

    def _check(self, x: Any) -> np.ndarray:
        """Validate a batch of points: finite numbers with length ``n`` on the last axis."""
        x = as_array(x, "x", complex_ok=True)
        return check_last_axis(x, "x", self._n)

    def __call__(self, x: Any) -> Any:
        """Value at the points `x`, shape ``(..., n)`` -> ``(...)`` (a float for one point).

        A `calcdocs.Tensor` or `calcdocs.Dual` `x` gives a result of the same kind, so
        that ``calcdocs.grad(f)`` and ``calcdocs.jvp(f, x, v)`` differentiate `f`.
        """
        from calcdocs.autodiff import Dual, Tensor  # autodiff imports this module

        if isinstance(x, Tensor | Dual):
            if x.ndim == 0 or x.shape[-1] != self._n:
                raise ValueError(
                    f"`x` must have length {self._n} on its last axis; got shape {x.shape}."
                )
            return _check_output(self._value(x), x.shape[:-1], "value", x.shape)
        x = self._check(x)
        return _scalar_or_array(_check_output(self._value(x), x.shape[:-1], "value", x.shape))

    def gradient(self, x: Any) -> np.ndarray:
        """Gradient at the points `x`, shape ``(..., n)`` -> ``(..., n)``."""
        x = self._check(x)
        return _check_output(self._gradient(x), x.shape, "gradient", x.shape)

    def hessian(self, x: Any) -> np.ndarray:
        """Hessian at the points `x`, shape ``(..., n)`` -> ``(..., n, n)``."""
        x = self._check(x)
        return _check_output(self._hessian(x), (*x.shape, self._n), "hessian", x.shape)

    def __repr__(self) -> str:
        parts = [f"{self._name!r}", f"n={self._n}"]
        for key, val in self._params.items():  # arrays by shape, so the repr stays one line
            shown = f"<array of shape {val.shape}>" if isinstance(val, np.ndarray) else repr(val)
            parts.append(f"{key}={shown}")
        parts.append(f"min_value={self._min_value!r}")
        return f"Objective({', '.join(parts)})"


def _check_output(out: Any, shape: tuple[int, ...], name: str, x_shape: tuple[int, ...]) -> Any:
    """Require the user's `name` function to have returned an array of `shape`."""
    out_shape = getattr(out, "shape", None)
    if out_shape is None:
        out = np.asarray(out)
        out_shape = out.shape
    if tuple(out_shape) != tuple(shape):
        raise ValueError(
            f"`{name}` must return shape {tuple(shape)} for points of shape {x_shape}; "
            f"got shape {tuple(out_shape)}."
        )
    return out


def _check_minima(minima: Any, n: int) -> np.ndarray:
    if minima is None:
        return _read_only(np.empty((0, n)))
    minima = as_array(minima, "minima", copy=True)
    if minima.size == 0:
        minima = minima.reshape(0, n)
    if minima.ndim != 2 or minima.shape[1] != n:
        raise ValueError(
            f"`minima` must have shape (k, {n}), one minimiser per row; got shape {minima.shape}."
        )
    return _read_only(minima)


def _check_domain(domain: Any, n: int) -> tuple[tuple[float, float], ...]:
    if domain is None:
        return ((-2.0, 2.0),) * n
    try:
        pairs = [tuple(pair) for pair in domain]
    except TypeError:
        raise TypeError(
            f"`domain` must be a sequence of (low, high) pairs; got {_short(domain)}."
        ) from None
    if len(pairs) != n:
        raise ValueError(
            f"`domain` must have one (low, high) pair per coordinate ({n}); got {len(pairs)} pairs."
        )
    checked = []
    for k, pair in enumerate(pairs):
        if len(pair) != 2:
            raise ValueError(f"`domain[{k}]` must be a (low, high) pair; got {_short(pair)}.")
        low, high = (check_real(v, f"domain[{k}]") for v in pair)
        if not low < high:
            raise ValueError(f"`domain[{k}]` must have low < high; got ({low!r}, {high!r}).")
        checked.append((low, high))
    return tuple(checked)


def _check_params(params: Any) -> Mapping[str, Any]:
    if params is None:
        params = {}
    if not isinstance(params, Mapping) or not all(isinstance(k, str) for k in params):
        raise TypeError(f"`params` must be a dict with str keys; got {_short(params)}.")
    kept = {
        k: _read_only(np.array(v)) if isinstance(v, np.ndarray) else v for k, v in params.items()
    }
    return MappingProxyType(kept)


def _read_only(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


def _symmetric(A: np.ndarray) -> np.ndarray:
    """``(A + A^T) / 2`` on the last two axes: exactly symmetric despite rounding."""
    return (A + np.swapaxes(A, -1, -2)) / 2


def _constant_hessian(H: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The constant Hessian `H` at every point of `x`, shape ``(*x.shape, n)`` (a new array)."""
    return np.broadcast_to(H, (*x.shape, H.shape[-1])).copy()


def _hessian_2d(fxx: Any, fxy: Any, fyy: Any) -> np.ndarray:
    """Assemble ``(..., 2, 2)`` Hessians from the three second partials (broadcast)."""
    fxx, fxy, fyy = np.broadcast_arrays(fxx, fxy, fyy)
    return np.stack([np.stack([fxx, fxy], axis=-1), np.stack([fxy, fyy], axis=-1)], axis=-2)


# ---------------------------------------------------------------------------------------------
# Classic test problems
# ---------------------------------------------------------------------------------------------


def quadratic_bowl(*, condition_number: float = 10.0, angle: float = 0.0) -> Objective:
    r"""A 2-D convex quadratic with a chosen condition number and orientation.

    .. math::

        f(x) = \tfrac12 x^\top A x, \qquad
        A = R(\theta) \begin{pmatrix} 1 & 0 \\ 0 & \kappa \end{pmatrix} R(\theta)^\top,

    where :math:`R(\theta)` rotates by `angle` and :math:`\kappa` is `condition_number`.
    Gradient :math:`A x`, Hessian :math:`A` (constant).

    Parameters
    ----------
    condition_number : float, default 10.0, keyword-only
        :math:`\kappa \ge 1`, the ratio of the largest to the smallest eigenvalue of ``A``.
        Gradient descent zig-zags more as it grows.
    angle : float, default 0.0, keyword-only
        Rotation of the eigenvectors, in radians. With ``angle=0`` the steep direction is
        the second coordinate.

    Returns
    -------
    Objective
        ``n=2``; unique minimum at the origin with value 0. ``params["A"]`` holds ``A``.

    Raises
    ------
    TypeError
        If an argument is not a real number.
    ValueError
        If `condition_number` is below 1 or an argument is not finite.

    See Also
    --------
    rosenbrock : a non-convex valley.
    saddle : an indefinite quadratic.

    Examples
    --------
    >>> import numpy as np
    >>> from calcdocs import quadratic_bowl
    >>> f = quadratic_bowl(condition_number=4.0)
    >>> print(f([1.0, 1.0]), f.gradient([1.0, 1.0]))
    2.5 [1. 4.]
    >>> print(np.linalg.cond(f.hessian([0.3, -0.2])))
    4.0
    """
    kappa = check_real(condition_number, "condition_number")
    if kappa < 1:
        raise ValueError(f"`condition_number` must be at least 1; got {kappa!r}.")
    theta = check_real(angle, "angle")
    c, s = np.cos(theta), np.sin(theta)
    rotation = np.array([[c, -s], [s, c]])
    A = _read_only(_symmetric(rotation @ np.diag([1.0, kappa]) @ rotation.T))

    def value(x: np.ndarray) -> np.ndarray:
        return 0.5 * ((x @ A) * x).sum(axis=-1)

    def gradient(x: np.ndarray) -> np.ndarray:
        return x @ A  # A is symmetric, so x A = (A x)^T on the last axis

    def hessian(x: np.ndarray) -> np.ndarray:
        return _constant_hessian(A, x)

    return Objective(
        "quadratic_bowl",
        2,
        value,
        gradient,
        hessian,
        minima=[[0.0, 0.0]],
        min_value=0.0,
        domain=[(-2.0, 2.0), (-2.0, 2.0)],
        params={"condition_number": kappa, "angle": theta, "A": A},
    )


def rosenbrock(n: int = 2, *, a: float = 1.0, b: float = 100.0) -> Objective:
    r"""The Rosenbrock "banana" function in ``n`` dimensions.

    .. math::

        f(x) = \sum_{i=1}^{n-1} \left[ b\,(x_{i+1} - x_i^2)^2 + (a - x_i)^2 \right].

    Gradient, for each coordinate :math:`j` (terms with an index outside ``1..n-1`` vanish):

    .. math::

        \partial_j f = -4 b\, x_j (x_{j+1} - x_j^2) - 2 (a - x_j) + 2 b\,(x_j - x_{j-1}^2).

    The Hessian is tridiagonal: :math:`\partial_{jj} f = 2 - 4b(x_{j+1} - 3x_j^2) + 2b` and
    :math:`\partial_{j,j+1} f = -4 b x_j`, with the same vanishing convention. For one
    point (a 1-D `x`) and ``a=1, b=100`` these are :func:`scipy.optimize.rosen`,
    ``rosen_der`` and ``rosen_hess``. For a batch the conventions differ: SciPy takes the
    coordinates on the *first* axis (``rosen(np.stack([X, Y]))``) and ``rosen_hess`` does
    not broadcast, while here they are on the last axis (``f(np.stack([X, Y], axis=-1))``)
    and the Hessian is batched too.

    Parameters
    ----------
    n : int, default 2
        Number of variables, at least 2.
    a, b : float, default 1.0 and 100.0
        Shape parameters; `b` must be positive. Larger `b` makes the valley narrower.

    Returns
    -------
    Objective
        Known minimum, value 0: ``(a, a**2)`` when ``n == 2``; ``(1, ..., 1)`` (or all zeros)
        when ``a`` is 1 (or 0). For other ``a`` with ``n > 2`` no closed form is known and
        ``minima`` is empty.

    Raises
    ------
    TypeError
        If `n` is not an integer or `a`, `b` are not real numbers.
    ValueError
        If ``n < 2``, ``b <= 0`` or a value is not finite.

    See Also
    --------
    quadratic_bowl : the well-behaved baseline.
    himmelblau, beale : other classic 2-D test problems.
    scipy.optimize.rosen : SciPy's version (``a=1, b=100``, coordinates on the first axis).

    References
    ----------
    .. [1] H. H. Rosenbrock, "An automatic method for finding the greatest or least value of
       a function", *The Computer Journal* 3(3), 175-184, 1960.

    Examples
    --------
    >>> from calcdocs import rosenbrock
    >>> f = rosenbrock()
    >>> f
    Objective('rosenbrock', n=2, a=1.0, b=100.0, min_value=0.0)
    >>> print(f([1.0, 1.0]), f.gradient([1.0, 1.0]))
    0.0 [0. 0.]
    >>> print(f([0.0, 0.0]), f.gradient([0.0, 0.0]))
    1.0 [-2.  0.]
    >>> print(rosenbrock(4).minima)
    [[1. 1. 1. 1.]]
    """
    n = check_int(n, "n", minimum=2)
    a = check_real(a, "a")
    b = check_positive(b, "b")

    def value(x: np.ndarray) -> np.ndarray:
        head, tail = x[..., :-1], x[..., 1:]
        return (b * (tail - head**2) ** 2 + (a - head) ** 2).sum(axis=-1)

    def gradient(x: np.ndarray) -> np.ndarray:
        head, tail = x[..., :-1], x[..., 1:]
        g = np.zeros_like(x)
        g[..., :-1] += -4 * b * head * (tail - head**2) - 2 * (a - head)
        g[..., 1:] += 2 * b * (tail - head**2)
        return g

    def hessian(x: np.ndarray) -> np.ndarray:
        head, tail = x[..., :-1], x[..., 1:]
        diag = np.zeros_like(x)
        diag[..., :-1] += 2 - 4 * b * (tail - 3 * head**2)
        diag[..., 1:] += 2 * b
        H = np.zeros((*x.shape, n), dtype=x.dtype)
        idx = np.arange(n)
        H[..., idx, idx] = diag
        H[..., idx[:-1], idx[1:]] = -4 * b * head
        H[..., idx[1:], idx[:-1]] = -4 * b * head
        return H

    if n == 2:
        minima = [[a, a**2]]
    elif a in (0.0, 1.0):
        minima = [[a] * n]
    else:
        minima = None
    lim = max(2.0, 1.5 * abs(a))
    domain = [(-lim, lim)] * (n - 1) + [(-lim / 2, 1.5 * lim)]
    return Objective(
        "rosenbrock",
        n,
        value,
        gradient,
        hessian,
        minima=minima,
        min_value=None if minima is None else 0.0,
        domain=domain,
        params={"a": a, "b": b},
    )


_HIMMELBLAU_MINIMA = np.array(
    [
        [3.0, 2.0],
        [-2.805118086952745, 3.131312518250573],
        [-3.779310253377747, -3.2831859912861696],
        [3.5844283403304917, -1.8481265269644034],
    ]
)


def himmelblau() -> Objective:
    r"""Himmelblau's function: four global minima of equal value.

    .. math::

        f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2.

    Gradient :math:`\big(4x(x^2+y-11) + 2(x+y^2-7),\; 2(x^2+y-11) + 4y(x+y^2-7)\big)`;
    Hessian entries :math:`f_{xx} = 12x^2 + 4y - 42`, :math:`f_{xy} = 4x + 4y`,
    :math:`f_{yy} = 4x + 12y^2 - 26`.

    Returns
    -------
    Objective
        ``dim=2``, minimum value 0 at ``(3, 2)``, ``(-2.805118, 3.131313)``,
        ``(-3.779310, -3.283186)`` and ``(3.584428, -1.848127)`` (the last three refined by
        Newton's method to machine precision). Plotting window ``[-5, 5]^2``.

    See Also
    --------
    rosenbrock, beale : other classic 2-D test problems.

    References
    ----------
    .. [1] D.\ M. Himmelblau, *Applied Nonlinear Programming*, McGraw-Hill, 1972.

    Examples
    --------
    >>> from calcdocs import himmelblau
    >>> f = himmelblau()
    >>> print(f([3.0, 2.0]), f.gradient([3.0, 2.0]))
    0.0 [0. 0.]
    >>> print(f.minima.shape)
    (4, 2)
    """

    def value(x: np.ndarray) -> np.ndarray:
        u, v = x[..., 0], x[..., 1]
        return (u**2 + v - 11) ** 2 + (u + v**2 - 7) ** 2

    def gradient(x: np.ndarray) -> np.ndarray:
        u, v = x[..., 0], x[..., 1]
        p, q = u**2 + v - 11, u + v**2 - 7
        return np.stack([4 * u * p + 2 * q, 2 * p + 4 * v * q], axis=-1)

    def hessian(x: np.ndarray) -> np.ndarray:
        u, v = x[..., 0], x[..., 1]
        return _hessian_2d(12 * u**2 + 4 * v - 42, 4 * u + 4 * v, 4 * u + 12 * v**2 - 26)

    return Objective(
        "himmelblau",
        2,
        value,
        gradient,
        hessian,
        minima=_HIMMELBLAU_MINIMA,
        min_value=0.0,
        domain=[(-5.0, 5.0), (-5.0, 5.0)],
    )


_BEALE_C = (1.5, 2.25, 2.625)


def beale() -> Objective:
    r"""Beale's function: a flat plateau with steep walls and sharp corners.

    .. math::

        f(x, y) = \sum_{k=1}^{3} t_k^2, \qquad t_k = c_k - x + x y^k, \qquad
        c = (1.5,\ 2.25,\ 2.625).

    With :math:`\nabla t_k = (y^k - 1,\ k x y^{k-1})`, the gradient is
    :math:`\sum_k 2 t_k \nabla t_k` and the Hessian
    :math:`\sum_k 2\,(\nabla t_k \nabla t_k^\top + t_k \nabla^2 t_k)`, where
    :math:`\nabla^2 t_k` has entries :math:`0`, :math:`k y^{k-1}` (mixed) and
    :math:`k(k-1) x y^{k-2}`.

    Returns
    -------
    Objective
        ``dim=2``, unique minimum 0 at ``(3, 0.5)``; plotting window ``[-4.5, 4.5]^2``.

    See Also
    --------
    rosenbrock, himmelblau : other classic 2-D test problems.

    References
    ----------
    .. [1] E. M. L. Beale, "On an iterative method for finding a local minimum of a
       function of more than one variable", Princeton University, 1958.

    Examples
    --------
    >>> from calcdocs import beale
    >>> f = beale()
    >>> print(f([3.0, 0.5]), f.gradient([3.0, 0.5]))
    0.0 [0. 0.]
    >>> print(f([0.0, 0.0]))
    14.203125
    """

    def value(x: np.ndarray) -> np.ndarray:
        u, v = x[..., 0], x[..., 1]
        return sum((c - u + u * v**k) ** 2 for k, c in enumerate(_BEALE_C, start=1))

    def gradient(x: np.ndarray) -> np.ndarray:
        u, v = x[..., 0], x[..., 1]
        gu = gv = 0
        for k, c in enumerate(_BEALE_C, start=1):
            t = c - u + u * v**k
            gu = gu + 2 * t * (v**k - 1)
            gv = gv + 2 * t * k * u * v ** (k - 1)
        return np.stack(np.broadcast_arrays(gu, gv), axis=-1)

    def hessian(x: np.ndarray) -> np.ndarray:
        u, v = x[..., 0], x[..., 1]
        huu = huv = hvv = 0
        for k, c in enumerate(_BEALE_C, start=1):
            t = c - u + u * v**k
            tu, tv = v**k - 1, k * u * v ** (k - 1)
            huu = huu + 2 * tu * tu
            huv = huv + 2 * (tu * tv + t * k * v ** (k - 1))
            hvv = hvv + 2 * (tv * tv + t * k * (k - 1) * u * v ** max(k - 2, 0))
        return _hessian_2d(huu, huv, hvv)

    return Objective(
        "beale",
        2,
        value,
        gradient,
        hessian,
        minima=[[3.0, 0.5]],
        min_value=0.0,
        domain=[(-4.5, 4.5), (-4.5, 4.5)],
    )


def saddle() -> Objective:
    r"""The saddle :math:`f(x, y) = x^2 - y^2`: a critical point that is not a minimum.

    Gradient :math:`(2x, -2y)`, Hessian :math:`\operatorname{diag}(2, -2)` (indefinite).
    The origin is the only critical point; ``f`` is unbounded below along the ``y`` axis,
    so ``minima`` is empty and ``min_value`` is ``None``.

    Returns
    -------
    Objective
        ``dim=2``; plotting window ``[-2, 2]^2``.

    See Also
    --------
    quadratic_bowl : the positive-definite counterpart.

    Examples
    --------
    >>> import numpy as np
    >>> from calcdocs import saddle
    >>> f = saddle()
    >>> print(f.gradient([0.0, 0.0]), np.linalg.eigvalsh(f.hessian([0.0, 0.0])))
    [ 0. -0.] [-2.  2.]
    >>> print(f.minima.shape, f.min_value)
    (0, 2) None
    """
    H = _read_only(np.diag([2.0, -2.0]))

    def value(x: np.ndarray) -> np.ndarray:
        return x[..., 0] ** 2 - x[..., 1] ** 2

    def gradient(x: np.ndarray) -> np.ndarray:
        return x * np.array([2.0, -2.0])

    def hessian(x: np.ndarray) -> np.ndarray:
        return _constant_hessian(H, x)

    return Objective("saddle", 2, value, gradient, hessian, domain=[(-2.0, 2.0), (-2.0, 2.0)])


# ---------------------------------------------------------------------------------------------
# Stable building blocks of the ML losses
# ---------------------------------------------------------------------------------------------


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # exp only ever sees arguments with non-positive real part, so it cannot overflow.
    positive = np.real(z) >= 0
    e = np.exp(np.where(positive, -z, z))
    return np.where(positive, 1 / (1 + e), e / (1 + e))


def _softplus(z: np.ndarray) -> np.ndarray:
    # log(1 + e^z) = max(z, 0) + log1p(e^{-|z|}), written so complex steps pass through.
    positive = np.real(z) >= 0
    return np.where(positive, z, 0) + np.log1p(np.exp(np.where(positive, -z, z)))


def _log_sigmoid(z: np.ndarray) -> np.ndarray:
    # log sigmoid(z) = -softplus(-z): finite wherever z is, where log(sigmoid(z)) is -inf
    # once sigmoid(z) underflows (z < -745).
    return -_softplus(-z)


def _softplus_of(z: Any) -> Any:
    """softplus of an array, or of a `Tensor`/`Dual` through its method (same function)."""
    return z.softplus() if hasattr(z, "softplus") else _softplus(z)


def _scalar_or_array(out: np.ndarray) -> Any:
    """A 0-d result as a Python scalar (the package's scalar type), else the array."""
    return out.item() if out.ndim == 0 else out


def sigmoid(z: Any) -> float | complex | np.ndarray:
    r"""The logistic sigmoid :math:`\sigma(z) = 1 / (1 + e^{-z})`, stable for any finite z.

    Parameters
    ----------
    z : array_like
        Real (or complex, for complex-step differentiation) numbers.

    Returns
    -------
    ndarray or float
        Same shape as `z`, values in ``[0, 1]``; a Python float (complex for complex
        input) when `z` is a scalar.

    Raises
    ------
    TypeError
        If `z` is not numeric.
    ValueError
        If `z` holds NaN or infinity.

    See Also
    --------
    softplus : its antiderivative, :math:`\sigma = \mathrm{softplus}'`.
    log_sigmoid : its logarithm, finite where ``log(sigmoid(z))`` is ``-inf``.
    calcdocs.Tensor.sigmoid : the same function in reverse-mode autodiff.
    softmax : the multi-class generalisation.

    Notes
    -----
    The naive formula overflows in ``exp(-z)`` for ``z << 0``. Instead we only ever
    exponentiate :math:`-|z|`:

    .. math::

        \sigma(z) = \begin{cases} 1/(1 + e^{-z}) & z \ge 0, \\
                                  e^{z}/(1 + e^{z}) & z < 0. \end{cases}

    Its derivative is :math:`\sigma'(z) = \sigma(z)\,(1 - \sigma(z))`.

    Examples
    --------
    >>> from calcdocs import sigmoid
    >>> print(sigmoid([-1000.0, 0.0, 1000.0]))
    [0.  0.5 1. ]
    """
    z = as_array(z, "z", complex_ok=True)
    return _scalar_or_array(_sigmoid(z))


def softplus(z: Any) -> float | complex | np.ndarray:
    r"""The softplus :math:`\log(1 + e^z)`, a smooth ReLU, stable for any finite z.

    Parameters
    ----------
    z : array_like
        Real (or complex, for complex-step differentiation) numbers.

    Returns
    -------
    ndarray or float
        Same shape as `z`, non-negative for real input; a Python float when `z` is a
        scalar.

    Raises
    ------
    TypeError
        If `z` is not numeric.
    ValueError
        If `z` holds NaN or infinity.

    See Also
    --------
    sigmoid : its derivative.
    log_sigmoid : ``-softplus(-z)``.
    calcdocs.Tensor.softplus : the same function in reverse-mode autodiff.

    Notes
    -----
    :math:`\log(1 + e^z) = \max(z, 0) + \log(1 + e^{-|z|})`: the exponential never
    overflows and ``log1p`` keeps precision when :math:`e^{-|z|}` is tiny. The binary
    cross-entropy of a logit ``z`` and label ``y`` is :math:`\mathrm{softplus}(z) - y z`.

    Examples
    --------
    >>> from calcdocs import softplus
    >>> print(softplus(0.0), softplus([-1000.0, 1000.0]))
    0.6931471805599453 [   0. 1000.]
    """
    z = as_array(z, "z", complex_ok=True)
    return _scalar_or_array(_softplus(z))


def log_sigmoid(z: Any) -> float | complex | np.ndarray:
    r"""The log-sigmoid :math:`\log \sigma(z) = -\mathrm{softplus}(-z)`, finite for any finite z.

    Parameters
    ----------
    z : array_like
        Real (or complex, for complex-step differentiation) numbers.

    Returns
    -------
    ndarray or float
        Same shape as `z`, non-positive for real input; a Python float when `z` is a
        scalar.

    Raises
    ------
    TypeError
        If `z` is not numeric.
    ValueError
        If `z` holds NaN or infinity.

    See Also
    --------
    sigmoid, softplus
    calcdocs.Tensor.log_sigmoid : the same function in reverse-mode autodiff.

    Notes
    -----
    ``np.log(sigmoid(z))`` is ``-inf`` once :math:`\sigma(z)` underflows (below about
    :math:`z = -745`), and loses relative precision before; :math:`-\mathrm{softplus}(-z)`
    is exact there (:math:`\approx z`). Its derivative is :math:`\sigma(-z)`. The
    log-likelihood of a label 1 under logistic regression is ``log_sigmoid(z)``.

    Examples
    --------
    >>> from calcdocs import log_sigmoid
    >>> print(log_sigmoid(0.0), log_sigmoid([-1000.0, 1000.0]))
    -0.6931471805599453 [-1000.    -0.]
    """
    z = as_array(z, "z", complex_ok=True)
    return _scalar_or_array(_log_sigmoid(z))


def softmax(z: Any, axis: int = -1) -> np.ndarray:
    r"""The softmax :math:`e^{z_i} / \sum_j e^{z_j}` along `axis`, stable for any finite z.

    Parameters
    ----------
    z : array_like
        Logits, real (or complex, for complex-step differentiation).
    axis : int, default -1
        The axis that sums to one.

    Returns
    -------
    ndarray
        Same shape as `z`; non-negative entries summing to 1 along `axis`.

    Raises
    ------
    TypeError
        If `z` is not numeric or `axis` not an integer.
    ValueError
        If `z` holds NaN or infinity, is a scalar, or has no entries along `axis`, or if
        `axis` is out of range for `z`.

    See Also
    --------
    sigmoid : the two-class case, :math:`\sigma(z) = \mathrm{softmax}((0, z))_2`.

    Notes
    -----
    Softmax is unchanged by adding a constant to every logit, so we subtract the largest
    one first; then every exponent is at most 0 and cannot overflow. Its Jacobian is
    :math:`\operatorname{diag}(p) - p p^\top` with :math:`p = \mathrm{softmax}(z)`.

    Examples
    --------
    >>> from calcdocs import softmax
    >>> print(softmax([1000.0, 1000.0, -1000.0]))
    [0.5 0.5 0. ]
    """
    z = as_array(z, "z", complex_ok=True)
    if z.ndim == 0:
        raise ValueError(f"`z` must have at least one axis; got a scalar {z[()]!r}.")
    axis = check_int(axis, "axis")
    if not -z.ndim <= axis < z.ndim:
        raise ValueError(f"`axis` must lie in [{-z.ndim}, {z.ndim - 1}] for `z` of shape "
                         f"{z.shape}; got {axis}.")  # fmt: skip
    if z.shape[axis] == 0:
        raise ValueError(
            f"`z` must have at least one entry along `axis` ({axis}) to be normalised; "
            f"got shape {z.shape}."
        )
    shifted = z - np.max(np.real(z), axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


# ---------------------------------------------------------------------------------------------
# ML losses as objectives over the weights
# ---------------------------------------------------------------------------------------------


def _check_design(X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """Validate a design matrix ``(N, d)`` and targets ``(N,)``."""
    X = _read_only(as_array(X, "X", copy=True))  # the loss keeps X and y: copy them
    y = _read_only(as_array(y, "y", copy=True))
    if X.ndim != 2:
        raise ValueError(
            f"`X` must be 2-D (n_samples, n_features); got {X.ndim}-D shape {X.shape}."
        )
    if X.shape[0] == 0:
        raise ValueError("`X` must have at least one sample (row); got 0.")
    if X.shape[1] == 0:
        raise ValueError(f"`X` must have at least one feature (column); got shape {X.shape}.")
    if y.shape != (X.shape[0],):
        raise ValueError(
            f"`y` must have shape (n_samples,) = ({X.shape[0]},) to match `X`; got shape {y.shape}."
        )
    return X, y


def _domain_around(center: np.ndarray) -> list[tuple[float, float]]:
    span = 2.0 * max(1.0, float(np.max(np.abs(center), initial=0.0)))
    return [(float(c) - span, float(c) + span) for c in center]


def linear_regression_mse(X: Any, y: Any) -> Objective:
    r"""Mean squared error of a linear model, as a function of the weights ``w``.

    .. math::

        L(w) = \frac{1}{N} \lVert X w - y \rVert^2, \qquad
        \nabla L(w) = \frac{2}{N} X^\top (X w - y), \qquad
        \nabla^2 L = \frac{2}{N} X^\top X.

    A batch of weight vectors has shape ``(..., d)``, each vector's ``d`` weights on the
    last axis, so the loss surface over a grid of weight vectors evaluates in one call. To
    fit an intercept, append a column of ones to ``X``.

    Parameters
    ----------
    X : array_like, shape (N, d)
        Design matrix, one sample per row.
    y : array_like, shape (N,)
        Targets.

    Returns
    -------
    Objective
        ``n=d``. ``minima`` holds the least-squares solution from :func:`numpy.linalg.lstsq`
        (the minimum-norm one if ``X`` has rank below ``d``, in which case the minimiser is
        not unique and the Hessian is only semi-definite); ``min_value`` its loss.
        ``params`` holds ``X`` and ``y`` (read-only copies, so a later change of the
        caller's arrays changes neither the loss nor its Hessian).

    Raises
    ------
    TypeError
        If `X` or `y` is not numeric.
    ValueError
        If `X` is not 2-D, has no rows, `y` does not have shape ``(N,)``, or a value is
        not finite.

    See Also
    --------
    logistic_regression_loss : the classification counterpart.
    make_linear_data : synthetic data for this loss.
    quadratic_bowl : every MSE loss is a quadratic bowl in disguise.

    Examples
    --------
    >>> import numpy as np
    >>> from calcdocs import linear_regression_mse
    >>> X = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]])
    >>> y = np.array([1.0, 3.0, 5.0])
    >>> loss = linear_regression_mse(X, y)
    >>> print(loss.minima, round(loss.min_value, 12))
    [[1. 2.]] 0.0
    >>> print(loss([0.0, 0.0]), loss.gradient([0.0, 0.0]))
    11.666666666666666 [-6.         -8.66666667]
    """
    X, y = _check_design(X, y)
    N, d = X.shape
    H = (2.0 / N) * X.T @ X
    H = _read_only(_symmetric(H))

    def value(w: np.ndarray) -> np.ndarray:
        residual = w @ X.T - y
        return (residual**2).mean(axis=-1)

    def gradient(w: np.ndarray) -> np.ndarray:
        return (2.0 / N) * (w @ X.T - y) @ X

    def hessian(w: np.ndarray) -> np.ndarray:
        return _constant_hessian(H, w)

    w_star = np.linalg.lstsq(X, y, rcond=None)[0]
    min_value = max(float(np.mean((X @ w_star - y) ** 2)), 0.0)
    return Objective(
        "linear_regression_mse",
        d,
        value,
        gradient,
        hessian,
        minima=w_star[None, :],
        min_value=min_value,
        domain=_domain_around(w_star),
        params={"X": X, "y": y},
    )


def logistic_regression_loss(X: Any, y: Any, *, l2: float = 0.0) -> Objective:
    r"""Mean binary cross-entropy of logistic regression (plus optional L2), over weights w.

    .. math::

        L(w) = \frac1N \sum_{i=1}^N \big[\mathrm{softplus}(z_i) - y_i z_i\big]
               + \tfrac12 \lambda \lVert w \rVert^2, \qquad z = X w,

    which equals :math:`-\frac1N\sum_i [y_i \log\sigma(z_i) + (1-y_i)\log(1-\sigma(z_i))]`
    plus the penalty, but never takes the log of a rounded-to-zero probability. (The code
    evaluates :math:`\mathrm{softplus}(z) - y z` as
    :math:`(1-y)\,\mathrm{softplus}(z) + y\,\mathrm{softplus}(-z)`, equal for labels in
    :math:`\{0, 1\}`, so that no two large terms cancel.) Then

    .. math::

        \nabla L(w) = \frac1N X^\top (\sigma(Xw) - y) + \lambda w, \qquad
        \nabla^2 L(w) = \frac1N X^\top S X + \lambda I, \quad
        S = \operatorname{diag}\big(\sigma(z)(1 - \sigma(z))\big).

    A batch of weight vectors has shape ``(..., d)``, each vector's ``d`` weights on the
    last axis. To fit an intercept, append a column of ones to ``X``.

    Parameters
    ----------
    X : array_like, shape (N, d)
        Design matrix, one sample per row.
    y : array_like, shape (N,)
        Labels, each 0 or 1.
    l2 : float, default 0.0
        Ridge penalty :math:`\lambda \ge 0`.

    Returns
    -------
    Objective
        ``n=d``. The loss is convex; ``minima`` holds its minimiser found by damped
        Newton's method at construction. With ``l2 > 0`` it always exists. With ``l2 == 0``
        and linearly separable data the loss has no minimiser (it decreases forever as
        ``||w||`` grows), Newton's method does not converge, and ``minima`` is empty with
        ``min_value`` ``None``. ``params`` holds ``X``, ``y`` (read-only copies) and ``l2``.

    Raises
    ------
    TypeError
        If an argument is not numeric.
    ValueError
        If `X` is not 2-D or has no rows, `y` does not have shape ``(N,)`` or holds a value
        other than 0 and 1, `l2` is negative, or a value is not finite.

    See Also
    --------
    sigmoid, softplus : the stable building blocks.
    linear_regression_mse : the regression counterpart.
    make_moons : a classification data set.

    Examples
    --------
    >>> import numpy as np
    >>> from calcdocs import logistic_regression_loss
    >>> X = np.array([[1.0, -1.0], [1.0, 0.5], [1.0, 1.0], [1.0, 2.0]])
    >>> y = np.array([0, 1, 0, 1])
    >>> loss = logistic_regression_loss(X, y, l2=0.1)
    >>> print(loss([0.0, 0.0]), loss.gradient([0.0, 0.0]))  # log 2 at w = 0
    0.6931471805599453 [ 0.     -0.3125]
    >>> print(np.linalg.norm(loss.gradient(loss.minima[0])) < 1e-12)
    True
    """
    X, y = _check_design(X, y)
    if not np.all((y == 0) | (y == 1)):
        bad = float(y[(y != 0) & (y != 1)][0])
        raise ValueError(f"`y` must hold only the labels 0 and 1; got a value {bad!r}.")
    lam = check_positive(l2, "l2", allow_zero=True)
    N, d = X.shape

    def value(w: np.ndarray) -> np.ndarray:
        z = w @ X.T
        # softplus(z) - y z, rewritten for y in {0, 1} so that no large terms cancel.
        cross_entropy = (1 - y) * _softplus_of(z) + y * _softplus_of(-z)
        return cross_entropy.mean(axis=-1) + 0.5 * lam * (w * w).sum(axis=-1)

    def gradient(w: np.ndarray) -> np.ndarray:
        return (_sigmoid(w @ X.T) - y) @ X / N + lam * w

    def hessian(w: np.ndarray) -> np.ndarray:
        p = _sigmoid(w @ X.T)  # (..., N)
        s = p * (1 - p)
        H = np.einsum("ni,...n,nj->...ij", X, s, X) / N + lam * np.eye(d)
        return _symmetric(H)

    f = Objective(
        "logistic_regression_loss",
        d,
        value,
        gradient,
        hessian,
        params={"X": X, "y": y, "l2": lam},
    )
    # Damped Newton from 0; least-squares steps cope with a singular Hessian (e.g. a
    # duplicated column). Without a minimiser (separable data, l2 = 0) the steps never
    # shrink and the run ends unconverged.
    run = newton(gradient, hessian, np.zeros(d), steps=100, f=value, xtol=1e-10, record=False)
    if not run.converged:
        return f.replace(domain=[(-3.0, 3.0)] * d)
    w_star = run.x
    return f.replace(
        minima=w_star[None, :], min_value=float(f(w_star)), domain=_domain_around(w_star)
    )


# ---------------------------------------------------------------------------------------------
# Seeded data generators
# ---------------------------------------------------------------------------------------------


def _rng(seed: Any) -> np.random.Generator:
    """``numpy.random.default_rng(seed)``, with NumPy's errors re-raised naming `seed`."""
    if isinstance(seed, bool | np.bool_):
        raise TypeError(
            f"`seed` must be an integer, a numpy.random.Generator or None; got {seed!r}."
        )
    try:
        return np.random.default_rng(seed)
    except (TypeError, ValueError) as exc:
        raise type(exc)(
            f"`seed` must be None, a non-negative integer (or a sequence of them), or a "
            f"numpy.random.Generator; got {_short(seed)} ({exc})."
        ) from exc


def make_moons(
    n_samples: int = 200, *, noise: float = 0.1, seed: Any = 0
) -> tuple[np.ndarray, np.ndarray]:
    r"""Two interleaving half circles: a small non-linearly-separable classification set.

    The first half of the points lie on the upper half circle
    :math:`(\cos t, \sin t)`, labelled 0; the rest on the shifted lower half circle
    :math:`(1 - \cos t,\ 0.5 - \sin t)`, labelled 1, :math:`t \in [0, \pi]`; then Gaussian
    noise is added and the rows are shuffled (as in scikit-learn's ``make_moons``).

    Parameters
    ----------
    n_samples : int, default 200
        Total number of points, at least 2. The upper moon gets ``n_samples // 2`` of them,
        the lower moon the rest.
    noise : float, default 0.1
        Standard deviation of the Gaussian noise added to every coordinate, non-negative.
    seed : int, numpy.random.Generator or None, default 0
        Passed to :func:`numpy.random.default_rng`; the default makes results reproducible.

    Returns
    -------
    X : ndarray, shape (n_samples, 2)
        The points.
    y : ndarray of int, shape (n_samples,)
        Their labels, 0 or 1.

    Raises
    ------
    TypeError
        If `n_samples` is not an integer, `noise` not a real number, or `seed` not a
        seed NumPy accepts.
    ValueError
        If ``n_samples < 2``, `noise` is negative or not finite, or `seed` is negative.

    See Also
    --------
    logistic_regression_loss : a (linear) classifier to fit to them.
    make_linear_data : regression data.

    Examples
    --------
    >>> from calcdocs import make_moons
    >>> X, y = make_moons(100, noise=0.05, seed=1)
    >>> print(X.shape, y.shape, y.sum())
    (100, 2) (100,) 50
    """
    n_samples = check_int(n_samples, "n_samples", minimum=2)
    noise = check_positive(noise, "noise", allow_zero=True)
    rng = _rng(seed)
    n_upper = n_samples // 2
    n_lower = n_samples - n_upper
    t_upper = np.linspace(0.0, np.pi, n_upper)
    t_lower = np.linspace(0.0, np.pi, n_lower)
    upper = np.stack([np.cos(t_upper), np.sin(t_upper)], axis=-1)
    lower = np.stack([1.0 - np.cos(t_lower), 0.5 - np.sin(t_lower)], axis=-1)
    X = np.concatenate([upper, lower]) + noise * rng.standard_normal((n_samples, 2))
    y = np.concatenate([np.zeros(n_upper, dtype=int), np.ones(n_lower, dtype=int)])
    order = rng.permutation(n_samples)
    return X[order], y[order]


def make_linear_data(
    n_samples: int = 100, n_features: int = 1, *, noise: float = 0.1, seed: Any = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Synthetic linear-regression data :math:`y = X w_\text{true} + \varepsilon`.

    Features are drawn uniformly from ``[-1, 1]``, the true weights from a standard normal,
    and the noise :math:`\varepsilon` from a normal with standard deviation `noise`. There
    is no intercept; append a column of ones to ``X`` if you want one.

    Parameters
    ----------
    n_samples : int, default 100
        Number of rows, at least 1.
    n_features : int, default 1
        Number of columns ``d``, at least 1.
    noise : float, default 0.1
        Standard deviation of the target noise, non-negative.
    seed : int, numpy.random.Generator or None, default 0
        Passed to :func:`numpy.random.default_rng`; the default makes results reproducible.

    Returns
    -------
    X : ndarray, shape (n_samples, n_features)
    y : ndarray, shape (n_samples,)
    w_true : ndarray, shape (n_features,)

    Raises
    ------
    TypeError
        If `n_samples` or `n_features` is not an integer, `noise` not a real number, or
        `seed` not a seed NumPy accepts.
    ValueError
        If a count is below 1, `noise` is negative or not finite, or `seed` is negative.

    See Also
    --------
    linear_regression_mse : the loss to fit it with.
    make_moons : classification data.

    Examples
    --------
    >>> import numpy as np
    >>> from calcdocs import make_linear_data
    >>> X, y, w_true = make_linear_data(50, 3, noise=0.0)
    >>> print(X.shape, y.shape, w_true.shape, np.allclose(X @ w_true, y))
    (50, 3) (50,) (3,) True
    """
    n_samples = check_int(n_samples, "n_samples", minimum=1)
    n_features = check_int(n_features, "n_features", minimum=1)
    noise = check_positive(noise, "noise", allow_zero=True)
    rng = _rng(seed)
    w_true = rng.standard_normal(n_features)
    X = rng.uniform(-1.0, 1.0, size=(n_samples, n_features))
    y = X @ w_true + noise * rng.standard_normal(n_samples)
    return X, y, w_true
