"""Bad and edge inputs for ``calcdocs.differentiate`` (run by ``bench/bad_input.py``).

One block per class of failure named by the bad-input review (December 2026): non-finite
values of f, unreliable difference quotients, complex output on the real path, user steps,
low precision, empty batches, memory, what the user's f is and returns, the complex step
on tiny derivatives, ``check_grad``, and the argument checks that already held.

Edge cases return True when the result is right. For inputs where a right answer may be
out of reach of finite differences, ``_right_or_reported`` also accepts a report: a
calcdocs warning, or a TypeError/ValueError, that names an argument in backticks.
"""

from __future__ import annotations

import math
import re
import tracemalloc
import warnings

import numpy as np

import calcdocs as cd

_NAMED = re.compile(r"`[A-Za-z_]+`")


def _close(a, b, rtol=1e-6, atol=0.0):
    a = np.asarray(a)
    return bool(a.shape == np.shape(b) and np.all(np.isfinite(a)) and np.allclose(a, b, rtol, atol))


def _right_or_reported(call, expected, rtol=1e-6):
    """True if `call` is within `rtol` of `expected`, or reports why it cannot be."""

    def run():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                got = call()
            except (TypeError, ValueError) as exc:
                text = "\n".join([str(exc), *getattr(exc, "__notes__", [])])
                return bool(_NAMED.search(text))
        if any(_NAMED.search(str(w.message)) for w in caught):
            return True
        return _close(got, expected, rtol)

    return run


def _keeps_type(call, exc_type, forbidden=None):
    """True if the user's exception comes out with its own type (and not `forbidden` text)."""

    def run():
        try:
            call()
        except exc_type as exc:
            return forbidden is None or forbidden not in str(exc)
        return False

    return run


class _UserError(Exception):
    pass


def _raise(exc):
    def f(x):
        raise exc

    return f


def _sq(p):
    return np.sum(p**2, axis=-1)


def _sq32(p):
    return np.sum(np.asarray(p, dtype=np.float32) ** 2, axis=-1)


def _complex_out(p):
    return np.sum(p, axis=-1) * (1 + 1j)


def _nan_f(p):
    return np.full(np.shape(p)[:-1], np.nan)


def _scalar_only(p):
    return math.sqrt(p[0] ** 2 + p[1] ** 2)  # not vectorised: p[0] is a row of points


def _branchy(t):
    return t if t > 0 else -t  # `if` on an array


def _strings(p):
    return np.array(["a"] * len(p))


def _grad_in_place(p):
    p *= 2  # a buggy grad that scales its input in place
    return p


def _bounded(call, limit=400 * 2**20):
    """True if `call` returns 2 (the gradient of sum x**2 at ones) using under `limit` bytes."""

    def run():
        tracemalloc.start()
        try:
            g = call()
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        return bool(np.allclose(g, 2.0) and peak < limit)

    return run


def _grad_unchanged():
    x = np.array([1.0, 2.0])
    cd.check_grad(_sq, _grad_in_place, x)
    return bool(np.array_equal(x, [1.0, 2.0]))


_N_BIG = 6_000  # gradient: the old path built an n x n identity; now blocks of 2**24 numbers

