"""Test problems and machine-learning losses with analytic value, gradient and Hessian.

Every problem is an :class:`Objective`: one object that holds the value, the gradient and
the Hessian of a scalar function of ``n`` variables, together with its known minimisers and a
suggested plotting window. Points live on the **last axis**, as in :func:`scipy.optimize.rosen`,
so a whole meshgrid evaluates in one call::

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
:mod:`calcdocs.differentiate` can check the analytic derivatives.

The module also holds the numerically stable building blocks of the ML losses
(:func:`sigmoid`, :func:`softplus`, :func:`softmax`) and two seeded data generators
(:func:`make_moons`, :func:`make_linear_data`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from calcdocs._validation import (
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
    r"""A scalar function of ``dim`` variables with its analytic gradient and Hessian.

    The factories in this module (:func:`rosenbrock`, :func:`quadratic_bowl`, ...) return
    ``Objective`` instances; you can also build your own from three functions.

    Parameters
    ----------
    name : str
        Short name, used in ``repr`` and plot titles.
    dim : int
        Number of variables ``n``; inputs must have length ``n`` on their last axis.
    value, gradient, hessian : callable
        Functions of a validated array ``x`` of shape ``(..., n)`` returning arrays of shape
        ``(...)``, ``(..., n)`` and ``(..., n, n)``.
    minima : array_like, shape (k, n), optional
        Known global minimisers (``k`` may be 0, e.g. for a saddle or when no closed form is
        known). Default: none.
    min_value : float, optional
        The global minimum value, or ``None`` when there is none or it is not known.
    domain : sequence of (low, high) pairs, optional
        A suggested plotting window, one pair per coordinate. Default ``(-2, 2)`` for each.
    params : dict, optional
        Parameters of the problem, shown by ``repr``.

    Attributes
    ----------
    name : str
    dim : int
    minima : ndarray, shape (k, n)
        Read-only.
    min_value : float or None
    domain : tuple of (float, float)
    params : dict

    Raises
    ------
    TypeError
        If `value`, `gradient` or `hessian` is not callable.
    ValueError
        If `minima` or `domain` do not match `dim`.

    See Also
    --------
    rosenbrock, quadratic_bowl, himmelblau, beale, saddle,
    linear_regression_mse, logistic_regression_loss

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

    def __init__(
        self,
        name: str,
        dim: int,
        value: Callable[[np.ndarray], np.ndarray],
        gradient: Callable[[np.ndarray], np.ndarray],
        hessian: Callable[[np.ndarray], np.ndarray],
        *,
        minima: Any = None,
        min_value: float | None = None,
        domain: Sequence[tuple[float, float]] | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        self.name = str(name)
        self.dim = check_int(dim, "dim", minimum=1)
        self._value = check_callable(value, "value")
        self._gradient = check_callable(gradient, "gradient")
        self._hessian = check_callable(hessian, "hessian")
        minima = np.empty((0, self.dim)) if minima is None else np.array(minima, dtype=float)
        if minima.size == 0:
            minima = minima.reshape(0, self.dim)
        if minima.ndim != 2 or minima.shape[1] != self.dim:
            raise ValueError(
                f"`minima` must have shape (k, {self.dim}), one minimiser per row; "
                f"got shape {minima.shape}."
            )
        minima.flags.writeable = False
        self.minima = minima
        self.min_value = None if min_value is None else check_real(min_value, "min_value")
        if domain is None:
            domain = [(-2.0, 2.0)] * self.dim
        domain = tuple((float(lo), float(hi)) for lo, hi in domain)
        if len(domain) != self.dim:
            raise ValueError(
                f"`domain` must have one (low, high) pair per coordinate ({self.dim}); "
                f"got {len(domain)} pairs."
            )
        self.domain = domain
        self.params = dict(params or {})

    def _check(self, x: Any) -> np.ndarray:
        """Validate a batch of points: finite numbers with length ``dim`` on the last axis."""
        x = as_array(x, "x", complex_ok=True)
        return check_last_axis(x, "x", self.dim)

    def __call__(self, x: Any) -> np.ndarray:
        """Value at the points `x`, shape ``(..., dim)`` -> ``(...)``."""
        return self._value(self._check(x))

    def gradient(self, x: Any) -> np.ndarray:
        """Gradient at the points `x`, shape ``(..., dim)`` -> ``(..., dim)``."""
        return self._gradient(self._check(x))

    def hessian(self, x: Any) -> np.ndarray:
        """Hessian at the points `x`, shape ``(..., dim)`` -> ``(..., dim, dim)``."""
        return self._hessian(self._check(x))

    def __repr__(self) -> str:
        parts = [f"{self.name!r}", f"dim={self.dim}"]
        for key, val in self.params.items():  # arrays by shape, so the repr stays one line
            shown = f"<array of shape {val.shape}>" if isinstance(val, np.ndarray) else repr(val)
            parts.append(f"{key}={shown}")
        parts.append(f"min_value={self.min_value!r}")
        return f"Objective({', '.join(parts)})"


def _hessian_2d(fxx: Any, fxy: Any, fyy: Any) -> np.ndarray:
    """Assemble ``(..., 2, 2)`` Hessians from the three second partials (broadcast)."""
    fxx, fxy, fyy = np.broadcast_arrays(fxx, fxy, fyy)
    return np.stack([np.stack([fxx, fxy], axis=-1), np.stack([fxy, fyy], axis=-1)], axis=-2)


# ---------------------------------------------------------------------------------------------
# Classic test problems
# ---------------------------------------------------------------------------------------------


def quadratic_bowl(condition_number: float = 10.0, *, angle: float = 0.0) -> Objective:
    r"""A 2-D convex quadratic with a chosen condition number and orientation.

    .. math::

        f(x) = \tfrac12 x^\top A x, \qquad
        A = R(\theta) \begin{pmatrix} 1 & 0 \\ 0 & \kappa \end{pmatrix} R(\theta)^\top,

    where :math:`R(\theta)` rotates by `angle` and :math:`\kappa` is `condition_number`.
    Gradient :math:`A x`, Hessian :math:`A` (constant).

    Parameters
    ----------
    condition_number : float, default 10.0
        :math:`\kappa \ge 1`, the ratio of the largest to the smallest eigenvalue of ``A``.
        Gradient descent zig-zags more as it grows.
    angle : float, default 0.0
        Rotation of the eigenvectors, in radians. With ``angle=0`` the steep direction is
        the second coordinate.

    Returns
    -------
    Objective
        ``dim=2``; unique minimum at the origin with value 0. ``params["A"]`` holds ``A``.

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
    >>> f = quadratic_bowl(4.0)
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
    A = rotation @ np.diag([1.0, kappa]) @ rotation.T
    A = (A + A.T) / 2  # exactly symmetric despite rounding
    A.flags.writeable = False

    def value(x: np.ndarray) -> np.ndarray:
        return 0.5 * np.einsum("...i,ij,...j->...", x, A, x)

    def gradient(x: np.ndarray) -> np.ndarray:
        return x @ A  # A is symmetric, so x A = (A x)^T on the last axis

    def hessian(x: np.ndarray) -> np.ndarray:
        return np.broadcast_to(A, (*x.shape, 2)).copy()

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
    :math:`\partial_{j,j+1} f = -4 b x_j`, with the same vanishing convention. These are
    :func:`scipy.optimize.rosen`, ``rosen_der`` and ``rosen_hess`` with general ``a, b``.

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
    scipy.optimize.rosen : SciPy's version (``a=1, b=100``).

    References
    ----------
    .. [1] H. H. Rosenbrock, "An automatic method for finding the greatest or least value of
       a function", *The Computer Journal* 3(3), 175-184, 1960.

    Examples
    --------
    >>> from calcdocs import rosenbrock
    >>> f = rosenbrock()
    >>> f
    Objective('rosenbrock', dim=2, a=1.0, b=100.0, min_value=0.0)
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
        return np.sum(b * (tail - head**2) ** 2 + (a - head) ** 2, axis=-1)

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
    H = np.diag([2.0, -2.0])

    def value(x: np.ndarray) -> np.ndarray:
        return x[..., 0] ** 2 - x[..., 1] ** 2

    def gradient(x: np.ndarray) -> np.ndarray:
        return x * np.array([2.0, -2.0])

    def hessian(x: np.ndarray) -> np.ndarray:
        return np.broadcast_to(H, (*x.shape, 2)).copy()

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


def _scalar_or_array(out: np.ndarray) -> Any:
    return out[()] if out.ndim == 0 else out


def sigmoid(z: Any) -> Any:
    r"""The logistic sigmoid :math:`\sigma(z) = 1 / (1 + e^{-z})`, stable for any finite z.

    Parameters
    ----------
    z : array_like
        Real (or complex, for complex-step differentiation) numbers.

    Returns
    -------
    ndarray or scalar
        Same shape as `z`, values in ``[0, 1]``.

    Raises
    ------
    TypeError
        If `z` is not numeric.
    ValueError
        If `z` holds NaN or infinity.

    See Also
    --------
    softplus : its antiderivative, :math:`\sigma = \mathrm{softplus}'`.
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


def softplus(z: Any) -> Any:
    r"""The softplus :math:`\log(1 + e^z)`, a smooth ReLU, stable for any finite z.

    Parameters
    ----------
    z : array_like
        Real (or complex, for complex-step differentiation) numbers.

    Returns
    -------
    ndarray or scalar
        Same shape as `z`, non-negative for real input.

    Raises
    ------
    TypeError
        If `z` is not numeric.
    ValueError
        If `z` holds NaN or infinity.

    See Also
    --------
    sigmoid : its derivative.

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
        If `z` holds NaN or infinity, or is a scalar.
    numpy.exceptions.AxisError
        If `axis` is out of range for `z`.

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
    shifted = z - np.max(np.real(z), axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


# ---------------------------------------------------------------------------------------------
# ML losses as objectives over the weights
# ---------------------------------------------------------------------------------------------


def _check_design(X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """Validate a design matrix ``(N, d)`` and targets ``(N,)``."""
    X = as_array(X, "X")
    y = as_array(y, "y")
    if X.ndim != 2:
        raise ValueError(
            f"`X` must be 2-D (n_samples, n_features); got {X.ndim}-D shape {X.shape}."
        )
    if X.shape[0] == 0:
        raise ValueError("`X` must have at least one sample (row); got 0.")
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

    Weights live on the last axis, shape ``(..., d)``, so the loss surface over a grid of
    weight vectors evaluates in one call. To fit an intercept, append a column of ones to
    ``X``.

    Parameters
    ----------
    X : array_like, shape (N, d)
        Design matrix, one sample per row.
    y : array_like, shape (N,)
        Targets.

    Returns
    -------
    Objective
        ``dim=d``. ``minima`` holds the least-squares solution from :func:`numpy.linalg.lstsq`
        (the minimum-norm one if ``X`` has rank below ``d``, in which case the minimiser is
        not unique and the Hessian is only semi-definite); ``min_value`` its loss.
        ``params`` holds ``X`` and ``y``.

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
    H = (H + H.T) / 2  # exactly symmetric despite rounding
    H.flags.writeable = False

    def value(w: np.ndarray) -> np.ndarray:
        residual = w @ X.T - y
        return np.mean(residual**2, axis=-1)

    def gradient(w: np.ndarray) -> np.ndarray:
        return (2.0 / N) * (w @ X.T - y) @ X

    def hessian(w: np.ndarray) -> np.ndarray:
        return np.broadcast_to(H, (*w.shape, d)).copy()

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

    Weights live on the last axis, shape ``(..., d)``. To fit an intercept, append a column
    of ones to ``X``.

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
        ``dim=d``. The loss is convex; ``minima`` holds its minimiser found by damped
        Newton's method at construction. With ``l2 > 0`` it always exists. With ``l2 == 0``
        and linearly separable data the loss has no minimiser (it decreases forever as
        ``||w||`` grows), Newton's method does not converge, and ``minima`` is empty with
        ``min_value`` ``None``. ``params`` holds ``X``, ``y`` and ``l2``.

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
        cross_entropy = (1 - y) * _softplus(z) + y * _softplus(-z)
        return np.mean(cross_entropy, axis=-1) + 0.5 * lam * np.sum(w * w, axis=-1)

    def gradient(w: np.ndarray) -> np.ndarray:
        return (_sigmoid(w @ X.T) - y) @ X / N + lam * w

    def hessian(w: np.ndarray) -> np.ndarray:
        p = _sigmoid(w @ X.T)  # (..., N)
        s = p * (1 - p)
        H = np.einsum("ni,...n,nj->...ij", X, s, X) / N + lam * np.eye(d)
        return (H + np.swapaxes(H, -1, -2)) / 2  # exactly symmetric despite rounding

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
    w_star = run.x if run.converged else None
    if w_star is not None:
        f.minima = np.array(w_star[None, :])
        f.minima.flags.writeable = False
        f.min_value = float(f(w_star))
        f.domain = tuple(_domain_around(w_star))
    else:
        f.domain = tuple((-3.0, 3.0) for _ in range(d))
    return f


# ---------------------------------------------------------------------------------------------
# Seeded data generators
# ---------------------------------------------------------------------------------------------


def make_moons(n_samples: int = 200, *, noise: float = 0.1, seed: Any = 0):
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
        If `n_samples` is not an integer or `noise` not a real number.
    ValueError
        If ``n_samples < 2`` or `noise` is negative or not finite.

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
    rng = np.random.default_rng(seed)
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
):
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
        If `n_samples` or `n_features` is not an integer or `noise` not a real number.
    ValueError
        If a count is below 1 or `noise` is negative or not finite.

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
    rng = np.random.default_rng(seed)
    w_true = rng.standard_normal(n_features)
    X = rng.uniform(-1.0, 1.0, size=(n_samples, n_features))
    y = X @ w_true + noise * rng.standard_normal(n_samples)
    return X, y, w_true
