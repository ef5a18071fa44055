"""Tests for calcdocs.optimize: torch.optim as the oracle, theory made measurable, bad input."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

import calcdocs as cd

try:  # torch.optim is the oracle; CI installs it (the other tests run without it)
    import torch
except ImportError:  # pragma: no cover
    torch = None
needs_torch = pytest.mark.skipif(torch is None, reason="the torch oracle is not installed")

# --- a smooth, strongly convex test problem whose minimiser is far from 0 ---------------------
# f(x) = 1/2 (x - c)' A (x - c) + 1/2 sum log cosh(x): Hessian between diag(A) and diag(A) + 1/2,
# so every method's trajectory is a contraction (not chaotic) and relative errors stay meaningful.

A_DIAG = np.array([1.0, 2.0, 4.0, 8.0])
CENTER = np.array([1.0, -2.0, 3.0, 0.5])
X0 = np.array([-1.0, 1.0, 0.5, 2.0])
STEPS = 200


def smooth_f(x):
    return 0.5 * np.sum(A_DIAG * (x - CENTER) ** 2) + 0.5 * np.sum(np.log(np.cosh(x)))


def smooth_grad(x):
    return A_DIAG * (x - CENTER) + 0.5 * np.tanh(x)


def neg_grad(x):
    """The gradient of -f: with ``maximize=True`` the trajectory is the minimiser's."""
    return -smooth_grad(x)


def torch_points(optimizer, kwargs, grad, x0, steps, schedule=None):
    """Iterates of torch.optim fed the same gradients: p.grad = torch.from_numpy(grad(p))."""
    p = torch.tensor(np.array(x0, dtype=np.float64), requires_grad=True)
    optim = optimizer([p], **kwargs)
    scheduler = schedule(optim) if schedule else None
    points, lrs = [p.detach().numpy().copy()], []
    for _ in range(steps):
        lrs.append(optim.param_groups[0]["lr"])
        p.grad = torch.from_numpy(grad(p.detach().numpy().copy()))
        optim.step()
        if scheduler is not None:
            scheduler.step()
        points.append(p.detach().numpy().copy())
    return np.array(points), np.array(lrs)


def relative_error(a, b):
    """Per-iterate relative distance ||a_t - b_t|| / ||b_t||, its maximum over t."""
    axes = tuple(range(1, a.ndim))
    return float(np.max(np.linalg.norm(a - b, axis=axes) / np.linalg.norm(b, axis=axes)))


