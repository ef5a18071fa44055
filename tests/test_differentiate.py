"""Tests for calcdocs.differentiate: accuracy against analytic derivatives and SciPy, shapes,
vectorisation, complex safety, numerical failure reported, and input validation."""

from __future__ import annotations

import inspect
import math
import re
import tracemalloc
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import calcdocs.differentiate as module
from calcdocs import (
    AccuracyWarning,
    check_grad,
    derivative,
    directional_derivative,
    gradient,
    hessian,
    jacobian,
    partial,
    sigmoid,
    softplus,
)
from calcdocs._tstutils import CallCounter, suite_errors
from calcdocs.differentiate import _HESSIAN, _STENCILS

METHODS = sorted(_STENCILS)
ROOT = Path(__file__).resolve().parents[1]

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


@pytest.mark.parametrize("method", sorted(_HESSIAN))
def test_hessian_stencil_moments_match_the_stated_order(method):
    """Taylor in two variables: sum_k w_k a_k^p b_k^q (h, g units) is 1 for p = q = 1 and 0
    for every other p + q <= order + 1, so that the rule is H_ij + O(h**order)."""
    rule = _HESSIAN[method]
    a = np.array([o[0] for o in rule.offsets], dtype=complex)
    b = np.array([o[1] for o in rule.offsets], dtype=complex)
    w = np.array(rule.weights, dtype=complex)
    for total in range(rule.order + 2):
        for p in range(total + 1):
            q = total - p
            moment = np.real(np.sum(w * a**p * b**q)) / (math.factorial(p) * math.factorial(q))
            if rule.cross is not None and q > 1:  # the complex step: only Im of b**q counts
                continue
            assert abs(moment - (p == 1 and q == 1)) < 1e-12, (method, p, q, moment)
    assert set(_HESSIAN) == set(_STENCILS)  # every first-derivative method has a Hessian row
    assert 0 < rule.step < 1


