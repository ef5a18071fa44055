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

Learning-rate schedules
    Wherever a function takes `lr`, it also takes a schedule: any callable ``lr(t)``
    returning the rate of step ``t``, counted from 0 (step ``t`` goes from ``x_t`` to
    ``x_{t+1}``), e.g. ``lambda t: 0.1 / (1 + t)``. :class:`StepLR`,
    :class:`ExponentialLR`, :class:`CosineAnnealingLR` and :class:`LinearLR` give the values
    of their :mod:`torch.optim.lr_scheduler` namesakes when ``scheduler.step()`` follows each
    ``optimizer.step()``. ``Trajectory.lrs`` records the rates used.

Minibatches
    :class:`MinibatchGradient` turns ``grad(x, batch)`` and a data set into a ``grad(x)``
    that draws the next minibatch at each call, seeded and epoch by epoch; every optimizer
    takes it.
"""

from __future__ import annotations

import dataclasses
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
    check_last_axis,
    check_positive,
)

__all__ = [
    "CosineAnnealingLR",
    "ExponentialLR",
    "LinearLR",
    "MinibatchGradient",
    "StepLR",
    "Trajectory",
    "adagrad",
    "adam",
    "adamw",
    "gradient_descent",
    "newton",
    "rmsprop",
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
        Whether the gradient norm fell to `tol` (the run stops at the first such iterate),
        or, for :func:`newton` with `xtol`, the Newton step became that small.
    diverged : bool
        Whether the run was stopped by a non-finite gradient, value (or Hessian), or a
        blow-up: a gradient norm over ``1e10 * (1 + ||grad f(x_0)||)``. The iterates up to
        that point are kept; nothing is raised.
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
    its own). It may end the run by setting its attribute ``stop = (status, reason)``, with
    status ``"converged"``, ``"diverged"`` or ``"stopped"``: after the step it made, or,
    returning ``None`` instead of a learning rate, without taking a step.
    """
    check_callable(grad, "grad")
    if isinstance(grad, MinibatchGradient):
        grad = grad.stream()  # every run draws the same batches, from the seed
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
    stop = None  # an update may end the run: (status, reason)
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
            converged, diverged, reason = stop[0] == "converged", stop[0] == "diverged", stop[1]
        if diverged or converged or stop is not None or k == steps:
            break
        # --- step k + 1 ---
        lr_used = update(x, g, _lr_at(lr, k), k + 1)
        stop = getattr(update, "stop", None)
        if lr_used is None:  # the update declined to step: the run ends at x_k
            converged, diverged, reason = stop[0] == "converged", stop[0] == "diverged", stop[1]
            break
        lrs[k] = lr_used
        k += 1

    if diverged:
        message = f"{method}: diverged at step {k}: {reason}."
    elif converged:
        message = f"{method}: converged at step {k}: {reason}."
    else:
        message = f"{method}: stopped after {k} steps ({reason}); gradient norm {g_norm:.6g}."
    return Trajectory(
        # an early stop copies the rows used, so the unused rows' memory is released
        points=None if points is None else (points if k == steps else points[: k + 1].copy()),
        values=None if values is None else values[: k + 1],
        grad_norms=grad_norms[: k + 1],
        lrs=lrs[:k],
        x=x,
        converged=converged,
        diverged=diverged,
        message=message,
        method=method,
    )


_COMMON_PARAMETERS = """\
grad : callable
        ``grad(x)`` returns the gradient at ``x``, an array of ``x``'s shape (a
        :class:`MinibatchGradient` draws minibatches). It receives a read-only view of the
        current iterate, which changes as the run goes on: copy it to keep it.
    x0 : array_like
        The starting point (any shape; never modified).
    steps : int
        The number of updates (at least 0)."""

_RUN_PARAMETERS = """\
f : callable, optional
        The objective; when given, ``values`` records :math:`f(x_t)` and a non-finite value
        counts as divergence.
    tol : float, optional
        Stop (``converged=True``) at the first iterate whose gradient norm is at most `tol`.
    record : bool, default True
        Keep every iterate in ``points``. With ``False`` only the last iterate and a few
        scalars per step are kept, so memory no longer grows with ``steps * x0.size``."""


def _shared_docs(func: Callable) -> Callable:
    """Fill in the parameters every optimizer documents the same way."""
    func.__doc__ = func.__doc__.replace("<common parameters>", _COMMON_PARAMETERS).replace(
        "<run parameters>", _RUN_PARAMETERS
    )
    return func


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


@_shared_docs
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
    <common parameters>
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
    <run parameters>

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


# ---------------------------------------------------------------------------------------------
# Adaptive methods: AdaGrad, RMSprop, Adam, AdamW
# ---------------------------------------------------------------------------------------------


class _Adagrad:
    """One step of torch's Adagrad (see :func:`adagrad`).

    The updates are in place, through one scratch array ``w``, so that a step allocates
    no array of the parameters' size (the speed of large problems).
    """

    def __init__(self, x, *, lr_decay, weight_decay, initial_accumulator_value, eps, maximize):
        self.delta, self.lam, self.eps, self.maximize = lr_decay, weight_decay, eps, maximize
        self.s = np.full_like(x, initial_accumulator_value)  # the sum of squared gradients
        self.w = np.empty_like(x)

    def __call__(self, x, g, lr, t):
        s, w = self.s, self.w
        if self.maximize:
            g = -g
        if self.lam != 0:
            g = g + self.lam * x  # g_t <- g_t + lambda x_{t-1}
        eta = lr / (1 + (t - 1) * self.delta)  # eta~_t <- eta / (1 + (t - 1) delta)
        s += np.square(g, out=w)  # s_t <- s_{t-1} + g_t^2
        denom = np.sqrt(s, out=w)
        denom += self.eps  # sqrt(s_t) + eps
        step = np.divide(g, denom, out=w)
        step *= eta
        x -= step  # x_t <- x_{t-1} - eta~_t g_t / (sqrt(s_t) + eps)
        return lr