# One row per (optimizer, option combination that changes the update rule).
TORCH_CASES = [
    ("sgd", "SGD", {"lr": 0.05}),
    ("sgd", "SGD", {"lr": 0.05, "momentum": 0.9}),
    ("sgd", "SGD", {"lr": 0.05, "momentum": 0.8, "dampening": 0.5}),
    ("sgd", "SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True}),
    ("sgd", "SGD", {"lr": 0.05, "weight_decay": 0.3}),
    ("sgd", "SGD", {"lr": 0.05, "momentum": 0.9, "weight_decay": 0.3, "dampening": 0.1}),
    ("sgd", "SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.3}),
    ("sgd", "SGD", {"lr": 0.05, "momentum": 0.9, "maximize": True}),
    ("adagrad", "Adagrad", {"lr": 0.5}),
    ("adagrad", "Adagrad", {"lr": 0.5, "lr_decay": 0.01}),
    ("adagrad", "Adagrad", {"lr": 0.5, "weight_decay": 0.3}),
    ("adagrad", "Adagrad", {"lr": 0.5, "initial_accumulator_value": 0.7, "eps": 1e-3}),
    ("adagrad", "Adagrad", {"lr": 0.5, "lr_decay": 0.05, "weight_decay": 0.1, "maximize": True}),
    ("rmsprop", "RMSprop", {"lr": 0.01}),
    ("rmsprop", "RMSprop", {"lr": 0.01, "alpha": 0.9, "eps": 1e-4}),
    ("rmsprop", "RMSprop", {"lr": 0.01, "momentum": 0.5}),
    ("rmsprop", "RMSprop", {"lr": 0.01, "centered": True}),
    ("rmsprop", "RMSprop", {"lr": 0.01, "centered": True, "momentum": 0.5}),
    ("rmsprop", "RMSprop", {"lr": 0.01, "weight_decay": 0.3, "maximize": True}),
    ("adam", "Adam", {"lr": 0.05}),
    ("adam", "Adam", {"lr": 0.05, "betas": (0.8, 0.99), "eps": 1e-4}),
    ("adam", "Adam", {"lr": 0.05, "amsgrad": True}),
    ("adam", "Adam", {"lr": 0.05, "weight_decay": 0.3}),
    ("adam", "Adam", {"lr": 0.05, "weight_decay": 0.3, "amsgrad": True, "maximize": True}),
    ("adamw", "AdamW", {"lr": 0.05}),
    ("adamw", "AdamW", {"lr": 0.05, "weight_decay": 0.3}),
    ("adamw", "AdamW", {"lr": 0.05, "weight_decay": 0.3, "amsgrad": True}),
    ("adamw", "AdamW", {"lr": 0.05, "betas": (0.5, 0.9), "maximize": True}),
]


def _case_id(case):
    name, _, kwargs = case
    options = "-".join(f"{k}={v}" for k, v in kwargs.items() if k != "lr")
    return f"{name}[{options or 'defaults'}]"


@needs_torch
@pytest.mark.parametrize("case", TORCH_CASES, ids=[_case_id(c) for c in TORCH_CASES])
def test_every_iterate_matches_torch(case):
    name, torch_name, kwargs = case
    grad = neg_grad if kwargs.get("maximize") else smooth_grad
    torch_opt = getattr(torch.optim, torch_name)
    reference, _ = torch_points(torch_opt, kwargs, grad, X0, STEPS)
    # torch's own trajectory is not chaotic here: a 1-ulp change of x0 barely moves it
    nudged, _ = torch_points(torch_opt, kwargs, grad, np.nextafter(X0, np.inf), STEPS)
    assert relative_error(nudged, reference) < 1e-13
    assert np.linalg.norm(reference[-1] - reference[0]) > 0.5  # and it goes somewhere
    run = getattr(cd, name)(grad, X0, steps=STEPS, **kwargs)
    assert run.points.shape == (STEPS + 1, *X0.shape)
    assert relative_error(run.points, reference) < 1e-10
    np.testing.assert_array_equal(run.lrs, kwargs["lr"])


@needs_torch
def test_torch_defaults_are_ours():
    import inspect

    pairs = [("sgd", "SGD"), ("adagrad", "Adagrad"), ("rmsprop", "RMSprop")]
    pairs += [("adam", "Adam"), ("adamw", "AdamW")]
    for name, torch_name in pairs:
        ours = inspect.signature(getattr(cd, name)).parameters
        theirs = inspect.signature(getattr(torch.optim, torch_name)).parameters
        shared = [k for k in ours if k in theirs and k not in ("params",)]
        assert "lr" in shared and len(shared) >= 5, name
        for key in shared:
            default = theirs[key].default
            assert ours[key].default == (tuple(default) if key == "betas" else default), (
                name,
                key,
            )


# --- schedules ----------------------------------------------------------------------------

SCHEDULES = [
    (
        "StepLR",
        lambda: cd.StepLR(0.05, step_size=30, gamma=0.5),
        lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=30, gamma=0.5),
    ),
    (
        "ExponentialLR",
        lambda: cd.ExponentialLR(0.05, gamma=0.99),
        lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.99),
    ),
    (
        "CosineAnnealingLR",
        lambda: cd.CosineAnnealingLR(0.05, T_max=70, eta_min=0.001),
        lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=70, eta_min=0.001),
    ),
    (
        "LinearLR-warmup",
        lambda: cd.LinearLR(0.05, start_factor=0.1, total_iters=25),
        lambda o: torch.optim.lr_scheduler.LinearLR(o, start_factor=0.1, total_iters=25),
    ),
    (
        "LinearLR-decay",
        lambda: cd.LinearLR(0.05, start_factor=1.0, end_factor=0.2, total_iters=150),
        lambda o: torch.optim.lr_scheduler.LinearLR(
            o, start_factor=1.0, end_factor=0.2, total_iters=150
        ),
    ),
]


