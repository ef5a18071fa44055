"""Tests for calcdocs.functions: analytic derivatives against numerical ones, minima, stability."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import calcdocs
from calcdocs import (
    Dual,
    Objective,
    Tensor,
    beale,
    himmelblau,
    jvp,
    linear_regression_mse,
    log_sigmoid,
    logistic_regression_loss,
    make_linear_data,
    make_moons,
    quadratic_bowl,
    rosenbrock,
    saddle,
    sigmoid,
    softmax,
    softplus,
)


def _with_bias(X):
    return np.column_stack([np.ones(len(X)), X])


def _moons_loss(l2):
    X, y = make_moons(60, noise=0.2, seed=3)
    return logistic_regression_loss(_with_bias(X), y, l2=l2)


def _linear_loss():
    X, y, _ = make_linear_data(40, 3, noise=0.3, seed=2)
    return linear_regression_mse(X, y)


# Every objective the module can build; each test below runs over all of them.
OBJECTIVES = {
    "quadratic_bowl": lambda: quadratic_bowl(condition_number=10.0, angle=0.7),
    "rosenbrock": rosenbrock,
    "rosenbrock_4d": lambda: rosenbrock(4),
    "rosenbrock_3d_a_b": lambda: rosenbrock(3, a=0.5, b=10.0),
    "rosenbrock_2d_a": lambda: rosenbrock(a=-1.5, b=5.0),
    "himmelblau": himmelblau,
    "beale": beale,
    "saddle": saddle,
    "linear_regression_mse": _linear_loss,
    "logistic_regression_loss": lambda: _moons_loss(0.0),
    "logistic_regression_l2": lambda: _moons_loss(0.1),
}


@pytest.fixture(params=sorted(OBJECTIVES), name="objective")
def objective_fixture(request):
    return OBJECTIVES[request.param]()


def _sample_points(f, k=6, seed=0):
    """`k` random points inside the objective's plotting window, shape (k, n)."""
    low, high = np.array(f.domain).T
    return np.random.default_rng(seed).uniform(low, high, size=(k, f.n))


