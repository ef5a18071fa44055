"""Tests for calcdocs.optimize: torch.optim as the oracle, theory made measurable, bad input."""

from __future__ import annotations

import numpy as np
import pytest

import calcdocs as cd

A3 = np.diag([1.0, 3.0, 10.0])
X0 = np.array([1.0, -2.0, 0.5])


def smooth_grad(x):
    """Gradient of 0.5 x'Ax - sum(cos x): strongly convex for these eigenvalues."""
    return A3 @ x + np.sin(x)


def test_trajectory_starts_at_x0_and_never_mutates_it():
    x0 = X0.copy()
    run = cd.sgd(smooth_grad, x0, steps=5, lr=0.1)
    assert np.array_equal(x0, X0)
    assert run.points.shape == (6, 3)
    assert np.array_equal(run.points[0], X0)
    assert np.array_equal(run.points[-1], run.x)
    assert run.lrs.shape == (5,) and run.grad_norms.shape == (6,)


def test_sgd_matches_torch():
    torch = pytest.importorskip("torch")
    run = cd.sgd(smooth_grad, X0, steps=200, lr=0.05, momentum=0.9)
    p = torch.tensor(X0.copy(), requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.05, momentum=0.9)
    points = [X0]
    for _ in range(200):
        p.grad = torch.from_numpy(smooth_grad(p.detach().numpy()))
        opt.step()
        points.append(p.detach().numpy().copy())
    points = np.array(points)
    err = np.linalg.norm(run.points - points, axis=1) / np.linalg.norm(points, axis=1)
    assert err.max() < 1e-10