@needs_torch
@pytest.mark.parametrize(
    ("ours", "theirs"), [s[1:] for s in SCHEDULES], ids=[s[0] for s in SCHEDULES]
)
@pytest.mark.parametrize(
    ("name", "torch_name", "options"),
    [("sgd", "SGD", {"momentum": 0.9}), ("adam", "Adam", {}), ("adagrad", "Adagrad", {})],
    ids=["sgd", "adam", "adagrad"],
)
def test_schedules_match_torch_step_for_step(ours, theirs, name, torch_name, options):
    schedule = ours()
    kwargs = {"lr": schedule.lr, **options}
    torch_opt = getattr(torch.optim, torch_name)
    reference, torch_lrs = torch_points(torch_opt, kwargs, smooth_grad, X0, STEPS, theirs)
    nudged, _ = torch_points(torch_opt, kwargs, smooth_grad, np.nextafter(X0, 0), STEPS, theirs)
    assert relative_error(nudged, reference) < 1e-13  # not chaotic
    run = getattr(cd, name)(smooth_grad, X0, steps=STEPS, **{**options, "lr": schedule})
    np.testing.assert_allclose(run.lrs, torch_lrs, rtol=1e-12, atol=0)
    np.testing.assert_allclose([schedule(t) for t in range(STEPS)], torch_lrs, rtol=1e-12)
    assert len(set(np.round(torch_lrs, 12))) > 3  # the schedule really changes the rate
    assert relative_error(run.points, reference) < 1e-10


def test_cosine_schedule_reaches_eta_min_and_a_plain_callable_is_a_schedule():
    schedule = cd.CosineAnnealingLR(1.0, T_max=10, eta_min=0.1)
    assert schedule(10) == pytest.approx(0.1, abs=1e-15)
    assert schedule(0) == 1.0
    run = cd.sgd(smooth_grad, X0, steps=4, lr=lambda t: 0.1 / (t + 1))
    np.testing.assert_allclose(run.lrs, [0.1, 0.05, 0.1 / 3, 0.025])


# --- Trajectory semantics -----------------------------------------------------------------


def test_trajectory_records_from_x0_and_never_mutates_it():
    x0 = X0.copy()
    run = cd.adam(smooth_grad, x0, steps=7, lr=0.1, f=smooth_f)
    assert np.array_equal(x0, X0)
    assert run.points.shape == (8, 4) and run.values.shape == (8,)
    assert run.grad_norms.shape == (8,) and run.lrs.shape == (7,) and run.steps == 7
    assert np.array_equal(run.points[0], X0) and np.array_equal(run.points[-1], run.x)
    np.testing.assert_allclose(run.values, [smooth_f(p) for p in run.points], rtol=1e-15)
    norms = [np.linalg.norm(smooth_grad(p)) for p in run.points]
    np.testing.assert_allclose(run.grad_norms, norms, rtol=1e-14)
    assert (run.method, run.converged, run.diverged) == ("adam", False, False)
    assert "after 7 steps" in run.message
    with pytest.raises(AttributeError):
        run.x = None  # frozen


def test_points_keep_the_shape_of_x0():
    x0 = np.arange(6.0).reshape(2, 3)
    run = cd.rmsprop(lambda x: x - 1.0, x0, steps=3, lr=0.1)
    assert run.points.shape == (4, 2, 3) and run.x.shape == (2, 3)


def test_record_false_keeps_no_history_but_the_same_result():
    full = cd.adamw(smooth_grad, X0, steps=50, lr=0.1)
    lean = cd.adamw(smooth_grad, X0, steps=50, lr=0.1, record=False)
    assert lean.points is None
    np.testing.assert_array_equal(lean.x, full.x)
    np.testing.assert_array_equal(lean.grad_norms, full.grad_norms)


def test_record_false_memory_does_not_grow_with_steps_times_size():
    import tracemalloc

    n, steps = 20_000, 500
    x0 = np.ones(n)
    tracemalloc.start()
    cd.adam(lambda x: x - 0.5, x0, steps=steps, lr=0.01, record=False)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    # state m, v, scratch, x and a few gradient temporaries: about 10 arrays of n floats,
    # far from the steps * n floats that recording would take
    assert peak < 12 * 8 * n + 64 * steps
    assert peak < 8 * n * steps / 40


def test_tol_stops_at_the_first_iterate_within_it():
    run = cd.sgd(smooth_grad, X0, steps=10_000, lr=0.1, momentum=0.5, tol=1e-6)
    assert run.converged and not run.diverged
    assert run.grad_norms[-1] <= 1e-6 and np.all(run.grad_norms[:-1] > 1e-6)
    assert run.points.shape[0] == run.steps + 1 < 10_000
    assert f"converged at step {run.steps}" in run.message


def test_zero_steps_is_just_the_start():
    run = cd.adam(smooth_grad, X0, steps=0)
    assert run.points.shape == (1, 4) and run.lrs.shape == (0,)
    np.testing.assert_array_equal(run.x, X0)