# ------------------------------------------------------------------------------------------
# derivative
# ------------------------------------------------------------------------------------------
ANALYTIC = [
    ("sin", np.sin, np.cos),
    ("exp(x/2)", lambda x: np.exp(x / 2), lambda x: np.exp(x / 2) / 2),
    ("x^5 - 3x", lambda x: x**5 - 3 * x, lambda x: 5 * x**4 - 3),
    ("atan", np.arctan, lambda x: 1 / (1 + x**2)),
    ("log(2 + x)", lambda x: np.log(2 + x), lambda x: 1 / (2 + x)),
    ("sigmoid(3x)", lambda x: sigmoid(3 * x), lambda x: 3 * sigmoid(3 * x) * sigmoid(-3 * x)),
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
    with warnings.catch_warnings():
        warnings.simplefilter("error", AccuracyWarning)  # no false alarm on the suite
        central, central_evals = suite_errors("central")
        complex_, complex_evals = suite_errors("complex")
    assert np.median(central) <= 2e-10
    assert np.median(complex_) <= 1e-14
    assert central_evals == 4.0  # the stencil at h and at h / 2
    assert complex_evals == 4.0  # f(x) and two real points for the safety check, one complex
    assert not np.isnan(central).any() and not np.isnan(complex_).any()


def test_accuracy_suite_richardson_beats_scipy_defaults():
    with warnings.catch_warnings():
        warnings.simplefilter("error", AccuracyWarning)
        ours, our_evals = suite_errors("richardson")
    theirs, their_evals = suite_errors(reference=True)
    assert not np.isnan(ours).any()  # scipy gives NaN at log(0.001) etc.
    assert np.median(ours) <= np.nanmedian(theirs)
    assert our_evals <= their_evals
    assert np.median(ours) <= 1e-13


# Relative error of log'(x) and (x**-2)' near the edge of the domain or a pole, per method,
# wherever no AccuracyWarning is issued: the one-sided step is 1.5e-8 whatever x, so it errs
# by about h |f''/f'| / 2 (0.7% for log, 2.3% for x**-2 at x = 1e-6) and is flagged
# beyond that, where the quotients stop shrinking as the order says; the others cut their
# steps at the edge.
EDGE_TOLERANCE = {
    "forward": 5e-2,
    "backward": 5e-2,
    "central": 1e-4,
    "richardson": 1e-12,
    "complex": 1e-15,
}


def _warned(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = call()
    return result, any(issubclass(w.category, AccuracyWarning) for w in caught)


@pytest.mark.parametrize("method", sorted(EDGE_TOLERANCE))
@pytest.mark.parametrize("x", [1e-3, 1e-6, 1e-9])
def test_step_adapts_near_the_edge_of_the_domain(method, x):
    """log is defined on (0, inf): steps reaching past 0 are cut, never returning NaN, and
    a result outside the stated tolerance always comes with an AccuracyWarning."""
    d, warned = _warned(lambda: derivative(np.log, x, method=method))
    assert np.isfinite(d)
    assert abs(d * x - 1) <= EDGE_TOLERANCE[method] or warned, (d, warned)
    if method in ("central", "richardson", "complex") or x == 1e-3:
        assert not warned and abs(d * x - 1) <= EDGE_TOLERANCE[method]
    d, warned = _warned(lambda: derivative(lambda t: t**-2.0, x, method=method))  # a pole
    assert np.isfinite(d)
    if method in ("richardson", "complex"):
        assert abs(d * x**3 / -2 - 1) <= EDGE_TOLERANCE[method]
    else:  # a fixed stencil wider than the distance to the pole: wrong, and reported
        assert abs(d * x**3 / -2 - 1) <= EDGE_TOLERANCE[method] or warned


def test_derivative_returns_float_for_scalar_and_keeps_array_shape():
    d = derivative(np.sin, 0.5)
    assert type(d) is float
    x = np.linspace(-1, 1, 12).reshape(3, 4)
    d = derivative(np.sin, x)
    assert isinstance(d, np.ndarray) and d.shape == (3, 4)
    np.testing.assert_allclose(d, np.cos(x), rtol=1e-9)


@pytest.mark.parametrize(
    ("method", "sizes"),
    [("central", [4000]), ("forward", [3000]), ("complex", [3000, 1000])],
    ids=["central: x +- h, x +- h/2", "forward: x, x + h, x + h/2", "complex: 3 real, 1 complex"],
)
def test_derivative_calls_f_once_per_kind_of_point(method, sizes):
    counted = CallCounter(np.exp)
    derivative(counted, np.linspace(0, 1, 1000), method=method)
    assert counted.sizes == sizes


def test_explicit_step_is_used():
    # A large forward step on x^2 errs by exactly h: (f(x+h) - f(x))/h = 2x + h. The
    # quotients at h, h/2 and h/4 shrink as the order says: truncation explains them.
    with warnings.catch_warnings():
        warnings.simplefilter("error", AccuracyWarning)
        assert derivative(lambda x: x**2, 1.0, method="forward", h=0.5) == pytest.approx(2.5)
    assert derivative(lambda x: x**2, 1.0, method="backward", h=0.5) == pytest.approx(1.5)
    assert derivative(lambda x: x**3, 1.0, method="central", h=0.5) == pytest.approx(3.25)


@settings(max_examples=60, deadline=None, database=None)
@given(
    coefficients=st.lists(st.floats(-5, 5), min_size=1, max_size=7),
    x=st.floats(-2, 2),
)
@example(coefficients=[2.2250738585072014e-308, 0.0], x=0.0)  # Im f(x + ih) underflowed
def test_derivative_of_random_polynomials(coefficients, x):
    p = np.array(coefficients)
    exact = np.polyval(np.polyder(p), x)
    size = np.polyval(np.abs(np.polyder(p)), abs(x)) + np.polyval(np.abs(p), abs(x))  # scale
    for method, tol in [("central", 1e-9), ("complex", 1e-14), ("richardson", 1e-12)]:
        d = derivative(lambda t, p=p: np.polyval(p, t), x, method=method)
        assert abs(d - exact) <= tol * max(size, 1.0), (method, d, exact)


@settings(max_examples=40, deadline=None, database=None)
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
    counted = CallCounter(_f2)
    X, Y = np.meshgrid(np.linspace(-2, 2, 200), np.linspace(-2, 2, 100))
    gradient(counted, np.stack([X, Y], axis=-1))
    assert counted.calls == 1
    assert counted.evaluations == 4 * 2 * 200 * 100 * 2  # 4n copies (h, h/2) of n coordinates


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
    counted = CallCounter(f)
    split_g = gradient(counted, x, method=method)
    split_j = jacobian(F, x, method=method)
    assert counted.calls >= 3  # ceil(12 / 5) blocks
    # equal up to round-off: BLAS may sum `p @ A` in another order for another batch size,
    # and a difference quotient magnifies that by 1/h
    tol = max(TOLERANCE[method], 1e-12)
    np.testing.assert_allclose(split_g, whole_g, rtol=tol, atol=tol)
    np.testing.assert_allclose(split_j, whole_j, rtol=tol, atol=tol)


def test_gradient_forward_reuses_f_at_x():
    counted = CallCounter(_f2)
    gradient(counted, _grid() + 0.05, method="forward")  # no stationary coordinate
    assert counted.calls == 1
    assert counted.evaluations == (2 * 2 + 1) * 35 * 2  # 2n + 1 points per point


def test_complex_gradient_evaluates_3n_plus_1_points_per_point():
    counted = CallCounter(_f2)
    gradient(counted, _grid() + 0.05, method="complex")
    assert counted.sizes == [(2 * 2 + 1) * 35 * 2, 2 * 35 * 2]  # real: x, x + h_c, x + h_c/2


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


# What `hessian`'s Notes promise (relative, Frobenius norm).
HESSIAN_TOLERANCE = {
    "central": 1e-7,
    "forward": 3e-4,
    "backward": 3e-4,
    "complex": 1e-10,
    "richardson": 3e-9,
}


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    ("name", "f", "hess", "n"), HESSIAN_PROBLEMS, ids=[p[0] for p in HESSIAN_PROBLEMS]
)
def test_hessian_matches_analytic_and_is_symmetric(name, f, hess, n, method):
    rng = np.random.default_rng(2)
    batch = rng.uniform(-1.5, 1.5, size=(4, 3, n))
    tol = HESSIAN_TOLERANCE[method]
    H = hessian(f, batch, method=method)
    assert H.shape == (4, 3, n, n)
    assert np.array_equal(H, np.swapaxes(H, -1, -2))
    exact = hess(batch)
    error = np.linalg.norm(H - exact, axis=(-2, -1)) / np.linalg.norm(exact, axis=(-2, -1))
    assert np.max(error) <= tol, (name, method, np.max(error))
    single = hessian(f, batch[0, 0], method=method)
    assert single.shape == (n, n)
    np.testing.assert_array_equal(single, H[0, 0])


def test_hessian_central_is_one_call_plus_one_for_the_diagonal_check():
    counted = CallCounter(_rosen)
    hessian(counted, np.zeros((10, 2)))
    pairs = 3  # i <= j for n = 2
    assert counted.sizes == [4 * pairs * 10 * 2, 4 * 2 * 10 * 2]


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


def _strings(p):
    return np.array(["a"] * len(p))


def _float_each(x):  # fine on real input, fails on complex: not complex-safe
    if np.iscomplexobj(x):
        raise TypeError("no complex numbers here")
    return np.sin(x)


# (id, call, error, message): one row per rule; each message names the argument.
BAD_INPUT = [
    ("f not callable", lambda: derivative("sin", 1.0), TypeError, "`f` must be callable; got str"),
    ("f None", lambda: gradient(None, [1.0]), TypeError, "`f` must be callable; got NoneType"),
    ("F not callable", lambda: jacobian(3, [1.0]), TypeError, "`F` must be callable; got int"),
    (
        "grad not callable",
        lambda: check_grad(_sum_sq, "g", [1.0]),
        TypeError,
        "`grad` must be callable",
    ),
    (
        "x nan",
        lambda: derivative(np.sin, np.nan),
        ValueError,
        r"`x` must be finite \(no NaN or inf\)",
    ),
    ("x inf", lambda: gradient(_sum_sq, [1.0, np.inf]), ValueError, "`x` must be finite"),
    (
        "x string",
        lambda: derivative(np.sin, "a"),
        TypeError,
        "`x` must be array-like of real numbers",
    ),
    (
        "h negative",
        lambda: derivative(np.sin, 1.0, h=-0.001),
        ValueError,
        r"`h` must be positive; got -0\.001\.",
    ),
    (
        "h zero",
        lambda: derivative(np.sin, 1.0, h=0),
        ValueError,
        r"`h` must be positive; got 0\.0\.",
    ),
    (
        "h inf",
        lambda: gradient(_sum_sq, [1.0], h=np.inf),
        ValueError,
        "`h` must be finite; got inf",
    ),
    (
        "method unknown",
        lambda: derivative(np.sin, 1.0, method="five-point"),
        ValueError,
        r"`method` must be one of \['backward', 'central', 'complex', 'forward', "
        r"'richardson'\]; got 'five-point'\.",
    ),
    (
        "hessian method",
        lambda: hessian(_sum_sq, [1.0], method="spline"),
        ValueError,
        "`method` must be one of",
    ),
    (
        "i too large",
        lambda: partial(_sum_sq, [1.0, 2.0], 2),
        ValueError,
        "`i` must be less than n = 2.*got 2",
    ),
    (
        "i negative",
        lambda: partial(_sum_sq, [1.0, 2.0], -1),
        ValueError,
        "`i` must be at least 0; got -1",
    ),
    (
        "i float",
        lambda: partial(_sum_sq, [1.0, 2.0], 0.5),
        TypeError,
        "`i` must be an integer; got float",
    ),
    (
        "v wrong shape",
        lambda: directional_derivative(_sum_sq, [1.0, 2.0], [1.0, 2.0, 3.0]),
        ValueError,
        r"`v` must have shape \(2,\) or the shape of `x` \(2,\); got shape \(3,\)",
    ),
    (
        "v nan",
        lambda: directional_derivative(_sum_sq, [1.0, 2.0], [1.0, np.nan]),
        ValueError,
        "`v` must be finite",
    ),
    (
        "x scalar",
        lambda: gradient(_sum_sq, 1.0),
        ValueError,
        "`x` must have at least one axis.*got a scalar",
    ),
    (
        "x no coordinate",
        lambda: gradient(_sum_sq, np.zeros((3, 0))),
        ValueError,
        "`x` must have at least one coord",
    ),
    (
        "f returns (..., n)",
        lambda: gradient(lambda p: p, [1.0, 2.0]),
        ValueError,
        r"`f` must map points of shape \(\.\.\., n\) to values of shape \(\.\.\.\); got shape",
    ),
    (
        "hessian f returns (..., n)",
        lambda: hessian(lambda p: p, [1.0, 2.0]),
        ValueError,
        r"`f` must map points of shape \(\.\.\., n\) to values of shape \(\.\.\.\)",
    ),
    (
        "F returns (...)",
        lambda: jacobian(_sum_sq, [1.0, 2.0]),
        ValueError,
        r"`F` must map points of shape \(\.\.\., n\) to values of shape \(\.\.\., m\)",
    ),
    (
        "f not elementwise",
        lambda: derivative(lambda x: np.sum(x), [1.0, 2.0]),
        ValueError,
        r"`f` must return an array of the same shape as its input; got shape.*vectorised",
    ),
    (
        "f returns a scalar for a batch",
        lambda: gradient(lambda p: 1.0, [1.0, 2.0]),
        ValueError,
        r"got shape \(\) for input of shape \(8, 2\) \(is `f` vectorised\?\)",
    ),
    (
        "f returns strings",
        lambda: gradient(_strings, [1.0, 2.0]),
        TypeError,
        "`f` must return numbers; got dtype <U1",
    ),
    (
        "f returns None",
        lambda: gradient(lambda p: None, [1.0]),
        ValueError,
        r"`f` must map points of shape .*got shape \(\) .*\(is `f` vectorised\?\)",
    ),
    (
        "grad wrong shape",
        lambda: check_grad(_sum_sq, lambda p: p[..., 0], [1.0, 2.0]),
        ValueError,
        r"`grad` must return an array of the shape of `x` \(2,\); got shape \(\)",
    ),
    (
        "grad non-finite",
        lambda: check_grad(_sum_sq, lambda p: p * np.nan, [1.0, 2.0]),
        ValueError,
        r"`grad` returned non-finite values at x = array\(\[1\., 2\.\]\)",
    ),
    (
        "grad strings",
        lambda: check_grad(_sum_sq, lambda p: np.array(["a"]), [1.0]),
        TypeError,
        "`grad` must return real numbers",
    ),
    (
        "check_grad no points",
        lambda: check_grad(_sum_sq, lambda p: 2 * p, np.zeros((0, 2))),
        ValueError,
        r"`x` holds no points \(shape \(0, 2\)\)",
    ),
    # numerical failure: non-finite values of f after the domain retries
    (
        "log at -1",
        lambda: derivative(np.log, -1.0),
        ValueError,
        r"`f` is not finite near x = -1 \(f = nan there\)",
    ),
    (
        "log at -1 richardson",
        lambda: derivative(np.log, -1.0, method="richardson"),
        ValueError,
        "`f` is not finite near x = -1",
    ),
    (
        "log at -1 complex",
        lambda: derivative(np.log, -1.0, method="complex"),
        ValueError,
        "`f` is not finite near x = -1",
    ),
    (
        "sqrt at 0: nan left of x",
        lambda: derivative(np.sqrt, 0.0),
        ValueError,
        "`f` is not finite near x = 0 .*however small the step",
    ),
    (
        "gradient names the coordinate",
        lambda: gradient(lambda p: p[..., 0] ** 2 + np.sqrt(p[..., 1]), [1.0, 0.0]),
        ValueError,
        r"`f` is not finite near x = array\(\[1\., 0\.\]\), coordinate 1",
    ),
    (
        "F not finite",
        lambda: jacobian(lambda p: np.stack([p[..., 0], np.log(-p[..., 1])], -1), [1.0, 2.0]),
        ValueError,
        "`F` is not finite near",
    ),
    (
        "hessian log at -1",
        lambda: hessian(lambda p: np.log(p[..., 0]), [-1.0]),
        ValueError,
        r"`f` is not finite near x = -1 \(entry \(0, 0\)",
    ),
    (
        "hole right of x",
        lambda: derivative(lambda t: np.where(t > 1, np.nan, t), 1.0),
        ValueError,
        "`f` is not finite near x = 1",
    ),
    # complex output on the real path
    (
        "complex output",
        lambda: derivative(lambda t: t * (1 + 1j), 1.0),
        ValueError,
        "`f` returned complex values for real input",
    ),
    (
        "complex output richardson",
        lambda: derivative(lambda t: t * (1 + 1j), 1.0, method="richardson"),
        ValueError,
        "`f` returned complex values",
    ),
    (
        "complex output F",
        lambda: jacobian(lambda p: p * 1j, [1.0, 2.0]),
        ValueError,
        "`F` returned complex values",
    ),
    (
        "complex output hessian",
        lambda: hessian(lambda p: p.sum(-1) * 1j, [1.0, 2.0]),
        ValueError,
        "`f` returned complex values",
    ),
    # user steps
    (
        "h lost at 1",
        lambda: derivative(np.sin, 1.0, h=1e-300),
        ValueError,
        r"`h` = 1e-300 is lost in rounding: x \+ h == x at x = 1",
    ),
    (
        "h lost at 1e10",
        lambda: derivative(np.sin, 1e10, h=1e-8),
        ValueError,
        "`h` = 1e-08 is lost in rounding",
    ),
    (
        "h lost richardson",
        lambda: derivative(np.sin, 1.0, method="richardson", h=1e-300),
        ValueError,
        "`h` = 1e-300 is lost",
    ),
    (
        "h lost gradient",
        lambda: gradient(_sum_sq, [1.0, 2.0], h=1e-300),
        ValueError,
        r"lost in rounding: .*coordinate 0",
    ),
    (
        "h lost directional",
        lambda: directional_derivative(_sum_sq, [1.0, 2.0], [1.0, 1.0], h=1e-300),
        ValueError,
        "along v",
    ),
    (
        "h lost hessian",
        lambda: hessian(_sum_sq, [1.0, 2.0], h=1e-300),
        ValueError,
        "`h` = 1e-300 is lost",
    ),
    # memory: refused up front
    (
        "hessian too large",
        lambda: hessian(_sum_sq, np.ones(1000)),
        ValueError,
        r"`x` is too large for a Hessian.*\d+\.\d GiB",
    ),
    (
        "gradient too large",
        lambda: gradient(_sum_sq, np.ones(20_000)),
        ValueError,
        r"`x` is too large .* GiB",
    ),
    # complex safety
    (
        "abs: real output",
        lambda: derivative(np.abs, 1.0, method="complex"),
        ValueError,
        "`f` is not complex-safe: it returned dtype float64 for complex input.*'central'",
    ),
    (
        "conj",
        lambda: derivative(lambda x: np.conj(x) ** 3, 1.0, method="complex"),
        ValueError,
        "`f` is not complex-safe: the complex step gives",
    ),
    (
        "TypeError on complex only",
        lambda: derivative(_float_each, [1.0], method="complex"),
        ValueError,
        r"`f` is not complex-safe \(it raised TypeError.*on complex input, but not on real input\)",
    ),
]


@pytest.mark.parametrize(
    ("call", "error", "match"), [row[1:] for row in BAD_INPUT], ids=[row[0] for row in BAD_INPUT]
)
def test_input_validation(call, error, match):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AccuracyWarning)
        with pytest.raises(error, match=match):
            call()