def _assert_close_scaled(actual, expected, rtol):
    """Compare per point, relative to the largest entry of that point's expected value."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape
    flat_a = actual.reshape(len(actual), -1)
    flat_e = expected.reshape(len(expected), -1)
    scale = np.maximum(np.max(np.abs(flat_e), axis=1, keepdims=True), 1.0)
    np.testing.assert_allclose(flat_a / scale, flat_e / scale, rtol=0, atol=rtol)


# --- derivatives against numerical differentiation -------------------------------------------


@pytest.mark.parametrize(("method", "rtol"), [("central", 1e-6), ("complex", 1e-12)])
def test_gradient_matches_numerical(objective, method, rtol):
    x = _sample_points(objective)
    numerical = calcdocs.gradient(objective, x, method=method)
    _assert_close_scaled(objective.gradient(x), numerical, rtol)


@pytest.mark.parametrize(("method", "rtol"), [("central", 1e-4), ("complex", 1e-7)])
def test_hessian_matches_numerical_second_differences(objective, method, rtol):
    x = _sample_points(objective)
    numerical = calcdocs.hessian(objective, x, method=method)
    _assert_close_scaled(objective.hessian(x), numerical, rtol)


def test_autodiff_gradient_matches_analytic(objective):
    # The third gradient of every problem: calcdocs.grad (reverse mode) and jvp (forward
    # mode) run on the objective's own value function.
    grad_f = calcdocs.grad(objective)
    rng = np.random.default_rng(4)
    for x in _sample_points(objective):
        g = objective.gradient(x)
        _assert_close_scaled(grad_f(x)[None], g[None], rtol=1e-12)
        v = rng.normal(size=x.shape)
        value, tangent = jvp(objective, x, v)
        assert value == pytest.approx(objective(x), rel=1e-13)
        assert tangent == pytest.approx(g @ v, rel=1e-9, abs=1e-9 * np.abs(g).max())


def test_autodiff_of_a_batch_gives_a_tensor_of_values(objective):
    points = _sample_points(objective, k=4)
    t = objective(Tensor(points))
    assert isinstance(t, Tensor) and t.shape == (4,)
    np.testing.assert_allclose(t.data, objective(points), rtol=1e-13)
    assert isinstance(objective(Dual(points)), Dual)


def test_hessian_is_jacobian_of_gradient(objective):
    # Second, independent route: row i of the Hessian is the gradient of the i-th partial
    # derivative, taken by the complex step (no subtraction, so near machine precision).
    x = _sample_points(objective)
    rows = [
        calcdocs.gradient(lambda z, i=i: objective.gradient(z)[..., i], x, method="complex")
        for i in range(objective.n)
    ]
    _assert_close_scaled(objective.hessian(x), np.stack(rows, axis=-2), 1e-11)


def test_hessian_is_symmetric(objective):
    H = objective.hessian(_sample_points(objective))
    np.testing.assert_array_equal(H, np.swapaxes(H, -1, -2))


# --- shapes and vectorisation ----------------------------------------------------------------


def test_grid_evaluation_equals_pointwise(objective):
    grid = _sample_points(objective, k=12).reshape(3, 4, objective.n)
    values, grads, hessians = objective(grid), objective.gradient(grid), objective.hessian(grid)
    n = objective.n
    assert values.shape == (3, 4)
    assert grads.shape == (3, 4, n)
    assert hessians.shape == (3, 4, n, n)
    for idx in np.ndindex(3, 4):
        point = grid[idx]
        np.testing.assert_allclose(values[idx], objective(point), rtol=1e-14)
        np.testing.assert_allclose(grads[idx], objective.gradient(point), rtol=1e-14, atol=1e-14)
        np.testing.assert_allclose(hessians[idx], objective.hessian(point), rtol=1e-14, atol=1e-14)
    assert np.ndim(objective(grid[0, 0])) == 0


def test_meshgrid_stacked_on_last_axis():
    f = rosenbrock()
    X, Y = np.meshgrid(np.linspace(-2, 2, 7), np.linspace(-1, 3, 5))
    Z = f(np.stack([X, Y], axis=-1))
    assert Z.shape == X.shape
    np.testing.assert_allclose(Z, 100 * (Y - X**2) ** 2 + (1 - X) ** 2)


def test_real_input_gives_real_output(objective):
    x = _sample_points(objective)
    for out in (objective(x), objective.gradient(x), objective.hessian(x)):
        assert out.dtype == np.float64


# --- minima ----------------------------------------------------------------------------------


def test_minima_are_strict_local_minimisers(objective):
    if objective.min_value is None:
        assert objective.minima.shape == (0, objective.n)
        return
    assert objective.minima.shape[0] >= 1
    rng = np.random.default_rng(1)
    for point in objective.minima:
        np.testing.assert_allclose(objective.gradient(point), 0.0, atol=1e-12)
        assert np.linalg.eigvalsh(objective.hessian(point)).min() > 0
        np.testing.assert_allclose(objective(point), objective.min_value, atol=1e-12)
        nearby = point + 1e-3 * rng.standard_normal((20, objective.n))
        assert np.all(objective(nearby) > objective.min_value)
    # and the minimum value is no larger than the value anywhere we sample
    assert np.all(objective(_sample_points(objective, k=200)) >= objective.min_value - 1e-12)


def test_minima_are_read_only(objective):
    with pytest.raises(ValueError, match="read-only"):
        objective.minima[...] = 1.0


def test_objective_is_immutable(objective):
    for name in ("name", "n", "minima", "min_value", "domain", "params"):
        with pytest.raises(AttributeError, match="immutable"):
            setattr(objective, name, getattr(objective, name))
    with pytest.raises(TypeError):
        objective.params["extra"] = 1
    for value in objective.params.values():
        if isinstance(value, np.ndarray):
            assert not value.flags.writeable


def test_value_of_one_point_is_a_python_float(objective):
    assert type(objective(_sample_points(objective)[0])) is float
    assert isinstance(objective(_sample_points(objective)), np.ndarray)


def test_domain_has_one_window_per_coordinate(objective):
    assert len(objective.domain) == objective.n
    for low, high in objective.domain:
        assert low < high
    for point in objective.minima:  # the window shows the minima
        assert all(lo < c < hi for c, (lo, hi) in zip(point, objective.domain, strict=True))


def test_saddle_critical_point_is_indefinite():
    f = saddle()
    np.testing.assert_array_equal(f.gradient([0.0, 0.0]), [0.0, 0.0])
    np.testing.assert_array_equal(np.linalg.eigvalsh(f.hessian([0.0, 0.0])), [-2.0, 2.0])
    assert f.min_value is None
    assert f([0.0, 10.0]) < f([0.0, 0.0]) < f([10.0, 0.0])


def test_himmelblau_has_four_distinct_minima():
    f = himmelblau()
    assert f.minima.shape == (4, 2)
    distances = np.linalg.norm(f.minima[:, None] - f.minima[None, :], axis=-1)
    assert np.all(distances[~np.eye(4, dtype=bool)] > 1.0)


@given(
    kappa=st.floats(1.0, 1e4),
    angle=st.floats(-np.pi, np.pi),
)
@settings(deadline=None)  # timing varies with the load of a shared machine
def test_quadratic_bowl_condition_number(kappa, angle):
    f = quadratic_bowl(condition_number=kappa, angle=angle)
    H = f.hessian([0.3, -1.2])
    np.testing.assert_allclose(np.linalg.cond(H), kappa, rtol=1e-8)
    np.testing.assert_allclose(np.linalg.eigvalsh(H), [1.0, kappa], rtol=1e-10)
    steep = np.array([-np.sin(angle), np.cos(angle)])  # the rotated second axis
    np.testing.assert_allclose(H @ steep, kappa * steep, rtol=1e-8, atol=1e-8 * kappa)


def test_rosenbrock_matches_scipy():
    optimize = pytest.importorskip("scipy.optimize")
    f = rosenbrock(5)
    for x in np.random.default_rng(4).uniform(-2, 2, size=(5, 5)):
        np.testing.assert_allclose(f(x), optimize.rosen(x), rtol=1e-14)
        np.testing.assert_allclose(f.gradient(x), optimize.rosen_der(x), rtol=1e-13)
        np.testing.assert_allclose(f.hessian(x), optimize.rosen_hess(x), rtol=1e-13)


@pytest.mark.parametrize("a", [-2.0, 0.0, 0.5, 1.0, 3.0])
def test_rosenbrock_2d_minimum_is_a_a_squared(a):
    f = rosenbrock(a=a, b=7.0)
    np.testing.assert_array_equal(f.minima, [[a, a**2]])
    assert f([a, a**2]) == 0.0


# --- ML losses -------------------------------------------------------------------------------


def test_linear_regression_mse_against_normal_equations():
    X, y, w_true = make_linear_data(200, 2, noise=0.05, seed=7)
    f = linear_regression_mse(X, y)
    w_star = np.linalg.solve(X.T @ X, X.T @ y)
    np.testing.assert_allclose(f.minima[0], w_star, rtol=1e-12)
    np.testing.assert_allclose(f.minima[0], w_true, atol=0.05)
    np.testing.assert_allclose(f.hessian(w_true), 2 / 200 * X.T @ X, rtol=1e-14)
    np.testing.assert_allclose(f(w_true), np.mean((X @ w_true - y) ** 2), rtol=1e-14)


def _naive_logistic(X, y, w, l2):
    p = 1 / (1 + np.exp(-(X @ w)))
    bce = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    return bce + 0.5 * l2 * w @ w


@pytest.mark.parametrize("l2", [0.0, 0.5])
def test_logistic_loss_matches_naive_formula_where_naive_is_stable(l2):
    X, y = make_moons(50, seed=5)
    X = _with_bias(X)
    f = logistic_regression_loss(X, y, l2=l2)
    for w in np.random.default_rng(6).normal(0, 2, size=(10, 3)):
        np.testing.assert_allclose(f(w), _naive_logistic(X, y, w, l2), rtol=1e-12)


def test_logistic_loss_stable_for_huge_weights():
    X, y = make_moons(50, seed=5)
    f = logistic_regression_loss(_with_bias(X), y)
    w = np.array([0.0, 1e3, -1e3])
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        value, grad, hess = f(w), f.gradient(w), f.hessian(w)
    z = _with_bias(X) @ w
    exact = np.mean(np.where(y == 1, np.logaddexp(0, -z), np.logaddexp(0, z)))
    np.testing.assert_allclose(value, exact, rtol=1e-13)
    assert np.all(np.isfinite(grad)) and np.all(np.isfinite(hess))


def test_logistic_separable_data_has_no_minimiser_without_l2():
    X = _with_bias(np.array([[-2.0], [-1.0], [1.0], [2.0]]))
    y = np.array([0, 0, 1, 1])
    f = logistic_regression_loss(X, y)
    assert f.minima.shape == (0, 2)
    assert f.min_value is None
    assert f([0.0, 20.0]) < f([0.0, 10.0]) < f([0.0, 1.0])  # decreases forever
    g = logistic_regression_loss(X, y, l2=1e-3)
    assert g.minima.shape == (1, 2)
    np.testing.assert_allclose(g.gradient(g.minima[0]), 0.0, atol=1e-14)


def test_logistic_gradient_at_zero_is_correlation_with_labels():
    X, y = make_moons(40, seed=8)
    f = logistic_regression_loss(X, y)
    np.testing.assert_allclose(f(np.zeros(2)), np.log(2), rtol=1e-15)
    np.testing.assert_allclose(f.gradient(np.zeros(2)), X.T @ (0.5 - y) / 40, rtol=1e-12)


# --- stable helpers --------------------------------------------------------------------------

EXTREMES = np.array([-1000.0, -50.0, -1e-8, 0.0, 1e-8, 50.0, 1000.0])


def _no_warnings(func, *args, **kwargs):
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        return func(*args, **kwargs)


def test_sigmoid_stable_at_extremes():
    s = _no_warnings(sigmoid, EXTREMES)
    assert s[0] == 0.0 and s[-1] == 1.0 and s[3] == 0.5
    np.testing.assert_allclose(s[1], np.exp(-50.0), rtol=1e-14)  # no absorption into 1
    np.testing.assert_allclose(s[1:-1], 1 / (1 + np.exp(-EXTREMES[1:-1])), rtol=1e-14)


def test_softplus_stable_at_extremes():
    s = _no_warnings(softplus, EXTREMES)
    assert s[0] == 0.0 and s[-1] == 1000.0
    np.testing.assert_allclose(s, np.logaddexp(0.0, EXTREMES), rtol=1e-15)
    np.testing.assert_allclose(s[1], np.exp(-50.0), rtol=1e-14)  # log1p keeps the tiny tail


def test_softmax_stable_at_extremes():
    p = _no_warnings(softmax, [[1000.0, -1000.0, 1000.0], [-1000.0, -1000.0, -1000.0]])
    np.testing.assert_allclose(p, [[0.5, 0.0, 0.5], [1 / 3, 1 / 3, 1 / 3]], rtol=1e-15)
    q = _no_warnings(softmax, [[1000.0], [0.0]], axis=0)
    np.testing.assert_array_equal(q, [[1.0], [0.0]])


def test_helpers_return_python_floats_for_scalars():
    # The package's scalar type (docs/front/notation.md): a Python float.
    for helper in (sigmoid, softplus, log_sigmoid):
        assert type(helper(0.0)) is float
        assert isinstance(helper(np.zeros(2)), np.ndarray)
    assert sigmoid(0.0) == 0.5


def test_helpers_match_scipy():
    special = pytest.importorskip("scipy.special")
    z = np.random.default_rng(9).normal(0, 30, size=(4, 5))
    np.testing.assert_allclose(sigmoid(z), special.expit(z), rtol=1e-14)
    np.testing.assert_allclose(softmax(z, axis=0), special.softmax(z, axis=0), rtol=1e-13)
    np.testing.assert_allclose(softmax(z), special.softmax(z, axis=-1), rtol=1e-13)
    np.testing.assert_allclose(log_sigmoid(z), special.log_expit(z), rtol=1e-14)


def test_log_sigmoid_stable_at_extremes():
    s = _no_warnings(log_sigmoid, EXTREMES)
    np.testing.assert_allclose(s, -np.logaddexp(0.0, -EXTREMES), rtol=1e-15)
    assert s[0] == EXTREMES[0] and s[-1] == 0.0  # where log(sigmoid(z)) is -inf and 0
    # At z = 50 the naive log(sigmoid(z)) rounds to 0; the true value is -exp(-50).
    assert log_sigmoid(50.0) == pytest.approx(-np.exp(-50.0), rel=1e-14)


finite = st.floats(-700, 700)


@given(finite)
@settings(deadline=None)  # timing varies with the load of a shared machine
def test_sigmoid_and_softplus_identities(z):
    np.testing.assert_allclose(sigmoid(z) + sigmoid(-z), 1.0, rtol=1e-15)
    np.testing.assert_allclose(softplus(z) - softplus(-z), z, rtol=1e-12, atol=1e-12)
    # d softplus / dz = sigmoid, by the complex step (exact up to rounding)
    h = 1e-20
    np.testing.assert_allclose(softplus(z + 1j * h).imag / h, sigmoid(z), rtol=1e-12, atol=1e-300)


@given(st.lists(finite, min_size=1, max_size=6), st.floats(-100, 100))
@settings(deadline=None)  # timing varies with the load of a shared machine
def test_softmax_sums_to_one_and_ignores_shifts(z, shift):
    z = np.array(z)
    p = softmax(z)
    np.testing.assert_allclose(p.sum(), 1.0, rtol=1e-14)
    assert np.all(p >= 0)
    np.testing.assert_allclose(softmax(z + shift), p, rtol=1e-9, atol=1e-300)


# --- data generators -------------------------------------------------------------------------


def test_make_moons_shapes_labels_and_seed():
    X, y = make_moons(101, noise=0.1, seed=0)
    assert X.shape == (101, 2) and y.shape == (101,)
    assert set(np.unique(y)) == {0, 1} and y.sum() == 51
    X2, y2 = make_moons(101, noise=0.1, seed=0)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    X3, _ = make_moons(101, noise=0.1, seed=1)
    assert not np.allclose(X, X3)


def test_make_moons_without_noise_lies_on_the_circles():
    X, y = make_moons(50, noise=0.0)
    upper, lower = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0)
    assert np.all(upper[:, 1] >= 0) and np.all(lower[:, 1] <= 0.5)


def test_make_linear_data():
    X, y, w = make_linear_data(30, 4, noise=0.0, seed=3)
    assert X.shape == (30, 4) and y.shape == (30,) and w.shape == (4,)
    np.testing.assert_allclose(y, X @ w)
    assert np.all(np.abs(X) <= 1)
    _, _, w2 = make_linear_data(30, 4, noise=0.0, seed=3)
    np.testing.assert_array_equal(w, w2)
    _, y_noisy, _ = make_linear_data(30, 4, noise=0.5, seed=3)
    assert 0.2 < np.std(y_noisy - X @ w) < 1.0


# --- the Objective container -----------------------------------------------------------------


@pytest.mark.parametrize("make", [linear_regression_mse, logistic_regression_loss])
def test_losses_copy_their_data(make):
    # One Objective is one function: changing the caller's arrays afterwards changes
    # neither the value, the gradient nor the Hessian.
    X = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0], [1.0, 3.0]])
    y = np.array([0.0, 1.0, 0.0, 1.0])
    f = make(X, y)
    w = np.array([0.3, -0.2])
    before = (f(w), f.gradient(w), f.hessian(w), f.minima.copy())
    X[:] = 0.0
    y[:] = 1.0
    after = (f(w), f.gradient(w), f.hessian(w), f.minima)
    for b, a in zip(before, after, strict=True):
        np.testing.assert_array_equal(a, b)


def test_replace_returns_a_validated_copy():
    f = rosenbrock()
    g = f.replace(domain=[(-1.0, 1.0), (0.0, 2.0)], name="banana")
    assert g.domain == ((-1.0, 1.0), (0.0, 2.0)) and g.name == "banana"
    assert f.domain != g.domain and f.name == "rosenbrock"
    np.testing.assert_array_equal(g.gradient([0.5, 0.5]), f.gradient([0.5, 0.5]))


def test_custom_objective_and_repr():
    f = Objective(
        "sphere",
        3,
        value=lambda x: (x**2).sum(axis=-1),
        gradient=lambda x: 2 * x,
        hessian=lambda x: np.broadcast_to(2 * np.eye(3), (*x.shape, 3)),
        minima=[[0.0, 0.0, 0.0]],
        min_value=0.0,
    )
    assert f.minima.shape == (1, 3)
    assert f.domain == ((-2.0, 2.0),) * 3
    assert repr(f) == "Objective('sphere', n=3, min_value=0.0)"
    assert repr(rosenbrock(3)) == "Objective('rosenbrock', n=3, a=1.0, b=100.0, min_value=0.0)"
    assert "X=<array of shape (40, 3)>" in repr(_linear_loss())


def _objective(**changes):
    """A valid 2-D Objective built with some arguments changed."""
    args = dict(name="f", n=2, value=np.sin, gradient=np.sin, hessian=np.sin)
    args.update(changes)
    positional = [args.pop(k) for k in ("name", "n", "value", "gradient", "hessian")]
    return Objective(*positional, **args)


def _sphere(value=None, gradient=None, hessian=None):
    return Objective(
        "sphere",
        2,
        value or (lambda x: (x**2).sum(axis=-1)),
        gradient or (lambda x: 2 * x),
        hessian or (lambda x: np.broadcast_to(2 * np.eye(2), (*x.shape, 2)).copy()),
    )


def _set_attribute(name, value):
    setattr(rosenbrock(), name, value)


# (id, call, error, match): one row per message.
VALIDATION = [
    ("x-length", lambda: rosenbrock()([1.0, 2.0, 3.0]), ValueError,
     r"`x` must have length 2 on its last axis; got shape \(3,\)"),
    ("x-length-batch", lambda: rosenbrock().gradient(np.zeros((4, 3))), ValueError,
     r"`x` must have length 2 on its last axis; got shape \(4, 3\)"),
    ("x-scalar", lambda: rosenbrock().hessian(1.0), ValueError, r"`x` must have at least one axis"),
    ("x-nan", lambda: rosenbrock()([np.nan, 1.0]), ValueError, r"`x` must be finite"),
    ("x-str", lambda: rosenbrock()(["a", "b"]), TypeError, r"`x` must be array-like of real"),
    ("x-tensor-length", lambda: rosenbrock()(Tensor(np.ones(3))), ValueError,
     r"`x` must have length 2 on its last axis; got shape \(3,\)"),
    ("condition-number-low", lambda: quadratic_bowl(condition_number=0.5), ValueError,
     r"`condition_number` must be at least 1; got 0.5"),
    ("condition-number-positional", lambda: quadratic_bowl(10.0), TypeError,
     r"takes 0 positional arguments"),
    ("angle-str", lambda: quadratic_bowl(angle="45"), TypeError,
     r"`angle` must be a real number; got str"),
    ("rosenbrock-n-1", lambda: rosenbrock(1), ValueError, r"`n` must be at least 2; got 1"),
    ("rosenbrock-n-float", lambda: rosenbrock(2.0), TypeError,
     r"`n` must be an integer; got float"),
    ("rosenbrock-b", lambda: rosenbrock(b=-1.0), ValueError, r"`b` must be positive; got -1.0"),
    ("X-1d", lambda: linear_regression_mse([1.0, 2.0], [1.0, 2.0]), ValueError,
     r"`X` must be 2-D \(n_samples, n_features\); got 1-D"),
    ("X-no-rows", lambda: linear_regression_mse(np.zeros((0, 2)), np.zeros(0)), ValueError,
     r"`X` must have at least one sample"),
    ("X-no-columns", lambda: linear_regression_mse(np.zeros((3, 0)), np.zeros(3)), ValueError,
     r"`X` must have at least one feature \(column\); got shape \(3, 0\)"),
    ("y-shape", lambda: linear_regression_mse(np.ones((3, 2)), np.ones(4)), ValueError,
     r"`y` must have shape \(n_samples,\) = \(3,\)"),
    ("y-labels", lambda: logistic_regression_loss(np.ones((3, 2)), [0, 1, 2]), ValueError,
     r"`y` must hold only the labels 0 and 1; got a value 2.0"),
    ("l2-negative", lambda: logistic_regression_loss(np.ones((2, 2)), [0, 1], l2=-0.1),
     ValueError, r"`l2` must be at least 0; got -0.1"),
    ("softmax-scalar", lambda: softmax(1.0), ValueError,
     r"`z` must have at least one axis; got a scalar"),
    ("softmax-empty", lambda: softmax([]), ValueError,
     r"`z` must have at least one entry along `axis` \(-1\) to be normalised; got shape \(0,\)"),
    ("softmax-axis-float", lambda: softmax([1.0, 2.0], axis=0.0), TypeError,
     r"`axis` must be an integer; got float"),
    ("softmax-axis-range", lambda: softmax([1.0, 2.0], axis=1), ValueError,
     r"`axis` must lie in \[-1, 0\] for `z` of shape \(2,\); got 1"),
    ("sigmoid-inf", lambda: sigmoid([np.inf]), ValueError, r"`z` must be finite"),
    ("softplus-str", lambda: softplus("1"), TypeError, r"`z` must be array-like of real numbers"),
    ("log-sigmoid-nan", lambda: log_sigmoid(np.nan), ValueError, r"`z` must be finite"),
    ("moons-n-samples", lambda: make_moons(1), ValueError,
     r"`n_samples` must be at least 2; got 1"),
    ("moons-noise", lambda: make_moons(noise=-0.1), ValueError, r"`noise` must be at least 0"),
    ("moons-seed-str", lambda: make_moons(seed="a"), TypeError, r"`seed` must be None, a non-neg"),
    ("moons-seed-negative", lambda: make_moons(seed=-1), ValueError, r"`seed` must be None"),
    ("moons-seed-float", lambda: make_moons(seed=1.5), TypeError, r"`seed` must be None"),
    ("moons-seed-bool", lambda: make_moons(seed=True), TypeError, r"`seed` must be an integer"),
    ("linear-n-features", lambda: make_linear_data(n_features=0), ValueError,
     r"`n_features` must be at least 1; got 0"),
    ("linear-seed", lambda: make_linear_data(seed=[-1]), ValueError, r"`seed` must be None"),
    ("objective-name", lambda: _objective(name=3), TypeError, r"`name` must be a str; got int"),
    ("objective-n", lambda: _objective(n=0), ValueError, r"`n` must be at least 1; got 0"),
    ("objective-value", lambda: _objective(value=1), TypeError,
     r"`value` must be callable; got int"),
    ("minima-shape", lambda: _objective(minima=[[1.0, 2.0, 3.0]]), ValueError,
     r"`minima` must have shape \(k, 2\), one minimiser"),
    ("minima-nan", lambda: _objective(minima=[[np.nan, 0.0]]), ValueError,
     r"`minima` must be finite"),
    ("minima-str", lambda: _objective(minima=[["a", "b"]]), TypeError,
     r"`minima` must be array-like of real numbers"),
    ("min-value-nan", lambda: _objective(min_value=np.nan), ValueError,
     r"`min_value` must be finite"),
    ("domain-pairs", lambda: _objective(domain=[(0, 1)]), ValueError,
     r"`domain` must have one \(low, high\) pair per coordinate \(2\); got 1"),
    ("domain-low-high", lambda: _objective(domain=[(0, 1), (2, 1)]), ValueError,
     r"`domain\[1\]` must have low < high; got \(2.0, 1.0\)"),
    ("domain-nan", lambda: _objective(domain=[(0, 1), (np.nan, 1)]), ValueError,
     r"`domain\[1\]` must be finite"),
    ("domain-not-pairs", lambda: _objective(domain=[(0, 1), (0, 1, 2)]), ValueError,
     r"`domain\[1\]` must be a \(low, high\) pair"),
    ("domain-number", lambda: _objective(domain=3), TypeError,
     r"`domain` must be a sequence of \(low, high\) pairs; got 3"),
    ("domain-str-bound", lambda: _objective(domain=[(0, 1), ("a", 1)]), TypeError,
     r"`domain\[1\]` must be a real number; got str"),
    ("params-list", lambda: _objective(params=[1, 2]), TypeError,
     r"`params` must be a dict with str keys; got \[1, 2\]"),
    ("params-int-key", lambda: _objective(params={1: 2}), TypeError,
     r"`params` must be a dict with str keys"),
    ("value-output-shape", lambda: _sphere(value=lambda x: x)([1.0, 2.0]), ValueError,
     r"`value` must return shape \(\) for points of shape \(2,\); got shape \(2,\)"),
    ("gradient-output-shape", lambda: _sphere(gradient=lambda x: x[..., 0]).gradient([1.0, 2.0]),
     ValueError, r"`gradient` must return shape \(2,\) for points of shape \(2,\)"),
    ("hessian-output-shape", lambda: _sphere(hessian=lambda x: x).hessian(np.ones((3, 2))),
     ValueError, r"`hessian` must return shape \(3, 2, 2\) for points of shape \(3, 2\)"),
    ("set-minima", lambda: _set_attribute("minima", "nonsense"), AttributeError,
     r"an Objective is immutable: cannot set 'minima'; use `replace\(minima=...\)`"),
    ("set-domain", lambda: _set_attribute("domain", 3), AttributeError,
     r"an Objective is immutable"),
    ("replace-unknown", lambda: rosenbrock().replace(dim=3), TypeError,
     r"`replace` got unknown arguments \['dim'\]"),
    ("replace-validates", lambda: rosenbrock().replace(min_value=np.nan), ValueError,
     r"`min_value` must be finite"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("call", "error", "match"), [row[1:] for row in VALIDATION], ids=[row[0] for row in VALIDATION]
)
def test_input_validation(call, error, match):
    with pytest.raises(error, match=match):
        call()
