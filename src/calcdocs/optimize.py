r"""Gradient-based optimizers mirroring :mod:`torch.optim`, and the :class:`Trajectory` they return.

Every optimizer has the form ``name(grad, x0, *, steps, lr=..., <options>, f=None, tol=None,
record=True)``: `grad` is a callable returning the gradient at a point (an array of the
point's shape), `x0` the starting point, `steps` the number of updates. The names, the
defaults and the update rules are those of :mod:`torch.optim`, and each docstring carries the
algorithm box whose lines the code follows.

All of them share one driver loop (validation, recording, the convergence test on the
gradient norm and the divergence test); each method only supplies its update rule, a small
class whose ``__call__`` reads like the math. A run never raises because the numbers went
bad: a non-finite gradient or value, or a blow-up, ends it with ``diverged=True`` and the
history up to that step kept.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from calcdocs._validation import (
    as_array,
    check_callable,
    check_in_range,
    check_int,
    check_positive,
)

__all__ = [
    "Trajectory",
    "sgd",
]

_BLOWUP = 1e10  # a gradient norm this many times its start (plus 1) counts as divergence


# ---------------------------------------------------------------------------------------------
# The result of every run
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Trajectory:
    r"""The history of one optimizer run: iterates, values, gradient norms, learning rates.

    A run that took ``k`` steps visited the iterates :math:`x_0, x_1, \dots, x_k`.

    Attributes
    ----------
    points : ndarray of shape (k + 1, \*x0.shape) or None
        The iterates, :math:`x_0` (the starting point) first. ``None`` when the run was
        made with ``record=False``, which keeps the memory independent of the number of
        steps.
    values : ndarray of shape (k + 1,) or None
        :math:`f(x_t)` at every iterate, when the optimizer was given `f`; else ``None``.
    grad_norms : ndarray of shape (k + 1,)
        The Euclidean norm of the gradient evaluated at every iterate,
        :math:`\lVert \nabla f(x_t) \rVert` for ``t = 0, ..., k`` (with minibatches, of
        the minibatch gradient drawn there). Entry ``t < k`` is the gradient that made
        step ``t + 1``; the last entry is one extra evaluation at the final point (where
        the convergence test is made). After a divergence it may be ``inf`` or ``nan``.
    lrs : ndarray of shape (k,)
        The learning rate (step size) used by each step: the constant `lr`, the schedule's
        value, or the step accepted by a line search.
    x : ndarray
        The last iterate :math:`x_k`, of the shape of ``x0`` (kept even with
        ``record=False``).
    converged : bool
        Whether the gradient norm fell to `tol` (the run stops at the first such iterate).
    diverged : bool
        Whether the run was stopped by a non-finite gradient or value, or a blow-up (a
        gradient norm over ``1e10 * (1 + ||grad f(x_0)||)``).
    message : str
        One line saying why the run stopped and at which step.
    method : str
        The optimizer's name, e.g. ``"sgd"``.

    See Also
    --------
    sgd : the simplest optimizer returning one.

    Examples
    --------
    >>> import numpy as np
    >>> from calcdocs import sgd
    >>> run = sgd(lambda x: 2 * x, np.array([1.0, -2.0]), steps=3, lr=0.25)
    >>> print(run.points)
    [[ 1.    -2.   ]
     [ 0.5   -1.   ]
     [ 0.25  -0.5  ]
     [ 0.125 -0.25 ]]
    >>> print(run.lrs, run.steps, run.converged, run.diverged)
    [0.25 0.25 0.25] 3 False False
    >>> print(run.message)
    sgd: stopped after 3 steps (the step budget); gradient norm 0.559017.
    """

    points: np.ndarray | None
    values: np.ndarray | None
    grad_norms: np.ndarray
    lrs: np.ndarray
    x: np.ndarray
    converged: bool
    diverged: bool
    message: str
    method: str

    @property
    def steps(self) -> int:
        """The number of steps taken, ``k`` (``len(lrs)``)."""
        return len(self.lrs)

    def __repr__(self) -> str:
        return f"Trajectory(method={self.method!r}, steps={self.steps}, message={self.message!r})"


# ---------------------------------------------------------------------------------------------
# Argument checks
# ---------------------------------------------------------------------------------------------


def _check_bool(value: Any, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"`{name}` must be True or False; got {value!r}.")
    return bool(value)


def _check_lr(lr: Any) -> float | Callable[[int], float]:
    """A positive finite constant, or a schedule: a callable ``t -> lr`` (t = 0, 1, ...)."""
    if callable(lr):
        return lr
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real):
        raise TypeError(
            f"`lr` must be a positive number or a schedule (a callable t -> lr); "
            f"got {type(lr).__name__}."
        )
    return check_positive(lr, "lr")


def _lr_at(lr: float | Callable[[int], float], t: int) -> float:
    """The learning rate of step ``t`` (0-based), checked when it comes from a schedule."""
    if not callable(lr):
        return lr
    value = lr(t)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"`lr` schedule must return a real number; got {type(value).__name__} at step {t}."
        )
    value = float(value)
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(
            f"`lr` schedule must return a finite value at least 0; got {value!r} at step {t}."
        )
    return value


def _check_betas(betas: Any) -> tuple[float, float]:
    if not isinstance(betas, (tuple, list)) or len(betas) != 2:
        raise TypeError(f"`betas` must be a pair (beta1, beta2); got {betas!r}.")
    return (
        check_in_range(betas[0], "betas[0]", 0.0, 1.0, closed=(True, False)),
        check_in_range(betas[1], "betas[1]", 0.0, 1.0, closed=(True, False)),
    )


def _gradient_at(grad: Callable, x: np.ndarray, shape: tuple[int, ...], t: int) -> np.ndarray:
    """Call ``grad(x)`` and check that it returned numbers of the point's shape."""
    g = grad(x)
    try:
        g = as_array(g, "grad", finite=False)
    except TypeError:
        raise TypeError(
            f"`grad` must return an array of real numbers; got {type(g).__name__} at step {t}."
        ) from None
    if g.shape != shape:
        raise ValueError(
            f"`grad` must return an array of the shape of `x0`, {shape}; got shape "
            f"{g.shape} at step {t}."
        )
    return g