# (id, call, message): inputs whose result may be wrong, reported by an AccuracyWarning.
UNRELIABLE = [
    (
        "sign at 0",
        lambda: derivative(np.sign, 0.0),
        r"`f` at x = 0 is unreliable: it is 262144 at h",
    ),
    (
        "step function forward",
        lambda: derivative(lambda t: (t > 0) * 1.0, 0.0, method="forward"),
        "unreliable",
    ),
    (
        "sqrt at 0 forward",
        lambda: derivative(np.sqrt, 0.0, method="forward"),
        "`f` at x = 0 is unreliable",
    ),
    ("sin at 1e8", lambda: derivative(np.sin, 1e8), r"`f` at x = 1e\+08 is unreliable"),
    ("sin at 1e8 forward", lambda: derivative(np.sin, 1e8, method="forward"), "unreliable"),
    (
        "sin at 1e8 richardson",
        lambda: derivative(np.sin, 1e8, method="richardson"),
        r"Richardson extrapolation of `f` at x = 1e\+08",
    ),
    (
        "gradient names the coordinate",
        lambda: gradient(lambda p: np.sin(p).sum(-1), [1e8, 0.0]),
        "coordinate 0 is unreliable",
    ),
    ("pole crossed", lambda: derivative(lambda t: t**-2.0, 1e-6), "unreliable"),
    (
        "hessian forward near log edge",
        lambda: hessian(lambda p: np.log(p[..., 0]), [1e-6], method="forward"),
        r"entry \(0, 0\), is unreliable",
    ),
    ("h far too small", lambda: derivative(np.sin, 1.0, h=1e-14), "`h` = 1e-14 is far too small"),
    ("h far too large", lambda: derivative(np.sin, 1.0, h=1e4), "`h` = 10000.0 is far too large"),
    (
        "hessian h far too small",
        lambda: hessian(lambda p: np.sin(p).sum(-1), [1.0, 2.0], h=1e-10),
        "`h` = 1e-10 is far too small",
    ),
    (
        "float32 f",
        lambda: derivative(lambda t: np.sin(t.astype(np.float32)), 1.0),
        "`f` returns values of low precision",
    ),
    (
        "float16 f",
        lambda: derivative(lambda t: np.sin(t.astype(np.float16)), 1.0),
        r"machine epsilon 9\.8e-04",
    ),
    (
        "float32 gradient",
        lambda: gradient(lambda p: np.sum(p.astype(np.float32) ** 2, -1), [1.0, 2.0]),
        "low precision",
    ),
    (
        "float32 hessian",
        lambda: hessian(lambda p: np.sum(p.astype(np.float32) ** 2, -1), [1.0, 2.0]),
        "low precision",
    ),
    ("exp overflows", lambda: derivative(np.exp, 800.0), "`f` overflows to inf at x = 800"),
]


