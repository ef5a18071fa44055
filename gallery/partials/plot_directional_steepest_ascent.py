"""
=========================================================
Directional derivatives and the steepest-ascent direction
=========================================================

The slope of a function at a point depends on the direction we walk in. This example
measures it in every direction around one point of Himmelblau's function with
:func:`calcdocs.directional_derivative`, and finds its maximum exactly in the direction of
the gradient, its minimum in the opposite direction, and zero along the contour line.
"""

# %%
# Slopes in all directions
# ------------------------
# For a unit vector :math:`\mathbf{v} = (\cos\theta, \sin\theta)` the directional derivative
# is :math:`D_{\mathbf{v}} f = \nabla f \cdot \mathbf{v} = \|\nabla f\| \cos(\theta -
# \theta_g)`, where :math:`\theta_g` is the angle of the gradient. We compute it numerically
# for 360 directions in one batched call, without using the gradient, and compare.
import matplotlib.pyplot as plt
import numpy as np

import calcdocs as cd

f = cd.himmelblau()
x0 = np.array([1.0, 1.5])
g = f.gradient(x0)
theta_g = np.arctan2(g[1], g[0])

theta = np.linspace(-np.pi, np.pi, 361)
directions = np.stack([np.cos(theta), np.sin(theta)], axis=-1)
slopes = cd.directional_derivative(
    f, np.broadcast_to(x0, directions.shape), directions
)
formula = np.linalg.norm(g) * np.cos(theta - theta_g)
print(
    f"gradient {g}, |grad f| = {np.linalg.norm(g):.4f}, angle"
    f" {np.degrees(theta_g):.1f} deg"
)
print(
    f"largest slope {slopes.max():.4f} at"
    f" {np.degrees(theta[np.argmax(slopes)]):.1f} deg"
)
print(f"max |numerical - formula| = {np.abs(slopes - formula).max():.1e}")

# %%
# The slope as a function of the angle
# ------------------------------------
# The curve is a cosine: largest, :math:`\|\nabla f\|`, at the gradient's angle (steepest
# ascent), smallest, :math:`-\|\nabla f\|`, at the opposite angle (steepest descent), and
# zero at the two angles perpendicular to the gradient, which point along the contour line.
fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
ax.plot(
    np.degrees(theta),
    slopes,
    color="black",
    lw=2,
    label=r"$D_{\mathbf{v}} f$, numerical",
)
ax.plot(
    np.degrees(theta[::15]),
    formula[::15],
    "o",
    color="tab:orange",
    label=r"$\|\nabla f\|\cos(\theta - \theta_g)$",
)


def wrap(angle):
    """An angle in degrees in [-180, 180)."""
    return (np.degrees(angle) + 180) % 360 - 180


marks = [
    ("steepest ascent", theta_g, "tab:red"),
    ("steepest descent", theta_g + np.pi, "tab:blue"),
    ("along the contour", theta_g + np.pi / 2, "0.5"),
    (None, theta_g - np.pi / 2, "0.5"),
]
for label, angle, color in marks:
    ax.axvline(wrap(angle), color=color, ls="--", lw=1.2, label=label)
ax.axhline(0, color="0.8", lw=0.8)
ax.set(
    xlabel=r"direction angle $\theta$ (degrees)",
    ylabel="slope",
    xlim=(-180, 180),
    title="Slope of Himmelblau's function at (1, 1.5) in every direction",
)
ax.legend(fontsize="small", loc="lower left")
plt.show()

# %%
# The directions on the map
# -------------------------
# Around the point, a fan of unit directions is coloured by the slope along each. The
# steepest-ascent direction is the normalised gradient; it crosses the contour line through
# the point at a right angle, and gradient descent would step along the opposite arrow.
fig, ax = plt.subplots(figsize=(6.5, 6), layout="constrained")
cd.plot_contours(
    f,
    (-0.5, 2.5),
    (0.0, 3.0),
    levels=25,
    ax=ax,
    linewidths=0.8,
    cmap="cividis",
)
X, Y = np.meshgrid(np.linspace(-0.5, 2.5, 200), np.linspace(0.0, 3.0, 200))
ax.contour(
    X,
    Y,
    f(np.stack([X, Y], axis=-1)),
    levels=[f(x0)],
    colors="black",
    linewidths=2,
)
fan = directions[::10]
arrows = ax.quiver(
    np.full(len(fan), x0[0]), np.full(len(fan), x0[1]),
    fan[:, 0], fan[:, 1], slopes[::10],
    angles="xy", scale_units="xy", scale=1.6, width=0.004, cmap="RdBu_r",
)  # fmt: skip
fig.colorbar(arrows, ax=ax, shrink=0.8, label="slope along the arrow")
unit_g = g / np.linalg.norm(g)
for vector, color, label in [
    (unit_g, "tab:red", "steepest ascent"),
    (-unit_g, "tab:blue", "steepest descent"),
]:
    ax.annotate(
        "", xy=x0 + 0.9 * vector, xytext=x0,
        arrowprops={
            "arrowstyle": "-|>", "color": color, "lw": 2.5,
            "mutation_scale": 20,
        },
    )  # fmt: skip
    ax.plot([], [], color=color, lw=2.5, label=label)
ax.plot([], [], color="black", lw=2, label="contour through the point")
ax.plot(*x0, "o", color="black")
ax.set(
    xlabel="$x$",
    ylabel="$y$",
    aspect="equal",
    title="Steepest ascent: along the gradient, normal to the contour",
)
ax.legend(loc="upper right", fontsize="small", framealpha=0.9)
plt.show()

# %%
# .. seealso::
#
#    :func:`calcdocs.directional_derivative`, :func:`calcdocs.plot_contours` and
#    :func:`calcdocs.himmelblau`; the chapter :doc:`/differential/partials` derives
#    :math:`D_{\mathbf{v}} f = \nabla f \cdot \mathbf{v}` and the steepest-ascent property
#    from the Cauchy-Schwarz inequality.