def test_grad_sees_a_read_only_iterate_and_may_return_it():
    def grad(x):
        assert not x.flags.writeable
        return x  # aliases the optimizer's iterate: the update must not be fooled

    for name in ["sgd", "adagrad", "rmsprop", "adam", "adamw"]:
        aliasing = getattr(cd, name)(grad, X0, steps=20, lr=0.1)
        copying = getattr(cd, name)(lambda x: x.copy(), X0, steps=20, lr=0.1)
        np.testing.assert_array_equal(aliasing.points, copying.points)


def test_nan_gradient_ends_the_run_as_diverged_with_the_history_kept():
    calls = []

    def grad(x):
        calls.append(1)
        return smooth_grad(x) if len(calls) <= 5 else np.full_like(x, np.nan)

    run = cd.adam(grad, X0, steps=100, lr=0.1)
    assert run.diverged and not run.converged
    assert run.steps == 5 and run.points.shape == (6, 4)
    assert np.all(np.isfinite(run.points))
    assert "diverged at step 5" in run.message and "not finite" in run.message


def test_infinite_value_and_blow_up_are_divergence():
    f = cd.quadratic_bowl(10.0)  # L = 10: lr = 0.3 > 2/L diverges
    run = cd.gradient_descent(f.gradient, [1.0, 1.0], steps=10_000, lr=0.3)
    assert run.diverged and "blew up" in run.message
    assert run.grad_norms[-1] > 1e10 * run.grad_norms[0]
    run = cd.sgd(lambda x: -np.ones_like(x), [0.0], steps=10, lr=1.0, f=lambda x: float("inf"))
    assert run.diverged and run.steps == 0 and "f(x_0) is not finite" in run.message


# --- minibatches --------------------------------------------------------------------------


def _least_squares_batches(n=100, batch_size=10, seed=3, **kwargs):
    X, y, _ = cd.make_linear_data(n, 3, noise=0.1, seed=0)

    def grad(w, batch):
        Xb, yb = batch
        return Xb.T @ (Xb @ w - yb) / len(yb)

    return cd.MinibatchGradient(grad, (X, y), batch_size=batch_size, seed=seed, **kwargs), X, y


def test_minibatches_visit_every_sample_once_per_epoch():
    g, _, _ = _least_squares_batches(n=103, batch_size=10)
    assert g.batches_per_epoch == 11 and g.steps(2) == 22
    batches = g.batches()
    for _ in range(3):
        epoch = [next(batches) for _ in range(g.batches_per_epoch)]
        assert [len(b) for b in epoch] == [10] * 10 + [3]
        np.testing.assert_array_equal(np.sort(np.concatenate(epoch)), np.arange(103))
    ordered, _, _ = _least_squares_batches(shuffle=False)
    np.testing.assert_array_equal(next(ordered.batches()), np.arange(10))


@pytest.mark.parametrize("name", ["sgd", "adagrad", "rmsprop", "adam", "adamw", "gradient_descent"])
def test_every_optimizer_takes_minibatches_reproducibly(name):
    g, X, y = _least_squares_batches()
    lr = 0.05
    first = getattr(cd, name)(g, np.zeros(3), steps=g.steps(20), lr=lr)
    second = getattr(cd, name)(g, np.zeros(3), steps=g.steps(20), lr=lr)
    np.testing.assert_array_equal(first.points, second.points)
    other, _, _ = _least_squares_batches(seed=4)
    third = getattr(cd, name)(other, np.zeros(3), steps=other.steps(20), lr=lr)
    assert not np.array_equal(first.points, third.points)
    w_star = np.linalg.lstsq(X, y, rcond=None)[0]  # and they make progress
    assert np.linalg.norm(first.x - w_star) < 0.5 * np.linalg.norm(w_star)


def test_minibatch_gradient_variance_falls_like_one_over_batch_size():
    N = 2000
    g, X, y = _least_squares_batches(n=N, batch_size=1)
    w = np.array([0.3, -0.2, 0.1])
    per_sample = X * (X @ w - y)[:, None]  # the N single-sample gradients
    full = per_sample.mean(axis=0)
    sigma2 = np.mean(np.sum((per_sample - full) ** 2, axis=1))
    draws = 3000
    for B in [1, 4, 16, 64]:
        gb = cd.MinibatchGradient(g.grad, (X, y), batch_size=B, seed=B)
        variance = np.mean([np.sum((gb(w) - full) ** 2) for _ in range(draws)])
        # sampling without replacement: sigma^2 / B times the finite-population correction
        expected = sigma2 / B * (N - B) / (N - 1)
        assert variance == pytest.approx(expected, rel=0.1), B