@pytest.mark.parametrize(
    ("call", "match"), [row[1:] for row in UNRELIABLE], ids=[row[0] for row in UNRELIABLE]
)
def test_unreliable_results_are_reported(call, match):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    messages = [str(w.message) for w in caught if issubclass(w.category, AccuracyWarning)]
    assert any(re.search(match, m) for m in messages), messages
    assert len(messages) == len(caught)  # and nothing but AccuracyWarnings (no NumPy noise)


def test_reported_results_are_still_the_best_available():
    """The warnings come with results: a genuine overflow stays inf, float32 gets float32 steps."""
    with pytest.warns(AccuracyWarning):
        assert derivative(np.exp, 800.0) == np.inf
    with pytest.warns(AccuracyWarning):
        assert derivative(lambda t: -np.exp(t), 800.0, method="richardson") == -np.inf
    with pytest.warns(AccuracyWarning, match="overflows to inf at x = array"):
        g = gradient(lambda p: np.exp(p).sum(-1), [800.0, 0.0])
    assert g[0] == np.inf  # (f is inf along every coordinate, so g[1] is reported inf too)
    with pytest.warns(AccuracyWarning, match="low precision"):
        d = derivative(lambda t: np.sin(t.astype(np.float32)), 1.0)
    assert abs(d - np.cos(1.0)) < 5e-4  # the float64 step gave 0.5390625 (2e-3 off)


