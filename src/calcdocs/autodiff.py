"""Automatic differentiation: forward mode (`Dual`) and reverse mode (`Tensor`).

Both modes read the same table, ``_ELEMENTWISE``, which holds each elementwise operation's
forward function and its local partial derivatives. Reverse mode multiplies an incoming
gradient by those partials (a vector-Jacobian product); forward mode multiplies an incoming
tangent by them (a Jacobian-vector product). Because there is one table, the two modes
cannot drift apart. Only the structural operations (``matmul``, ``sum``, ``mean``,
``reshape``, ``transpose``, indexing) have hand-written rules.

The graph protocol is public: a `Tensor` exposes read-only ``parents`` (a tuple of
tensors) and ``op`` (a str, ``''`` for a leaf), and a ``label``;
:func:`topological_order` walks any graph of objects with a ``parents`` attribute. Both
`Tensor.backward` and :func:`calcdocs.plot_graph` use it.

The design follows micrograd (Karpathy) for the graph and HIPS autograd's ``numpy_vjps.py``
for rules-as-data and for undoing broadcasting in one helper, ``_unbroadcast``.
"""

from __future__ import annotations

import functools
import numbers
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NamedTuple

import numpy as np

from calcdocs._validation import _short, as_array, check_callable, check_shape
from calcdocs.functions import _log_sigmoid, _sigmoid, _softplus

__all__ = ["Dual", "Tensor", "grad", "jvp", "topological_order", "value_and_grad"]

Axis = int | tuple[int, ...] | None


# ----------------------------------------------------------------------------------------
# The rule table
# ----------------------------------------------------------------------------------------


class _Rule(NamedTuple):
    """One elementwise operation: ``out = forward(*xs)`` and ``d out / d xs[i] = partials[i]``.

    Each partial takes the inputs and the output, ``partial(*xs, out)``, and returns the
    local derivative elementwise (an array, or a plain float for a constant derivative).
    """

    forward: Callable[..., Any]
    partials: tuple[Callable[..., Any], ...]


def _relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0.0)


def _pow_exponent_partial(x: np.ndarray, y: np.ndarray, out: np.ndarray) -> np.ndarray:
    """``d(x**y)/dy = x**y log x``, taken as 0 at ``x = 0`` for ``y >= 0``, as PyTorch does.

    For ``y > 0`` the product ``0 * log 0`` would be NaN, although ``0**y = 0`` does not
    change with `y`; at ``y = 0`` (where ``0**y`` jumps from 1 to 0) PyTorch's 0 is kept.
    """
    zero_base = (x == 0) & (y >= 0)
    if not np.any(zero_base):
        return out * np.log(x)
    return np.where(zero_base, 0.0, out * np.log(np.where(zero_base, 1.0, x)))


# fmt: off
_ELEMENTWISE: dict[str, _Rule] = {
    # binary: partials with respect to the first and the second operand
    "add":         _Rule(np.add,       (lambda x, y, out: 1.0,     lambda x, y, out: 1.0)),
    "sub":         _Rule(np.subtract,  (lambda x, y, out: 1.0,     lambda x, y, out: -1.0)),
    "mul":         _Rule(np.multiply,  (lambda x, y, out: y,       lambda x, y, out: x)),
    "div":         _Rule(np.divide,    (lambda x, y, out: 1.0 / y, lambda x, y, out: -out / y)),
    "pow":         _Rule(np.power,     (lambda x, y, out: y * x ** (y - 1.0),
                                        _pow_exponent_partial)),  # x**y log x, 0 at x = 0
    # unary
    "neg":         _Rule(np.negative,  (lambda x, out: -1.0,)),
    "exp":         _Rule(np.exp,       (lambda x, out: out,)),
    "log":         _Rule(np.log,       (lambda x, out: 1.0 / x,)),
    "sqrt":        _Rule(np.sqrt,      (lambda x, out: 0.5 / out,)),
    "sin":         _Rule(np.sin,       (lambda x, out: np.cos(x),)),
    "cos":         _Rule(np.cos,       (lambda x, out: -np.sin(x),)),
    "tanh":        _Rule(np.tanh,      (lambda x, out: 1.0 - out * out,)),
    "sigmoid":     _Rule(_sigmoid,     (lambda x, out: out * (1.0 - out),)),
    "softplus":    _Rule(_softplus,    (lambda x, out: _sigmoid(x),)),
    "log_sigmoid": _Rule(_log_sigmoid, (lambda x, out: _sigmoid(-x),)),
    "relu":        _Rule(_relu,        (lambda x, out: x > 0,)),   # boolean mask acts as 0/1
    "abs":         _Rule(np.abs,       (lambda x, out: np.sign(x),)),
}
# fmt: on
"""Elementwise operations: name -> (forward function, local partial derivatives).

Both `Tensor` (reverse mode) and `Dual` (forward mode) read this table and nothing else for
elementwise operations. The sigmoid, softplus and log-sigmoid are the numerically stable
functions of :mod:`calcdocs.functions` (one implementation for the package). Derivatives at
kinks follow PyTorch: ``relu'(0) = 0``, ``abs'(0) = 0``.
"""


def _rule(name: str) -> _Rule:
    """Return the table row for `name`, or raise ``NotImplementedError`` naming it."""
    try:
        return _ELEMENTWISE[name]
    except KeyError:
        raise NotImplementedError(
            f"No derivative rule for operation {name!r}; add it to `_ELEMENTWISE` "
            f"(known: {sorted(_ELEMENTWISE)})."
        ) from None


def _times(g: np.ndarray, local: Any) -> np.ndarray:
    """Return ``g * local``, skipping the array product for the constant partials +1 and -1.

    The result may be `g` itself: the reverse pass never modifies a gradient in place.
    """
    if isinstance(local, float):
        if local == 1.0:
            return g
        if local == -1.0:
            return -g
    return g * local


