"""Argument checks shared by every public module.

Each check raises ``TypeError`` or ``ValueError`` whose message names the argument (in
backticks), states the rule and shows the value received, in the form

    ValueError("`h` must be positive; got -0.001.")

Public functions call these first, before any computation. Never use ``assert`` for user
input: it disappears under ``python -O``.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

__all__: list[str] = []  # private module: nothing is re-exported


def _short(value: Any, limit: int = 80) -> str:
    """Return ``repr(value)`` cut to `limit` characters, for error messages."""
    text = repr(value)
    if isinstance(value, np.ndarray) and value.size > 8:
        text = f"array of shape {value.shape}"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_callable(f: Any, name: str) -> Callable:
    """Return `f` if it is callable, else raise ``TypeError``."""
    if not callable(f):
        raise TypeError(f"`{name}` must be callable; got {type(f).__name__}.")
    return f


def check_choice(value: Any, choices: Iterable[str], name: str) -> str:
    """Return `value` if it is one of `choices`, else raise ``ValueError`` listing them."""
    options = sorted(choices)
    if not isinstance(value, str) or value not in options:
        raise ValueError(f"`{name}` must be one of {options}; got {value!r}.")
    return value


def check_real(value: Any, name: str) -> float:
    """Return `value` as a finite Python float, else raise ``TypeError``/``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"`{name}` must be a real number; got {type(value).__name__}.")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"`{name}` must be finite; got {value!r}.")
    return value


def check_positive(value: Any, name: str, *, allow_zero: bool = False) -> float:
    """Return `value` as a float if it is finite and positive (or zero when allowed)."""
    value = check_real(value, name)
    if value < 0 or (value == 0 and not allow_zero):
        rule = "at least 0" if allow_zero else "positive"
        raise ValueError(f"`{name}` must be {rule}; got {value!r}.")
    return value


def check_in_range(
    value: Any,
    name: str,
    low: float,
    high: float,
    *,
    closed: tuple[bool, bool] = (True, True),
) -> float:
    """Return `value` as a float if it lies in the interval from `low` to `high`.

    `closed` says whether each end belongs to the interval, e.g. ``(True, False)`` for
    ``[low, high)``.
    """
    value = check_real(value, name)
    left_ok = value >= low if closed[0] else value > low
    right_ok = value <= high if closed[1] else value < high
    if not (left_ok and right_ok):
        interval = f"{'[' if closed[0] else '('}{low}, {high}{']' if closed[1] else ')'}"
        raise ValueError(f"`{name}` must lie in {interval}; got {value!r}.")
    return value


def check_int(value: Any, name: str, *, minimum: int | None = None) -> int:
    """Return `value` as an int if it is an integer (not a bool) at least `minimum`."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"`{name}` must be an integer; got {type(value).__name__}.")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"`{name}` must be at least {minimum}; got {value!r}.")
    return value


def as_array(
    x: Any,
    name: str,
    *,
    finite: bool = True,
    complex_ok: bool = False,
    copy: bool = False,
) -> np.ndarray:
    """Convert `x` to a float64 (or complex) ndarray, the package's one array converter.

    Parameters
    ----------
    x : array_like
        The value received.
    name : str
        The argument's name, for messages.
    finite : bool
        Raise ``ValueError`` if `x` holds NaN or infinity. With ``finite=False`` non-finite
        values are data (autodiff propagates them with NumPy's warnings).
    complex_ok : bool
        Accept complex numbers (kept complex); otherwise they raise ``TypeError``.
    copy : bool
        Always return a new array, so that a caller's later mutation of `x` cannot change a
        value the library keeps (a graph constant, the data of a loss).

    Raises
    ------
    TypeError
        For values NumPy cannot read as numbers, booleans, and (unless allowed) complex numbers.
    ValueError
        For NaN or infinity when `finite` is true.
    """
    try:
        arr = np.asarray(x)
    except Exception as exc:  # ragged lists and the like
        raise TypeError(f"`{name}` must be array-like of numbers; got {_short(x)}.") from exc
    kinds = "iufc" if complex_ok else "iuf"
    if arr.dtype.kind not in kinds:
        raise TypeError(
            f"`{name}` must be array-like of real numbers; got dtype {arr.dtype} from {_short(x)}."
        )
    target = np.complex128 if arr.dtype.kind == "c" else np.float64
    if arr.dtype.kind == "f" and arr.dtype.itemsize > 8:
        target = arr.dtype  # keep long double
    arr = np.array(arr, dtype=target, copy=True) if copy else arr.astype(target, copy=False)
    if finite and not np.all(np.isfinite(arr)):
        raise ValueError(f"`{name}` must be finite (no NaN or inf); got {_short(x)}.")
    return arr


def check_last_axis(x: np.ndarray, name: str, n: int | None = None) -> np.ndarray:
    """Require `x` to have at least one axis (and length `n` on the last axis, if given)."""
    if x.ndim == 0:
        raise ValueError(
            f"`{name}` must have at least one axis (a point's coordinates lie on the last "
            f"axis); got a scalar {_short(x)}."
        )
    if n is not None and x.shape[-1] != n:
        raise ValueError(f"`{name}` must have length {n} on its last axis; got shape {x.shape}.")
    return x


def check_shape(x: np.ndarray, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """Require ``x.shape == shape``."""
    if x.shape != tuple(shape):
        raise ValueError(f"`{name}` must have shape {tuple(shape)}; got shape {x.shape}.")
    return x


def check_bool(value: Any, name: str) -> bool:
    """Return `value` if it is a bool (or NumPy bool), else raise ``TypeError``.

    Strict on purpose: ``filled="no"`` or ``normalize=0`` must not silently mean something.
    """
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"`{name}` must be True or False; got {_short(value)}.")
    return bool(value)