def test_domain_retries_reach_points_next_to_the_edge():
    """Steps jump to the scale of |x| itself: log at 1e-300 is not out of reach."""
    # (backward: round-off eps |log x| / h is 2e-5 of the derivative at its step, x * 7.5e-9)
    for method, rtol in [
        ("central", 1e-6),
        ("richardson", 1e-9),
        ("complex", 1e-12),
        ("backward", 1e-4),
    ]:
        assert derivative(np.log, 1e-300, method=method) == pytest.approx(1e300, rel=rtol)
    H = hessian(lambda p: np.log(p[..., 0]) + p[..., 1] ** 2, [1e-6, 1.0])  # hessian retries
    np.testing.assert_allclose(H, [[-1e12, 0.0], [0.0, 2.0]], rtol=1e-4, atol=1e-3)
    with warnings.catch_warnings():
        warnings.simplefilter("error", AccuracyWarning)
        H = hessian(lambda p: np.log(p[..., 0]), [[1e-6], [1e-3]], method="richardson")
    np.testing.assert_allclose(H[:, 0, 0], [-1e12, -1e6], rtol=1e-6)


def test_user_exceptions_keep_their_type_with_a_note():
    class Mine(Exception):
        pass

    def raises(exc):
        def f(x):
            raise exc

        return f

    with pytest.raises(Mine) as info:
        gradient(raises(Mine("inside f")), [1.0, 2.0])
    assert any("`f` is called once on an array of shape (8, 2)" in n for n in info.value.__notes__)
    with pytest.raises(TypeError, match="bug inside f") as info:  # not relabelled
        derivative(raises(TypeError("bug inside f")), 1.0, method="complex")
    assert "complex-safe" not in str(info.value)
    with pytest.raises(TypeError) as info:  # math.sin on an array: not vectorised
        derivative(math.sin, np.array([1.0, 2.0]))
    assert any("it must be vectorised" in n and "math.sin" in n for n in info.value.__notes__)
    with pytest.raises(ValueError, match="truth value") as info:  # `if` on an array
        derivative(lambda t: t if t > 0 else -t, np.array([1.0, -2.0]))
    assert any("`f` is called once" in n for n in info.value.__notes__)