class _RMSprop:
    """One step of torch's RMSprop (see :func:`rmsprop`); in place, like :class:`_Adagrad`."""

    def __init__(self, x, *, alpha, eps, weight_decay, momentum, centered, maximize):
        self.alpha, self.eps, self.lam, self.mu = alpha, eps, weight_decay, momentum
        self.centered, self.maximize = centered, maximize
        self.v = np.zeros_like(x)  # running mean of g^2
        self.m = np.zeros_like(x) if centered else None  # running mean of g
        self.b = np.zeros_like(x) if momentum > 0 else None  # the momentum buffer
        self.w = np.empty_like(x)

    def __call__(self, x, g, lr, t):
        alpha, v, w = self.alpha, self.v, self.w
        if self.maximize:
            g = -g
        if self.lam != 0:
            g = g + self.lam * x  # g_t <- g_t + lambda x_{t-1}
        v *= alpha  # v_t <- alpha v_{t-1} + (1 - alpha) g_t^2
        g2 = np.square(g, out=w)
        g2 *= 1 - alpha
        v += g2
        if self.centered:
            m = self.m  # m_t <- alpha m_{t-1} + (1 - alpha) g_t
            m *= alpha
            m += np.multiply(g, 1 - alpha, out=w)
            v_tilde = np.subtract(v, np.square(m, out=w), out=w)  # v~_t <- v_t - m_t^2
        else:
            v_tilde = v  # v~_t <- v_t
        denom = np.sqrt(v_tilde, out=w)
        denom += self.eps  # sqrt(v~_t) + eps
        if self.mu > 0:
            b = self.b  # b_t <- mu b_{t-1} + g_t / (sqrt(v~_t) + eps)
            b *= self.mu
            b += np.divide(g, denom, out=w)
            x -= np.multiply(b, lr, out=w)  # x_t <- x_{t-1} - eta b_t
        else:
            step = np.divide(g, denom, out=w)
            step *= lr
            x -= step  # x_t <- x_{t-1} - eta g_t / (sqrt(v~_t) + eps)
        return lr


class _Adam:
    """One step of torch's Adam or AdamW (see :func:`adam`, :func:`adamw`); in place."""

    def __init__(self, x, *, betas, eps, weight_decay, amsgrad, decoupled, maximize):
        (self.beta1, self.beta2), self.eps = betas, eps
        self.lam, self.decoupled, self.maximize = weight_decay, decoupled, maximize
        self.m = np.zeros_like(x)  # first moment
        self.v = np.zeros_like(x)  # second moment
        self.v_max = np.zeros_like(x) if amsgrad else None
        self.w = np.empty_like(x)

    def __call__(self, x, g, lr, t):
        beta1, beta2, m, v, w = self.beta1, self.beta2, self.m, self.v, self.w
        if self.maximize:
            g = -g
        if self.lam != 0 and self.decoupled:
            x *= 1 - lr * self.lam  # x_{t-1} <- x_{t-1} - eta lambda x_{t-1}  (AdamW)
        elif self.lam != 0:
            g = g + self.lam * x  # g_t <- g_t + lambda x_{t-1}  (Adam)
        m *= beta1  # m_t <- beta1 m_{t-1} + (1 - beta1) g_t
        m += np.multiply(g, 1 - beta1, out=w)
        v *= beta2  # v_t <- beta2 v_{t-1} + (1 - beta2) g_t^2
        g2 = np.square(g, out=w)
        g2 *= 1 - beta2
        v += g2
        if self.v_max is not None:
            v = np.maximum(self.v_max, v, out=self.v_max)  # v_t <- max(v_max, v_t)
        v_hat = np.divide(v, 1 - beta2**t, out=w)  # v_hat_t <- v_t / (1 - beta2^t)
        denom = np.sqrt(v_hat, out=w)
        denom += self.eps  # sqrt(v_hat_t) + eps
        # m_hat_t = m_t / (1 - beta1^t) enters as a scalar factor, as in torch:
        step = np.divide(m, denom, out=w)
        step *= lr / (1 - beta1**t)
        x -= step  # x_t <- x_{t-1} - eta m_hat_t / (sqrt(v_hat_t) + eps)
        return lr


def _check_rate(value: Any, name: str) -> float:
    """A coefficient in [0, 1)."""
    return check_in_range(value, name, 0.0, 1.0, closed=(True, False))


@_shared_docs
def adagrad(
    grad: Callable[[np.ndarray], Any],
    x0: Any,
    *,
    steps: int,
    lr: float | Callable[[int], float] = 1e-2,
    lr_decay: float = 0.0,
    weight_decay: float = 0.0,
    initial_accumulator_value: float = 0.0,
    eps: float = 1e-10,
    maximize: bool = False,
    f: Callable[[np.ndarray], Any] | None = None,
    tol: float | None = None,
    record: bool = True,
) -> Trajectory:
    r"""AdaGrad: per-coordinate steps scaled by the accumulated squared gradients.

    As :class:`torch.optim.Adagrad`:

    .. math::

        \begin{aligned}
        &s_0 \leftarrow \text{initial\_accumulator\_value} \\
        &\textbf{for } t = 1, \dots, \text{steps}: \\
        &\quad g_t \leftarrow \nabla f(x_{t-1}) \quad (-\nabla f \text{ if maximize}) \\
        &\quad \textbf{if } \lambda \ne 0: \; g_t \leftarrow g_t + \lambda x_{t-1} \\
        &\quad \tilde\eta_t \leftarrow \eta_t / (1 + (t - 1)\,\delta) \\
        &\quad s_t \leftarrow s_{t-1} + g_t^2 \\
        &\quad x_t \leftarrow x_{t-1} - \tilde\eta_t \, g_t / (\sqrt{s_t} + \epsilon)
        \end{aligned}

    elementwise, with learning rate :math:`\eta` (`lr`), learning-rate decay :math:`\delta`
    (`lr_decay`), weight decay :math:`\lambda` and `eps` :math:`\epsilon`.

    .. note::

       Duchi, Hazan and Singer's AdaGrad has no `lr_decay`: torch adds the
       :math:`1 / (1 + (t - 1)\delta)` factor (off by default), on top of any schedule
       given as `lr`. And :math:`\epsilon` is added outside the square root,
       :math:`\sqrt{s_t} + \epsilon`, not as :math:`\sqrt{s_t + \epsilon}`.

    Parameters
    ----------
    <common parameters>
    lr : float or callable, default 1e-2
        The learning rate :math:`\eta > 0`, or a schedule (a callable ``t -> lr``).
    lr_decay : float, default 0.0
        :math:`\delta \ge 0`.
    weight_decay : float, default 0.0
        The L2 penalty :math:`\lambda \ge 0`.
    initial_accumulator_value : float, default 0.0
        The starting value of :math:`s`, at least 0.
    eps : float, default 1e-10
        :math:`\epsilon \ge 0`.
    maximize : bool, default False
        Ascend instead of descend.
    <run parameters>

    Returns
    -------
    Trajectory
        The run.

    Raises
    ------
    TypeError, ValueError
        As :func:`sgd`, for these options' ranges.

    See Also
    --------
    rmsprop : replaces the sum by a running mean.

    References
    ----------
    .. [1] J. Duchi, E. Hazan, Y. Singer, "Adaptive subgradient methods for online learning
       and stochastic optimization", JMLR 12, 2011.

    Examples
    --------
    >>> import numpy as np
    >>> from calcdocs import adagrad
    >>> grad = lambda x: np.array([2.0, 200.0]) * x  # curvatures 2 and 200
    >>> run = adagrad(grad, [1.0, 1.0], steps=2, lr=0.5)
    >>> print(run.points[1])  # the first step is lr * sign(g) in every coordinate
    [0.5 0.5]
    """
    update = _Adagrad(
        as_array(x0, "x0"),
        lr_decay=check_positive(lr_decay, "lr_decay", allow_zero=True),
        weight_decay=check_positive(weight_decay, "weight_decay", allow_zero=True),
        initial_accumulator_value=check_positive(
            initial_accumulator_value, "initial_accumulator_value", allow_zero=True
        ),
        eps=check_positive(eps, "eps", allow_zero=True),
        maximize=_check_bool(maximize, "maximize"),
    )
    return _run("adagrad", update, grad, x0, steps=steps, lr=lr, f=f, tol=tol, record=record)