def _unbroadcast(g: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum `g` over the axes that broadcasting added or stretched, giving it `shape`.

    If ``out = x + y`` broadcast ``x`` from `shape` to ``g.shape``, every copy of an entry of
    ``x`` received gradient, and the chain rule adds them up. This is the only place where
    broadcasting is undone.
    """
    if g.shape == shape:
        return g
    lead = g.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and g.shape[lead + i] != 1
    )
    return g.sum(axis=axes, keepdims=True).reshape(shape)


def _forward(name: str, forward: Callable[..., Any], xs: Sequence[np.ndarray]) -> np.ndarray:
    """Evaluate `forward` on `xs`, re-raising NumPy's broadcasting error with both shapes."""
    try:
        return np.asarray(forward(*xs))
    except ValueError as exc:
        shapes = " and ".join(str(x.shape) for x in xs)
        raise ValueError(
            f"operands of {name!r} could not be broadcast together; got shapes {shapes}."
        ) from exc


def _matmul_forward(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    try:
        return np.asarray(np.matmul(a, b))
    except ValueError as exc:
        raise ValueError(
            f"`@` needs matching inner dimensions (and at least one axis per operand); "
            f"got shapes {a.shape} and {b.shape}."
        ) from exc


def _reshape_args(shape: tuple[Any, ...]) -> tuple[int, ...] | int:
    """Accept ``reshape(2, 3)`` as well as ``reshape((2, 3))``."""
    return shape[0] if len(shape) == 1 else shape


def _format(a: np.ndarray, prefix: str) -> str:
    """Short text for `a` in a repr: 4 decimals, at most 20 entries, ``2.0`` for scalars."""
    if a.ndim == 0:
        return repr(round(float(a), 4))
    return np.array2string(a, precision=4, separator=", ", threshold=20, prefix=prefix)


def _is_operand(value: Any) -> bool:
    return isinstance(value, float | int | np.ndarray) or isinstance(value, numbers.Real)


def _scalar_or_array(a: np.ndarray) -> float | np.ndarray:
    """A 0-d result as a Python float (the package's scalar type), else the array."""
    return float(a) if a.ndim == 0 else a


def _check_flag(value: Any, name: str) -> bool:
    """Return `value` if it is a bool (Python or NumPy), else raise ``TypeError``."""
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"`{name}` must be True or False; got {_short(value)}.")
    return bool(value)


def _check_label(label: Any) -> str | None:
    if label is not None and not isinstance(label, str):
        raise TypeError(f"`label` must be a str or None; got {type(label).__name__}.")
    return label


#: NumPy functions that `Tensor` and `Dual` implement (``np.sum(t)`` calls ``t.sum()``).
_NUMPY_FUNCTIONS = ("sum", "mean")


class _Operators:
    """Python operators and elementwise methods shared by `Tensor` and `Dual`.

    Each method names a row of ``_ELEMENTWISE``; the subclass's ``_apply`` does the rest.
    NumPy's protocols are answered here too: ``ndarray (op) Tensor`` defers to us, ``np.sum``
    and ``np.mean`` call the methods, and every other NumPy function, ``np.asarray`` and
    ``float()`` are refused with a message (they would silently drop the derivative).
    """

    __slots__ = ()

    # Make ``ndarray (op) Tensor`` call our reflected method instead of NumPy looping over us.
    __array_ufunc__ = None

    @property
    def _primal(self) -> np.ndarray:
        """The array the operators act on: ``Tensor.data`` or ``Dual.value``."""
        raise NotImplementedError  # pragma: no cover

    @property
    def _kind(self) -> str:
        return type(self).__name__

    @property
    def _where(self) -> str:
        """Where the values are, for messages: ``t.data`` or ``d.value``."""
        return "t.data" if self._kind == "Tensor" else "d.value"

    @property
    def shape(self) -> tuple[int, ...]:
        """Shape of the underlying array."""
        return self._primal.shape

    @property
    def ndim(self) -> int:
        """Number of axes of the underlying array."""
        return self._primal.ndim

    @property
    def size(self) -> int:
        """Number of entries of the underlying array."""
        return self._primal.size

    @property
    def T(self) -> Any:
        """Transpose (all axes reversed)."""
        return self.transpose()

    # -- Python's and NumPy's protocols ----------------------------------------------------

    def __len__(self) -> int:
        """Length of the first axis, as for an ndarray; a 0-d value has none."""
        if self.ndim == 0:
            raise TypeError(
                f"`len` of a 0-d {self._kind} is undefined: it has no axes (its value is "
                f"`{self._where}`)."
            )
        return len(self._primal)

    def __iter__(self) -> Iterator[Any]:
        """Iterate over the first axis, as for an ndarray; each item stays in the graph."""
        if self.ndim == 0:
            raise TypeError(
                f"iteration over a 0-d {self._kind} is undefined: it has no axes (its value "
                f"is `{self._where}`)."
            )
        return (self[i] for i in range(len(self._primal)))

    def __bool__(self) -> bool:
        """Truth value of a one-entry value, as in NumPy; ambiguous for any other size."""
        if self.size != 1:
            raise ValueError(
                f"the truth value of a {self._kind} with {self.size} entries is ambiguous: "
                f"`bool` needs exactly one entry; test the values in `{self._where}` with "
                f"`.any()` or `.all()` instead."
            )
        return bool(self._primal.reshape(-1)[0])

    def __float__(self) -> float:
        raise TypeError(
            f"`float()` of a {self._kind} would drop its derivative (the `math` module "
            f"calls it: use methods such as `x.sin()` instead of `math.sin(x)`); for the "
            f"value itself use `.item()` or the underlying array."
        )

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        raise TypeError(
            f"`np.asarray` of a {self._kind} would drop its derivative; use its array "
            f"(`.data` of a Tensor, `.value` of a Dual) for the values, and its methods and "
            f"operators to compute with it."
        )

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        name = getattr(func, "__name__", repr(func))
        if name in _NUMPY_FUNCTIONS and len(args) >= 1 and args[0] is self:
            extra = sorted(set(kwargs) - {"axis", "keepdims"})
            if len(args) > 2 or extra:
                raise TypeError(
                    f"`np.{name}` of a {self._kind} supports only `axis` and `keepdims`; "
                    f"got {extra or 'more positional arguments'}."
                )
            return getattr(self, name)(*args[1:], **kwargs)
        raise TypeError(
            f"`np.{name}` does not support {self._kind} (it would drop the derivative); "
            f"use {self._kind} methods and operators (np.sum and np.mean work)."
        )

    # -- operators ---------------------------------------------------------------------------

    def _apply(self, name: str, *operands: Any) -> Any:
        raise NotImplementedError  # pragma: no cover

    def _matmul(self, a: Any, b: Any) -> Any:
        raise NotImplementedError  # pragma: no cover

    def __add__(self, other: Any) -> Any:
        return self._apply("add", self, other)

    def __radd__(self, other: Any) -> Any:
        return self._apply("add", other, self)

    def __sub__(self, other: Any) -> Any:
        return self._apply("sub", self, other)

    def __rsub__(self, other: Any) -> Any:
        return self._apply("sub", other, self)

    def __mul__(self, other: Any) -> Any:
        return self._apply("mul", self, other)

    def __rmul__(self, other: Any) -> Any:
        return self._apply("mul", other, self)

    def __truediv__(self, other: Any) -> Any:
        return self._apply("div", self, other)

    def __rtruediv__(self, other: Any) -> Any:
        return self._apply("div", other, self)

    def __pow__(self, other: Any) -> Any:
        return self._apply("pow", self, other)

    def __rpow__(self, other: Any) -> Any:
        return self._apply("pow", other, self)

    def __matmul__(self, other: Any) -> Any:
        return self._matmul(self, other)

    def __rmatmul__(self, other: Any) -> Any:
        return self._matmul(other, self)

    def __neg__(self) -> Any:
        return self._apply("neg", self)

    def __abs__(self) -> Any:
        return self._apply("abs", self)

    def exp(self) -> Any:
        """Elementwise exponential."""
        return self._apply("exp", self)

    def log(self) -> Any:
        """Elementwise natural logarithm."""
        return self._apply("log", self)

    def sqrt(self) -> Any:
        """Elementwise square root."""
        return self._apply("sqrt", self)

    def sin(self) -> Any:
        """Elementwise sine."""
        return self._apply("sin", self)

    def cos(self) -> Any:
        """Elementwise cosine."""
        return self._apply("cos", self)

    def tanh(self) -> Any:
        """Elementwise hyperbolic tangent."""
        return self._apply("tanh", self)

    def sigmoid(self) -> Any:
        """Elementwise logistic sigmoid ``1 / (1 + exp(-x))``, as :func:`calcdocs.sigmoid`."""
        return self._apply("sigmoid", self)

    def softplus(self) -> Any:
        """Elementwise ``log(1 + exp(x))``, stable for any x, as :func:`calcdocs.softplus`."""
        return self._apply("softplus", self)

    def log_sigmoid(self) -> Any:
        """Elementwise ``log(sigmoid(x)) = -softplus(-x)``, finite for any finite x."""
        return self._apply("log_sigmoid", self)

    def relu(self) -> Any:
        """Elementwise ``max(x, 0)``; its derivative at 0 is taken to be 0."""
        return self._apply("relu", self)

    def abs(self) -> Any:
        """Elementwise absolute value; its derivative at 0 is taken to be 0."""
        return self._apply("abs", self)


# ----------------------------------------------------------------------------------------
# Reverse mode
# ----------------------------------------------------------------------------------------


class Tensor(_Operators):
    r"""An array that records the operations applied to it, for reverse-mode autodiff.

    Parameters
    ----------
    data : array_like
        Real numbers; stored as a new float64 ndarray (the input is copied).
    requires_grad : bool, optional, keyword-only
        Whether gradients with respect to this tensor are wanted (``True`` or ``False``;
        other values raise). Results of operations require gradients when any of their
        inputs does, and only those results record the graph. Default False.
    label : str or None, optional, keyword-only
        Name shown by ``repr`` and by :func:`calcdocs.plot_graph`.

    Attributes
    ----------
    data : numpy.ndarray
        The value, float64. A leaf's own array may be updated in place (a gradient
        step ``w.data -= eta * w.grad``).
    grad : numpy.ndarray
        Accumulated gradient of the last ``backward()`` outputs with respect to this
        tensor, same shape as `data`; zeros until ``backward()`` reaches it. Each tensor
        owns its gradient array.
    requires_grad : bool
        Whether the tensor takes part in ``backward()`` (read-only).
    label : str or None
        Display name (may be set).
    parents : tuple of Tensor
        The graph protocol, read-only: the operands this tensor was computed from (empty
        for leaves and for results that do not require gradients).
    op : str
        The graph protocol, read-only: the operation that produced the tensor, ``''``
        for leaves, else a name such as ``'add'``, ``'mul'``, ``'matmul'``, ``'exp'`` or
        ``'sum'``.

    Raises
    ------
    TypeError
        If `data` is not array-like of real numbers, `requires_grad` is not a bool, or
        `label` is not a str or None.

    See Also
    --------
    grad : Gradient of a function of an array, by reverse mode.
    topological_order : The order in which ``backward()`` visits the graph.
    Dual : Forward mode.

    Notes
    -----
    Every operation computes its value at once (the forward pass) and stores a small
    closure, its vector-Jacobian product (VJP). For ``y = f(x)`` with Jacobian
    :math:`J = \partial y / \partial x`, the VJP maps the gradient of the final scalar
    :math:`L` with respect to ``y`` to the gradient with respect to ``x``:

    .. math:: \bar{x} = \bar{y}\, J, \qquad \bar{x} = \frac{\partial L}{\partial x}.

    ``backward()`` sorts the graph topologically and visits it from the output back to
    the leaves, applying each VJP: this is the chain rule,
    :math:`\partial L / \partial x = \sum_{y} (\partial L / \partial y)(\partial y / \partial x)`,
    summed over every use ``y`` of ``x``. The sum over uses is why gradients are
    accumulated with ``+=``, both within one graph (fan-out) and across calls until
    ``zero_grad()``. One backward pass costs a small constant multiple of the forward
    pass, whatever the number of inputs (Griewank & Walther, 2008).

    For elementwise operations the VJP is ``g * partial`` with the partial derivatives
    from the same table that `Dual` uses; if broadcasting stretched an input, the
    product is summed back to the input's shape. Derivatives at kinks follow PyTorch
    (``relu'(0) = abs'(0) = 0``); the exponent partial of ``0**y`` is 0 for ``y >= 0``.

    Values follow NumPy's semantics: ``log(0)`` is ``-inf``, ``0/0`` is ``nan``, with
    NumPy's ``RuntimeWarning``, and these propagate into gradients in the same way.
    A Python scalar or ndarray mixed into an operation is a constant; an ndarray is copied
    (read-only) when the graph records it, so changing it later cannot change a gradient.

    Python's and NumPy's protocols follow NumPy where the derivative survives:
    ``len(t)`` and ``iter(t)`` run over the first axis (items are tensors in the graph;
    a 0-d tensor refuses both), ``bool(t)`` works for one entry only, ``np.sum(t)`` and
    ``np.mean(t)`` call the methods. Conversions that would drop the derivative are
    refused with ``TypeError``: ``np.asarray(t)`` (use ``t.data``), ``float(t)`` (use
    ``t.item()``; this also catches ``math.sin(t)``) and every other NumPy function.

    References
    ----------
    .. [1] D. E. Rumelhart, G. E. Hinton and R. J. Williams, "Learning representations by
       back-propagating errors", *Nature* 323, 533-536, 1986.
    .. [2] A. Griewank and A. Walther, *Evaluating Derivatives: Principles and Techniques
       of Algorithmic Differentiation*, 2nd ed., SIAM, 2008.
    .. [3] A. G. Baydin, B. A. Pearlmutter, A. A. Radul and J. M. Siskind, "Automatic
       differentiation in machine learning: a survey", *JMLR* 18(153), 1-43, 2018.

    Examples
    --------
    >>> import numpy as np
    >>> from calcdocs import Tensor
    >>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True, label="x")
    >>> loss = (x * x).sum()
    >>> loss.backward()
    >>> print(loss.item(), x.grad)
    14.0 [2. 4. 6.]

    Gradients accumulate until they are reset:

    >>> (3 * x).sum().backward()
    >>> print(x.grad)
    [5. 7. 9.]
    >>> x.zero_grad()
    >>> print(x.grad)
    [0. 0. 0.]
    """

    __slots__ = ("_backward", "_grad", "_label", "_op", "_parents", "_requires_grad", "data")

    def __init__(self, data: Any, *, requires_grad: bool = False, label: str | None = None):
        if isinstance(data, Tensor):
            data = data.data
        self._set(
            np.array(as_array(data, "data", finite=False), dtype=np.float64),
            requires_grad=_check_flag(requires_grad, "requires_grad"),
            label=_check_label(label),
        )

    def _set(
        self,
        data: np.ndarray,
        *,
        requires_grad: bool,
        parents: tuple[Tensor, ...] = (),
        op: str = "",
        backward: Callable[[np.ndarray], tuple[np.ndarray | None, ...]] | None = None,
        label: str | None = None,
    ) -> None:
        """Write every attribute of a tensor: the one place that does (see `_new`)."""
        self.data = data
        self._requires_grad = requires_grad
        self._label = label
        self._grad: np.ndarray | None = None
        if requires_grad:  # only tensors that require gradients record the graph
            self._parents, self._op, self._backward = parents, op, backward
        else:
            self._parents, self._op, self._backward = (), "", None

    @classmethod
    def _new(
        cls,
        data: np.ndarray,
        *,
        requires_grad: bool,
        parents: tuple[Tensor, ...] = (),
        op: str = "",
        backward: Callable[[np.ndarray], tuple[np.ndarray | None, ...]] | None = None,
        label: str | None = None,
    ) -> Tensor:
        """Make a tensor from trusted parts, without validation (operations, constants)."""
        out = cls.__new__(cls)
        out._set(
            data,
            requires_grad=requires_grad,
            parents=parents,
            op=op,
            backward=backward,
            label=label,
        )
        return out

    @classmethod
    def _result(
        cls,
        data: np.ndarray,
        parents: tuple[Tensor, ...],
        op: str,
        backward: Callable[[np.ndarray], tuple[np.ndarray | None, ...]],
    ) -> Tensor:
        """The result of an operation; it requires gradients if any parent does."""
        requires_grad = any(p._requires_grad for p in parents)
        return cls._new(
            data, requires_grad=requires_grad, parents=parents, op=op, backward=backward
        )

    @staticmethod
    def _lift(value: Any) -> Tensor:
        """Return `value` as a Tensor: a constant leaf holding a read-only copy of it."""
        if isinstance(value, Tensor):
            return value
        if isinstance(value, float | int) and not isinstance(value, bool):
            data = np.array(value, dtype=np.float64)  # the common case: a Python number
        else:
            data = as_array(value, "operand", finite=False, copy=True)
        data.flags.writeable = False  # a caller's later mutation cannot reach the graph
        return Tensor._new(data, requires_grad=False)

    # -- properties ------------------------------------------------------------------------

    @property
    def requires_grad(self) -> bool:
        """Whether the tensor takes part in ``backward()`` (read-only)."""
        return self._requires_grad

    @property
    def parents(self) -> tuple[Tensor, ...]:
        """The operands this tensor was computed from (read-only; ``()`` for a leaf).

        Part of the graph protocol read by `topological_order` and
        :func:`calcdocs.plot_graph`. Empty also for results that do not require gradients,
        since only those record the graph.
        """
        return self._parents

    @property
    def op(self) -> str:
        """The operation that produced this tensor (read-only): ``''`` for a leaf.

        Part of the graph protocol; a name such as ``'add'``, ``'matmul'`` or ``'sum'``.
        """
        return self._op

    @property
    def label(self) -> str | None:
        """Display name shown by ``repr`` and :func:`calcdocs.plot_graph` (a str or None)."""
        return self._label

    @label.setter
    def label(self, value: str | None) -> None:
        self._label = _check_label(value)

    @property
    def grad(self) -> np.ndarray:
        """Accumulated gradient, shape of `data` (zeros until ``backward()`` reaches it).

        Each tensor owns its gradient array. Setting it checks the value: array-like of
        real numbers with the shape of `data` (copied as float64), or None to reset.
        """
        if self._grad is None:
            self._grad = np.zeros_like(self.data)
        return self._grad

    @grad.setter
    def grad(self, value: Any) -> None:
        if value is None:
            self._grad = None
            return
        g = check_shape(as_array(value, "grad", finite=False), "grad", self.data.shape)
        self._grad = np.array(g, dtype=np.float64)

    @property
    def _primal(self) -> np.ndarray:
        return self.data

    def __repr__(self) -> str:
        body = _format(self.data, prefix="Tensor(")
        extra = ""
        if self._requires_grad:
            extra += ", requires_grad=True"
        if self._op:
            extra += f", op={self._op!r}"
        if self._label is not None:
            extra += f", label={self._label!r}"
        return f"Tensor({body}{extra})"

    def item(self) -> float:
        """Return the single entry of `data` as a Python float.

        Raises
        ------
        ValueError
            If the tensor does not have exactly one entry.
        """
        if self.data.size != 1:
            raise ValueError(
                f"`item()` needs a tensor with one entry; got shape {self.data.shape}."
            )
        return float(self.data.reshape(-1)[0])

    def detach(self) -> Tensor:
        """Return a new leaf sharing `data`, outside the graph (``requires_grad=False``)."""
        return Tensor._new(self.data, requires_grad=False, label=self._label)

    def zero_grad(self) -> None:
        """Reset `grad` to zeros."""
        self._grad = None

    # -- operations ------------------------------------------------------------------------

    @staticmethod
    def _apply(name: str, *operands: Any) -> Tensor:
        """Apply the elementwise op `name` from ``_ELEMENTWISE`` and record its VJP."""
        rule = _rule(name)
        for v in operands:
            if not (isinstance(v, Tensor) or _is_operand(v)):
                return NotImplemented
        parents = tuple(v if isinstance(v, Tensor) else Tensor._lift(v) for v in operands)
        xs = tuple(p.data for p in parents)
        out = _forward(name, rule.forward, xs)

        def backward(g: np.ndarray) -> tuple[np.ndarray | None, ...]:
            return tuple(
                _unbroadcast(_times(g, partial(*xs, out)), x.shape) if p._requires_grad else None
                for p, x, partial in zip(parents, xs, rule.partials, strict=True)
            )

        return Tensor._result(out, parents, name, backward)

    @staticmethod
    def _matmul(a: Any, b: Any) -> Tensor:
        """``a @ b`` with NumPy's ``matmul`` rules (1-D operands, batch broadcasting)."""
        if not all(isinstance(v, Tensor) or isinstance(v, np.ndarray) for v in (a, b)):
            return NotImplemented
        A, B = Tensor._lift(a), Tensor._lift(b)
        out = _matmul_forward(A.data, B.data)

        def backward(g: np.ndarray) -> tuple[np.ndarray | None, ...]:
            a, b = A.data, B.data
            if a.ndim == 1 and b.ndim == 1:  # inner product: g is a scalar
                return (g * b if A.requires_grad else None, g * a if B.requires_grad else None)
            # Treat vectors as matrices (a row for `a`, a column for `b`), as matmul does.
            a2 = a[np.newaxis, :] if a.ndim == 1 else a
            b2 = b[:, np.newaxis] if b.ndim == 1 else b
            g2 = g[..., np.newaxis, :] if a.ndim == 1 else g
            g2 = g2[..., np.newaxis] if b.ndim == 1 else g2
            ga = gb = None
            if A.requires_grad:  # dL/dA = G B^T
                ga = _unbroadcast(g2 @ np.swapaxes(b2, -1, -2), a2.shape).reshape(a.shape)
            if B.requires_grad:  # dL/dB = A^T G
                gb = _unbroadcast(np.swapaxes(a2, -1, -2) @ g2, b2.shape).reshape(b.shape)
            return ga, gb

        return Tensor._result(out, (A, B), "matmul", backward)

    def sum(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """Sum of entries over `axis` (all axes by default), as in ``numpy.sum``."""
        shape = self.data.shape
        out = np.asarray(self.data.sum(axis=axis, keepdims=keepdims))

        def backward(g: np.ndarray) -> tuple[np.ndarray]:
            # Each entry fed the sum with weight 1, so it receives the gradient unchanged.
            return (np.broadcast_to(_restore_axes(g, axis, keepdims, len(shape)), shape),)

        return Tensor._result(out, (self,), "sum", backward)

    def mean(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """Mean of entries over `axis` (all axes by default), as in ``numpy.mean``.

        The mean over no entries is NaN, with NumPy's ``RuntimeWarning``; its gradient,
        with respect to an empty tensor, is empty.
        """
        shape = self.data.shape
        out = np.asarray(self.data.mean(axis=axis, keepdims=keepdims))
        count = self.data.size // max(out.size, 1)  # entries averaged into each output

        def backward(g: np.ndarray) -> tuple[np.ndarray]:
            if count == 0:  # the input is empty, and so is its gradient
                return (np.zeros(shape),)
            g = _restore_axes(g, axis, keepdims, len(shape))
            return (np.broadcast_to(g * (1.0 / count), shape),)

        return Tensor._result(out, (self,), "mean", backward)

    def reshape(self, *shape: Any) -> Tensor:
        """Same entries in a new shape; ``t.reshape(2, 3)`` or ``t.reshape((2, 3))``."""
        old = self.data.shape
        try:
            out = self.data.reshape(_reshape_args(shape))
        except (ValueError, TypeError) as exc:
            raise ValueError(
                f"cannot reshape a Tensor of shape {old} into shape {_reshape_args(shape)}."
            ) from exc

        def backward(g: np.ndarray) -> tuple[np.ndarray]:
            return (g.reshape(old),)

        return Tensor._result(out, (self,), "reshape", backward)

    def transpose(self, *axes: int) -> Tensor:
        """Permute axes (reverse them by default), as in ``numpy.transpose``."""
        perm = _reshape_args(axes) if axes else None
        out = np.transpose(self.data, perm)

        def backward(g: np.ndarray) -> tuple[np.ndarray]:
            inverse = None if perm is None else np.argsort(perm)
            return (np.transpose(g, inverse),)

        return Tensor._result(out, (self,), "transpose", backward)

    def __getitem__(self, index: Any) -> Tensor:
        """NumPy indexing; repeated indices receive summed gradients."""
        out = np.asarray(self.data[index])

        def backward(g: np.ndarray) -> tuple[np.ndarray]:
            full = np.zeros_like(self.data)
            if _is_basic_index(index):  # slices and integers pick each entry at most once
                full[index] = g
            else:  # fancy indexing may repeat entries: add, do not overwrite
                np.add.at(full, index, g)
            return (full,)

        return Tensor._result(out, (self,), "getitem", backward)

    # -- reverse pass ----------------------------------------------------------------------

    def backward(self, gradient: Any = None) -> None:
        """Accumulate the gradient of this tensor into ``.grad`` of every tensor it used.

        Parameters
        ----------
        gradient : array_like, optional
            Seed :math:`\\bar{y}`, the gradient of some scalar with respect to this tensor,
            of this tensor's shape. May be omitted only for a tensor with one entry (the
            seed is then 1).

        Raises
        ------
        RuntimeError
            If the tensor does not require gradients, or has several entries and no
            `gradient` is given.
        ValueError
            If `gradient` does not have this tensor's shape.
        """
        grads = {id(self): self._seed(gradient)}  # dL/dnode, summed over the node's uses
        # Chain rule, from the output back to the leaves: a node comes after all its uses in
        # reversed topological order, so grads[node] is complete when the node is reached.
        for node in reversed(topological_order(self)):
            g = grads.pop(id(node), None)
            if g is None:  # a constant, or a tensor that does not require gradients
                continue
            node._accumulate(g)
            if node._backward is None:  # a leaf
                continue
            for parent, contribution in zip(node._parents, node._backward(g), strict=True):
                if contribution is None:  # the parent does not require gradients
                    continue
                # dL/dparent += dL/dnode * dnode/dparent, summed over the parent's uses
                previous = grads.get(id(parent))
                grads[id(parent)] = contribution if previous is None else previous + contribution

    def _seed(self, gradient: Any) -> np.ndarray:
        """The validated seed of ``backward(gradient)``: 1 for one entry, else `gradient`."""
        if not self._requires_grad:
            raise RuntimeError(
                "backward() needs a tensor that requires gradients; create the inputs "
                "with Tensor(..., requires_grad=True)."
            )
        if gradient is None:
            if self.data.size != 1:
                raise RuntimeError(
                    f"backward() on a non-scalar Tensor of shape {self.data.shape} needs a "
                    f"seed `gradient` of that shape, e.g. backward(np.ones({self.data.shape}))."
                )
            return np.ones_like(self.data)
        seed = as_array(gradient, "gradient", finite=False)
        return np.array(check_shape(seed, "gradient", self.data.shape), dtype=np.float64)

    def _accumulate(self, g: np.ndarray) -> None:
        """Add this backward pass's gradient `g` into ``.grad`` (``+=`` across calls).

        ``.grad`` is always this tensor's own array: the first pass stores a copy of `g`
        (which neighbouring nodes may share), later passes add into it in place.
        """
        if self._grad is None:
            self._grad = np.array(g, dtype=np.float64)
        else:
            self._grad += g


def _is_basic_index(index: Any) -> bool:
    """Whether `index` uses only NumPy's basic indexing (integers, slices, ..., None)."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(
        isinstance(p, slice | numbers.Integral) or p is None or p is Ellipsis for p in parts
    ) and not any(isinstance(p, bool | np.bool_) for p in parts)


def _restore_axes(g: np.ndarray, axis: Axis, keepdims: bool, ndim: int) -> np.ndarray:
    """Put back the axes that a reduction over `axis` removed, as length-1 axes."""
    if keepdims or axis is None:
        return g.reshape((1,) * ndim) if axis is None else g
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    return np.expand_dims(g, tuple(a % ndim for a in axes))


def _node_parents(node: Any) -> tuple[Any, ...]:
    """Return ``node.parents`` as a tuple, or raise ``TypeError`` for a malformed node."""
    if type(node) is Tensor:  # the common case, without the checks
        return node._parents
    try:
        parents = node.parents
    except AttributeError:
        raise TypeError(
            f"`root`: every graph node needs a `parents` attribute (a tuple of nodes), as "
            f"calcdocs.Tensor has; got a {type(node).__name__} without one."
        ) from None
    if not isinstance(parents, tuple | list):
        raise TypeError(
            f"`root`: a node's `parents` must be a tuple of nodes; got "
            f"{type(parents).__name__} on a {type(node).__name__}."
        )
    return tuple(parents)


def topological_order(root: Any) -> list[Any]:
    """Return the nodes reachable from `root`, every node after all of its parents.

    This is the graph protocol shared by `Tensor.backward` and :func:`calcdocs.plot_graph`:
    a node is any object with a ``parents`` attribute, a tuple of nodes (empty for a leaf).
    `Tensor` also has ``op`` (the operation's name, ``''`` for a leaf) and ``label``.

    Parameters
    ----------
    root : Tensor or graph node
        The output of the graph, usually a scalar loss.

    Returns
    -------
    list
        Each reachable node exactly once (compared by identity), leaves first and `root`
        last. Reversed, it is the order in which the chain rule visits the graph.

    Raises
    ------
    TypeError
        If a reachable node has no ``parents`` attribute, or it is not a tuple or list.
    ValueError
        If the graph has a cycle (a node is its own ancestor).

    See Also
    --------
    Tensor.backward : Visits this order in reverse.
    calcdocs.plot_graph : Draws it.

    Notes
    -----
    A depth-first search with an explicit stack, so a chain of any length works without
    reaching Python's recursion limit. A node is appended when all its parents have been
    (post-order); meeting a node that is still being expanded means a cycle. Cost: one visit
    per node and one per edge.

    Examples
    --------
    >>> from calcdocs import Tensor
    >>> from calcdocs.autodiff import topological_order
    >>> x = Tensor(2.0, requires_grad=True, label="x")
    >>> y = (x * 3.0).exp()
    >>> print([node.op or node.label or "const" for node in topological_order(y)])
    ['x', 'const', 'mul', 'exp']
    """
    order: list[Any] = []
    done: set[int] = set()
    active: set[int] = set()  # nodes on the current path, still being expanded
    stack: list[tuple[Any, Iterator[Any]]] = [(root, iter(_node_parents(root)))]
    active.add(id(root))
    while stack:
        node, pending = stack[-1]
        for parent in pending:
            key = id(parent)
            if key in done:
                continue
            if key in active:
                raise ValueError(
                    f"`root`: the graph has a cycle; a node of type {type(parent).__name__} "
                    f"(label {getattr(parent, 'label', None)!r}) is its own ancestor."
                )
            grandparents = _node_parents(parent)
            if not grandparents:  # a leaf is placed at once
                done.add(key)
                order.append(parent)
                continue
            stack.append((parent, iter(grandparents)))
            active.add(key)
            break
        else:  # every parent is placed: place the node
            stack.pop()
            key = id(node)
            active.discard(key)
            done.add(key)
            order.append(node)
    return order


# ----------------------------------------------------------------------------------------
# Forward mode
# ----------------------------------------------------------------------------------------


class Dual(_Operators):
    r"""A value paired with a tangent (directional derivative), for forward-mode autodiff.

    Parameters
    ----------
    value : array_like
        The primal value :math:`x`, real numbers (stored as float64).
    tangent : array_like, optional
        The tangent :math:`\dot{x}`, broadcastable to the shape of `value`; default 0
        (a constant).

    Attributes
    ----------
    value : numpy.ndarray
        The primal value.
    tangent : numpy.ndarray
        The tangent, same shape as `value`.

    Raises
    ------
    TypeError
        If `value` or `tangent` is not array-like of real numbers.
    ValueError
        If `tangent` cannot be broadcast to the shape of `value`.

    See Also
    --------
    jvp : Value and Jacobian-vector product of a function, in one forward pass.
    Tensor : Reverse mode.

    Notes
    -----
    A dual number is :math:`x + \dot{x}\,\mathrm{d}` with a dual unit :math:`\mathrm{d}`
    such that :math:`\mathrm{d}^2 = 0` (the book writes it d, since :math:`\varepsilon` is the
    machine epsilon), so by Taylor's theorem
    :math:`f(x + \dot{x}\,\mathrm{d}) = f(x) + f'(x)\,\dot{x}\,\mathrm{d}`.
    Each operation therefore computes its value and, by the chain rule, pushes the
    tangent forward:

    .. math:: \dot{y} = \sum_i \frac{\partial y}{\partial x_i}\,\dot{x}_i,

    using the same table of partial derivatives as `Tensor`. Seeding the input tangent
    with a vector :math:`v` gives the Jacobian-vector product (JVP) :math:`J v` at the cost
    of a small multiple of one evaluation; a full gradient of a function of :math:`n`
    variables needs :math:`n` such passes, against one backward pass in reverse mode.

    Values follow NumPy's semantics (``inf``/``nan`` with NumPy's ``RuntimeWarning``).
    A Python scalar or ndarray mixed into an operation is a constant (zero tangent).

    References
    ----------
    .. [1] A. Griewank and A. Walther, *Evaluating Derivatives*, 2nd ed., SIAM, 2008,
       chapter 3.
    .. [2] A. G. Baydin, B. A. Pearlmutter, A. A. Radul and J. M. Siskind, "Automatic
       differentiation in machine learning: a survey", *JMLR* 18(153), 1-43, 2018.

    Examples
    --------
    The derivative of :math:`x \sin x` at :math:`x = 2`, seeding the tangent with 1:

    >>> from calcdocs import Dual
    >>> x = Dual(2.0, 1.0)
    >>> y = x * x.sin()
    >>> print(f"{y.value:.6f} {y.tangent:.6f}")
    1.818595 0.077004
    """

    __slots__ = ("tangent", "value")

    def __init__(self, value: Any, tangent: Any = 0.0):
        value = np.array(as_array(value, "value", finite=False), dtype=np.float64)
        tangent = as_array(tangent, "tangent", finite=False)
        try:
            tangent = np.broadcast_to(tangent, value.shape)
        except ValueError:
            raise ValueError(
                f"`tangent` must have the shape of `value`, {value.shape}; "
                f"got shape {tangent.shape}."
            ) from None
        self._set(value, np.array(tangent, dtype=np.float64))

    def _set(self, value: np.ndarray, tangent: np.ndarray) -> None:
        """Write both attributes: the one place that does (see `_make`)."""
        self.value = value
        if tangent.shape != value.shape:  # e.g. a constant's tangent was broadcast
            tangent = np.broadcast_to(tangent, value.shape).copy()
        self.tangent = tangent

    @classmethod
    def _make(cls, value: Any, tangent: Any) -> Dual:
        """Make a Dual from trusted parts, without validation (results of operations)."""
        out = cls.__new__(cls)
        out._set(np.asarray(value), np.asarray(tangent))
        return out

    @staticmethod
    def _split(value: Any) -> tuple[np.ndarray, np.ndarray | None]:
        """Return (value, tangent) of an operand; constants have tangent None."""
        if isinstance(value, Dual):
            return value.value, value.tangent
        return as_array(value, "operand", finite=False), None

    @property
    def _primal(self) -> np.ndarray:
        return self.value

    def __repr__(self) -> str:
        value = _format(self.value, prefix="Dual(value=")
        tangent = _format(self.tangent, prefix=" " * 5 + "tangent=")
        return f"Dual(value={value}, tangent={tangent})"

    @staticmethod
    def _apply(name: str, *operands: Any) -> Dual:
        """Apply the elementwise op `name` from ``_ELEMENTWISE`` and push the tangent."""
        rule = _rule(name)
        if not all(isinstance(v, Dual) or _is_operand(v) for v in operands):
            return NotImplemented
        xs, dxs = zip(*(Dual._split(v) for v in operands), strict=True)
        out = _forward(name, rule.forward, xs)
        tangent = np.zeros_like(out)
        for dx, partial in zip(dxs, rule.partials, strict=True):
            if dx is not None:  # chain rule: dy = sum_i (dy/dx_i) dx_i
                tangent = tangent + _times(dx, partial(*xs, out))
        return Dual._make(out, tangent)

    @staticmethod
    def _matmul(a: Any, b: Any) -> Dual:
        """``a @ b`` with the product rule ``d(AB) = dA B + A dB``."""
        if not all(isinstance(v, Dual | np.ndarray) for v in (a, b)):
            return NotImplemented
        (av, at), (bv, bt) = Dual._split(a), Dual._split(b)
        out = _matmul_forward(av, bv)
        tangent = np.zeros_like(out)
        if at is not None:
            tangent = tangent + at @ bv
        if bt is not None:
            tangent = tangent + av @ bt
        return Dual._make(out, tangent)

    def sum(self, axis: Axis = None, keepdims: bool = False) -> Dual:
        """Sum over `axis`; the tangent of a sum is the sum of the tangents."""
        return Dual._make(
            self.value.sum(axis=axis, keepdims=keepdims),
            self.tangent.sum(axis=axis, keepdims=keepdims),
        )

    def mean(self, axis: Axis = None, keepdims: bool = False) -> Dual:
        """Mean over `axis`; the tangent of a mean is the mean of the tangents."""
        return Dual._make(
            self.value.mean(axis=axis, keepdims=keepdims),
            self.tangent.mean(axis=axis, keepdims=keepdims),
        )

    def reshape(self, *shape: Any) -> Dual:
        """Same entries in a new shape."""
        new = _reshape_args(shape)
        try:
            return Dual._make(self.value.reshape(new), self.tangent.reshape(new))
        except (ValueError, TypeError) as exc:
            raise ValueError(
                f"cannot reshape a Dual of shape {self.value.shape} into shape {new}."
            ) from exc

    def transpose(self, *axes: int) -> Dual:
        """Permute axes (reverse them by default)."""
        perm = _reshape_args(axes) if axes else None
        return Dual._make(np.transpose(self.value, perm), np.transpose(self.tangent, perm))

    def __getitem__(self, index: Any) -> Dual:
        return Dual._make(self.value[index], self.tangent[index])


# ----------------------------------------------------------------------------------------
# Function transforms
# ----------------------------------------------------------------------------------------


def _disconnected() -> ValueError:
    return ValueError(
        "`f`'s result does not depend on its argument through Tensor operations, so it has "
        "no gradient to give: the result does not require gradients, or backward() never "
        "reached the argument. Typical causes: the result was rebuilt from `.data` (or "
        "computed with NumPy functions of it), or it is a constant. Compute it with the "
        "argument's methods and operators; for a constant function, whose gradient is 0, "
        "write e.g. `0 * x.sum() + c`."
    )


def value_and_grad(
    f: Callable[[Tensor], Tensor],
) -> Callable[[Any], tuple[float, float | np.ndarray]]:
    r"""Return a function computing ``(f(x), ∇f(x))`` by one reverse-mode pass.

    Parameters
    ----------
    f : callable
        ``f(x) -> Tensor`` with one entry, written with `Tensor` operations; `x` is a
        `Tensor` of the shape of the point.

    Returns
    -------
    callable
        ``value_and_grad(f)(x) -> (float, numpy.ndarray)``: the value and the gradient, an
        array of the shape of `x` (a Python float when `x` is a scalar). The function
        carries `f`'s name and docstring (``functools.wraps``).

    Raises
    ------
    TypeError
        If `f` is not callable, or (when called) `x` is not numeric or `f` does not return
        a `Tensor`.
    ValueError
        When called, if `f` returns more than one entry, or a result that does not depend
        on `x` through Tensor operations (PyTorch raises here too): a result rebuilt from
        ``.data``, computed with NumPy functions, or constant.

    See Also
    --------
    grad : The gradient only.

    Notes
    -----
    One forward pass records the graph, one backward pass seeded with
    :math:`\bar{f} = 1` returns :math:`\nabla f(x)`, the VJP :math:`1 \cdot J`.

    Examples
    --------
    >>> import numpy as np
    >>> from calcdocs import value_and_grad
    >>> f = lambda x: (x * x).sum()
    >>> value, g = value_and_grad(f)(np.array([1.0, 2.0]))
    >>> print(value, g)
    5.0 [2. 4.]
    """
    check_callable(f, "f")

    @functools.wraps(f)
    def value_and_grad_f(x: Any) -> tuple[float, float | np.ndarray]:
        leaf = Tensor(as_array(x, "x", finite=False), requires_grad=True)
        out = f(leaf)
        if not isinstance(out, Tensor):
            raise TypeError(
                f"`f` must return a Tensor (use Tensor operations on its argument); "
                f"got {type(out).__name__}."
            )
        if out.data.size != 1:
            raise ValueError(
                f"`f` must return a scalar (one entry) to have a gradient; got shape "
                f"{out.data.shape}. For vector outputs use Tensor.backward with a seed."
            )
        if not out.requires_grad:
            raise _disconnected()
        out.backward()
        if leaf._grad is None:  # the graph needs gradients, but not through `x`
            raise _disconnected()
        return out.item(), _scalar_or_array(leaf.grad)

    return value_and_grad_f


def grad(f: Callable[[Tensor], Tensor]) -> Callable[[Any], float | np.ndarray]:
    r"""Return a function computing the gradient :math:`\nabla f(x)` by reverse mode.

    A gradient provider in the package's sense: ``grad(f)(x)`` has the shape of `x`, like
    an :class:`~calcdocs.Objective`'s ``gradient`` and ``lambda x: calcdocs.gradient(f, x)``.

    Parameters
    ----------
    f : callable
        ``f(x) -> Tensor`` with one entry, written with `Tensor` operations.

    Returns
    -------
    callable
        ``grad(f)(x) -> numpy.ndarray`` of the shape of `x` (a Python float when `x` is a
        scalar), carrying `f`'s name and docstring (``functools.wraps``).

    Raises
    ------
    TypeError
        If `f` is not callable, or (when called) `x` is not numeric or `f` does not return
        a `Tensor`.
    ValueError
        When called, if `f` returns more than one entry, or a result that does not depend
        on `x` through Tensor operations (see `value_and_grad`).

    See Also
    --------
    value_and_grad : Value and gradient together.
    calcdocs.gradient : The same by finite differences, for checking.

    Notes
    -----
    Reverse mode costs a small multiple of one evaluation of `f` for all :math:`n`
    partial derivatives at once, where finite differences or forward mode need
    :math:`n` evaluations (Baydin et al., 2018).

    References
    ----------
    .. [1] A. G. Baydin, B. A. Pearlmutter, A. A. Radul and J. M. Siskind, "Automatic
       differentiation in machine learning: a survey", *JMLR* 18(153), 1-43, 2018.

    Examples
    --------
    >>> import numpy as np
    >>> from calcdocs import grad
    >>> f = lambda x: (x.tanh() ** 2).sum()
    >>> print(np.round(grad(f)(np.array([0.0, 0.5, 1.0])), 6))
    [0.       0.726862 0.6397  ]
    >>> print(grad(lambda x: x**3)(2.0))
    12.0
    """
    value_and_grad_f = value_and_grad(f)

    @functools.wraps(f)
    def grad_f(x: Any) -> float | np.ndarray:
        return value_and_grad_f(x)[1]

    return grad_f


def jvp(f: Callable[[Dual], Dual], x: Any, v: Any) -> tuple[float | np.ndarray, float | np.ndarray]:
    r"""Evaluate ``f(x)`` and the Jacobian-vector product :math:`J_f(x)\,v` in one pass.

    Parameters
    ----------
    f : callable
        ``f(x) -> Dual``, written with `Dual` operations.
    x : array_like
        The point.
    v : array_like
        The direction, same shape as `x`.

    Returns
    -------
    value : numpy.ndarray or float
        ``f(x)`` (a Python float when it has no axes).
    tangent : numpy.ndarray or float
        :math:`J_f(x)\,v`, the directional derivative, same shape as `value`.

    Raises
    ------
    TypeError
        If `f` is not callable, `x` or `v` is not numeric, or `f` does not return a `Dual`
        (a value computed from ``.value`` or with NumPy functions has lost its tangent).
    ValueError
        If `v` does not have the shape of `x`.

    See Also
    --------
    Dual : Forward mode.
    grad : Reverse mode, all partial derivatives of a scalar function at once.

    Notes
    -----
    Forward mode seeds :math:`\dot{x} = v` and pushes it through the chain rule, so the
    result is the column :math:`J v`. The full Jacobian of
    :math:`f: \mathbb{R}^n \to \mathbb{R}^m` takes :math:`n` JVPs (one per basis vector),
    reverse mode takes :math:`m` VJPs: forward mode wins when :math:`n \ll m`.

    Examples
    --------
    >>> import numpy as np
    >>> from calcdocs import jvp
    >>> f = lambda x: x.exp() * x[0]
    >>> value, tangent = jvp(f, np.array([0.0, 1.0]), np.array([1.0, 0.0]))
    >>> print(value, tangent)
    [0. 0.] [1.         2.71828183]
    """
    check_callable(f, "f")
    x = as_array(x, "x", finite=False)
    v = check_shape(as_array(v, "v", finite=False), "v", x.shape)
    out = f(Dual(x, v))
    if not isinstance(out, Dual):
        raise TypeError(
            f"`f` must return a Dual (use Dual operations on its argument, not `.value` or "
            f"NumPy functions); got {type(out).__name__}."
        )
    return _scalar_or_array(out.value), _scalar_or_array(out.tangent)