def test_check_grad_hands_grad_a_copy_of_x():
    x = np.array([1.0, 2.0])

    def scaling_grad(p):
        p *= 2  # a buggy grad that scales its input in place
        return p

    check_grad(_sum_sq, scaling_grad, x)
    np.testing.assert_array_equal(x, [1.0, 2.0])


@pytest.mark.parametrize("method", METHODS)
def test_empty_batches(method):
    empty = np.zeros((0, 2))
    assert gradient(_sum_sq, empty, method=method).shape == (0, 2)
    assert gradient(_sum_sq, np.zeros((3, 0, 2)), method=method).shape == (3, 0, 2)
    assert jacobian(lambda p: np.stack([p[..., 0]] * 3, -1), empty, method=method).shape == (
        0,
        3,
        2,
    )
    assert hessian(_sum_sq, empty, method=method).shape == (0, 2, 2)
    assert partial(_sum_sq, empty, 1, method=method).shape == (0,)
    assert directional_derivative(_sum_sq, empty, [1.0, 0.0], method=method).shape == (0,)
    assert derivative(np.sin, np.zeros((2, 0)), method=method).shape == (2, 0)


def test_blocked_paths_build_no_n_by_n_array(monkeypatch):
    """With tiny blocks, gradient's and hessian's memory stays far below n x n numbers."""
    monkeypatch.setattr(module, "_MAX_NUMBERS", 2**12)
    n = 1500  # an n x n float64 identity would be 18 MB
    x = np.linspace(-1, 1, n)
    tracemalloc.start()
    try:
        g = gradient(_sum_sq, x)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    np.testing.assert_allclose(g, 2 * x, atol=1e-7)  # round-off: eps * sum(x**2) / h
    assert peak < 2e6, peak
    monkeypatch.setattr(module, "_MAX_NUMBERS", 12)  # one pair (4 points of n = 3) per call
    counted = CallCounter(_expsum)
    H = hessian(counted, np.array([0.1, -0.2, 0.3]))
    monkeypatch.setattr(module, "_MAX_NUMBERS", 2**24)
    np.testing.assert_allclose(H, hessian(_expsum, np.array([0.1, -0.2, 0.3])), rtol=1e-12)
    assert counted.sizes == [12] * 6 + [12] * 3  # 6 pairs i <= j, then the diagonal at h/2


