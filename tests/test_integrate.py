"""Tests for calcdocs.integrate: measured convergence orders, exactness, agreement with SciPy,
boxes in several dimensions, Monte Carlo statistics, the fundamental theorem and bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest

from calcdocs import (
    MonteCarloResult,
    cumulative_trapezoid,
    derivative,
    monte_carlo,
    riemann,
    simpson,
    trapezoid,
)
from calcdocs.integrate import _BLOCK, _RULES

scipy_integrate = pytest.importorskip("scipy.integrate")

# The orders the issue asks for, independent of the rule table (which must agree with them).
EXPECTED_ORDER = {"left": 1, "right": 1, "midpoint": 2, "trapezoid": 2, "simpson": 4}

RULES = {
    "left": lambda f, a, b, n: riemann(f, a, b, n, rule="left"),
    "right": lambda f, a, b, n: riemann(f, a, b, n, rule="right"),
    "midpoint": lambda f, a, b, n: riemann(f, a, b, n, rule="midpoint"),
    "trapezoid": trapezoid,
    "simpson": simpson,
}

# Integrands with closed-form integrals, none of them symmetric on its interval, so that
# no leading error term vanishes: (name, f, a, b, integral).
CLOSED_FORM = [
    ("exp on [0, 1]", np.exp, 0.0, 1.0, math.e - 1),
    ("sin on [0, 1]", np.sin, 0.0, 1.0, 1 - math.cos(1.0)),
    ("1/(1+x) on [0, 1]", lambda x: 1 / (1 + x), 0.0, 1.0, math.log(2.0)),
    ("x^5 on [-1, 2]", lambda x: x**5, -1.0, 2.0, (2.0**6 - 1.0) / 6),
]
CLOSED_FORM_IDS = [c[0] for c in CLOSED_FORM]


def _loglog_slope(ns, errors):
    return float(np.polyfit(np.log(ns), np.log(errors), 1)[0])


def test_rule_table_states_the_expected_orders():
    assert {name: rule.order for name, rule in _RULES.items()} == EXPECTED_ORDER


# ------------------------------------------------------------------------------------------
# Convergence orders, measured
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("rule", sorted(RULES))
@pytest.mark.parametrize(("name", "f", "a", "b", "exact"), CLOSED_FORM, ids=CLOSED_FORM_IDS)
def test_measured_order_matches_the_theory(rule, name, f, a, b, exact):
    ns = np.array([8, 16, 32, 64, 128])
    errors = np.array([abs(RULES[rule](f, a, b, int(n)) - exact) for n in ns])
    assert np.all(errors > 1e-13), "errors must stay above round-off to measure an order"
    slope = _loglog_slope(ns, errors)
    assert slope == pytest.approx(-EXPECTED_ORDER[rule], abs=0.1), (rule, errors)


@pytest.mark.parametrize("rule", sorted(RULES))
def test_measured_order_per_axis_on_a_box(rule):
    """In two dimensions the error still falls like h**p, h the width per axis."""

    def f(p):
        return np.exp(p[..., 0] + 2 * p[..., 1])

    exact = (math.e - 1) * (math.e**2 - 1) / 2
    ns = np.array([8, 16, 32, 64])
    errors = [abs(RULES[rule](f, [0.0, 0.0], [1.0, 1.0], int(n)) - exact) for n in ns]
    assert _loglog_slope(ns, errors) == pytest.approx(-EXPECTED_ORDER[rule], abs=0.1)


def test_monte_carlo_rms_error_falls_like_one_over_sqrt_n():
    exact = math.e - 1
    ns = np.array([100, 400, 1600, 6400])
    rms = []
    for n in ns:
        errors = [
            monte_carlo(np.exp, 0.0, 1.0, int(n), rng=seed).estimate - exact for seed in range(300)
        ]
        rms.append(math.sqrt(np.mean(np.square(errors))))
    assert _loglog_slope(ns, rms) == pytest.approx(-0.5, abs=0.08)


def test_monte_carlo_order_does_not_depend_on_the_dimension():
    """In 6 dimensions the RMS error still falls like n**-1/2 (a grid rule would be n**-p/6)."""

    def f(p):
        return np.exp(np.sum(p, axis=-1) / 6)

    d = 6
    exact = (6 * (math.exp(1 / 6) - 1)) ** d
    ns = np.array([200, 800, 3200])
    rms = []
    for n in ns:
        errors = [
            monte_carlo(f, np.zeros(d), np.ones(d), int(n), rng=seed).estimate - exact
            for seed in range(200)
        ]
        rms.append(math.sqrt(np.mean(np.square(errors))))
    assert _loglog_slope(ns, rms) == pytest.approx(-0.5, abs=0.1)


# ------------------------------------------------------------------------------------------
# Exactness and sums by hand
# ------------------------------------------------------------------------------------------
def test_rules_are_exact_for_the_polynomials_they_should_be():
    def cubic(x):
        return 2 * x**3 - x**2 + 3 * x - 1

    exact_cubic = 2 * 2**4 / 4 - 2**3 / 3 + 3 * 2**2 / 2 - 2  # over [0, 2]
    assert simpson(cubic, 0.0, 2.0, 2) == pytest.approx(exact_cubic, rel=1e-14)
    assert simpson(cubic, 0.0, 2.0, 10) == pytest.approx(exact_cubic, rel=1e-14)
    assert trapezoid(lambda x: 3 * x - 1, 0.0, 2.0, 1) == pytest.approx(4.0, rel=1e-15)
    assert riemann(lambda x: 3 * x - 1, 0.0, 2.0, 1, rule="midpoint") == pytest.approx(4.0)
    # and not exact beyond: the quartic shows Simpson's error term
    assert abs(simpson(lambda x: x**4, 0.0, 1.0, 2) - 0.2) > 1e-3


def test_sums_match_their_definitions():
    def f(x):
        return np.exp(-x) * np.cos(3 * x)

    a, b, n = 0.5, 2.0, 7
    h = (b - a) / n
    x = a + h * np.arange(n + 1)
    assert riemann(f, a, b, n) == pytest.approx(h * f(x[:-1]).sum(), rel=1e-13)
    assert riemann(f, a, b, n, rule="right") == pytest.approx(h * f(x[1:]).sum(), rel=1e-13)
    mid = riemann(f, a, b, n, rule="midpoint")
    assert mid == pytest.approx(h * f(x[:-1] + h / 2).sum(), rel=1e-13)
    trap = trapezoid(f, a, b, n)
    assert trap == pytest.approx(h * (f(x).sum() - (f(a) + f(b)) / 2), rel=1e-13)


def test_left_and_right_sums_bracket_a_monotone_integral():
    for n in (1, 3, 10, 100):
        lo, hi = riemann(np.exp, 0.0, 1.0, n), riemann(np.exp, 0.0, 1.0, n, rule="right")
        assert lo < math.e - 1 < hi
        assert hi - lo == pytest.approx((math.e - 1) / n, rel=1e-12)  # (f(b) - f(a)) h


@pytest.mark.parametrize("rule", sorted(RULES))
def test_reversed_and_empty_intervals(rule):
    integrate = RULES[rule]
    forward = integrate(np.exp, 0.0, 1.0, 8)
    backward = integrate(np.exp, 1.0, 0.0, 8)
    if rule in ("left", "right"):  # left from 1 to 0 samples the points right from 0 to 1
        other = "right" if rule == "left" else "left"
        assert backward == pytest.approx(-RULES[other](np.exp, 0.0, 1.0, 8), rel=1e-14)
    else:
        assert backward == pytest.approx(-forward, rel=1e-14)
    assert integrate(np.exp, 0.7, 0.7, 8) == 0.0


def test_results_are_python_floats():
    for rule in RULES.values():
        assert type(rule(np.exp, 0.0, 1.0, 4)) is float
        assert type(rule(lambda p: p[..., 0], [0.0, 0.0], [1.0, 1.0], 4)) is float
    result = monte_carlo(np.exp, 0.0, 1.0, 100, rng=0)
    assert isinstance(result, MonteCarloResult)
    assert type(result.estimate) is float and type(result.stderr) is float


# ------------------------------------------------------------------------------------------
# Agreement with SciPy (where both apply)
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "f", "a", "b", "exact"), CLOSED_FORM, ids=CLOSED_FORM_IDS)
def test_agrees_with_scipy(name, f, a, b, exact):
    n = 64
    x = np.linspace(a, b, n + 1)
    assert trapezoid(f, a, b, n) == pytest.approx(scipy_integrate.trapezoid(f(x), x=x), rel=1e-13)
    assert simpson(f, a, b, n) == pytest.approx(scipy_integrate.simpson(f(x), x=x), rel=1e-13)
    xs, F = cumulative_trapezoid(f, a, b, n)
    np.testing.assert_allclose(xs, x, rtol=1e-15, atol=1e-15)
    np.testing.assert_allclose(
        F, scipy_integrate.cumulative_trapezoid(f(x), x=x, initial=0), rtol=1e-12, atol=1e-15
    )
    quad_value, _ = scipy_integrate.quad(f, a, b)
    assert simpson(f, a, b, 512) == pytest.approx(quad_value, rel=1e-8)
    assert quad_value == pytest.approx(exact, rel=1e-12)  # the closed forms are right


def test_box_agrees_with_scipy_tplquad():
    def f(p):
        x, y, z = p[..., 0], p[..., 1], p[..., 2]
        return np.exp(-x * y) * np.cos(z) + x * z

    lo, hi = np.array([0.0, -1.0, 0.5]), np.array([1.0, 2.0, 1.5])
    # tplquad integrates func(z, y, x) with x outermost
    ref, _ = scipy_integrate.tplquad(
        lambda z, y, x: f(np.array([x, y, z])),
        *(lo[0], hi[0], lo[1], hi[1], lo[2], hi[2]),
        epsabs=1e-11,
        epsrel=1e-11,
    )
    assert simpson(f, lo, hi, 40) == pytest.approx(ref, rel=1e-6)
    assert simpson(f, lo, hi, 80) == pytest.approx(ref, rel=1e-7)
    assert trapezoid(f, lo, hi, 40) == pytest.approx(ref, rel=1e-3)
    assert riemann(f, lo, hi, 40, rule="midpoint") == pytest.approx(ref, rel=1e-3)
    est, se = monte_carlo(f, lo, hi, 200_000, rng=3)
    assert abs(est - ref) < 4 * se


# ------------------------------------------------------------------------------------------
# Boxes in several dimensions
# ------------------------------------------------------------------------------------------
def test_box_of_a_product_is_the_product_of_integrals():
    def f(p):
        return np.exp(p[..., 0]) * np.sin(p[..., 1]) * (1 + p[..., 2] ** 2)

    lo, hi = [0.0, 0.0, -1.0], [1.0, 2.0, 1.0]
    one_d = [(np.exp, 0.0, 1.0), (np.sin, 0.0, 2.0), (lambda t: 1 + t**2, -1.0, 1.0)]
    for rule in ("left", "midpoint", "trapezoid", "simpson"):
        product = math.prod(RULES[rule](g, a, b, 10) for g, a, b in one_d)
        assert RULES[rule](f, lo, hi, 10) == pytest.approx(product, rel=1e-12)


def test_box_with_one_reversed_axis_is_negative():
    def f(p):
        return 1 + p[..., 0] * p[..., 1]

    assert simpson(f, [0.0, 1.0], [1.0, 0.0], 4) == pytest.approx(-1.25, rel=1e-14)
    assert monte_carlo(f, [0.0, 1.0], [1.0, 0.0], 1000, rng=0).estimate < 0


def test_box_of_one_dimension_matches_one_variable():
    vec = trapezoid(lambda p: np.exp(p[..., 0]), [0.0], [1.0], 16)
    assert vec == pytest.approx(trapezoid(np.exp, 0.0, 1.0, 16), rel=1e-14)


def test_grid_rules_call_f_once_per_block():
    calls = []

    def f(p):
        calls.append(p.shape)
        return np.cos(p[..., 0]) * p[..., 1]

    simpson(f, [0.0, 0.0], [1.0, 1.0], 20)
    assert calls == [(21 * 21, 2)]
    calls.clear()
    n = 1100  # (n + 1)**2 points, more than one block
    value = trapezoid(f, [0.0, 0.0], [1.0, 1.0], n)
    assert (
        len(calls) == math.ceil((n + 1) ** 2 / _BLOCK) and sum(c[0] for c in calls) == (n + 1) ** 2
    )
    assert value == pytest.approx(math.sin(1.0) / 2, rel=1e-6)


def test_monte_carlo_in_blocks_counts_every_sample():
    calls = []

    def f(x):
        calls.append(len(x))
        return x**2

    n = _BLOCK + 1000
    est, se = monte_carlo(f, 0.0, 3.0, n, rng=0)
    assert calls == [_BLOCK, 1000]
    assert abs(est - 9.0) < 4 * se and se < 0.01


def test_ball_volume_in_five_dimensions():
    def ball(p):
        return (np.sum(p**2, axis=-1) <= 1).astype(float)

    exact = 8 * math.pi**2 / 15
    est, se = monte_carlo(ball, -np.ones(5), np.ones(5), 400_000, rng=7)
    assert abs(est - exact) < 4 * se
    # the standard error of an indicator is known: V sqrt(p (1 - p) / n)
    p = exact / 32
    assert se == pytest.approx(32 * math.sqrt(p * (1 - p) / 400_000), rel=0.02)


# ------------------------------------------------------------------------------------------
# Monte Carlo statistics
# ------------------------------------------------------------------------------------------
def test_monte_carlo_is_reproducible_with_a_seed_or_generator():
    assert monte_carlo(np.sin, 0.0, 1.0, 500, rng=5) == monte_carlo(np.sin, 0.0, 1.0, 500, rng=5)
    gen = np.random.default_rng(5)
    first, second = (
        monte_carlo(np.sin, 0.0, 1.0, 500, rng=gen),
        monte_carlo(np.sin, 0.0, 1.0, 500, rng=gen),
    )
    assert first != second  # the generator advanced
    assert first == monte_carlo(np.sin, 0.0, 1.0, 500, rng=np.random.default_rng(5))
    assert monte_carlo(np.sin, 0.0, 1.0, 500) != monte_carlo(np.sin, 0.0, 1.0, 500)


def test_monte_carlo_standard_error_is_calibrated():
    """The error lies within two standard errors in about 95% of runs."""
    exact = 1 - math.cos(1.0)
    runs = [monte_carlo(np.sin, 0.0, 1.0, 400, rng=seed) for seed in range(400)]
    inside = np.mean([abs(r.estimate - exact) < 2 * r.stderr for r in runs])
    assert 0.91 < inside < 0.99
    # and it estimates the true standard deviation sigma |V| / sqrt(n)
    sigma = math.sqrt((1 - math.sin(2.0) / 2) / 2 - exact**2)  # Var sin(U), U ~ U(0, 1)
    mean_se = np.mean([r.stderr for r in runs])
    assert mean_se == pytest.approx(sigma / math.sqrt(400), rel=0.02)


def test_monte_carlo_of_a_constant_has_zero_error():
    est, se = monte_carlo(lambda x: 2.5 + 0 * x, 1.0, 3.0, 50, rng=0)
    assert est == pytest.approx(5.0, rel=1e-15) and se == pytest.approx(0.0, abs=1e-14)


# ------------------------------------------------------------------------------------------
# The fundamental theorem of calculus
# ------------------------------------------------------------------------------------------
def test_cumulative_trapezoid_accumulates_and_ends_at_trapezoid():
    x, F = cumulative_trapezoid(np.cos, 0.0, 2.0, 400)
    assert x.shape == F.shape == (401,) and F[0] == 0.0
    assert F[-1] == pytest.approx(trapezoid(np.cos, 0.0, 2.0, 400), rel=1e-13)
    np.testing.assert_allclose(F, np.sin(x), atol=1e-5)  # an antiderivative of cos
    error = np.max(np.abs(F - np.sin(x)))
    _, F2 = cumulative_trapezoid(np.cos, 0.0, 2.0, 800)
    assert error / np.max(np.abs(F2 - np.sin(np.linspace(0, 2, 801)))) == pytest.approx(4, rel=0.02)


def test_derivative_of_the_cumulative_integral_gives_back_f():
    """F(x) = integral of f from a to x; calcdocs.derivative of F returns f (FTC)."""

    def f(t):
        return np.exp(-(t**2)) * (1 + np.sin(3 * t))

    n = 2000
    x, F = cumulative_trapezoid(f, -1.0, 2.0, n)

    def accumulated(t):  # F between the grid points, by linear interpolation
        return np.interp(t, x, F)

    mids = (x[:-1] + x[1:]) / 2  # inside each cell, where the interpolant is smooth
    slopes = derivative(accumulated, mids)
    h = 3.0 / n
    # the slope of the cell is the mean of f at its ends: f(mid) + h^2 f''(mid) / 8 + O(h^4)
    f2 = derivative(lambda t: derivative(f, t), mids)
    np.testing.assert_allclose(slopes, f(mids) + h**2 / 8 * f2, rtol=0, atol=1e-9)
    assert np.max(np.abs(slopes - f(mids))) > 1e-7  # the h^2 term is really there
    # without the FTC there is no reason for this: a wrong integrand is far off
    assert np.max(np.abs(slopes - np.cos(mids))) > 0.1


# ------------------------------------------------------------------------------------------
# Bad input
# ------------------------------------------------------------------------------------------
def _sq(x):
    return x**2


def _norm(p):
    return np.sum(p**2, axis=-1)


def _scalar_only(x):
    return math.sin(x)  # not vectorised


class _Sentinel(Exception):
    pass


def _raises_own(x):
    raise _Sentinel("from f")


BAD_INPUT = [
    (
        "f not callable",
        lambda: trapezoid("sin", 0, 1, 4),
        TypeError,
        "`f` must be callable; got str",
    ),
    ("n zero", lambda: riemann(_sq, 0, 1, 0), ValueError, "`n` must be at least 1; got 0"),
    ("n negative", lambda: trapezoid(_sq, 0, 1, -3), ValueError, "`n` must be at least 1; got -3"),
    ("n float", lambda: trapezoid(_sq, 0, 1, 4.0), TypeError, "`n` must be an integer; got float"),
    ("n bool", lambda: riemann(_sq, 0, 1, True), TypeError, "`n` must be an integer; got bool"),
    (
        "simpson n odd",
        lambda: simpson(_sq, 0, 1, 5),
        ValueError,
        "`n` must be even for Simpson's rule.*got 5",
    ),
    ("simpson n one", lambda: simpson(_sq, 0, 1, 1), ValueError, "`n` must be at least 2; got 1"),
    ("mc n one", lambda: monte_carlo(_sq, 0, 1, 1), ValueError, "`n` must be at least 2; got 1"),
    (
        "rule unknown",
        lambda: riemann(_sq, 0, 1, 4, rule="center"),
        ValueError,
        r"`rule` must be one of \['left', 'midpoint', 'right'\]; got 'center'",
    ),
    (
        "rule not str",
        lambda: riemann(_sq, 0, 1, 4, rule=1),
        ValueError,
        "`rule` must be one of.*got 1",
    ),
    (
        "a nan",
        lambda: trapezoid(_sq, np.nan, 1, 4),
        ValueError,
        r"`a` must be finite \(no NaN or inf\)",
    ),
    (
        "b inf",
        lambda: simpson(_sq, 0, np.inf, 4),
        ValueError,
        r"`b` must be finite \(no NaN or inf\)",
    ),
    (
        "b inf in box",
        lambda: monte_carlo(_norm, [0, 0], [1, np.inf], 9),
        ValueError,
        "`b` must be finite",
    ),
    (
        "a string",
        lambda: riemann(_sq, "0", 1, 4),
        TypeError,
        "`a` must be array-like of real numbers",
    ),
    (
        "a complex",
        lambda: trapezoid(_sq, 1j, 1, 4),
        TypeError,
        "`a` must be array-like of real numbers",
    ),
    (
        "a b shapes differ",
        lambda: trapezoid(_norm, [0, 0], [1, 1, 1], 4),
        ValueError,
        r"`a` and `b` must have the same shape; got shapes \(2,\) and \(3,\)",
    ),
    (
        "a scalar b box",
        lambda: monte_carlo(_norm, 0, [1, 1], 10),
        ValueError,
        r"`a` and `b` must have the same shape; got shapes \(\) and \(2,\)",
    ),
    (
        "a b matrices",
        lambda: trapezoid(_norm, np.zeros((2, 2)), np.ones((2, 2)), 4),
        ValueError,
        "1-D arrays",
    ),
    ("a b empty", lambda: trapezoid(_norm, [], [], 4), ValueError, "at least one coordinate"),
    (
        "cumulative box",
        lambda: cumulative_trapezoid(_norm, [0, 0], [1, 1], 4),
        ValueError,
        "`a` and `b` must be numbers",
    ),
    (
        "f not vectorised",
        lambda: trapezoid(_scalar_only, 0, 1, 4),
        TypeError,
        None,  # math.sin's own message; the note is checked below
    ),
    (
        "f returns scalar",
        lambda: trapezoid(lambda x: 1.0, 0, 1, 4),
        ValueError,
        r"`f` must return one value per point: shape \(5,\).*got shape \(\).*c \+ 0 \* x",
    ),
    (
        "f returns wrong shape in box",
        lambda: simpson(lambda p: p, [0, 0], [1, 1], 2),
        ValueError,
        r"`f` must return one value per point: shape \(9,\) for input of shape \(9, 2\); "
        r"got shape \(9, 2\)",
    ),
    (
        "f returns complex",
        lambda: trapezoid(lambda x: x * 1j, 0, 1, 4),
        TypeError,
        "`f` must return real numbers; got dtype complex128",
    ),
    (
        "f returns strings",
        lambda: trapezoid(lambda x: x.astype(str), 0, 1, 4),
        TypeError,
        "`f` must return real numbers",
    ),
    (
        "f inf at an end",
        lambda: riemann(lambda x: 1 / x, 0, 1, 4),
        ValueError,
        r"`f` must be finite at every point.*got inf at x = 0\.0.*midpoint",
    ),
    (
        "f nan inside",
        lambda: trapezoid(lambda x: np.log(x - 0.5), 0, 1, 4),
        ValueError,
        r"`f` must be finite.*got nan at x = 0\.0",
    ),
    (
        "f nan in box",
        lambda: monte_carlo(lambda p: np.log(p[..., 0] - 0.5), [0, 0], [1, 1], 10, rng=0),
        ValueError,
        r"`f` must be finite.*got nan at x = \[",
    ),
    (
        "sum overflows",
        lambda: trapezoid(lambda x: 1e308 + 0 * x, 0, 10, 4),
        ValueError,
        "`f`: the trapezoid sum overflowed to inf",
    ),
    (
        "grid too large",
        lambda: trapezoid(_norm, np.zeros(8), np.ones(8), 10),
        ValueError,
        r"`n`: the trapezoid rule with n = 10 on a box in 8 dimensions needs 11\*\*8",
    ),
    (
        "rng string",
        lambda: monte_carlo(_sq, 0, 1, 10, rng="seed"),
        TypeError,
        "`rng` must be None, an int seed or a numpy.random.Generator; got 'seed'",
    ),
    (
        "rng negative",
        lambda: monte_carlo(_sq, 0, 1, 10, rng=-1),
        ValueError,
        "`rng` must be a non-negative seed; got -1",
    ),
    (
        "rng legacy",
        lambda: monte_carlo(_sq, 0, 1, 10, rng=np.random.RandomState(0)),
        TypeError,
        "`rng` must be None",
    ),
]


@pytest.mark.parametrize(
    ("call", "error", "match"), [c[1:] for c in BAD_INPUT], ids=[c[0] for c in BAD_INPUT]
)
def test_input_validation(call, error, match):
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize(
    ("func", "args"),
    [(trapezoid, (0, 1, 4)), (monte_carlo, ([0, 0], [1, 1], 4))],
    ids=["one variable", "box"],
)
def test_errors_raised_by_f_keep_their_type_and_gain_a_note(func, args):
    with pytest.raises(_Sentinel, match="from f") as info:
        func(_raises_own, *args)
    note = " ".join(getattr(info.value, "__notes__", []))
    assert "`f` must be vectorised" in note and "shape" in note
    with pytest.raises(TypeError) as info:
        trapezoid(_scalar_only, 0, 1, 4)
    assert "np.sin, not math.sin" in " ".join(info.value.__notes__)