# --- theory made measurable ---------------------------------------------------------------

MU, L = 1.0, 50.0
EIGENVALUES = np.array([MU, 3.0, 10.0, 30.0, L])


def quadratic_grad(x):
    return EIGENVALUES * x


@pytest.mark.parametrize("factor", [0.1, 0.5, 0.95, 0.995])
def test_gradient_descent_converges_below_two_over_L(factor):
    run = cd.gradient_descent(quadratic_grad, np.ones(5), steps=5000, lr=factor * 2 / L, tol=1e-8)
    assert run.converged


@pytest.mark.parametrize("factor", [1.005, 1.1, 1.5])
def test_gradient_descent_diverges_above_two_over_L(factor):
    run = cd.gradient_descent(quadratic_grad, np.ones(5), steps=100_000, lr=factor * 2 / L)
    assert run.diverged and "blew up" in run.message


def _measured_rate(points, start, stop):
    norms = np.linalg.norm(points, axis=1)
    return (norms[stop] / norms[start]) ** (1 / (stop - start))


def test_gradient_descent_rate_at_the_optimal_step_is_kappa_minus_one_over_kappa_plus_one():
    kappa = L / MU
    run = cd.gradient_descent(quadratic_grad, np.ones(5), steps=300, lr=2 / (L + MU))
    assert _measured_rate(run.points, 100, 300) == pytest.approx(
        (kappa - 1) / (kappa + 1), rel=1e-6
    )


def test_heavy_ball_with_optimal_parameters_reaches_the_square_root_rate():
    kappa = L / MU
    eta = 4 / (math.sqrt(L) + math.sqrt(MU)) ** 2
    beta = ((math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)) ** 2
    run = cd.sgd(quadratic_grad, np.ones(5), steps=600, lr=eta, momentum=beta)
    rate = (math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)
    # a double eigenvalue at the optimum makes the error ~ t rate^t: the measured rate over
    # [300, 600] is rate * 2^(1/300)
    measured = _measured_rate(run.points, 300, 600)
    assert measured == pytest.approx(rate * 2 ** (1 / 300), rel=5e-3)
    # one heavy-ball step is worth about sqrt(kappa) steps of GD at its best rate
    gd_rate = (kappa - 1) / (kappa + 1)
    assert math.log(measured) / math.log(gd_rate) > 0.9 * math.sqrt(kappa)


def test_newton_converges_quadratically_correct_digits_double():
    # f(x) = sum(exp(x) - x), minimum at 0; Newton's map is x -> x - 1 + exp(-x)
    grad = lambda x: np.exp(x) - 1  # noqa: E731
    hess = lambda x: np.diag(np.exp(x))  # noqa: E731
    run = cd.newton(grad, hess, [1.0, -0.7], steps=8)
    errors = np.abs(run.points).max(axis=1)
    useful = [(e0, e1) for e0, e1 in itertools.pairwise(errors) if 1e-15 < e1 and e0 < 0.1]
    assert len(useful) >= 2
    for e0, e1 in useful:
        assert -math.log10(e1) >= 1.9 * -math.log10(e0)  # the digits double
        assert e1 / e0**2 == pytest.approx(0.5, rel=0.1)  # e_{t+1} ~ f'''/(2 f'') e_t^2


def test_adam_bias_correction_removes_the_start_up_bias():
    # A constant gradient g: m_t = (1 - beta1^t) g is biased towards 0 (and v_t likewise);
    # the corrected m_hat = g, v_hat = g^2 make every step exactly lr * g / (|g| + eps).
    g = np.array([0.1, -3.0, 20.0])
    beta1, beta2, lr = 0.9, 0.999, 0.01
    run = cd.adam(lambda x: g, np.zeros(3), steps=50, lr=lr, betas=(beta1, beta2), eps=0.0)
    steps = np.diff(run.points, axis=0)
    np.testing.assert_allclose(steps, np.broadcast_to(-lr * np.sign(g), steps.shape), rtol=1e-12)
    # uncorrected moments would make the first step (1 - beta1) / sqrt(1 - beta2) = 3.2 x lr
    assert (1 - beta1) / math.sqrt(1 - beta2) > 3