def test_scales_follow_the_support_of_v():
    """Only the coordinates that move set the step: x_0 = 1e6 must not widen a step in x_1."""
    x, v = np.array([[1e6, 0.3]]), np.array([[[0.0, 1.0]]])
    np.testing.assert_array_equal(module._scales(x, v), [[1.0]])
    f = lambda p: p[..., 0] + np.sin(50 * p[..., 1])  # noqa: E731
    with warnings.catch_warnings():
        warnings.simplefilter("error", AccuracyWarning)
        d = directional_derivative(f, [1e6, 0.3], [0.0, 2.0])
    assert d == pytest.approx(100 * np.cos(15.0), rel=1e-6)  # round-off of f ~ 1e6
    d = directional_derivative(_sum_sq, [1.0, 2.0], [1e-310, 0.0])  # subnormal v
    assert d == pytest.approx(2e-310, rel=1e-6)


COMPLEX_SAFE_TINY = [
    ("softplus at -20", lambda: derivative(softplus, -20.0, method="complex"), sigmoid(-20.0)),
    ("softplus at -40", lambda: derivative(softplus, -40.0, method="complex"), sigmoid(-40.0)),
    ("1e-300 t", lambda: derivative(lambda t: 1e-300 * t, 0.0, method="complex"), 1e-300),
    (
        "tiny polynomial",
        lambda: derivative(lambda t: 2.2250738585072014e-308 * t, 0.0, method="complex"),
        2.2250738585072014e-308,
    ),
    (
        "tiny gradient",
        lambda: gradient(lambda p: 1e-300 * _sum_sq(p), [1.0, 2.0], method="complex"),
        [2e-300, 4e-300],
    ),
    (
        "tiny hessian",
        lambda: hessian(lambda p: 1e-300 * _sum_sq(p), [1.0, 2.0], method="complex"),
        2e-300 * np.eye(2),
    ),
]


