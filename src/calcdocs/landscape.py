r"""Loss-landscape slices: a network's loss along one or two directions in weight space.

A network's loss is a function of thousands of weights; a picture shows one or two. This
module turns the loss into a function of one coordinate :math:`\alpha` or two,
:math:`(\alpha, \beta)`, along chosen directions through chosen weights,

.. math::

    g(\alpha, \beta) = L(\theta + \alpha\, \delta + \beta\, \eta),

returned as a `LossSlice`: a callable with the calling convention of the plot helpers
(one point per row, its coordinates on the last axis), so :func:`calcdocs.plot_contours`,
:func:`calcdocs.plot_surface` and :func:`calcdocs.plot_function` draw it directly. Two kinds
of slice are built here:

- around trained weights, along random directions rescaled filter by filter
  (`random_directions`; Li et al., 2018), so that the picture does not depend on the scale
  of each layer's weights;
- the straight line from the initial to the trained weights (`interpolation_slice`;
  Goodfellow, Vinyals & Saxe, 2015).

Weights are a single array or a list of arrays (one per layer); the loss receives the same
structure. Nothing here imports matplotlib: the slices are data; plotting draws them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from calcdocs._validation import as_array, check_callable, check_choice, check_int

__all__ = ["LossSlice", "interpolation_slice", "loss_slice", "random_directions"]

_NORMALIZATIONS = ("filter", "layer", "none")


def _weights(params: Any, name: str) -> tuple[list[np.ndarray], bool]:
    """`params` as a list of read-only float copies, and whether it was a single array."""
    single = isinstance(params, np.ndarray) or not isinstance(params, Sequence | tuple)
    items = [params] if single else list(params)
    if not items:
        raise ValueError(f"`{name}` must hold at least one array of weights; got none.")
    arrays = []
    for i, item in enumerate(items):
        arr = as_array(item, name if single else f"{name}[{i}]", copy=True)
        arr.flags.writeable = False
        arrays.append(arr)
    return arrays, single


def _same_shapes(arrays: list[np.ndarray], like: list[np.ndarray], name: str, ref: str) -> None:
    if len(arrays) != len(like) or any(a.shape != b.shape for a, b in zip(arrays, like)):
        raise ValueError(
            f"`{name}` must have the shapes of `{ref}`, {[b.shape for b in like]}; got "
            f"{[a.shape for a in arrays]}."
        )


def random_directions(
    params: Any,
    *,
    count: int = 2,
    normalization: str = "filter",
    filter_axis: int = 0,
    seed: Any = None,
) -> tuple[list[np.ndarray], ...]:
    r"""Random directions in weight space, rescaled to the weights filter by filter.

    Parameters
    ----------
    params : ndarray or sequence of ndarray
        The weights the directions start from (usually the trained weights), one array
        per layer.
    count : int, default 2
        How many directions (1 for a curve, 2 for a contour plot).
    normalization : {"filter", "layer", "none"}, default "filter"
        ``"filter"``: each filter of the direction gets the norm of the same filter of the
        weights (Li et al.'s filter-wise normalization); ``"layer"``: the same per array;
        ``"none"``: plain standard-normal entries.
    filter_axis : int, default 0
        The axis of a weight array that indexes its filters (output units): 0 for weights
        stored as ``(out, in)`` like ``torch.nn.Linear`` and convolutions, 1 for weights
        used as ``x @ W`` with ``W`` of shape ``(in, out)``.
    seed : int or numpy.random.Generator, optional
        Seed for the Gaussian draws (:func:`numpy.random.default_rng`).

    Returns
    -------
    tuple of list of ndarray
        `count` directions, each a list of arrays shaped like `params` (also a list when
        `params` is a single array).

    Raises
    ------
    TypeError
        If `params` is not numeric or an option has the wrong type.
    ValueError
        If `count` is below 1, `normalization` is unknown, `filter_axis` is out of range
        for an array of two or more axes, or `params` is empty or not finite.

    See Also
    --------
    loss_slice : the loss along these directions.

    Notes
    -----
    Li et al. (2018) draw :math:`d` with the shape of the weights :math:`\theta` from a
    standard normal distribution and rescale each filter :math:`j` of each layer :math:`i`,

    .. math::

        d_{i,j} \leftarrow \frac{d_{i,j}}{\lVert d_{i,j} \rVert}\, \lVert \theta_{i,j} \rVert,

    so that a step of 1 along the direction changes every filter by its own size. Without
    it a plot can look sharp or flat only because one network's weights are larger (after
    weight decay, or across the scale invariance of ReLU networks and batch norm). Arrays
    with fewer than two axes (biases, normalization parameters) get a zero direction, as in
    the authors' code (their default ``ignore="biasbn"``), under every normalization but
    ``"none"``.

    References
    ----------
    .. [1] H. Li, Z. Xu, G. Taylor, C. Studer, T. Goldstein, "Visualizing the Loss
       Landscape of Neural Nets", NeurIPS 2018.

    Examples
    --------
    >>> import numpy as np
    >>> from calcdocs import random_directions
    >>> W, b = np.array([[3.0, 4.0], [0.0, 1.0]]), np.array([0.5, -0.5])
    >>> (d,) = random_directions([W, b], count=1, seed=0)
    >>> print(np.linalg.norm(d[0], axis=1), d[1])  # the norms of W's rows; no bias move
    [5. 1.] [0. 0.]
    """
    arrays, _ = _weights(params, "params")
    count = check_int(count, "count", minimum=1)
    normalization = check_choice(normalization, _NORMALIZATIONS, "normalization")
    filter_axis = check_int(filter_axis, "filter_axis")
    for i, arr in enumerate(arrays):
        if arr.ndim >= 2 and not -arr.ndim <= filter_axis < arr.ndim:
            raise ValueError(
                f"`filter_axis` = {filter_axis} is out of range for `params[{i}]` of shape "
                f"{arr.shape}."
            )
    rng = np.random.default_rng(seed)
    directions = []
    for _ in range(count):
        direction = []
        for arr in arrays:
            d = rng.standard_normal(arr.shape)
            if normalization != "none" and arr.ndim < 2:
                d = np.zeros(arr.shape)
            elif normalization == "filter":
                axes = tuple(a for a in range(arr.ndim) if a != filter_axis % arr.ndim)
                d_norm = np.linalg.norm(d, axis=axes, keepdims=True)
                w_norm = np.sqrt(np.sum(arr**2, axis=axes, keepdims=True))
                d = d / np.where(d_norm > 0, d_norm, 1.0) * w_norm
            elif normalization == "layer":
                d = d / max(float(np.linalg.norm(d)), np.finfo(float).tiny) * np.linalg.norm(arr)
            direction.append(d)
        directions.append(direction)
    return tuple(directions)


@dataclass(frozen=True, eq=False)
class LossSlice:
    r"""The loss restricted to a line or a plane in weight space: a function to plot.

    ``g(alpha) = loss(origin + alpha * directions[0])`` for one direction and
    ``g(alpha, beta) = loss(origin + alpha * directions[0] + beta * directions[1])`` for
    two. Build one with `loss_slice` or `interpolation_slice`.

    Attributes
    ----------
    loss : callable
        The loss of the weights (same structure as `origin`), returning a number.
    origin : list of ndarray
        The weights at coordinate 0 (read-only copies).
    directions : tuple of list of ndarray
        One or two directions, each shaped like `origin`.
    single : bool
        Whether the weights are one array (the loss then receives an array, not a list).

    Notes
    -----
    Calling a slice evaluates the loss once per point, in a Python loop (a network's loss
    is not vectorised over weights): a ``41 x 41`` contour grid is 1681 forward passes.
    Pass ``num=`` to the plot helpers accordingly.

    Examples
    --------
    >>> import numpy as np
    >>> from calcdocs import loss_slice
    >>> g = loss_slice(lambda w: float(np.sum(w**2)), np.array([1.0, 2.0]),
    ...                [[np.array([1.0, 0.0])], [np.array([0.0, 1.0])]])
    >>> print(g(np.array([[0.0, 0.0], [-1.0, -2.0]])))  # loss at the origin, at zero
    [5. 0.]
    """

    loss: Callable[[Any], Any]
    origin: list[np.ndarray]
    directions: tuple[list[np.ndarray], ...]
    single: bool = False

    @property
    def ndim(self) -> int:
        """Number of coordinates (1 or 2): the number of directions."""
        return len(self.directions)

    def weights(self, coords: Any) -> Any:
        """The weights at one point of the slice: ``origin + sum_i coords[i] * directions[i]``.

        Parameters
        ----------
        coords : float or array_like of shape (ndim,)
            The coordinates (a number for a 1-D slice).

        Returns
        -------
        ndarray or list of ndarray
            Weights with the structure of `origin` (one array when `single`).
        """
        c = np.atleast_1d(as_array(coords, "coords"))
        if c.shape != (self.ndim,):
            raise ValueError(
                f"`coords` must have shape ({self.ndim},) for a {self.ndim}-D slice; got "
                f"shape {c.shape}."
            )
        out = [w + sum(ci * d[k] for ci, d in zip(c, self.directions)) for k, w in
               enumerate(self.origin)]  # fmt: skip
        return out[0] if self.single else out

    def __call__(self, coords: Any) -> np.ndarray | float:
        """Loss values at `coords`: shape ``(...)`` for a 1-D slice, ``(..., 2)`` for 2-D.

        Parameters
        ----------
        coords : array_like
            Coordinates along the directions: any shape for one direction, points on the
            last axis (length 2) for two.

        Returns
        -------
        ndarray or float
            The loss at each point (a float for a single point); NaN or inf where the loss
            is not finite, which the plot helpers leave out.
        """
        c = as_array(coords, "coords")
        if self.ndim == 1:
            flat, shape = c.reshape(-1, 1), c.shape
        else:
            if c.ndim == 0 or c.shape[-1] != self.ndim:
                raise ValueError(
                    f"`coords` must have length {self.ndim} on its last axis; got shape {c.shape}."
                )
            flat, shape = c.reshape(-1, self.ndim), c.shape[:-1]
        values = np.empty(len(flat))
        for i, point in enumerate(flat):
            value = np.asarray(self.loss(self.weights(point)))
            if value.size != 1 or value.dtype.kind not in "biuf":
                raise ValueError(
                    f"`loss` must return one real number; it returned {value.dtype} of "
                    f"shape {value.shape}."
                )
            values[i] = float(value.reshape(-1)[0])
        return values.reshape(shape) if shape else float(values[0])


def loss_slice(loss: Callable[[Any], Any], params: Any, directions: Sequence[Any]) -> LossSlice:
    r"""The loss along one or two directions through `params`, as a function to plot.

    Parameters
    ----------
    loss : callable
        Maps weights (the structure of `params`) to a number.
    params : ndarray or sequence of ndarray
        The weights at the slice's origin, usually the trained weights.
    directions : sequence
        One or two directions, each shaped like `params` (from `random_directions`, or
        your own: e.g. the top Hessian eigenvectors).

    Returns
    -------
    LossSlice
        ``g(alpha)`` or ``g(alpha, beta)``; ``g(0) = loss(params)``.

    Raises
    ------
    TypeError
        If `loss` is not callable or an array is not numeric.
    ValueError
        If there are not 1 or 2 directions, or one does not match the shapes of `params`.

    See Also
    --------
    random_directions : filter-normalized random directions.
    interpolation_slice : the line from initial to trained weights.
    calcdocs.plot_contours : draws a 2-D slice.
    calcdocs.plot_function : draws a 1-D slice.

    Examples
    --------
    >>> import numpy as np
    >>> from calcdocs import loss_slice, random_directions
    >>> w = np.array([[1.0, -1.0], [0.5, 2.0]])
    >>> loss = lambda w: float(np.sum((w - 1.0) ** 2))
    >>> g = loss_slice(loss, w, random_directions(w, seed=1))
    >>> print(g(np.zeros(2)) == loss(w))
    True
    """
    loss = check_callable(loss, "loss")
    origin, single = _weights(params, "params")
    if isinstance(directions, np.ndarray) or not isinstance(directions, Sequence):
        raise TypeError(
            "`directions` must be a sequence of one or two directions (each shaped like "
            f"`params`); got {type(directions).__name__}."
        )
    if len(directions) not in (1, 2):
        raise ValueError(f"`directions` must hold 1 or 2 directions; got {len(directions)}.")
    checked = []
    for i, direction in enumerate(directions):
        arrays, _ = _weights(direction, f"directions[{i}]")
        _same_shapes(arrays, origin, f"directions[{i}]", "params")
        checked.append(arrays)
    return LossSlice(loss, origin, tuple(checked), single)


def interpolation_slice(loss: Callable[[Any], Any], initial: Any, trained: Any) -> LossSlice:
    r"""The loss on the straight line from the initial to the trained weights.

    Parameters
    ----------
    loss : callable
        Maps weights (the structure of `initial`) to a number.
    initial, trained : ndarray or sequence of ndarray
        The weights before and after training, of the same shapes.

    Returns
    -------
    LossSlice
        The 1-D slice :math:`g(\alpha) = L((1 - \alpha)\,\theta_0 + \alpha\,\theta_1)`:
        ``g(0)`` is the initial loss, ``g(1)`` the trained one; :math:`\alpha` outside
        :math:`[0, 1]` extrapolates.

    Raises
    ------
    TypeError
        If `loss` is not callable or the weights are not numeric.
    ValueError
        If `initial` and `trained` differ in shape.

    See Also
    --------
    loss_slice : slices along other directions.

    Notes
    -----
    Goodfellow, Vinyals and Saxe (2015) found that for many networks this curve falls
    monotonically, with no bump to climb: the hard part of training is not a barrier on
    the direct route, although the optimizer does not take it. A 1-D slice is still a
    slice; it can hide every other direction.

    References
    ----------
    .. [1] I. J. Goodfellow, O. Vinyals, A. M. Saxe, "Qualitatively characterizing neural
       network optimization problems", ICLR 2015.

    Examples
    --------
    >>> import numpy as np
    >>> from calcdocs import interpolation_slice
    >>> g = interpolation_slice(lambda w: float(np.sum((w - 3.0) ** 2)), np.zeros(2),
    ...                         np.full(2, 3.0))
    >>> print(g(np.array([0.0, 0.5, 1.0])))
    [18.   4.5  0. ]
    """
    loss = check_callable(loss, "loss")
    start, single = _weights(initial, "initial")
    end, _ = _weights(trained, "trained")
    _same_shapes(end, start, "trained", "initial")
    direction = [e - s for s, e in zip(start, end)]
    for d in direction:
        if not np.all(np.isfinite(d)):
            raise ValueError("`trained` - `initial` overflows: the weights are too far apart.")
    return LossSlice(loss, start, (direction,), single)