@_shared_docs
def rmsprop(
    grad: Callable[[np.ndarray], Any],
    x0: Any,
    *,
    steps: int,
    lr: float | Callable[[int], float] = 1e-2,
    alpha: float = 0.99,
    eps: float = 1e-8,
    weight_decay: float = 0.0,
    momentum: float = 0.0,
    centered: bool = False,
    maximize: bool = False,
    f: Callable[[np.ndarray], Any] | None = None,
    tol: float | None = None,
    record: bool = True,
) -> Trajectory:
    r"""RMSprop: steps scaled by a running root-mean-square of the gradients.

    As :class:`torch.optim.RMSprop`:

    .. math::

        \begin{aligned}
        &v_0 \leftarrow 0, \quad m_0 \leftarrow 0, \quad b_0 \leftarrow 0 \\
        &\textbf{for } t = 1, \dots, \text{steps}: \\
        &\quad g_t \leftarrow \nabla f(x_{t-1}) \quad (-\nabla f \text{ if maximize}) \\
        &\quad \textbf{if } \lambda \ne 0: \; g_t \leftarrow g_t + \lambda x_{t-1} \\
        &\quad v_t \leftarrow \alpha v_{t-1} + (1 - \alpha) g_t^2 \\
        &\quad \tilde v_t \leftarrow v_t, \quad \textbf{if centered: }
               m_t \leftarrow \alpha m_{t-1} + (1 - \alpha) g_t, \;
               \tilde v_t \leftarrow v_t - m_t^2 \\
        &\quad \textbf{if } \mu > 0: \;
               b_t \leftarrow \mu b_{t-1} + g_t / (\sqrt{\tilde v_t} + \epsilon), \;
               x_t \leftarrow x_{t-1} - \eta_t b_t \\
        &\quad \textbf{else: } \;
               x_t \leftarrow x_{t-1} - \eta_t \, g_t / (\sqrt{\tilde v_t} + \epsilon)
        \end{aligned}

    elementwise, with learning rate :math:`\eta`, smoothing constant :math:`\alpha`,
    momentum :math:`\mu` and weight decay :math:`\lambda`.

    .. note::

       RMSprop was proposed in a lecture (Tieleman and Hinton, 2012), not a paper; torch's
       version adds :math:`\epsilon` outside the square root, starts :math:`v` at 0 with
       no bias correction (so the first steps are long: :math:`|x_1 - x_0| \approx
       \eta / \sqrt{1 - \alpha}`), and its ``centered`` variant (Graves, 2013) divides by
       an estimate of the standard deviation :math:`\sqrt{v_t - m_t^2}` of the gradient
       instead of its root mean square. The momentum buffer starts at 0.

    Parameters
    ----------
    <common parameters>
    lr : float or callable, default 1e-2
        The learning rate :math:`\eta > 0`, or a schedule (a callable ``t -> lr``).
    alpha : float, default 0.99
        :math:`\alpha \in [0, 1)`.
    eps : float, default 1e-8
        :math:`\epsilon \ge 0`.
    weight_decay : float, default 0.0
        The L2 penalty :math:`\lambda \ge 0`.
    momentum : float, default 0.0
        :math:`\mu \in [0, 1)`.
    centered : bool, default False
        Normalise by the estimated standard deviation instead of the root mean square.
    maximize : bool, default False
        Ascend instead of descend.
    <run parameters>

    Returns
    -------
    Trajectory
        The run.

    Raises
    ------
    TypeError, ValueError
        As :func:`sgd`, for these options' ranges.

    See Also
    --------
    adagrad, adam

    References
    ----------
    .. [1] T. Tieleman, G. Hinton, Lecture 6.5, "rmsprop", COURSERA: Neural Networks for
       Machine Learning, 2012.
    .. [2] A. Graves, "Generating sequences with recurrent neural networks",
       arXiv:1308.0850, 2013.

    Examples
    --------
    >>> import numpy as np
    >>> from calcdocs import rmsprop
    >>> grad = lambda x: np.array([2.0, 200.0]) * x
    >>> run = rmsprop(grad, [1.0, 1.0], steps=1, lr=0.01, alpha=0.99)
    >>> print(np.round(run.points[1], 6))  # 1 - 0.01 / sqrt(0.01) in both coordinates
    [0.9 0.9]
    """
    update = _RMSprop(
        as_array(x0, "x0"),
        alpha=_check_rate(alpha, "alpha"),
        eps=check_positive(eps, "eps", allow_zero=True),
        weight_decay=check_positive(weight_decay, "weight_decay", allow_zero=True),
        momentum=_check_rate(momentum, "momentum"),
        centered=_check_bool(centered, "centered"),
        maximize=_check_bool(maximize, "maximize"),
    )
    return _run("rmsprop", update, grad, x0, steps=steps, lr=lr, f=f, tol=tol, record=record)