@pytest.mark.parametrize(
    ("call", "exact"), [r[1:] for r in COMPLEX_SAFE_TINY], ids=[r[0] for r in COMPLEX_SAFE_TINY]
)
def test_complex_step_accepts_tiny_derivatives_of_complex_safe_functions(call, exact):
    """Im f(x + ih) underflows for these; the check no longer blames f, and a larger step
    keeps the result accurate."""
    np.testing.assert_allclose(call(), exact, rtol=1e-9, atol=1e-310)


def test_options_are_keyword_only_and_scalars_are_floats():
    for name in module.__all__:
        obj = getattr(module, name)
        if not inspect.isfunction(obj):
            continue
        params = inspect.signature(obj).parameters
        for option in ("method", "h"):
            assert params[option].kind is inspect.Parameter.KEYWORD_ONLY, (name, option)
    assert type(derivative(np.sin, 1.0)) is float
    assert type(partial(_sum_sq, [1.0, 2.0], 0)) is float
    assert type(directional_derivative(_sum_sq, [1.0, 2.0], [1.0, 0.0])) is float
    assert type(check_grad(_sum_sq, lambda p: 2 * p, [1.0, 2.0])) is float


def test_chapter_includes_of_differentiate_resolve():
    """The literalinclude anchors the chapters use still point at code in the module."""
    source = (ROOT / "src/calcdocs/differentiate.py").read_text()
    found = 0
    for page in sorted((ROOT / "docs").rglob("*.md")):
        for block in re.findall(
            r"```\{literalinclude\} [./]*src/calcdocs/differentiate\.py\n(.*?)```",
            page.read_text(),
            re.S,
        ):
            options = dict(re.findall(r"^:([\w-]+): ?(.*)$", block, re.M))
            if "pyobject" in options:
                assert re.search(rf"^(def|class) {options['pyobject']}\b", source, re.M), (
                    page,
                    options,
                )
            for key in ("start-at", "end-at", "start-after", "end-before"):
                if key in options:
                    assert options[key].strip('"') in source, (page, key, options[key])
            found += 1
    assert found >= 3


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("power", [2, 3, 5])
def test_no_false_alarm_where_only_truncation_moves_the_quotient(method, power):
    """At a stationary point every quotient is pure truncation, shrinking at least as fast
    as the order: no AccuracyWarning (the Hypothesis polynomials x**3, x**5 at 0 found it)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", AccuracyWarning)
        d = derivative(lambda t: t**power, np.array([0.0, 1.0]), method=method)
    atol = 2e-8 if method in ("forward", "backward") else 1e-9  # forward: h f''/2 at x**2
    np.testing.assert_allclose(d, [0.0, power], atol=atol, rtol=1e-6)
