"""
=========================================
Gradients are perpendicular to level sets
=========================================

The gradient of Himmelblau's function drawn as arrows over its contour lines: every arrow
crosses the contour through its foot at a right angle and points uphill. The example checks
the right angle numerically on the contour lines themselves.
"""

# %%
# The function and its gradient
# -----------------------------
# Himmelblau's function :math:`f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2` has four
# valleys. :func:`calcdocs.himmelblau` returns it with its analytic gradient; we first check
# that gradient against :func:`calcdocs.gradient` on a batch of random points.
import matplotlib.pyplot as plt
import numpy as np

import calcdocs as cd

f = cd.himmelblau()
rng = np.random.default_rng(0)
points = rng.uniform(-5, 5, size=(100, 2))
error = cd.check_grad(f, f.gradient, points)
print(
    "largest relative error of the analytic gradient over 100 points:"
    f" {error:.1e}"
)
assert error < 1e-8  # the analytic gradient is right

# %%
# The gradient field over the contours
# ------------------------------------
# :func:`calcdocs.plot_gradient_field` draws unit arrows (direction only) coloured by the
# size of the gradient, on a logarithmic colour scale because it varies from near zero in the
# valleys to hundreds on the walls; :func:`calcdocs.plot_contours` draws the level sets in
# grey. With equal axis scales (``aspect="equal"`` and ``angles="xy"``) right angles look
# like right angles.
from matplotlib.colors import LogNorm

fig, ax = plt.subplots(figsize=(7, 6.2), layout="constrained")
cd.plot_contours(
    f,
    (-5, 5),
    (-5, 5),
    levels=25,
    log_scale=True,
    ax=ax,
    colors="0.6",
    linewidths=0.8,
)
cd.plot_gradient_field(
    f.gradient,
    (-5, 5),
    (-5, 5),
    num=20,
    ax=ax,
    angles="xy",
    scale=28,
    width=0.004,
    norm=LogNorm(),
    colorbar=True,
    colorbar_kws={"shrink": 0.85, "label": r"$\|\nabla f\|$ (log scale)"},
)
ax.plot(*f.minima.T, "*", color="white", mec="black", ms=14, label="minima")
ax.set(
    xlabel="$x$",
    ylabel="$y$",
    aspect="equal",
    title="Himmelblau's gradient crosses every contour at a right angle",
)
ax.legend(loc="upper left")
plt.show()

# %%
# Checking the right angle
# ------------------------
# Along a level set :math:`f` is constant, so its directional derivative along the tangent
# is zero: :math:`\nabla f \cdot \mathbf{t} = 0`. We take the polygons that matplotlib traces
# for a few contour levels (with ``contourpy``, the contouring library behind
# :meth:`~matplotlib.axes.Axes.contour`) on a grid of 400 by 400 points, estimate the tangent
# of each short segment from its two ends, and measure how far the angle between that tangent
# and the gradient at the segment's midpoint is from 90 degrees. We also record the curvature
# of the level set there, :math:`\lvert\mathbf{t}^{\mathsf{T}} \nabla^2 f\, \mathbf{t}\rvert /
# \lVert\nabla f\rVert` for a unit tangent :math:`\mathbf{t}`.
import contourpy


def right_angle_errors(n_grid, levels=(5, 20, 60, 120)):
    """Degrees off 90 of every contour segment traced on an n_grid^2 grid,
    and the curvature of the level set at its midpoint."""
    grid = np.linspace(-5, 5, n_grid)
    X, Y = np.meshgrid(grid, grid)
    tracer = contourpy.contour_generator(X, Y, f(np.stack([X, Y], axis=-1)))
    off, curvature = [], []
    for level in levels:
        for polygon in tracer.lines(level):
            chords = np.diff(polygon, axis=0)
            length = np.linalg.norm(chords, axis=1)
            keep = length > 0
            tangents = chords[keep] / length[keep, None]  # unit tangents
            midpoints = ((polygon[1:] + polygon[:-1]) / 2)[keep]
            grads = f.gradient(midpoints)
            size = np.linalg.norm(grads, axis=1)
            cos = np.abs(np.sum(tangents * grads, axis=1)) / size
            off.append(90 - np.degrees(np.arccos(np.minimum(cos, 1))))
            bend = np.einsum(
                "ni,nij,nj->n", tangents, f.hessian(midpoints), tangents
            )
            curvature.append(np.abs(bend) / size)
    return np.concatenate(off), np.concatenate(curvature)


off, curvature = right_angle_errors(400)
worst = np.argmax(off)
print(f"{off.size} contour segments, degrees off 90:")
print(f"  median {np.median(off):.3f}, worst {off[worst]:.2f}")
print(
    "  the worst segment's curvature exceeds that of"
    f" {np.mean(curvature < curvature[worst]):.1%} of the segments"
)
off_fine, _ = right_angle_errors(800)
print(
    f"on a grid twice as fine: median {np.median(off_fine):.3f},"
    f" worst {off_fine.max():.2f}"
)
# the text below: median under a tenth of a degree, worst a few degrees, on
# one of the most curved contour pieces; both shrink on a finer grid
assert np.median(off) < 0.1 and off[worst] < 10
assert np.mean(curvature < curvature[worst]) > 0.99
assert 1.5 < np.median(off) / np.median(off_fine) < 2.5
assert off_fine.max() < off[worst]

# %%
# The deviations are small and come from the tracing, not from the gradient: the vertices of
# the contour polygons are interpolated linearly between grid points, so they lie slightly
# off the true curves and a chord is not quite the tangent. The median segment is off 90
# degrees by less than a tenth of a degree, the worst, on one of the most sharply curved
# pieces of contour, by a few degrees, and both shrink when the grid is refined (halving the
# spacing about halves the median). The gradient is perpendicular to the level set through
# its point, because moving along the level set does not change :math:`f`.
fig, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
bins = np.logspace(np.log10(off.min()), np.log10(off.max()), 60)
ax.hist(off, bins=bins, color="tab:blue")
ax.set(
    xscale="log",
    xlabel="degrees off 90 (log scale)",
    ylabel="number of segments",
    title="Angle between contour segments and the gradient",
)
plt.show()

# %%
# .. seealso::
#
#    :func:`calcdocs.plot_gradient_field`, :func:`calcdocs.plot_contours`,
#    :func:`calcdocs.check_grad` and :func:`calcdocs.himmelblau`; the chapter
#    :doc:`/differential/partials` proves that the gradient is the direction of steepest
#    ascent and is perpendicular to the level sets.