def _value_at(f: Callable, x: np.ndarray, t: int) -> float:
    value = np.asarray(f(x))
    if value.shape != () or value.dtype.kind not in "iuf":
        raise TypeError(
            f"`f` must return a real scalar; got {value.dtype} of shape {value.shape} at step {t}."
        )
    return float(value)


# ---------------------------------------------------------------------------------------------
# The driver loop shared by every optimizer
# ---------------------------------------------------------------------------------------------


def _run(
    method: str,
    update: Callable[..., float],
    grad: Any,
    x0: Any,
    *,
    steps: Any,
    lr: Any,
    f: Any,
    tol: Any,
    record: Any,
) -> Trajectory:
    """Iterate ``x <- update(x, g, lr_t, t)`` and record what happened.

    `update(x, g, lr, t)` changes `x` in place for step ``t`` (1-based, torch's count) from
    the gradient `g` at `x`, and returns the learning rate it used (a line search may pick
    its own). It may set an attribute ``stop = (converged, reason)`` to end the run at the
    iterate it has just made.
    """
    check_callable(grad, "grad")
    x = as_array(x0, "x0", copy=True)  # x0 is never mutated
    steps = check_int(steps, "steps", minimum=0)
    lr = _check_lr(lr)
    if f is not None:
        check_callable(f, "f")
    if tol is not None:
        tol = check_positive(tol, "tol", allow_zero=True)
    record = _check_bool(record, "record")

    shape = x.shape
    x_view = x.view()
    x_view.flags.writeable = False  # grad and f see the iterate, never a writable buffer
    points = np.empty((steps + 1, *shape)) if record else None
    values = np.empty(steps + 1) if f is not None else None
    grad_norms = np.empty(steps + 1)
    lrs = np.empty(steps)

    converged = diverged = False
    reason = "the step budget"
    k = 0
    limit = math.inf
    stop = None  # an update may end the run: (converged, reason)
    while True:
        # --- the iterate x_k: record it, then test for divergence and convergence ---
        if record:
            points[k] = x
        if values is not None:
            values[k] = _value_at(f, x_view, k)
        g = _gradient_at(grad, x_view, shape, k)
        if np.may_share_memory(g, x):
            g = g.copy()  # the update changes x in place; g must not change with it
        g_norm = math.sqrt(np.vdot(g, g)) if g.size else 0.0
        grad_norms[k] = g_norm
        if k == 0:
            limit = _BLOWUP * (1.0 + g_norm)
        if values is not None and not math.isfinite(values[k]):
            diverged, reason = True, f"f(x_{k}) is not finite"
        elif not math.isfinite(g_norm):
            diverged, reason = True, f"the gradient at x_{k} is not finite"
        elif g_norm > limit:
            diverged, reason = True, f"the gradient norm blew up to {g_norm:.3g} at x_{k}"
        elif tol is not None and g_norm <= tol:
            converged, reason = True, f"gradient norm {g_norm:.3g} <= tol = {tol:g}"
        elif stop is not None:
            converged, reason = stop
        if diverged or converged or stop is not None or k == steps:
            break
        # --- step k + 1 ---
        lrs[k] = update(x, g, _lr_at(lr, k), k + 1)
        stop = getattr(update, "stop", None)
        k += 1

    if diverged:
        message = f"{method}: diverged at step {k}: {reason}."
    elif converged:
        message = f"{method}: converged at step {k}: {reason}."
    else:
        message = f"{method}: stopped after {k} steps ({reason}); gradient norm {g_norm:.6g}."
    return Trajectory(
        points=None if points is None else points[: k + 1],
        values=None if values is None else values[: k + 1],
        grad_norms=grad_norms[: k + 1],
        lrs=lrs[:k],
        x=x,
        converged=converged,
        diverged=diverged,
        message=message,
        method=method,
    )