_ADAM_BOX = r"""
    .. math::

        \begin{aligned}
        &m_0 \leftarrow 0, \quad v_0 \leftarrow 0, \quad v^{\max}_0 \leftarrow 0 \\
        &\textbf{for } t = 1, \dots, \text{steps}: \\
        &\quad g_t \leftarrow \nabla f(x_{t-1}) \quad (-\nabla f \text{ if maximize}) \\
        &\quad \textbf{if } \lambda \ne 0: \;
               %s \\
        &\quad m_t \leftarrow \beta_1 m_{t-1} + (1 - \beta_1) g_t \\
        &\quad v_t \leftarrow \beta_2 v_{t-1} + (1 - \beta_2) g_t^2 \\
        &\quad \textbf{if amsgrad: } \; v^{\max}_t \leftarrow \max(v^{\max}_{t-1}, v_t),
               \; v_t \leftarrow v^{\max}_t \\
        &\quad \hat m_t \leftarrow m_t / (1 - \beta_1^t), \quad
               \hat v_t \leftarrow v_t / (1 - \beta_2^t) \\
        &\quad x_t \leftarrow x_{t-1} - \eta_t \, \hat m_t / (\sqrt{\hat v_t} + \epsilon)
        \end{aligned}

    elementwise, with learning rate :math:`\eta`, moment decay rates
    :math:`(\beta_1, \beta_2)` (`betas`), `eps` :math:`\epsilon` and weight decay
    :math:`\lambda`."""


def _adam_doc(func: Callable) -> Callable:
    decay = {
        "adam": r"g_t \leftarrow g_t + \lambda x_{t-1}",
        "adamw": r"x_{t-1} \leftarrow x_{t-1} - \eta_t \lambda x_{t-1}",
    }[func.__name__]
    func.__doc__ = func.__doc__.replace("<adam box>", _ADAM_BOX % decay).replace(
        "\n    <adam parameters>", _ADAM_PARAMETERS
    )
    return _shared_docs(func)


_ADAM_PARAMETERS = r"""
    lr : float or callable, default 1e-3
        The learning rate :math:`\eta > 0`, or a schedule (a callable ``t -> lr``).
    betas : tuple of two floats, default (0.9, 0.999)
        :math:`(\beta_1, \beta_2)`, each in :math:`[0, 1)`.
    eps : float, default 1e-8
        :math:`\epsilon \ge 0`."""


def _check_adam(x0, betas, eps, weight_decay, amsgrad, maximize, decoupled) -> _Adam:
    return _Adam(
        as_array(x0, "x0"),
        betas=_check_betas(betas),
        eps=check_positive(eps, "eps", allow_zero=True),
        weight_decay=check_positive(weight_decay, "weight_decay", allow_zero=True),
        amsgrad=_check_bool(amsgrad, "amsgrad"),
        decoupled=decoupled,
        maximize=_check_bool(maximize, "maximize"),
    )


@_adam_doc
def adam(
    grad: Callable[[np.ndarray], Any],
    x0: Any,
    *,
    steps: int,
    lr: float | Callable[[int], float] = 1e-3,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
    weight_decay: float = 0.0,
    amsgrad: bool = False,
    maximize: bool = False,
    f: Callable[[np.ndarray], Any] | None = None,
    tol: float | None = None,
    record: bool = True,
) -> Trajectory:
    r"""Adam: momentum on the gradient, scaled by a running RMS, both bias-corrected.

    As :class:`torch.optim.Adam`:
    <adam box>

    .. note::

       As in torch (and in Kingma and Ba's Algorithm 1), :math:`\epsilon` is added outside
       the square root, to :math:`\sqrt{\hat v_t}`; some libraries put it inside or add it
       to :math:`\sqrt{v_t}` before the bias correction, which changes the early steps.
       Weight decay here is an L2 penalty added to the gradient, so Adam rescales it with
       the gradient; :func:`adamw` decouples it. With ``amsgrad`` (Reddi et al.) the
       running maximum is taken of :math:`v_t` before the bias correction, as torch does.

    Parameters
    ----------
    <common parameters>
    <adam parameters>
    weight_decay : float, default 0.0
        The L2 penalty :math:`\lambda \ge 0`, added to the gradient.
    amsgrad : bool, default False
        Use the running maximum of :math:`v` (AMSGrad).
    maximize : bool, default False
        Ascend instead of descend.
    <run parameters>

    Returns
    -------
    Trajectory
        The run.

    Raises
    ------
    TypeError, ValueError
        As :func:`sgd`, and if `betas` is not a pair in :math:`[0, 1)`.

    See Also
    --------
    adamw : decoupled weight decay.
    rmsprop : Adam without the first moment and the bias correction.

    References
    ----------
    .. [1] D. P. Kingma, J. Ba, "Adam: a method for stochastic optimization", ICLR 2015.
    .. [2] S. J. Reddi, S. Kale, S. Kumar, "On the convergence of Adam and beyond",
       ICLR 2018.

    Examples
    --------
    The bias correction makes the first step :math:`\eta` long in every coordinate,
    whatever the gradient's scale:

    >>> import numpy as np
    >>> from calcdocs import adam
    >>> grad = lambda x: np.array([2.0, 200.0]) * x
    >>> run = adam(grad, [1.0, 1.0], steps=1, lr=0.1)
    >>> print(np.round(run.points[1], 6))
    [0.9 0.9]
    """
    update = _check_adam(x0, betas, eps, weight_decay, amsgrad, maximize, decoupled=False)
    return _run("adam", update, grad, x0, steps=steps, lr=lr, f=f, tol=tol, record=record)


@_adam_doc
def adamw(
    grad: Callable[[np.ndarray], Any],
    x0: Any,
    *,
    steps: int,
    lr: float | Callable[[int], float] = 1e-3,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
    weight_decay: float = 1e-2,
    amsgrad: bool = False,
    maximize: bool = False,
    f: Callable[[np.ndarray], Any] | None = None,
    tol: float | None = None,
    record: bool = True,
) -> Trajectory:
    r"""AdamW: Adam with decoupled weight decay.

    As :class:`torch.optim.AdamW`: the decay shrinks the iterate directly, outside the
    adaptive scaling,
    <adam box>

    .. note::

       Loshchilov and Hutter write the decay as :math:`x \leftarrow x - \eta_t \lambda x`
       with a schedule multiplier :math:`\eta_t` separate from Adam's step size
       :math:`\alpha`; torch (and this function) multiplies :math:`\lambda` by the learning
       rate itself, so the decay per step is :math:`\eta_t \lambda`. The decay is applied
       before the moments are updated, and the default :math:`\lambda` is ``1e-2`` (Adam's
       is 0). :math:`\epsilon` is added outside the square root, as in :func:`adam`.

    Parameters
    ----------
    <common parameters>
    <adam parameters>
    weight_decay : float, default 1e-2
        The decoupled decay rate :math:`\lambda \ge 0`.
    amsgrad : bool, default False
        Use the running maximum of :math:`v` (AMSGrad).
    maximize : bool, default False
        Ascend instead of descend.
    <run parameters>

    Returns
    -------
    Trajectory
        The run.

    Raises
    ------
    TypeError, ValueError
        As :func:`adam`.

    See Also
    --------
    adam : the L2 penalty added to the gradient instead.

    References
    ----------
    .. [1] I. Loshchilov, F. Hutter, "Decoupled weight decay regularization", ICLR 2019.

    Examples
    --------
    With a zero gradient only the decay acts: :math:`x_t = (1 - \eta\lambda)^t x_0`.

    >>> import numpy as np
    >>> from calcdocs import adamw
    >>> run = adamw(lambda x: np.zeros_like(x), [1.0], steps=10, lr=0.1, weight_decay=0.5)
    >>> print(np.isclose(run.x[0], 0.95**10))
    True
    """
    update = _check_adam(x0, betas, eps, weight_decay, amsgrad, maximize, decoupled=True)
    return _run("adamw", update, grad, x0, steps=steps, lr=lr, f=f, tol=tol, record=record)