def _steps_to(name, kappa, angle, lr):
    f = cd.quadratic_bowl(kappa, angle=angle)
    c, s = math.cos(angle), math.sin(angle)
    x0 = np.array([[c, -s], [s, c]]) @ [1.0, 1.0]  # the same start in the eigenbasis
    run = getattr(cd, name)(f.gradient, x0, steps=20_000, lr=lr, tol=1e-6, record=False)
    return run.steps if run.converged else math.inf


@pytest.mark.parametrize(("name", "lr"), [("adagrad", 0.5), ("rmsprop", 0.01), ("adam", 0.05)])
def test_adaptive_methods_cure_axis_aligned_ill_conditioning_not_a_rotated_valley(name, lr):
    aligned = [_steps_to(name, kappa, 0.0, lr) for kappa in (100.0, 1000.0)]
    rotated = [_steps_to(name, kappa, math.pi / 4, lr) for kappa in (100.0, 1000.0)]
    assert aligned[1] <= 1.5 * aligned[0]  # conditioning along the axes barely matters
    assert rotated[1] >= 3 * rotated[0]  # rotated: it costs as much as for plain GD
    assert rotated[0] > 4 * aligned[0] and rotated[1] > 10 * aligned[1]


def test_gradient_descent_is_rotation_invariant_unlike_adaptive_methods():
    steps = [_steps_to("gradient_descent", 100.0, angle, 0.019) for angle in (0, math.pi / 4)]
    assert steps[0] == steps[1] < math.inf


# --- line search and Newton ---------------------------------------------------------------


def test_armijo_line_search_guarantees_decrease_and_sufficient_decrease():
    f = cd.rosenbrock()
    run = cd.gradient_descent(
        f.gradient, [-1.2, 1.0], steps=300, lr=1.0, f=f, line_search=True, c=0.3
    )
    gn2 = run.grad_norms[:-1] ** 2
    assert np.all(run.values[1:] <= run.values[:-1] - 0.3 * run.lrs * gn2 * (1 - 1e-12))
    assert np.all(run.lrs <= 1.0) and len(set(run.lrs)) > 3
    assert np.all(np.log2(run.lrs) == np.round(np.log2(run.lrs)))  # 1, 1/2, 1/4, ...
    fixed = cd.gradient_descent(f.gradient, [-1.2, 1.0], steps=300, lr=1.0, f=f)
    assert fixed.diverged


def test_newton_damping_matters():
    # f(x) = sqrt(1 + x^2): pure Newton maps x -> -x^3 and runs away from |x0| > 1
    f = lambda x: np.sqrt(1 + x[0] ** 2)  # noqa: E731
    grad = lambda x: x / np.sqrt(1 + x**2)  # noqa: E731
    hess = lambda x: np.array([[(1 + x[0] ** 2) ** -1.5]])  # noqa: E731
    pure = cd.newton(grad, hess, [1.5], steps=50, tol=1e-10)
    assert not pure.converged and abs(pure.x[0]) > 1e10
    np.testing.assert_allclose(pure.points[1:4, 0], [-(1.5**3), 1.5**9, -(1.5**27)], rtol=1e-12)
    damped = cd.newton(grad, hess, [1.5], steps=50, f=f, tol=1e-10)
    assert damped.converged and abs(damped.x[0]) < 1e-10
    assert damped.lrs[0] < 1 and damped.lrs[-1] == 1  # damped far away, full steps near
    halved = cd.newton(grad, hess, [1.5], steps=200, lr=0.5, tol=1e-10)  # fixed damping
    assert halved.converged


def test_newton_on_a_singular_hessian_reports_it_and_still_converges():
    # f(x, y) = (x + y - 1)^2 + exp(x + y): a valley of minimisers, H singular everywhere
    def grad(x):
        s = x[0] + x[1]
        return np.full(2, 2 * (s - 1) + np.exp(s))

    def hess(x):
        return np.full((2, 2), 2 + np.exp(x[0] + x[1]))

    run = cd.newton(grad, hess, [2.0, 1.0], steps=30, tol=1e-12)
    assert run.converged and not run.diverged
    assert "Singular Hessian" in run.message and "rank 1" in run.message
    assert run.x[0] - run.x[1] == pytest.approx(1.0)  # minimum-norm steps leave x - y alone