# ---------------------------------------------------------------------------------------------
# Stochastic gradient descent
# ---------------------------------------------------------------------------------------------


class _SGD:
    """One step of torch's SGD (see :func:`sgd` for the algorithm box)."""

    def __init__(self, *, momentum, dampening, nesterov, weight_decay, maximize):
        self.mu, self.tau, self.nesterov = momentum, dampening, nesterov
        self.lam, self.maximize = weight_decay, maximize
        self.b = None  # the momentum buffer

    def __call__(self, x, g, lr, t):
        if self.maximize:
            g = -g
        if self.lam != 0:
            g = g + self.lam * x  # g_t <- g_t + lambda x_{t-1}
        if self.mu != 0:
            if t == 1:
                self.b = g.copy()  # b_1 <- g_1
            else:
                b = self.b  # b_t <- mu b_{t-1} + (1 - tau) g_t
                b *= self.mu
                b += (1 - self.tau) * g
            if self.nesterov:
                g = g + self.mu * self.b  # g_t <- g_t + mu b_t
            else:
                g = self.b  # g_t <- b_t
        x -= lr * g  # x_t <- x_{t-1} - eta g_t
        return lr


def sgd(
    grad: Callable[[np.ndarray], Any],
    x0: Any,
    *,
    steps: int,
    lr: float | Callable[[int], float] = 1e-3,
    momentum: float = 0.0,
    dampening: float = 0.0,
    nesterov: bool = False,
    weight_decay: float = 0.0,
    maximize: bool = False,
    f: Callable[[np.ndarray], Any] | None = None,
    tol: float | None = None,
    record: bool = True,
) -> Trajectory:
    r"""(Stochastic) gradient descent with optional momentum, as :class:`torch.optim.SGD`.

    .. math::

        \begin{aligned}
        &\textbf{for } t = 1, \dots, \text{steps}: \\
        &\quad g_t \leftarrow \nabla f(x_{t-1}) \quad (-\nabla f \text{ if maximize}) \\
        &\quad \textbf{if } \lambda \ne 0: \; g_t \leftarrow g_t + \lambda x_{t-1} \\
        &\quad \textbf{if } \mu \ne 0: \\
        &\qquad b_t \leftarrow g_t \text{ if } t = 1 \text{, else }
               \mu b_{t-1} + (1 - \tau) g_t \\
        &\qquad g_t \leftarrow g_t + \mu b_t \text{ if nesterov, else } b_t \\
        &\quad x_t \leftarrow x_{t-1} - \eta_t g_t
        \end{aligned}

    with learning rate :math:`\eta` (`lr`), momentum :math:`\mu`, dampening :math:`\tau`
    and weight decay :math:`\lambda`.

    .. note::

       The momentum buffer starts at the first gradient, :math:`b_1 = g_1`, not at
       :math:`b_0 = 0` followed by :math:`b_1 = (1 - \tau) g_1`; dampening acts from the
       second step on. And the learning rate multiplies the buffer
       (:math:`x \leftarrow x - \eta b`), where Polyak's heavy ball adds a velocity
       :math:`v \leftarrow \mu v - \eta g`; the two agree for a constant `lr`, not when
       the learning rate changes. Nesterov's variant is torch's (Sutskever et al., 2013)
       reformulation, evaluated at :math:`x_{t-1}`, not at a look-ahead point.

    Parameters
    ----------
    grad : callable
        ``grad(x)`` returns the gradient at ``x``, an array of ``x``'s shape. It receives
        a read-only view of the current iterate.
    x0 : array_like
        The starting point (any shape; never modified).
    steps : int
        The number of updates (at least 0).
    lr : float or callable, default 1e-3
        The learning rate :math:`\eta > 0`, or a schedule: a callable returning the rate
        for step ``t = 0, 1, ...`` (e.g. :class:`StepLR`).
    momentum : float, default 0.0
        :math:`\mu \in [0, 1)`.
    dampening : float, default 0.0
        :math:`\tau \in [0, 1]`.
    nesterov : bool, default False
        Nesterov momentum (requires ``momentum > 0`` and ``dampening == 0``, as in torch).
    weight_decay : float, default 0.0
        The L2 penalty :math:`\lambda \ge 0` (adds :math:`\lambda x` to the gradient).
    maximize : bool, default False
        Ascend instead of descend.
    f : callable, optional
        The objective; when given, ``values`` records :math:`f(x_t)` and a non-finite value
        counts as divergence.
    tol : float, optional
        Stop (``converged=True``) at the first iterate whose gradient norm is at most `tol`.
    record : bool, default True
        Keep every iterate in ``points``; with ``False`` the memory does not grow with
        `steps`.

    Returns
    -------
    Trajectory
        The run: iterates, values, gradient norms, learning rates and why it stopped.

    Raises
    ------
    TypeError
        If `grad` (or `f`) is not callable or returns something that is not an array of
        real numbers, or an option has the wrong type.
    ValueError
        If `steps` is negative, `lr` is not positive and finite, `x0` is not finite, an
        option is outside its range, `grad` returns the wrong shape, or Nesterov momentum is
        asked for without momentum or with dampening.

    See Also
    --------
    Trajectory : what a run returns.

    References
    ----------
    .. [1] B. T. Polyak, "Some methods of speeding up the convergence of iteration methods",
       USSR Comput. Math. and Math. Phys. 4(5), 1964.
    .. [2] I. Sutskever, J. Martens, G. Dahl, G. Hinton, "On the importance of
       initialization and momentum in deep learning", ICML 2013.

    Examples
    --------
    Minimise :math:`f(x) = x_1^2 + 10 x_2^2` with heavy-ball momentum:

    >>> import numpy as np
    >>> from calcdocs import sgd
    >>> grad = lambda x: np.array([2.0, 20.0]) * x
    >>> run = sgd(grad, [1.0, 1.0], steps=500, lr=0.05, momentum=0.5, tol=1e-8)
    >>> print(run.converged, run.steps, np.abs(run.x).max() < 1e-8)
    True 58 True
    """
    momentum = check_in_range(momentum, "momentum", 0.0, 1.0, closed=(True, False))
    dampening = check_in_range(dampening, "dampening", 0.0, 1.0)
    nesterov = _check_bool(nesterov, "nesterov")
    weight_decay = check_positive(weight_decay, "weight_decay", allow_zero=True)
    maximize = _check_bool(maximize, "maximize")
    if nesterov and (momentum == 0 or dampening != 0):
        raise ValueError(
            "`nesterov` requires a momentum and zero dampening; got "
            f"momentum={momentum!r}, dampening={dampening!r}."
        )
    update = _SGD(
        momentum=momentum,
        dampening=dampening,
        nesterov=nesterov,
        weight_decay=weight_decay,
        maximize=maximize,
    )
    return _run("sgd", update, grad, x0, steps=steps, lr=lr, f=f, tol=tol, record=record)