# ---------------------------------------------------------------------------------------------
# Learning-rate schedules
# ---------------------------------------------------------------------------------------------


class _Schedule:
    """A learning rate for each step: ``schedule(t)`` is the rate of step ``t = 0, 1, ...``."""

    def __call__(self, t: int) -> float:
        """The learning rate of step `t`.

        Parameters
        ----------
        t : int
            The step, counted from 0 (the step from ``x_t`` to ``x_{t+1}``).

        Returns
        -------
        float
            :math:`\\eta_t`.
        """
        t = check_int(t, "t", minimum=0)
        return float(self._at(t))

    def _at(self, t: int) -> float:  # pragma: no cover - each schedule defines it
        raise NotImplementedError

    def __repr__(self) -> str:
        options = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if k != "lr")
        return f"{type(self).__name__}({self.lr!r}, {options})"


class StepLR(_Schedule):
    r"""Step decay: multiply the learning rate by `gamma` every `step_size` steps.

    .. math:: \eta_t = \eta_0 \, \gamma^{\lfloor t / \text{step\_size} \rfloor}

    The values of :class:`torch.optim.lr_scheduler.StepLR` when ``scheduler.step()`` is
    called after each ``optimizer.step()``: step ``t`` (counting from 0) uses the rate
    torch's optimizer holds after ``t`` scheduler steps.

    Parameters
    ----------
    lr : float
        The initial rate :math:`\eta_0 > 0`.
    step_size : int
        The number of steps between decays (at least 1).
    gamma : float, default 0.1
        The factor, in :math:`(0, 1]`.

    See Also
    --------
    ExponentialLR, CosineAnnealingLR, LinearLR

    Examples
    --------
    >>> from calcdocs import StepLR
    >>> schedule = StepLR(1.0, step_size=2, gamma=0.5)
    >>> print([schedule(t) for t in range(6)])
    [1.0, 1.0, 0.5, 0.5, 0.25, 0.25]
    """

    def __init__(self, lr: float, *, step_size: int, gamma: float = 0.1):
        self.lr = check_positive(lr, "lr")
        self.step_size = check_int(step_size, "step_size", minimum=1)
        self.gamma = check_in_range(gamma, "gamma", 0.0, 1.0, closed=(False, True))

    def _at(self, t):
        return self.lr * self.gamma ** (t // self.step_size)


class ExponentialLR(_Schedule):
    r"""Exponential decay: multiply the learning rate by `gamma` every step.

    .. math:: \eta_t = \eta_0 \, \gamma^t

    The values of :class:`torch.optim.lr_scheduler.ExponentialLR` (see :class:`StepLR`
    for how steps are counted).

    Parameters
    ----------
    lr : float
        The initial rate :math:`\eta_0 > 0`.
    gamma : float
        The factor, in :math:`(0, 1]`.

    See Also
    --------
    StepLR

    Examples
    --------
    >>> from calcdocs import ExponentialLR
    >>> schedule = ExponentialLR(1.0, gamma=0.5)
    >>> print([schedule(t) for t in range(4)])
    [1.0, 0.5, 0.25, 0.125]
    """

    def __init__(self, lr: float, *, gamma: float):
        self.lr = check_positive(lr, "lr")
        self.gamma = check_in_range(gamma, "gamma", 0.0, 1.0, closed=(False, True))

    def _at(self, t):
        return self.lr * self.gamma**t


class CosineAnnealingLR(_Schedule):
    r"""Cosine annealing from the initial rate down to `eta_min` over `T_max` steps.

    .. math::

        \eta_t = \eta_{\min} + \tfrac12 (\eta_0 - \eta_{\min})
                 \big(1 + \cos(\pi t / T_{\max})\big)

    The values of :class:`torch.optim.lr_scheduler.CosineAnnealingLR` (without restarts:
    past :math:`T_{\max}` the rate climbs back along the same cosine, as torch's does).

    Parameters
    ----------
    lr : float
        The initial rate :math:`\eta_0 > 0`.
    T_max : int
        The number of steps to reach :math:`\eta_{\min}` (at least 1).
    eta_min : float, default 0.0
        The final rate, at least 0.

    See Also
    --------
    StepLR, LinearLR

    Examples
    --------
    >>> from calcdocs import CosineAnnealingLR
    >>> schedule = CosineAnnealingLR(1.0, T_max=4)
    >>> print([round(schedule(t), 6) for t in range(5)])
    [1.0, 0.853553, 0.5, 0.146447, 0.0]
    """

    def __init__(self, lr: float, *, T_max: int, eta_min: float = 0.0):
        self.lr = check_positive(lr, "lr")
        self.T_max = check_int(T_max, "T_max", minimum=1)
        self.eta_min = check_positive(eta_min, "eta_min", allow_zero=True)

    def _at(self, t):
        return (
            self.eta_min + (self.lr - self.eta_min) * (1 + math.cos(math.pi * t / self.T_max)) / 2
        )


class LinearLR(_Schedule):
    r"""Linear warm-up (or decay): scale the rate from `start_factor` to `end_factor`.

    .. math::

        \eta_t = \eta_0 \Big(s + (e - s) \frac{\min(t, T)}{T}\Big)

    with :math:`s` = `start_factor`, :math:`e` = `end_factor`, :math:`T` = `total_iters`;
    after :math:`T` steps the rate stays at :math:`e\,\eta_0`. The values (and defaults) of
    :class:`torch.optim.lr_scheduler.LinearLR`.

    Parameters
    ----------
    lr : float
        The base rate :math:`\eta_0 > 0`.
    start_factor : float, default 1/3
        In :math:`(0, 1]`.
    end_factor : float, default 1.0
        In :math:`[0, 1]`.
    total_iters : int, default 5
        The length of the ramp (at least 1).

    See Also
    --------
    CosineAnnealingLR

    Examples
    --------
    A warm-up over 3 steps:

    >>> from calcdocs import LinearLR
    >>> schedule = LinearLR(0.1, start_factor=0.25, total_iters=3)
    >>> print([round(schedule(t), 6) for t in range(6)])
    [0.025, 0.05, 0.075, 0.1, 0.1, 0.1]
    """

    def __init__(
        self,
        lr: float,
        *,
        start_factor: float = 1.0 / 3,
        end_factor: float = 1.0,
        total_iters: int = 5,
    ):
        self.lr = check_positive(lr, "lr")
        self.start_factor = check_in_range(
            start_factor, "start_factor", 0.0, 1.0, closed=(False, True)
        )
        self.end_factor = check_in_range(end_factor, "end_factor", 0.0, 1.0)
        self.total_iters = check_int(total_iters, "total_iters", minimum=1)

    def _at(self, t):
        s, e, T = self.start_factor, self.end_factor, self.total_iters
        return self.lr * (s + (e - s) * min(t, T) / T)


# ---------------------------------------------------------------------------------------------
# Minibatch gradients
# ---------------------------------------------------------------------------------------------


class MinibatchGradient:
    r"""A stochastic gradient over a data set: each call evaluates the next minibatch.

    Wraps ``grad(x, batch)``, a function of the point and a batch of the data, into the
    ``grad(x)`` that every optimizer takes. The data are visited in epochs: each epoch
    draws a random permutation of the ``N`` samples (or keeps their order with
    ``shuffle=False``) and cuts it into consecutive batches of `batch_size`, the last one
    smaller when `batch_size` does not divide ``N`` (torch's ``DataLoader`` with
    ``drop_last=False``). One epoch is therefore ``batches_per_epoch`` steps, and
    ``steps=g.steps(epochs)`` runs an optimizer for a number of epochs.

    Sampling is seeded and reproducible: every optimizer run restarts the sequence of
    batches from `seed`, so two runs with one ``MinibatchGradient`` see the same batches.
    Calling the object directly draws from its own sequence, which continues between
    calls.

    Parameters
    ----------
    grad : callable
        ``grad(x, batch)``: the gradient at ``x`` of the loss on ``batch``, where ``batch``
        has the structure of `data` (an array, or a tuple of arrays) restricted to the
        rows of the batch. The mean (not the sum) over the batch keeps the scale of the
        gradient independent of `batch_size`.
    data : array_like or tuple of array_like
        The data set, samples on the first axis: e.g. ``(X, y)``.
    batch_size : int
        Samples per batch, from 1 to ``N``.
    seed : int or None, default 0
        Seeds :func:`numpy.random.default_rng`; ``None`` draws a seed once, at
        construction.
    shuffle : bool, default True
        Draw a new permutation each epoch; ``False`` visits the samples in order.

    Attributes
    ----------
    n_samples : int
        ``N``.
    batches_per_epoch : int
        :math:`\lceil N / \text{batch\_size} \rceil`.

    Raises
    ------
    TypeError
        If `grad` is not callable or `data` holds something that is not an array.
    ValueError
        If the arrays of `data` differ in length or `batch_size` is outside ``[1, N]``.

    See Also
    --------
    sgd : stochastic gradient descent, which this makes stochastic.

    Examples
    --------
    Least squares on 100 samples with batches of 10: 5 epochs are 50 steps.

    >>> import numpy as np
    >>> from calcdocs import MinibatchGradient, make_linear_data, sgd
    >>> X, y, w_true = make_linear_data(100, 2, noise=0.01, seed=0)
    >>> def grad(w, batch):
    ...     Xb, yb = batch
    ...     return 2 * Xb.T @ (Xb @ w - yb) / len(yb)
    >>> g = MinibatchGradient(grad, (X, y), batch_size=10, seed=1)
    >>> run = sgd(g, np.zeros(2), steps=g.steps(5), lr=0.1)
    >>> print(run.steps, np.abs(run.x - w_true).max() < 0.05)
    50 True
    >>> again = sgd(g, np.zeros(2), steps=g.steps(5), lr=0.1)
    >>> print(np.array_equal(run.points, again.points))  # seeded: the same batches
    True
    """

    def __init__(
        self,
        grad: Callable[[np.ndarray, Any], Any],
        data: Any,
        *,
        batch_size: int,
        seed: int | None = 0,
        shuffle: bool = True,
    ):
        self.grad = check_callable(grad, "grad")
        self.data = data
        arrays = data if isinstance(data, tuple) else (data,)
        arrays = [np.asarray(a) for a in arrays]
        for a in arrays:
            if a.dtype.kind not in "biuf" or a.ndim == 0:
                raise TypeError(
                    "`data` must be an array of numbers or a tuple of them, samples on the "
                    f"first axis; got dtype {a.dtype} of shape {a.shape}."
                )
        lengths = {len(a) for a in arrays}
        if len(lengths) != 1:
            raise ValueError(
                f"`data`: every array must have the same number of samples; got lengths "
                f"{[len(a) for a in arrays]}."
            )
        self._arrays = arrays
        self._tuple = isinstance(data, tuple)
        self.n_samples = lengths.pop()
        self.batch_size = check_int(batch_size, "batch_size", minimum=1)
        if self.batch_size > self.n_samples:
            raise ValueError(
                f"`batch_size` must be at most the number of samples, {self.n_samples}; "
                f"got {self.batch_size}."
            )
        if seed is None:
            seed = int(np.random.SeedSequence().entropy % 2**63)
        self.seed = check_int(seed, "seed", minimum=0)
        self.shuffle = _check_bool(shuffle, "shuffle")
        self.batches_per_epoch = -(-self.n_samples // self.batch_size)
        self._own = self.stream()

    def steps(self, epochs: int) -> int:
        """The number of steps in `epochs` passes over the data.

        Parameters
        ----------
        epochs : int
            At least 0.

        Returns
        -------
        int
            ``epochs * batches_per_epoch``.
        """
        return check_int(epochs, "epochs", minimum=0) * self.batches_per_epoch

    def batches(self):
        """Yield the index arrays of the batches, epoch after epoch, from `seed`."""
        rng = np.random.default_rng(self.seed)
        while True:
            order = rng.permutation(self.n_samples) if self.shuffle else np.arange(self.n_samples)
            for start in range(0, self.n_samples, self.batch_size):
                yield order[start : start + self.batch_size]

    def stream(self) -> Callable[[np.ndarray], Any]:
        """A fresh ``grad(x)`` that draws the batches from the start of the sequence."""
        batches = self.batches()

        def grad(x):
            rows = next(batches)
            batch = tuple(a[rows] for a in self._arrays)
            return self.grad(x, batch if self._tuple else batch[0])

        return grad

    def __call__(self, x: Any) -> Any:
        """The gradient at `x` on the next batch of this object's own sequence.

        Parameters
        ----------
        x : ndarray
            The point.

        Returns
        -------
        ndarray
            ``grad(x, batch)``. (An optimizer run uses a fresh sequence from
            :meth:`stream` instead.)
        """
        return self._own(x)

    def __repr__(self) -> str:
        return (
            f"MinibatchGradient(n_samples={self.n_samples}, batch_size={self.batch_size}, "
            f"seed={self.seed}, shuffle={self.shuffle})"
        )


# ---------------------------------------------------------------------------------------------
# Gradient descent with a line search, and Newton's method
# ---------------------------------------------------------------------------------------------


def _check_line_search(line_search, f, c, shrink):
    line_search = _check_bool(line_search, "line_search")
    if line_search and f is None:
        raise ValueError("`line_search` needs the objective `f`; got f=None.")
    c = check_in_range(c, "c", 0.0, 1.0, closed=(False, False))
    shrink = check_in_range(shrink, "shrink", 0.0, 1.0, closed=(False, False))
    return line_search, c, shrink


def _backtrack(f, x, p, slope, t, c, shrink):
    r"""The first :math:`t \leftarrow t, t\rho, t\rho^2, \dots` with
    :math:`f(x - t p) \le f(x) - c\,t\,g^\top p`, or ``None`` after 60 halvings' worth."""
    fx = float(f(x))
    for _ in range(_MAX_BACKTRACKS):
        if float(f(x - t * p)) <= fx - c * t * slope:  # Armijo's sufficient decrease
            return t
        t *= shrink
    return None


_MAX_BACKTRACKS = 60


class _Armijo:
    """Gradient descent with backtracking: x <- x - t g, t the first Armijo step."""

    def __init__(self, f, c, shrink):
        self.f, self.c, self.shrink = f, c, shrink
        self.stop = None

    def __call__(self, x, g, lr, t):
        step = _backtrack(self.f, x, g, float(np.vdot(g, g)), lr, self.c, self.shrink)
        if step is None:
            self.stop = ("stopped", f"the line search found no decrease at step {t}")
            return None
        x -= step * g
        return step


@_shared_docs
def gradient_descent(
    grad: Callable[[np.ndarray], Any],
    x0: Any,
    *,
    steps: int,
    lr: float | Callable[[int], float],
    line_search: bool = False,
    c: float = 1e-4,
    shrink: float = 0.5,
    f: Callable[[np.ndarray], Any] | None = None,
    tol: float | None = None,
    record: bool = True,
) -> Trajectory:
    r"""Gradient descent, optionally with a backtracking (Armijo) line search.

    The update is :math:`x_t = x_{t-1} - \eta_t \nabla f(x_{t-1})`.

    With ``line_search=True`` each step starts from the trial step :math:`\eta_t` (`lr`)
    and shrinks it, :math:`\eta \leftarrow \rho\,\eta` (`shrink`), until Armijo's
    sufficient-decrease condition holds:

    .. math::

        f(x_{t-1} - \eta g) \le f(x_{t-1}) - c\, \eta \lVert g \rVert^2,
        \qquad g = \nabla f(x_{t-1}).

    For an :math:`L`-smooth :math:`f` any :math:`\eta \le 2(1 - c)/L` passes, so the
    search stops, and every step decreases :math:`f`. ``lrs`` records the accepted steps.

    Parameters
    ----------
    <common parameters>
    lr : float or callable
        The step size :math:`\eta > 0` (or a schedule); with a line search, the first
        trial step of every iteration.
    line_search : bool, default False
        Backtrack until the Armijo condition holds (needs `f`). If no step among
        :math:`\eta, \rho\eta, \dots, \rho^{59}\eta` passes (at a point where rounding
        hides any decrease) the run stops there, neither converged nor diverged.
    c : float, default 1e-4
        The sufficient-decrease constant, in :math:`(0, 1)`.
    shrink : float, default 0.5
        The backtracking factor :math:`\rho`, in :math:`(0, 1)`.
    <run parameters>

    Returns
    -------
    Trajectory
        The run.

    Raises
    ------
    TypeError, ValueError
        As :func:`sgd`; and ``ValueError`` for a line search without `f`.

    See Also
    --------
    sgd : the same update with momentum and the other torch options.
    newton : second-order steps.

    References
    ----------
    .. [1] A. Cauchy, "Méthode générale pour la résolution des systèmes d'équations
       simultanées", C. R. Acad. Sci. Paris 25, 1847.
    .. [2] L. Armijo, "Minimization of functions having Lipschitz continuous first partial
       derivatives", Pacific J. Math. 16(1), 1966.

    Examples
    --------
    On a bowl with curvatures 1 and 10 a step of 0.25 is longer than 2/L = 0.2 and
    diverges; the line search shortens it where needed:

    >>> import numpy as np
    >>> from calcdocs import gradient_descent, quadratic_bowl
    >>> f = quadratic_bowl(10.0)
    >>> fixed = gradient_descent(f.gradient, [1.0, 1.0], steps=100, lr=0.25, f=f)
    >>> print(fixed.values[-1] > fixed.values[0])
    True
    >>> run = gradient_descent(f.gradient, [1.0, 1.0], steps=1000, lr=0.25, f=f,
    ...                        line_search=True, tol=1e-8)
    >>> print(run.converged, bool(np.all(np.diff(run.values) <= 0)))
    True True
    """
    line_search, c, shrink = _check_line_search(line_search, f, c, shrink)
    if line_search:
        check_callable(f, "f")
        update = _Armijo(f, c, shrink)
    else:
        update = _SGD(momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0, maximize=False)
    return _run(
        "gradient_descent", update, grad, x0, steps=steps, lr=lr, f=f, tol=tol, record=record
    )


class _Newton:
    """One damped Newton step: p solves H p = g (least squares if H is singular)."""

    def __init__(self, hess, n, f, line_search, c, shrink, xtol):
        self.hess, self.n, self.f = hess, n, f
        self.line_search, self.c, self.shrink, self.xtol = line_search, c, shrink, xtol
        self.stop = None
        self.singular = []  # the steps at which H was singular

    def __call__(self, x, g, lr, t):
        H = as_array(self.hess(x), "hess", finite=False)
        if H.shape != (self.n, self.n):
            raise ValueError(
                f"`hess` must return an array of shape {(self.n, self.n)}; got shape "
                f"{H.shape} at step {t - 1}."
            )
        if not np.all(np.isfinite(H)):
            self.stop = ("diverged", f"the Hessian at x_{t - 1} is not finite")
            return None
        p, _, rank, _ = np.linalg.lstsq(H, g, rcond=None)  # H p = g
        if rank < self.n:
            self.singular.append((t - 1, int(rank)))
        if self.xtol is not None and np.linalg.norm(p) <= self.xtol * (1 + np.linalg.norm(x)):
            x -= p
            self.stop = ("converged", f"Newton step {np.linalg.norm(p):.3g} within xtol")
            return 1.0
        step = lr
        if self.line_search:
            slope = float(g @ p)
            if not slope > 0:  # not a descent direction (H not positive definite)
                p, slope = g, float(g @ g)
            step = _backtrack(self.f, x, p, slope, lr, self.c, self.shrink)
            if step is None:
                self.stop = ("stopped", f"the line search found no decrease at step {t}")
                return None
        x -= step * p  # x_t <- x_{t-1} - step H^{-1} g
        return step


def newton(
    grad: Callable[[np.ndarray], Any],
    hess: Callable[[np.ndarray], Any],
    x0: Any,
    *,
    steps: int,
    lr: float | Callable[[int], float] = 1.0,
    line_search: bool | None = None,
    c: float = 1e-4,
    shrink: float = 0.5,
    xtol: float | None = None,
    f: Callable[[np.ndarray], Any] | None = None,
    tol: float | None = None,
    record: bool = True,
) -> Trajectory:
    r"""Damped Newton's method, with least-squares steps where the Hessian is singular.

    The update is :math:`x_t = x_{t-1} - \eta_t\, \nabla^2 f(x_{t-1})^{-1} \nabla f(x_{t-1})`.

    The Newton step :math:`p` solves :math:`\nabla^2 f(x)\, p = \nabla f(x)` by least
    squares (:func:`numpy.linalg.lstsq`), so a singular Hessian gives the minimum-norm
    step instead of an error: at a minimum that is not isolated (a flat direction, e.g.
    a duplicated feature) the method still converges, and the message names the steps
    where the Hessian was singular (this is not counted as divergence). Damping, which
    makes the method converge from far away, comes either from a fixed fraction
    :math:`\eta < 1` (`lr`) of the step, or from an Armijo backtracking line search on
    `f` starting at :math:`\eta` (see :func:`gradient_descent`); with the search, a
    Newton direction that is not a descent direction (an indefinite Hessian) is replaced
    by the gradient. Near a minimum with a positive-definite Hessian, full steps are
    accepted and the convergence is quadratic: the number of correct digits doubles.

    Parameters
    ----------
    grad : callable
        ``grad(x)`` for ``x`` of shape ``(n,)``.
    hess : callable
        ``hess(x)``, the Hessian, of shape ``(n, n)``.
    x0 : array_like, shape (n,)
        The starting point (never modified).
    steps : int
        The maximal number of Newton steps (at least 0).
    lr : float or callable, default 1.0
        The fraction :math:`\eta > 0` of the Newton step taken (or the first trial of the
        line search). Below 1 it damps every step, which also slows the final
        convergence to linear.
    line_search : bool or None, default None
        Backtrack on `f` (Armijo). ``None`` means: when `f` is given.
    c, shrink : float
        The line search's constants, as in :func:`gradient_descent`.
    xtol : float, optional
        Also stop (``converged=True``) when the Newton step is at most
        ``xtol * (1 + ||x||)``, after taking it.
    f : callable, optional
        The objective (needed for the line search).
    tol : float, optional
        Stop (``converged=True``) at the first iterate whose gradient norm is at most `tol`.
    record : bool, default True
        Keep every iterate in ``points``.

    Returns
    -------
    Trajectory
        The run.

    Raises
    ------
    TypeError, ValueError
        As :func:`sgd`; also if `hess` is not callable or returns the wrong shape, or `x0`
        is not 1-D.

    See Also
    --------
    gradient_descent : the first-order method.

    Examples
    --------
    Started at 1.5, pure Newton on :math:`f(x) = \sqrt{1 + x^2}` diverges
    (:math:`x \mapsto -x^3`); the line search tames it.

    >>> import numpy as np
    >>> from calcdocs import newton
    >>> f = lambda x: np.sqrt(1 + x[0] ** 2)
    >>> grad = lambda x: x / np.sqrt(1 + x**2)
    >>> hess = lambda x: np.array([[(1 + x[0] ** 2) ** -1.5]])
    >>> pure = newton(grad, hess, [1.5], steps=6)
    >>> print(np.abs(pure.points[:, 0]) > 1.4)
    [ True  True  True  True  True  True  True]
    >>> damped = newton(grad, hess, [1.5], steps=50, f=f, tol=1e-12)
    >>> print(damped.converged, abs(damped.x[0]) < 1e-12)
    True True
    """
    check_callable(hess, "hess")
    x = check_last_axis(as_array(x0, "x0"), "x0")
    if x.ndim != 1:
        raise ValueError(f"`x0` must be 1-D for Newton's method; got shape {x.shape}.")
    if line_search is None:
        line_search = f is not None
    line_search, c, shrink = _check_line_search(line_search, f, c, shrink)
    if xtol is not None:
        xtol = check_positive(xtol, "xtol", allow_zero=True)
    update = _Newton(hess, x.size, f, line_search, c, shrink, xtol)
    run = _run("newton", update, grad, x0, steps=steps, lr=lr, f=f, tol=tol, record=record)
    if update.singular:
        where = ", ".join(f"x_{k} (rank {r})" for k, r in update.singular[:3])
        more = f" and {len(update.singular) - 3} more" if len(update.singular) > 3 else ""
        note = f" Singular Hessian at {where}{more}: least-squares steps."
        run = dataclasses.replace(run, message=run.message + note)
    return run
