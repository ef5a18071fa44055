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
print(f"largest relative error of the analytic gradient over 100 points: {error:.1e}")

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
    f, (-5, 5), (-5, 5), levels=25, log_scale=True, ax=ax, colors="0.6", linewidths=0.8
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
# is zero: :math:`\nabla f \cdot \mathbf{t} = 0`. We take the polygons that matplotlib traced
# for a few contour levels (with ``contourpy``, the contouring library behind
# :meth:`~matplotlib.axes.Axes.contour`), estimate the tangent of each short segment from its
# two ends, and measure the cosine of the angle between that tangent and the gradient at the
# segment's midpoint. A cosine of zero is a right angle.
import contourpy

grid = np.linspace(-5, 5, 400)
X, Y = np.meshgrid(grid, grid)
tracer = contourpy.contour_generator(X, Y, f(np.stack([X, Y], axis=-1)))
cosines = []
for level in [5, 20, 60, 120]:
    for polygon in tracer.lines(level):
        tangents = np.diff(polygon, axis=0)
        midpoints = (polygon[1:] + polygon[:-1]) / 2
        grads = f.gradient(midpoints)
        norms = np.linalg.norm(tangents, axis=1) * np.linalg.norm(grads, axis=1)
        keep = norms > 0
        cosines.append(np.sum(tangents * grads, axis=1)[keep] / norms[keep])
cosines = np.concatenate(cosines)
print(f"{cosines.size} contour segments: largest |cos(angle)| = {np.abs(cosines).max():.1e}")
print(f"median |cos(angle)| = {np.median(np.abs(cosines)):.1e}")

# %%
# The cosines are small, limited only by how finely the contour polygons follow the true
# curves (a chord of a curved contour is not quite its tangent). The gradient is
# perpendicular to the level set through its point, because moving along the level set
# does not change :math:`f`.
fig, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
ax.hist(np.degrees(np.arccos(np.clip(cosines, -1, 1))), bins=60, color="tab:blue")
ax.set(
    xlabel="angle between contour segment and gradient (degrees)",
    ylabel="number of segments",
    title="Every contour segment meets the gradient at 90 degrees",
)
plt.show()

# %%
# .. seealso::
#
#    :func:`calcdocs.plot_gradient_field`, :func:`calcdocs.plot_contours`,
#    :func:`calcdocs.check_grad` and :func:`calcdocs.himmelblau`; the chapter
#    :doc:`/differential/partials` proves that the gradient is the direction of steepest
#    ascent and is perpendicular to the level sets.
