r"""
============================================================
Directional derivatives at a kink: a cone instead of a plane
============================================================

For a differentiable function the directional derivative is linear in the direction,
:math:`D_{\mathbf{v}} f = \nabla f^{\mathsf{T}} \mathbf{v}`, and the chapter
:doc:`/differential/partials` measures that cosine curve and its maximum along the gradient.
At a kink the picture changes. The Euclidean norm
:math:`f(\mathbf{x}) = \lVert \mathbf{x} \rVert` (not its square, which is smooth), whose
one-dimensional case :math:`|x|` makes up the L1 penalty :math:`\sum_i |w_i|`, has one-sided
directional derivatives in every direction at the origin, yet no gradient: the slopes form a *cone*, not a plane. This example
measures them with :func:`calcdocs.directional_derivative` and shows what each finite
difference, and automatic differentiation, reports there.
"""

# %%
# One-sided slopes in every direction
# -----------------------------------
# Walking from the origin along :math:`\mathbf{v}`, :math:`f(t\mathbf{v}) = t\lVert\mathbf{v}
# \rVert` for :math:`t > 0`, so the one-sided directional derivative is
# :math:`D^+_{\mathbf{v}} f(\mathbf{0}) = \lVert \mathbf{v} \rVert`: every direction is uphill,
# at slope one per unit length. A linear function of :math:`\mathbf{v}` would be odd,
# :math:`D_{-\mathbf{v}} = -D_{\mathbf{v}}`; this one is even, so no gradient reproduces it.
# The forward difference sees the one-sided slope; the central difference averages
# :math:`+1` and :math:`-1` and returns :math:`0` in every direction.
import matplotlib.pyplot as plt
import numpy as np

import calcdocs as cd


def norm(p):
    return np.sqrt(np.sum(p**2, axis=-1))


theta = np.linspace(0.0, 2 * np.pi, 73)
U = np.stack([np.cos(theta), np.sin(theta)], axis=-1)  # unit directions
origin = np.zeros_like(U)
one_sided = cd.directional_derivative(norm, origin, U, method="forward")
central = cd.directional_derivative(norm, origin, U, method="central")
print(
    f"forward differences: from {one_sided.min():.6f}"
    f" to {one_sided.max():.6f}"
)
print(f"central differences: largest |value| {np.abs(central).max():.1e}")
assert np.allclose(one_sided, 1.0, rtol=1e-9)  # D+_u f(0) = |u| = 1
assert np.allclose(central, 0.0, atol=1e-9)  # the average of +1 and -1

# %%
# Not linear in the direction
# ---------------------------
# If :math:`D^+_{\mathbf{v}} f(\mathbf{0})` were :math:`\mathbf{g}^{\mathsf{T}}\mathbf{v}` for
# some vector :math:`\mathbf{g}`, the slopes along :math:`\mathbf{e}_1`, :math:`\mathbf{e}_2`
# and :math:`\mathbf{e}_1 + \mathbf{e}_2` would add up. They do not:
e1, e2 = np.array([1.0, 0.0]), np.array([0.0, 1.0])
slopes = {
    name: cd.directional_derivative(norm, np.zeros(2), v, method="forward")
    for name, v in [("e1", e1), ("e2", e2), ("e1 + e2", e1 + e2)]
}
print({k: round(v, 6) for k, v in slopes.items()})
assert np.isclose(slopes["e1 + e2"], np.sqrt(2))
assert not np.isclose(slopes["e1"] + slopes["e2"], slopes["e1 + e2"])

# %%
# What automatic differentiation returns
# --------------------------------------
# Reverse mode applies the chain rule to :math:`\sqrt{\cdot}` at :math:`0`, where its
# derivative is infinite, times the derivative of the sum of squares, which is :math:`0`:
# the result is not a number. Writing the norm with ``abs`` in one dimension instead gives
# the chosen value :math:`\operatorname{abs}'(0) = 0`, one of the subgradients.
with np.errstate(divide="ignore", invalid="ignore"):
    g_norm = cd.grad(lambda t: (t * t).sum().sqrt())(np.zeros(2))
g_abs = cd.grad(lambda t: abs(t).sum())(np.zeros(1))
print("autodiff gradient of |x| (2-D, via sqrt) at 0:", g_norm)
print("autodiff derivative of |x| (1-D, via abs) at 0:", g_abs)
assert np.all(np.isnan(g_norm)) and g_abs[0] == 0.0

# %%
# The cone and its slopes
# -----------------------
# Left: the graph of :math:`\lVert\mathbf{x}\rVert` is a cone; its contours are circles
# around the kink. Right: the one-sided slope against the direction's angle, constant at
# one, next to what a linear model :math:`\mathbf{g}^{\mathsf{T}}\mathbf{u}` (here
# :math:`\mathbf{g} = (0.6, 0.3)`, one subgradient) would predict: a cosine that takes
# negative values in half of the directions.
g_sub = np.array([0.6, 0.3])
assert norm(g_sub) <= 1  # a subgradient of the norm at 0
# negative in half of the directions (the angles sample the circle evenly)
assert abs(np.mean(U[:-1] @ g_sub < 0) - 0.5) < 0.02
fig, (ax_c, ax_s) = plt.subplots(
    1, 2, figsize=(11, 4.2), layout="constrained"
)
cd.plot_contours(norm, (-2, 2), (-2, 2), levels=10, ax=ax_c)
ax_c.plot(0, 0, "k*", ms=12, label="kink: no gradient")
ax_c.set(
    aspect="equal",
    title="Contours of the norm, a cone",
    xlabel="$x_1$",
    ylabel="$x_2$",
)
ax_c.legend(loc="upper right", fontsize="small")
degrees = np.degrees(theta)
ax_s.plot(
    degrees,
    one_sided,
    "o",
    ms=3,
    color="tab:blue",
    label=r"one-sided $D^+_{\mathbf{u}} f(\mathbf{0})$ (forward)",
)
ax_s.plot(
    degrees,
    central,
    "s",
    ms=3,
    color="tab:orange",
    label="central difference",
)
ax_s.plot(
    degrees,
    U @ g_sub,
    "--",
    color="0.4",
    label=r"$\mathbf{g}^{\mathsf{T}}\mathbf{u}$, a subgradient",
)
ax_s.axhline(0, color="0.8", lw=0.8)
ax_s.set(
    xlabel=r"direction angle $\theta$ (degrees)",
    ylabel="slope",
    xticks=[0, 90, 180, 270, 360],
    title="Slopes at the kink: even in the direction, not linear",
)
ax_s.legend(fontsize="small", loc="lower left")
plt.show()

# %%
# The one-sided slopes are the support function of the subdifferential, the unit disc:
# :math:`D^+_{\mathbf{u}} f(\mathbf{0}) = \max_{\lVert\mathbf{g}\rVert \le 1}
# \mathbf{g}^{\mathsf{T}}\mathbf{u} = 1`. Each subgradient's line lies below the cone's
# slope in every direction, as the dashed curve does.
assert np.all(U @ g_sub <= one_sided + 1e-12)

# %%
# .. seealso::
#
#    :func:`calcdocs.directional_derivative`, :func:`calcdocs.grad`; the chapter
#    :doc:`/differential/partials` (differentiability, and the function
#    :math:`x^2y/(x^2+y^2)` whose directional derivatives exist but are not linear either);
#    :doc:`/differential/derivatives` (ReLU's kink and subgradients).
