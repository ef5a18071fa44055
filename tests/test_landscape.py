"""Tests for calcdocs.landscape: slices of a small network's loss, checked point by point."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

import calcdocs as cd
from calcdocs import interpolation_slice, loss_slice, random_directions

X, Y = cd.make_moons(60, noise=0.1, seed=0)


def mlp_loss(params):
    """Mean logistic loss of a 2-8-1 tanh network; weights stored (out, in) like torch."""
    W1, b1, W2, b2 = params
    h = np.tanh(X @ W1.T + b1)
    z = (h @ W2.T + b2)[:, 0]
    return float(np.mean(np.logaddexp(0.0, z) - Y * z))


def mlp_grad(params):
    W1, b1, W2, b2 = params
    h = np.tanh(X @ W1.T + b1)
    z = (h @ W2.T + b2)[:, 0]
    dz = (1 / (1 + np.exp(-z)) - Y)[:, None] / len(Y)
    dh = dz @ W2 * (1 - h**2)
    return [dh.T @ X, dh.sum(0), dz.T @ h, dz.sum(0)]


@pytest.fixture(scope="module")
def trained():
    rng = np.random.default_rng(1)
    init = [rng.normal(0, 1, (8, 2)), np.zeros(8), rng.normal(0, 0.5, (1, 8)), np.zeros(1)]
    params = [p.copy() for p in init]
    for _ in range(300):
        params = [p - 0.5 * g for p, g in zip(params, mlp_grad(params))]
    return init, params


def test_the_training_helper_lowers_the_loss(trained):
    init, params = trained
    assert mlp_loss(params) < 0.8 * mlp_loss(init)


@pytest.mark.parametrize("filter_axis", [0, 1])
def test_filter_normalized_directions_match_each_filter_norm(trained, filter_axis):
    _, params = trained
    d1, d2 = random_directions(params, seed=0, filter_axis=filter_axis)
    for d in (d1, d2):
        for w, di in zip(params, d):
            assert di.shape == w.shape
            if w.ndim < 2:
                np.testing.assert_array_equal(di, 0.0)  # biases do not move (Li et al.)
            else:
                other = 1 - filter_axis
                np.testing.assert_allclose(np.linalg.norm(di, axis=other),
                                           np.linalg.norm(w, axis=other))  # fmt: skip
    assert not np.allclose(d1[0], d2[0])  # two different directions
    again, _ = random_directions(params, seed=0, filter_axis=filter_axis)
    np.testing.assert_array_equal(again[0], d1[0])  # seeded


def test_layer_and_no_normalization():
    w = [np.array([[3.0, 4.0], [0.0, 0.0]]), np.ones(2)]
    (layer,) = random_directions(w, count=1, normalization="layer", seed=3)
    np.testing.assert_allclose(np.linalg.norm(layer[0]), 5.0)
    np.testing.assert_array_equal(layer[1], 0.0)
    (raw,) = random_directions(w, count=1, normalization="none", seed=3)
    assert np.all(raw[1] != 0)


def test_slice_at_the_origin_is_the_loss_at_the_trained_weights(trained):
    _, params = trained
    g = loss_slice(mlp_loss, params, random_directions(params, seed=0))
    assert g(np.zeros(2)) == mlp_loss(params)
    d1, d2 = g.directions
    a, b = 0.3, -0.7
    moved = [w + a * u + b * v for w, u, v in zip(params, d1, d2)]
    np.testing.assert_allclose(g(np.array([a, b])), mlp_loss(moved), rtol=1e-12)
    grid = np.stack(np.meshgrid([-1.0, 0.0, 1.0], [0.0, 0.5]), axis=-1)
    values = g(grid)
    assert values.shape == (2, 3)
    assert values[0, 1] == mlp_loss(params)


def test_a_1d_slice_has_its_minimum_near_zero_for_trained_weights(trained):
    _, params = trained
    g = loss_slice(mlp_loss, params, random_directions(params, count=1, seed=2))
    alphas = np.linspace(-1, 1, 41)
    values = g(alphas)
    assert values.shape == (41,)
    assert abs(alphas[np.argmin(values)]) <= 0.2  # trained weights: a valley at 0


def test_interpolation_runs_from_the_initial_to_the_trained_loss(trained):
    init, params = trained
    g = interpolation_slice(mlp_loss, init, params)
    np.testing.assert_allclose(g(np.array([0.0, 1.0])), [mlp_loss(init), mlp_loss(params)],
                               rtol=1e-12)  # fmt: skip
    half = [0.5 * (a + b) for a, b in zip(init, params)]
    np.testing.assert_allclose(g(0.5), mlp_loss(half), rtol=1e-12)


def test_slices_are_drawn_by_the_plot_helpers(trained):
    init, params = trained
    g2 = loss_slice(mlp_loss, params, random_directions(params, seed=0))
    _, ax = plt.subplots()
    cd.plot_contours(g2, (-1, 1), (-1, 1), num=9, levels=10, ax=ax)
    cs = cd.drawn(ax, "plot_contours")[-1]
    grid = np.stack(np.meshgrid(np.linspace(-1, 1, 9), np.linspace(-1, 1, 9)), axis=-1)
    np.testing.assert_allclose(cs.levels[[0, -1]], [g2(grid).min(), g2(grid).max()])
    g1 = interpolation_slice(mlp_loss, init, params)
    _, ax1 = plt.subplots()
    cd.plot_function(g1, (-0.5, 1.5), num=21, ax=ax1)
    line = cd.drawn(ax1, "plot_function")[0]
    np.testing.assert_allclose(line.get_ydata(), g1(line.get_xdata()))
    plt.close("all")


def test_slice_copies_the_weights(trained):
    _, params = trained
    w = [p.copy() for p in params]
    g = loss_slice(mlp_loss, w, random_directions(w, seed=0))
    before = g(np.zeros(2))
    w[0][:] = 0.0
    assert g(np.zeros(2)) == before


def _bad_loss(params):
    return np.ones(3)


INVALID = [
    ("count", lambda p: random_directions(p, count=0), ValueError,
     r"`count` must be at least 1; got 0"),
    ("normalization", lambda p: random_directions(p, normalization="unit"), ValueError,
     r"`normalization` must be one of \['filter', 'layer', 'none'\]; got 'unit'"),
    ("filter-axis", lambda p: random_directions(p, filter_axis=2), ValueError,
     r"`filter_axis` = 2 is out of range for `params\[0\]` of shape \(8, 2\)"),
    ("params-empty", lambda p: random_directions([]), ValueError,
     r"`params` must hold at least one array"),
    ("params-nan", lambda p: random_directions([np.array([[np.nan]])]), ValueError,
     r"`params\[0\]` must be finite"),
    ("loss", lambda p: loss_slice(3, p, random_directions(p)), TypeError,
     r"`loss` must be callable; got int"),
    ("three-directions", lambda p: loss_slice(mlp_loss, p, random_directions(p, count=3)),
     ValueError, r"`directions` must hold 1 or 2 directions; got 3"),
    ("direction-shape", lambda p: loss_slice(mlp_loss, p, [[np.zeros((8, 2))]]), ValueError,
     r"`directions\[0\]` must have the shapes of `params`"),
    ("directions-array", lambda p: loss_slice(mlp_loss, p, np.zeros(3)), TypeError,
     r"`directions` must be a sequence"),
    ("interp-shapes", lambda p: interpolation_slice(mlp_loss, p, p[:2]), ValueError,
     r"`trained` must have the shapes of `initial`"),
    ("coords-length", lambda p: loss_slice(mlp_loss, p, random_directions(p))(np.zeros(3)),
     ValueError, r"`coords` must have length 2 on its last axis; got shape \(3,\)"),
    ("loss-not-scalar",
     lambda p: loss_slice(_bad_loss, p, random_directions(p))(np.zeros(2)), ValueError,
     r"`loss` must return one real number; it returned float64 of shape \(3,\)"),
]  # fmt: skip


@pytest.mark.parametrize(("call", "error", "match"), [c[1:] for c in INVALID],
                         ids=[c[0] for c in INVALID])  # fmt: skip
def test_input_validation(trained, call, error, match):
    with pytest.raises(error, match=match):
        call(trained[1])