CASES = [
    # --- 1. non-finite values of f near x (after the domain retries) --------------------------
    ("log_at_-1", "bad", lambda: cd.derivative(np.log, -1.0)),
    ("log_at_-1_richardson", "bad", lambda: cd.derivative(np.log, -1.0, method="richardson")),
    ("sqrt_at_-4", "bad", lambda: cd.derivative(np.sqrt, -4.0)),
    ("sqrt_at_0_central", "bad", lambda: cd.derivative(np.sqrt, 0.0)),
    ("nan_f_gradient", "bad", lambda: cd.gradient(_nan_f, [1.0, 2.0])),
    ("nan_f_hessian", "bad", lambda: cd.hessian(_nan_f, [1.0, 2.0])),
    (
        "log_sum_negative_gradient",
        "bad",
        lambda: cd.gradient(lambda p: np.log(p.sum(-1)), [-1.0, -2.0]),
    ),
    ("hole_right_of_x", "bad", lambda: cd.derivative(lambda t: np.where(t > 1, np.nan, t), 1.0)),
    (
        "partial_log_negative",
        "bad",
        lambda: cd.partial(lambda p: np.log(p[..., 0]), [-1.0, 1.0], 0),
    ),
    (
        "directional_log_negative",
        "bad",
        lambda: cd.directional_derivative(lambda p: np.log(p[..., 0]), [-1.0, 1.0], [1.0, 0.0]),
    ),
    (
        "jacobian_nan_component",
        "bad",
        lambda: cd.jacobian(lambda p: np.stack([p[..., 0], np.log(-p[..., 1])], -1), [1.0, 2.0]),
    ),
    ("hessian_log_negative", "bad", lambda: cd.hessian(lambda p: np.log(p[..., 0]), [-1.0])),
    (
        "hessian_log_negative_complex",
        "bad",
        lambda: cd.hessian(lambda p: np.log(p[..., 0]), [-1.0], method="complex"),
    ),
    ("log_at_-1_complex", "bad", lambda: cd.derivative(np.log, -1.0, method="complex")),
    (
        "check_grad_nan_grad",
        "bad",
        lambda: cd.check_grad(_sq, lambda p: np.full_like(p, np.nan), [1.0, 2.0]),
    ),
    ("check_grad_inf_grad", "bad", lambda: cd.check_grad(_sq, lambda p: p * np.inf, [1.0, 2.0])),
    # --- domain retries and genuine infinities (edge) ----------------------------------------
    ("log_at_1e-300", "edge", lambda: _close(cd.derivative(np.log, 1e-300), 1e300)),
    (
        "log_at_1e-300_richardson",
        "edge",
        lambda: _close(cd.derivative(np.log, 1e-300, method="richardson"), 1e300),
    ),
    ("log_at_1e-20", "edge", lambda: _close(cd.derivative(np.log, 1e-20), 1e20)),
    ("exp_at_800_is_inf", "edge", lambda: cd.derivative(np.exp, 800.0) == np.inf),
    (
        "exp_at_800_richardson_is_inf",
        "edge",
        lambda: cd.derivative(np.exp, 800.0, method="richardson") == np.inf,
    ),
    (
        "gradient_exp_overflow",
        "edge",
        lambda: np.array_equal(
            cd.gradient(lambda p: np.exp(p).sum(-1), [800.0, 0.0])[:1], [np.inf]
        ),
    ),
    (
        "hessian_log_near_edge",
        "edge",
        lambda: _close(
            cd.hessian(lambda p: np.log(p[..., 0]) + p[..., 1] ** 2, [1e-6, 1.0]),
            [[-1e12, 0], [0, 2]],
            1e-4,
            1e-3,
        ),
    ),
    (
        "hessian_log_near_edge_forward",
        "edge",
        _right_or_reported(
            lambda: cd.hessian(lambda p: np.log(p[..., 0]), [1e-6], method="forward"),
            [[-1e12]],
            1e-2,
        ),
    ),
    (
        "directional_subnormal_v",
        "edge",
        lambda: _close(cd.directional_derivative(_sq, [1.0, 2.0], [1e-310, 0.0]), 2e-310, 1e-3),
    ),
    # --- 2. complex output of f on the real path ---------------------------------------------
    ("complex_out_derivative", "bad", lambda: cd.derivative(lambda t: t * (1 + 1j), 1.0)),
    (
        "complex_out_derivative_richardson",
        "bad",
        lambda: cd.derivative(lambda t: t * (1 + 1j), 1.0, method="richardson"),
    ),
    ("complex_out_gradient", "bad", lambda: cd.gradient(_complex_out, [1.0, 2.0])),
    ("complex_out_jacobian", "bad", lambda: cd.jacobian(lambda p: p * 1j, [1.0, 2.0])),
    ("complex_out_hessian", "bad", lambda: cd.hessian(_complex_out, [1.0, 2.0])),
    ("complex_out_partial", "bad", lambda: cd.partial(_complex_out, [1.0, 2.0], 1)),
    (
        "complex_out_directional",
        "bad",
        lambda: cd.directional_derivative(_complex_out, [1.0, 2.0], [1.0, 0.0]),
    ),
    # --- 3. user steps: x + h == x, or far outside the scale of x ----------------------------
    ("h_1e-300_lost", "bad", lambda: cd.derivative(np.sin, 1.0, h=1e-300)),
    ("h_lost_at_1e10", "bad", lambda: cd.derivative(np.sin, 1e10, h=1e-8)),
    ("h_1e300", "bad", lambda: cd.derivative(np.sin, 1.0, h=1e300)),
    ("h_1e3_for_sin", "bad", lambda: cd.derivative(np.sin, 1.0, h=1e3)),
    ("gradient_h_lost", "bad", lambda: cd.gradient(_sq, [1.0, 2.0], h=1e-300)),
    ("jacobian_h_lost", "bad", lambda: cd.jacobian(lambda p: p * 2, [1.0, 2.0], h=1e-300)),
    ("partial_h_lost", "bad", lambda: cd.partial(_sq, [1.0, 2.0], 0, h=1e-300)),
    (
        "directional_h_lost",
        "bad",
        lambda: cd.directional_derivative(_sq, [1.0, 2.0], [1.0, 1.0], h=1e-300),
    ),
    ("richardson_h_lost", "bad", lambda: cd.derivative(np.sin, 1.0, method="richardson", h=1e-300)),
    (
        "hessian_h_1e-10",
        "bad",
        lambda: cd.hessian(lambda p: np.sin(p).sum(-1), [1.0, 2.0], h=1e-10),
    ),
    ("hessian_h_lost", "bad", lambda: cd.hessian(_sq, [1.0, 2.0], h=1e-300)),
    (
        "complex_tiny_h_is_fine",
        "edge",
        lambda: _close(
            cd.derivative(np.sin, 1.0, method="complex", h=1e-300), math.cos(1.0), 1e-12
        ),
    ),
    # --- 4. unreliable quotients: right, or reported ------------------------------------------
    (
        "sin_at_1e8",
        "edge",
        _right_or_reported(lambda: cd.derivative(np.sin, 1e8), math.cos(1e8), 1e-3),
    ),
    (
        "sin_at_1e8_richardson",
        "edge",
        _right_or_reported(
            lambda: cd.derivative(np.sin, 1e8, method="richardson"), math.cos(1e8), 1e-3
        ),
    ),
    (
        "sin_at_1e8_forward",
        "edge",
        _right_or_reported(
            lambda: cd.derivative(np.sin, 1e8, method="forward"), math.cos(1e8), 1e-3
        ),
    ),
    (
        "sin_at_1e8_complex",
        "edge",
        lambda: _close(cd.derivative(np.sin, 1e8, method="complex"), math.cos(1e8), 1e-9),
    ),
    (
        "inverse_square_near_pole",
        "edge",
        _right_or_reported(lambda: cd.derivative(lambda t: t**-2.0, 1e-6), -2e18, 1e-3),
    ),
    (
        "tan_below_pole",
        "edge",
        _right_or_reported(
            lambda: cd.derivative(np.tan, math.pi / 2 - 1e-8),
            1 / math.cos(math.pi / 2 - 1e-8) ** 2,
            1e-3,
        ),
    ),
    (
        "log_at_1e-9_forward",
        "edge",
        _right_or_reported(lambda: cd.derivative(np.log, 1e-9, method="forward"), 1e9, 1e-3),
    ),
    (
        "gradient_sin_large_coordinate",
        "edge",
        _right_or_reported(
            lambda: cd.gradient(lambda p: np.sin(p).sum(-1), [1e8, 0.0]), [math.cos(1e8), 1.0], 1e-3
        ),
    ),
    (
        "square_at_1e-300_complex",
        "edge",
        lambda: _close(cd.derivative(lambda t: t**2, 1e-300, method="complex"), 2e-300),
    ),
    ("sign_at_0", "bad", lambda: cd.derivative(np.sign, 0.0)),
    ("sqrt_at_0_forward", "bad", lambda: cd.derivative(np.sqrt, 0.0, method="forward")),
    (
        "step_at_0_forward",
        "bad",
        lambda: cd.derivative(lambda t: (t > 0).astype(float), 0.0, method="forward"),
    ),
    ("abs_at_0_central_convention", "edge", lambda: cd.derivative(np.abs, 0.0) == 0.0),
    # --- 5. low-precision f -----------------------------------------------------------------
    ("float32_f", "bad", lambda: cd.derivative(lambda t: np.sin(t.astype(np.float32)), 1.0)),
    ("float16_f", "bad", lambda: cd.derivative(lambda t: np.sin(t.astype(np.float16)), 1.0)),
    ("float32_f_gradient", "bad", lambda: cd.gradient(_sq32, [1.0, 2.0])),
    ("float32_f_hessian", "bad", lambda: cd.hessian(_sq32, [1.0, 2.0])),
    (
        "float32_f_still_accurate",
        "edge",
        lambda: _close(
            _quiet(lambda: cd.derivative(lambda t: np.sin(t.astype(np.float32)), 1.0)),
            math.cos(1.0),
            1e-3,
        ),
    ),
    # --- 6. empty batches -------------------------------------------------------------------
    ("gradient_empty", "edge", lambda: cd.gradient(_sq, np.zeros((0, 2))).shape == (0, 2)),
    (
        "gradient_empty_nested",
        "edge",
        lambda: cd.gradient(_sq, np.zeros((3, 0, 2))).shape == (3, 0, 2),
    ),
    (
        "gradient_empty_richardson",
        "edge",
        lambda: cd.gradient(_sq, np.zeros((0, 2)), method="richardson").shape == (0, 2),
    ),
    (
        "gradient_empty_complex",
        "edge",
        lambda: cd.gradient(_sq, np.zeros((0, 2)), method="complex").shape == (0, 2),
    ),
    (
        "gradient_empty_forward",
        "edge",
        lambda: cd.gradient(_sq, np.zeros((0, 2)), method="forward").shape == (0, 2),
    ),
    (
        "jacobian_empty",
        "edge",
        lambda: (
            cd.jacobian(lambda p: np.stack([p[..., 0]] * 3, -1), np.zeros((0, 2))).shape
            == (0, 3, 2)
        ),
    ),
    ("derivative_empty", "edge", lambda: cd.derivative(np.sin, np.zeros(0)).shape == (0,)),
    ("partial_empty", "edge", lambda: cd.partial(_sq, np.zeros((0, 2)), 1).shape == (0,)),
    (
        "directional_empty",
        "edge",
        lambda: cd.directional_derivative(_sq, np.zeros((0, 2)), [1.0, 0.0]).shape == (0,),
    ),
    ("hessian_empty", "edge", lambda: cd.hessian(_sq, np.zeros((0, 2))).shape == (0, 2, 2)),
    ("check_grad_empty", "bad", lambda: cd.check_grad(_sq, lambda p: 2 * p, np.zeros((0, 2)))),
    # --- 7. memory ---------------------------------------------------------------------------
    ("gradient_n6000_bounded_memory", "edge", _bounded(lambda: cd.gradient(_sq, np.ones(_N_BIG)))),
    (
        "gradient_n20000",
        "edge",
        _right_or_reported(lambda: cd.gradient(_sq, np.ones(20_000)), 2 * np.ones(20_000)),
    ),
    (
        "jacobian_n6000",
        "edge",
        lambda: _close(
            cd.jacobian(lambda p: _sq(p)[..., None], np.ones(_N_BIG)), 2 * np.ones((1, _N_BIG))
        ),
    ),
    (
        "hessian_n1000",
        "edge",
        _right_or_reported(lambda: cd.hessian(_sq, np.ones(1000)), 2 * np.eye(1000), 1e-6),
    ),
    ("hessian_n5000", "bad", lambda: cd.hessian(_sq, np.ones(5000))),
    # --- 8. what the user's f is and returns ------------------------------------------------
    ("math_sin_on_array", "bad", lambda: cd.derivative(math.sin, np.array([1.0, 2.0]))),
    ("math_sin_complex", "bad", lambda: cd.derivative(math.sin, 1.0, method="complex")),
    ("scalar_only_gradient", "bad", lambda: cd.gradient(_scalar_only, [3.0, 4.0])),
    ("if_on_array", "bad", lambda: cd.derivative(_branchy, np.array([1.0, -2.0]))),
    ("strings_out", "bad", lambda: cd.gradient(_strings, [1.0, 2.0])),
    ("none_out", "bad", lambda: cd.gradient(lambda p: None, [1.0, 2.0])),
    ("scalar_out_for_batch", "bad", lambda: cd.gradient(lambda p: 1.0, [1.0, 2.0])),
    (
        "object_out",
        "bad",
        lambda: cd.derivative(lambda t: np.array([object()] * t.size), np.array([1.0, 2.0])),
    ),
    (
        "user_error_kept",
        "edge",
        _keeps_type(lambda: cd.gradient(_raise(_UserError("mine")), [1.0]), _UserError),
    ),
    (
        "user_type_error_complex_kept",
        "edge",
        _keeps_type(
            lambda: cd.derivative(_raise(TypeError("bug inside f")), 1.0, method="complex"),
            TypeError,
            "complex-safe",
        ),
    ),
    (
        "user_zero_division_kept",
        "edge",
        _keeps_type(lambda: cd.hessian(_raise(ZeroDivisionError("z")), [1.0]), ZeroDivisionError),
    ),
    (
        "abs_not_complex_safe",
        "bad",
        lambda: cd.derivative(lambda t: np.abs(t) ** 3, 1.0, method="complex"),
    ),
    (
        "abs_not_complex_safe_hessian",
        "bad",
        lambda: cd.hessian(lambda p: np.abs(p).sum(-1) ** 3, [1.0, 2.0], method="complex"),
    ),
    (
        "real_part_not_complex_safe",
        "bad",
        lambda: cd.gradient(lambda p: np.real(p).sum(-1) ** 2, [1.0, 2.0], method="complex"),
    ),
    # --- 9. the complex step on tiny or underflowing derivatives (complex-safe f) ------------
    (
        "softplus_at_-20_complex",
        "edge",
        lambda: _close(
            cd.derivative(cd.softplus, -20.0, method="complex"), cd.sigmoid(-20.0), 1e-10
        ),
    ),
    (
        "softplus_at_-40_complex",
        "edge",
        lambda: _close(
            cd.derivative(cd.softplus, -40.0, method="complex"), cd.sigmoid(-40.0), 1e-10
        ),
    ),
    (
        "polynomial_1e-308_complex",
        "edge",
        lambda: _close(
            cd.derivative(lambda t: 2.2250738585072014e-308 * t, 0.0, method="complex"),
            2.2250738585072014e-308,
            1e-3,
        ),
    ),
    (
        "linear_1e-300_complex",
        "edge",
        lambda: _close(cd.derivative(lambda t: 1e-300 * t, 0.0, method="complex"), 1e-300, 1e-10),
    ),
    (
        "gradient_tiny_complex",
        "edge",
        lambda: _close(
            cd.gradient(lambda p: 1e-300 * _sq(p), [1.0, 2.0], method="complex"),
            [2e-300, 4e-300],
            1e-10,
        ),
    ),
    (
        "hessian_tiny_complex",
        "edge",
        lambda: _close(
            cd.hessian(lambda p: 1e-300 * _sq(p), [1.0, 2.0], method="complex"),
            2e-300 * np.eye(2),
            1e-6,
            1e-306,
        ),
    ),
    (
        "stationary_complex",
        "edge",
        lambda: cd.derivative(lambda t: t**2, 0.0, method="complex") == 0.0,
    ),
    # --- 10. check_grad -----------------------------------------------------------------------
    ("check_grad_copy_of_x", "edge", _grad_unchanged),
    (
        "check_grad_strings",
        "bad",
        lambda: cd.check_grad(_sq, lambda p: np.array(["a", "b"]), [1.0, 2.0]),
    ),
    (
        "check_grad_is_float",
        "edge",
        lambda: type(cd.check_grad(_sq, lambda p: 2 * p, [1.0, 2.0])) is float,
    ),
    # --- 11. scalar results are Python floats -----------------------------------------------
    ("derivative_float", "edge", lambda: type(cd.derivative(np.sin, 1.0)) is float),
    ("partial_float", "edge", lambda: type(cd.partial(_sq, [1.0, 2.0], 0)) is float),
    (
        "directional_float",
        "edge",
        lambda: type(cd.directional_derivative(_sq, [1.0, 2.0], [1.0, 0.0])) is float,
    ),
    # --- 12. argument checks that held at the start -----------------------------------------
    ("method_unknown", "bad", lambda: cd.derivative(np.sin, 1.0, method="centre")),
    ("h_negative", "bad", lambda: cd.derivative(np.sin, 1.0, h=-1e-3)),
    ("h_nan", "bad", lambda: cd.gradient(_sq, [1.0], h=float("nan"))),
    ("h_string", "bad", lambda: cd.hessian(_sq, [1.0], h="0.1")),
    ("f_not_callable", "bad", lambda: cd.derivative("sin", 1.0)),
    ("F_not_callable", "bad", lambda: cd.jacobian(None, [1.0])),
    ("x_nan", "bad", lambda: cd.gradient(_sq, [np.nan, 1.0])),
    ("x_string", "bad", lambda: cd.derivative(np.sin, "1.0")),
    ("x_ragged", "bad", lambda: cd.gradient(_sq, [[1.0], [1.0, 2.0]])),
    ("x_scalar_gradient", "bad", lambda: cd.gradient(_sq, 1.0)),
    ("i_out_of_range", "bad", lambda: cd.partial(_sq, [1.0, 2.0], 2)),
    ("v_wrong_shape", "bad", lambda: cd.directional_derivative(_sq, [1.0, 2.0], [1.0])),
    ("grad_not_callable", "bad", lambda: cd.check_grad(_sq, 3, [1.0])),
    ("grad_wrong_shape", "bad", lambda: cd.check_grad(_sq, lambda p: p[..., :1], [1.0, 2.0])),
]


def _quiet(call):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return call()