def test_logistic_regression_with_a_duplicated_column_still_reports_its_minimum():
    X, y = cd.make_moons(80, noise=0.3, seed=2)  # not separable
    X = np.column_stack([np.ones(len(X)), X])
    plain = cd.logistic_regression_loss(X, y)
    duplicated = cd.logistic_regression_loss(np.column_stack([X, X[:, 1]]), y)
    assert np.linalg.matrix_rank(duplicated.hessian(np.zeros(4))) == 3  # singular
    assert duplicated.minima.shape == (1, 4)
    assert np.linalg.norm(duplicated.gradient(duplicated.minima[0])) < 1e-10
    assert duplicated.min_value == pytest.approx(plain.min_value, rel=1e-12)
    w = duplicated.minima[0]  # the two copies share the weight of the original column
    assert w[1] + w[3] == pytest.approx(plain.minima[0][1], rel=1e-8)


# --- bad input ----------------------------------------------------------------------------

G = smooth_grad
BAD_INPUT = [
    ("lr-zero", lambda: cd.sgd(G, X0, steps=1, lr=0.0), ValueError, "`lr` must be positive"),
    ("lr-negative", lambda: cd.adam(G, X0, steps=1, lr=-0.1), ValueError, "got -0.1"),
    ("lr-nan", lambda: cd.rmsprop(G, X0, steps=1, lr=np.nan), ValueError, "`lr` must be fini"),
    ("lr-string", lambda: cd.sgd(G, X0, steps=1, lr="0.1"), TypeError, "`lr` must be a pos"),
    (
        "lr-schedule-negative",
        lambda: cd.sgd(G, X0, steps=3, lr=lambda t: 0.1 - t),
        ValueError,
        "`lr` schedule must return a finite value at least 0; got -0.9 at step 1",
    ),
    ("steps-negative", lambda: cd.sgd(G, X0, steps=-1), ValueError, "`steps` must be at least 0"),
    ("steps-float", lambda: cd.sgd(G, X0, steps=2.5), TypeError, "`steps` must be an integer"),
    ("beta1-one", lambda: cd.adam(G, X0, steps=1, betas=(1.0, 0.9)), ValueError, r"`betas\[0\]"),
    ("beta2-neg", lambda: cd.adamw(G, X0, steps=1, betas=(0.9, -0.1)), ValueError, "betas.1"),
    ("betas-single", lambda: cd.adam(G, X0, steps=1, betas=0.9), TypeError, "`betas` must be"),
    ("eps-negative", lambda: cd.adam(G, X0, steps=1, eps=-1e-8), ValueError, "`eps` must be"),
    ("eps-negative-adagrad", lambda: cd.adagrad(G, X0, steps=1, eps=-1.0), ValueError, "`eps`"),
    ("momentum-one", lambda: cd.sgd(G, X0, steps=1, momentum=1.0), ValueError, r"\[0.0, 1.0\)"),
    ("momentum-neg", lambda: cd.rmsprop(G, X0, steps=1, momentum=-0.5), ValueError, "`momentum"),
    ("alpha-one", lambda: cd.rmsprop(G, X0, steps=1, alpha=1.0), ValueError, "`alpha` must lie"),
    ("dampening-2", lambda: cd.sgd(G, X0, steps=1, dampening=2.0), ValueError, "`dampening`"),
    (
        "nesterov-no-momentum",
        lambda: cd.sgd(G, X0, steps=1, nesterov=True),
        ValueError,
        "`nesterov` requires a momentum and zero dampening; got momentum=0.0",
    ),
    (
        "nesterov-dampening",
        lambda: cd.sgd(G, X0, steps=1, momentum=0.9, dampening=0.1, nesterov=True),
        ValueError,
        "dampening=0.1",
    ),
    ("nesterov-int", lambda: cd.sgd(G, X0, steps=1, nesterov=1), TypeError, "`nesterov` must"),
    ("weight-decay-neg", lambda: cd.adamw(G, X0, steps=1, weight_decay=-1), ValueError, "`weig"),
    ("lr-decay-neg", lambda: cd.adagrad(G, X0, steps=1, lr_decay=-1), ValueError, "`lr_decay`"),
    ("x0-nan", lambda: cd.sgd(G, [1.0, np.nan], steps=1), ValueError, "`x0` must be finite"),
    ("x0-text", lambda: cd.adam(G, ["a"], steps=1), TypeError, "`x0` must be array-like"),
    ("grad-not-callable", lambda: cd.sgd(3.0, X0, steps=1), TypeError, "`grad` must be callable"),
    (
        "grad-wrong-shape",
        lambda: cd.adam(lambda x: np.zeros(3), X0, steps=1),
        ValueError,
        r"`grad` must return an array of the shape of `x0`, \(4,\); got shape \(3,\) at step 0",
    ),
    (
        "grad-non-numeric",
        lambda: cd.sgd(lambda x: "steep", X0, steps=1),
        TypeError,
        "`grad` must return an array of real numbers; got str at step 0",
    ),
    ("grad-none", lambda: cd.rmsprop(lambda x: None, X0, steps=1), TypeError, "`grad` must ret"),
    ("f-not-callable", lambda: cd.sgd(G, X0, steps=1, f=1), TypeError, "`f` must be callable"),
    (
        "f-vector",
        lambda: cd.sgd(G, X0, steps=1, f=lambda x: x),
        TypeError,
        "`f` must return a real scalar",
    ),
    ("tol-negative", lambda: cd.sgd(G, X0, steps=1, tol=-1), ValueError, "`tol` must be at le"),
    ("record-string", lambda: cd.sgd(G, X0, steps=1, record="no"), TypeError, "`record` must"),
    (
        "line-search-without-f",
        lambda: cd.gradient_descent(G, X0, steps=1, lr=0.1, line_search=True),
        ValueError,
        "`line_search` needs the objective `f`",
    ),
    (
        "shrink-one",
        lambda: cd.gradient_descent(G, X0, steps=1, lr=0.1, f=smooth_f, shrink=1.0),
        ValueError,
        "`shrink` must lie in",
    ),
    ("c-zero", lambda: cd.newton(G, G, X0, steps=1, c=0.0), ValueError, "`c` must lie in"),
    ("hess-not-callable", lambda: cd.newton(G, None, X0, steps=1), TypeError, "`hess` must be"),
    (
        "hess-wrong-shape",
        lambda: cd.newton(G, lambda x: np.eye(3), X0, steps=1),
        ValueError,
        r"`hess` must return an array of shape \(4, 4\); got shape \(3, 3\)",
    ),
    (
        "newton-x0-2d",
        lambda: cd.newton(G, G, np.ones((2, 2)), steps=1),
        ValueError,
        "`x0` must be 1-D",
    ),
    ("step-size-0", lambda: cd.StepLR(0.1, step_size=0), ValueError, "`step_size` must be at"),
    ("gamma-zero", lambda: cd.ExponentialLR(0.1, gamma=0.0), ValueError, r"`gamma` must lie in"),
    ("schedule-lr", lambda: cd.CosineAnnealingLR(-1.0, T_max=5), ValueError, "`lr` must be pos"),
    ("T-max-0", lambda: cd.CosineAnnealingLR(1.0, T_max=0), ValueError, "`T_max` must be at"),
    ("start-factor-0", lambda: cd.LinearLR(1.0, start_factor=0.0), ValueError, "`start_factor"),
    ("schedule-t-neg", lambda: cd.StepLR(1.0, step_size=2)(-1), ValueError, "`t` must be at le"),
    (
        "batch-size-too-big",
        lambda: cd.MinibatchGradient(G, np.ones((5, 2)), batch_size=6),
        ValueError,
        "`batch_size` must be at most the number of samples, 5; got 6",
    ),
    (
        "data-lengths",
        lambda: cd.MinibatchGradient(G, (np.ones((5, 2)), np.ones(4)), batch_size=2),
        ValueError,
        r"`data`: every array must have the same number of samples; got lengths \[5, 4\]",
    ),
    (
        "data-text",
        lambda: cd.MinibatchGradient(G, np.array(["a", "b"]), batch_size=1),
        TypeError,
        "`data` must be an array of numbers",
    ),
    ("batch-grad", lambda: cd.MinibatchGradient(1, np.ones(3), batch_size=1), TypeError, "`grad"),
]


@pytest.mark.parametrize(
    ("call", "error", "match"), [c[1:] for c in BAD_INPUT], ids=[c[0] for c in BAD_INPUT]
)
def test_input_validation(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_a_line_search_that_finds_no_decrease_stops_the_run_without_a_step():
    # a gradient that f does not follow: no step decreases f
    run = cd.gradient_descent(
        lambda x: np.ones_like(x), X0, steps=10, lr=1.0, f=lambda x: 0.0, line_search=True
    )
    assert run.steps == 0 and not run.converged and not run.diverged
    assert "line search found no decrease at step 1" in run.message
    np.testing.assert_array_equal(run.x, X0)


def test_a_non_finite_hessian_is_divergence():
    run = cd.newton(G, lambda x: np.full((4, 4), np.nan), X0, steps=5)
    assert run.diverged and run.steps == 0 and "Hessian at x_0 is not finite" in run.message
