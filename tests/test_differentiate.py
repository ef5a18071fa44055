"""Tests for calcdocs.differentiate: accuracy against analytic derivatives and SciPy, shapes,
vectorisation, complex safety and input validation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calcdocs import (
    check_grad,
    derivative,
    directional_derivative,
    gradient,
    hessian,
    jacobian,
    partial,
)
from calcdocs._tstutils import DERIVATIVE_SUITE, Counter, _sigmoid, suite_errors
from calcdocs.differentiate import _STENCILS

METHODS = sorted(_STENCILS)


SUITE = DERIVATIVE_SUITE

# Worst relative error each method must reach at moderate points (below).
TOLERANCE = {
    "forward": 1e-6,
    "backward": 1e-6,
    "central": 1e-9,
    "complex": 1e-15,
    "richardson": 1e-12,
}
MODERATE = np.array([-1.7, -0.4, 0.25, 0.9, 1.6])


# ------------------------------------------------------------------------------------------
# The stencil table
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("method", METHODS)
def test_stencil_moments_match_the_stated_order(method):
    """Taylor: sum_k w_k o_k^p must be 0 for p = 0, 1 for p = 1, 0 up to p = order."""
    stencil = _STENCILS[method]
    offsets = np.array(stencil.offsets, dtype=complex)
    weights = np.array(stencil.weights, dtype=complex)
    moments = [np.real(np.sum(weights * offsets**p)) for p in range(stencil.order + 2)]
    expected = [0.0, 1.0] + [0.0] * (stencil.order - 1)
    np.testing.assert_allclose(moments[: stencil.order + 1], expected, atol=1e-15)
    assert abs(moments[stencil.order + 1]) > 1e-3  # and not of a higher order
    assert 0 < stencil.step < 1


# ------------------------------------------------------------------------------------------
# derivative
# ------------------------------------------------------------------------------------------
ANALYTIC = [
    ("sin", np.sin, np.cos),
    ("exp(x/2)", lambda x: np.exp(x / 2), lambda x: np.exp(x / 2) / 2),
    ("x^5 - 3x", lambda x: x**5 - 3 * x, lambda x: 5 * x**4 - 3),
    ("atan", np.arctan, lambda x: 1 / (1 + x**2)),
    ("log(2 + x)", lambda x: np.log(2 + x), lambda x: 1 / (2 + x)),
    ("sigmoid(3x)", lambda x: _sigmoid(3 * x), lambda x: 3 * _sigmoid(3 * x) * _sigmoid(-3 * x)),
    ("x sin(1/(x+2))", lambda x: x * np.sin(1 / (x + 2)), None),
    ("cosh", np.cosh, np.sinh),
]


def _x_sin_prime(x):
    u = 1 / (x + 2)
    return np.sin(u) - x * np.cos(u) * u**2


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(("name", "f", "df"), ANALYTIC, ids=[a[0] for a in ANALYTIC])
def test_derivative_matches_analytic(name, f, df, method):
    df = df or _x_sin_prime
    d = derivative(f, MODERATE, method=method)
    assert d.shape == MODERATE.shape
    error = np.abs(d - df(MODERATE)) / np.maximum(np.abs(df(MODERATE)), 1.0)
    assert np.max(error) <= TOLERANCE[method], (name, method, error)


def test_accuracy_suite_central_and_complex():
    central, central_evals = suite_errors("central")
    complex_, complex_evals = suite_errors("complex")
    assert np.median(central) <= 2e-10
    assert np.median(complex_) <= 1e-14
    assert central_evals == 2.0
    assert complex_evals == 3.0  # one complex point and two real ones for the safety check
    assert not np.isnan(central).any() and not np.isnan(complex_).any()


def test_accuracy_suite_richardson_beats_scipy_defaults():
    ours, our_evals = suite_errors("richardson")
    theirs, their_evals = suite_errors("scipy")
    assert not np.isnan(ours).any()  # scipy gives NaN at log(0.001) etc.
    assert np.median(ours) <= np.nanmedian(theirs)
    assert our_evals <= their_evals
    assert np.median(ours) <= 1e-13


EDGE_TOLERANCE = {"backward": 1e-2, "central": 1e-4, "richardson": 1e-12, "complex": 1e-15}


@pytest.mark.parametrize("method", sorted(EDGE_TOLERANCE))
@pytest.mark.parametrize("x", [1e-3, 1e-6, 1e-9])
def test_step_adapts_near_the_edge_of_the_domain(method, x):
    """log is defined on (0, inf): steps reaching past 0 are cut, never returning NaN."""
    d = derivative(np.log, x, method=method)
    assert np.isfinite(d)
    assert abs(d * x - 1) <= EDGE_TOLERANCE[method]
    d = derivative(lambda t: t**-2.0, x, method=method)  # a pole at 0: finite either side
    assert np.isfinite(d)
    if method in ("richardson", "complex"):
        assert abs(d * x**3 / -2 - 1) <= EDGE_TOLERANCE[method]


def test_forward_difference_near_log_edge_is_finite():
    assert np.isfinite(derivative(np.log, 1e-9, method="forward"))


def test_derivative_returns_float_for_scalar_and_keeps_array_shape():
    d = derivative(np.sin, 0.5)
    assert type(d) is float
    x = np.linspace(-1, 1, 12).reshape(3, 4)
    d = derivative(np.sin, x)
    assert isinstance(d, np.ndarray) and d.shape == (3, 4)
    np.testing.assert_allclose(d, np.cos(x), rtol=1e-9)


@pytest.mark.parametrize("method", ["central", "forward", "complex"])
def test_derivative_is_one_call_on_all_points(method):
    counted = Counter(np.exp)
    derivative(counted, np.linspace(0, 1, 1000), method=method)
    assert counted.calls == 1


def test_explicit_step_is_used():
    # A large forward step on x^2 errs by exactly h: (f(x+h) - f(x))/h = 2x + h.
    assert derivative(lambda x: x**2, 1.0, method="forward", h=0.5) == pytest.approx(2.5)
    assert derivative(lambda x: x**2, 1.0, method="backward", h=0.5) == pytest.approx(1.5)
    assert derivative(lambda x: x**3, 1.0, method="central", h=0.5) == pytest.approx(3.25)


@settings(max_examples=60, deadline=None)
@given(
    coefficients=st.lists(st.floats(-5, 5), min_size=1, max_size=7),
    x=st.floats(-2, 2),
)
def test_derivative_of_random_polynomials(coefficients, x):
    p = np.array(coefficients)
    exact = np.polyval(np.polyder(p), x)
    size = np.polyval(np.abs(np.polyder(p)), abs(x)) + np.polyval(np.abs(p), abs(x))  # scale
    for method, tol in [("central", 1e-9), ("complex", 1e-14), ("richardson", 1e-12)]:
        d = derivative(lambda t, p=p: np.polyval(p, t), x, method=method)
        assert abs(d - exact) <= tol * max(size, 1.0), (method, d, exact)


@settings(max_examples=40, deadline=None)
@given(a=st.floats(0.1, 20), x=st.floats(-3, 3))
def test_complex_step_exact_on_random_sin(a, x):
    d = derivative(lambda t: np.sin(a * t), x, method="complex")
    assert abs(d - a * np.cos(a * x)) <= 4e-16 * a


# ------------------------------------------------------------------------------------------
# gradient, partial, directional_derivative
# ------------------------------------------------------------------------------------------
def _f2(p):
    x, y = p[..., 0], p[..., 1]
    return np.sin(x) * np.exp(-(y**2)) + np.log1p(x**2 + y**2)


def _f2_grad(p):
    x, y = p[..., 0], p[..., 1]
    r = 1 + x**2 + y**2
    gx = np.cos(x) * np.exp(-(y**2)) + 2 * x / r
    gy = -2 * y * np.sin(x) * np.exp(-(y**2)) + 2 * y / r
    return np.stack([gx, gy], axis=-1)


def _grid():
    X, Y = np.meshgrid(np.linspace(-2, 2, 7), np.linspace(-1, 3, 5))
    return np.stack([X, Y], axis=-1)


@pytest.mark.parametrize("method", METHODS)
def test_gradient_single_point_and_meshgrid(method):
    tol = 10 * TOLERANCE[method] + 1e-14
    point = np.array([0.3, -1.2])
    g = gradient(_f2, point, method=method)
    assert g.shape == (2,)
    np.testing.assert_allclose(g, _f2_grad(point), rtol=tol, atol=tol)
    grid = _grid()
    g = gradient(_f2, grid, method=method)
    assert g.shape == (5, 7, 2)
    np.testing.assert_allclose(g, _f2_grad(grid), rtol=tol, atol=tol)


def test_gradient_on_a_grid_is_one_call_of_f():
    counted = Counter(_f2)
    X, Y = np.meshgrid(np.linspace(-2, 2, 200), np.linspace(-2, 2, 100))
    gradient(counted, np.stack([X, Y], axis=-1))
    assert counted.calls <= 2
    assert counted.evaluations == 2 * 2 * 200 * 100 * 2  # 2n copies of n coordinates


@pytest.mark.parametrize("method", METHODS)
def test_many_variables_are_split_into_blocks_with_the_same_result(method, monkeypatch):
    """Past _MAX_NUMBERS perturbed coordinates, gradient and jacobian call f per block."""
    import calcdocs.differentiate as module

    rng = np.random.default_rng(1)
    A = rng.normal(size=(12, 12))
    x = rng.normal(size=(3, 12))

    def f(p):
        return np.sum(np.sin(p @ A) * p, axis=-1)

    def F(p):
        return np.stack([f(p), np.sum(p**2, axis=-1)], axis=-1)

    whole_g, whole_j = gradient(f, x, method=method), jacobian(F, x, method=method)
    monkeypatch.setattr(module, "_MAX_NUMBERS", 2 * 3 * 12 * 5)  # blocks of 5 axes
    counted = Counter(f)
    split_g = gradient(counted, x, method=method)
    split_j = jacobian(F, x, method=method)
    assert counted.calls >= 3  # ceil(12 / 5) blocks
    # equal up to round-off: BLAS may sum `p @ A` in another order for another batch size,
    # and a difference quotient magnifies that by 1/h
    tol = max(TOLERANCE[method], 1e-12)
    np.testing.assert_allclose(split_g, whole_g, rtol=tol, atol=tol)
    np.testing.assert_allclose(split_j, whole_j, rtol=tol, atol=tol)


def test_gradient_forward_reuses_f_at_x():
    counted = Counter(_f2)
    gradient(counted, _grid(), method="forward")
    assert counted.calls == 1
    assert counted.evaluations == (2 + 1) * 35 * 2  # n + 1 points per point


def test_gradient_in_higher_dimension():
    rng = np.random.default_rng(0)
    A = rng.normal(size=(6, 6))
    A = A @ A.T
    x = rng.normal(size=(4, 6))
    g = gradient(lambda p: 0.5 * np.einsum("...i,ij,...j->...", p, A, p), x)
    np.testing.assert_allclose(g, x @ A, rtol=1e-8, atol=1e-8)


@pytest.mark.parametrize("method", METHODS)
def test_partial_and_directional_agree_with_gradient(method):
    tol = 10 * TOLERANCE[method] + 1e-14
    grid = _grid()
    g = _f2_grad(grid)
    for i in range(2):
        d = partial(_f2, grid, i, method=method)
        assert d.shape == (5, 7)
        np.testing.assert_allclose(d, g[..., i], rtol=tol, atol=tol)
    d = partial(_f2, [0.3, 0.4], 1, method=method)
    assert type(d) is float
    v = np.array([3.0, -4.0])  # not a unit vector: the result scales with |v|
    d = directional_derivative(_f2, grid, v, method=method)
    np.testing.assert_allclose(d, g @ v, rtol=tol, atol=5 * tol)
    per_point = np.broadcast_to(v, grid.shape) * np.linspace(0.5, 2, 7)[:, None]
    d = directional_derivative(_f2, grid, per_point, method=method)
    np.testing.assert_allclose(d, np.sum(g * per_point, axis=-1), rtol=tol, atol=5 * tol)


def test_directional_derivative_scales_with_v_and_is_zero_for_zero_v():
    x = [0.2, 0.7]
    d1 = directional_derivative(_f2, x, [1.0, 2.0])
    d3 = directional_derivative(_f2, x, [3.0, 6.0])
    assert d3 == pytest.approx(3 * d1, rel=1e-9)
    assert directional_derivative(_f2, x, [0.0, 0.0]) == 0.0


# ------------------------------------------------------------------------------------------
# jacobian
# ------------------------------------------------------------------------------------------
def _F(p):
    x, y, z = p[..., 0], p[..., 1], p[..., 2]
    return np.stack([x * y * z, np.sin(x) + y**2], axis=-1)


def _F_jac(p):
    x, y, z = p[..., 0], p[..., 1], p[..., 2]
    zero = np.zeros_like(x)
    row0 = np.stack([y * z, x * z, x * y], axis=-1)
    row1 = np.stack([np.cos(x), 2 * y, zero], axis=-1)
    return np.stack([row0, row1], axis=-2)


@pytest.mark.parametrize("method", METHODS)
def test_jacobian_is_numerator_layout_on_points_and_batches(method):
    tol = 10 * TOLERANCE[method] + 1e-14
    point = np.array([0.5, -1.0, 2.0])
    J = jacobian(_F, point, method=method)
    assert J.shape == (2, 3)  # (m, n)
    np.testing.assert_allclose(J, _F_jac(point), rtol=tol, atol=tol)
    batch = np.random.default_rng(1).normal(size=(4, 5, 3))
    J = jacobian(_F, batch, method=method)
    assert J.shape == (4, 5, 2, 3)
    np.testing.assert_allclose(J, _F_jac(batch), rtol=tol, atol=tol)


def test_jacobian_of_a_gradient_is_the_hessian():
    point = np.array([0.3, -0.8])
    J = jacobian(_f2_grad, point, method="complex")
    np.testing.assert_allclose(J, hessian(_f2, point, method="complex"), rtol=1e-8, atol=1e-9)


# ------------------------------------------------------------------------------------------
# hessian
# ------------------------------------------------------------------------------------------
_A = np.array([[3.0, 1.0, -0.5], [1.0, 2.0, 0.3], [-0.5, 0.3, 1.5]])
_b = np.array([1.0, -2.0, 0.5])
_a = np.array([[0.5, -0.2, 0.1], [0.1, 0.3, -0.4], [-0.3, 0.2, 0.6]])


def _quadratic(p):
    return 0.5 * np.einsum("...i,ij,...j->...", p, _A, p) + p @ _b


def _quadratic_hess(p):
    return np.broadcast_to(_A, (*p.shape[:-1], 3, 3))


def _expsum(p):  # sum_k exp(a_k . x)
    return np.sum(np.exp(p @ _a.T), axis=-1)


def _expsum_hess(p):
    w = np.exp(p @ _a.T)  # (..., k)
    return np.einsum("...k,ki,kj->...ij", w, _a, _a)


def _rosen(p):
    x, y = p[..., 0], p[..., 1]
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def _rosen_hess(p):
    x, y = p[..., 0], p[..., 1]
    h11 = 2 - 400 * (y - x**2) + 800 * x**2
    h12 = -400 * x
    return np.stack([np.stack([h11, h12], -1), np.stack([h12, np.full_like(x, 200.0)], -1)], -2)


HESSIAN_PROBLEMS = [
    ("quadratic", _quadratic, _quadratic_hess, 3),
    ("exp-sum", _expsum, _expsum_hess, 3),
    ("rosenbrock", _rosen, _rosen_hess, 2),
]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    ("name", "f", "hess", "n"), HESSIAN_PROBLEMS, ids=[p[0] for p in HESSIAN_PROBLEMS]
)
def test_hessian_matches_analytic_and_is_symmetric(name, f, hess, n, method):
    rng = np.random.default_rng(2)
    batch = rng.uniform(-1.5, 1.5, size=(4, 3, n))
    tol = 1e-3 if method in ("forward", "backward") else 1e-6
    H = hessian(f, batch, method=method)
    assert H.shape == (4, 3, n, n)
    assert np.array_equal(H, np.swapaxes(H, -1, -2))
    exact = hess(batch)
    error = np.linalg.norm(H - exact, axis=(-2, -1)) / np.linalg.norm(exact, axis=(-2, -1))
    assert np.max(error) <= tol, (name, method, np.max(error))
    single = hessian(f, batch[0, 0], method=method)
    assert single.shape == (n, n)
    np.testing.assert_array_equal(single, H[0, 0])


def test_hessian_central_is_one_call():
    counted = Counter(_rosen)
    hessian(counted, np.zeros((10, 2)))
    assert counted.calls == 1


# ------------------------------------------------------------------------------------------
# check_grad
# ------------------------------------------------------------------------------------------
def test_check_grad_accepts_right_and_rejects_wrong_gradients():
    point = np.array([0.3, -1.2])
    assert check_grad(_f2, _f2_grad, point) < 1e-7
    assert check_grad(_f2, _f2_grad, _grid()) < 1e-7
    assert check_grad(_f2, _f2_grad, _grid(), method="complex") < 1e-12

    def wrong(p):  # a sign error in one component
        return _f2_grad(p) * np.array([1.0, -1.0])

    assert check_grad(_f2, wrong, point) > 0.1
    # A batch reports its worst point: wrong at a single point of the grid is caught.
    grid = _grid()

    def wrong_at_one_point(p):
        g = _f2_grad(p)
        if p.shape == grid.shape:
            g = g.copy()
            g[2, 3] *= 1.01
        return g

    assert check_grad(_f2, wrong_at_one_point, grid) > 1e-3


def test_check_grad_of_zero_gradients_is_zero():
    assert check_grad(lambda p: np.sum(p**2, -1), lambda p: 2 * p, np.zeros(3)) == 0.0


# ------------------------------------------------------------------------------------------
# complex safety
# ------------------------------------------------------------------------------------------
NOT_COMPLEX_SAFE = [
    ("np.abs", lambda x: np.abs(x) ** 3),
    ("real part", lambda x: np.sin(np.real(x))),
    ("cast to float", lambda x: np.exp(np.asarray(x).real.astype(float))),
    ("dropped imaginary part", lambda x: np.sin(x.real) + 0j),
    ("conjugate", lambda x: np.conj(x) ** 2),
]


@pytest.mark.parametrize(("name", "f"), NOT_COMPLEX_SAFE, ids=[c[0] for c in NOT_COMPLEX_SAFE])
def test_complex_step_detects_functions_that_are_not_complex_safe(name, f):
    with pytest.raises(ValueError, match=r"`f` is not complex-safe.*method='central'"):
        derivative(f, np.array([0.5, 1.5]), method="complex")

    def f2(p):
        return f(p[..., 0]) + p[..., 1]

    with pytest.raises(ValueError, match="`f` is not complex-safe"):
        gradient(f2, [0.5, 1.5], method="complex")
    with pytest.raises(ValueError, match="`f` is not complex-safe"):
        hessian(f2, [0.5, 1.5], method="complex")


def test_complex_safety_check_has_no_false_alarms_at_stationary_points():
    x = np.linspace(-1, 1, 2001)  # sin(50x) has many points where f' = 0
    d = derivative(lambda t: np.sin(50 * t), x, method="complex")
    np.testing.assert_allclose(d, 50 * np.cos(50 * x), atol=1e-12)
    assert derivative(np.cos, 0.0, method="complex") == 0.0
    assert derivative(lambda t: 3 + 0 * t, 2.0, method="complex") == 0.0


# ------------------------------------------------------------------------------------------
# bad input
# ------------------------------------------------------------------------------------------
def _sum_sq(p):
    return np.sum(p**2, axis=-1)


BAD_INPUT = [
    (lambda: derivative("sin", 1.0), TypeError, "`f` must be callable; got str"),
    (lambda: gradient(None, [1.0]), TypeError, "`f` must be callable; got NoneType"),
    (lambda: jacobian(3, [1.0]), TypeError, "`F` must be callable; got int"),
    (lambda: check_grad(_sum_sq, "g", [1.0]), TypeError, "`grad` must be callable"),
    (lambda: derivative(np.sin, np.nan), ValueError, r"`x` must be finite \(no NaN or inf\)"),
    (lambda: gradient(_sum_sq, [1.0, np.inf]), ValueError, "`x` must be finite"),
    (lambda: derivative(np.sin, "a"), TypeError, "`x` must be array-like of real numbers"),
    (lambda: derivative(np.sin, 1.0, h=-0.001), ValueError, r"`h` must be positive; got -0\.001\."),
    (lambda: derivative(np.sin, 1.0, h=0), ValueError, r"`h` must be positive; got 0\.0\."),
    (lambda: gradient(_sum_sq, [1.0], h=np.inf), ValueError, "`h` must be finite; got inf"),
    (
        lambda: derivative(np.sin, 1.0, method="five-point"),
        ValueError,
        r"`method` must be one of \['backward', 'central', 'complex', 'forward', "
        r"'richardson'\]; got 'five-point'\.",
    ),
    (lambda: hessian(_sum_sq, [1.0], method="spline"), ValueError, "`method` must be one of"),
    (lambda: partial(_sum_sq, [1.0, 2.0], 2), ValueError, "`i` must be less than n = 2.*got 2"),
    (lambda: partial(_sum_sq, [1.0, 2.0], -1), ValueError, "`i` must be at least 0; got -1"),
    (lambda: partial(_sum_sq, [1.0, 2.0], 0.5), TypeError, "`i` must be an integer; got float"),
    (
        lambda: directional_derivative(_sum_sq, [1.0, 2.0], [1.0, 2.0, 3.0]),
        ValueError,
        r"`v` must have shape \(2,\) or the shape of `x` \(2,\); got shape \(3,\)",
    ),
    (
        lambda: directional_derivative(_sum_sq, [1.0, 2.0], [1.0, np.nan]),
        ValueError,
        "`v` must be finite",
    ),
    (lambda: gradient(_sum_sq, 1.0), ValueError, "`x` must have at least one axis.*got a scalar"),
    (lambda: gradient(_sum_sq, np.zeros((3, 0))), ValueError, "`x` must have at least one coord"),
    (
        lambda: gradient(lambda p: p, [1.0, 2.0]),
        ValueError,
        r"`f` must map points of shape \(\.\.\., n\) to values of shape \(\.\.\.\); got shape",
    ),
    (
        lambda: hessian(lambda p: p, [1.0, 2.0]),
        ValueError,
        r"`f` must map points of shape \(\.\.\., n\) to values of shape \(\.\.\.\)",
    ),
    (
        lambda: jacobian(_sum_sq, [1.0, 2.0]),
        ValueError,
        r"`F` must map points of shape \(\.\.\., n\) to values of shape \(\.\.\., m\)",
    ),
    (
        lambda: derivative(lambda x: np.sum(x), [1.0, 2.0]),
        ValueError,
        "`f` must return an array of the same shape as its input; got shape",
    ),
    (
        lambda: check_grad(_sum_sq, lambda p: p[..., 0], [1.0, 2.0]),
        ValueError,
        r"`grad` must return an array of the shape of `x` \(2,\); got shape \(\)",
    ),
    (
        lambda: derivative(np.abs, 1.0, method="complex"),
        ValueError,
        "`f` is not complex-safe: it returned dtype float64 for complex input.*'central'",
    ),
    (
        lambda: derivative(lambda x: np.conj(x) ** 3, 1.0, method="complex"),
        ValueError,
        "`f` is not complex-safe: the complex step gives",
    ),
    (
        lambda: derivative(lambda x: [float(complex(t)) for t in x], [1.0], method="complex"),
        ValueError,
        "`f` is not complex-safe",
    ),
]


@pytest.mark.parametrize(("call", "error", "match"), BAD_INPUT)
def test_input_validation(call, error, match):
    with pytest.raises(error, match=match):
        call()
