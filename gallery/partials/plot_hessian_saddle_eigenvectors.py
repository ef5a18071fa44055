"""
======================================
Hessian eigenvectors at a saddle point
======================================

At a saddle point the Hessian has one positive and one negative eigenvalue. This example
finds a saddle of Himmelblau's function, computes its Hessian with :func:`calcdocs.hessian`,
and draws the two eigenvectors: along one the function curves up, along the other it curves
down, each with the curvature its eigenvalue predicts.
"""

# %%
# Finding the saddle
# ------------------
# Newton's method on the equation :math:`\nabla f = \mathbf{0}`,
# :math:`\mathbf{x} \leftarrow \mathbf{x} - H^{-1} \nabla f`, started close enough to a
# critical point with a nonsingular Hessian, converges to it quadratically, whatever its type
# (from farther away it can land elsewhere, cycle or diverge). Started at
# :math:`(3.3, 0.3)`, between the two right-hand minima of Himmelblau's function, it finds the
# pass between them. Quadratic convergence shows in the gradient's size: until round-off
# stops it, each iteration roughly squares it (times a constant below one here).
from itertools import pairwise

import matplotlib.pyplot as plt
import numpy as np

import calcdocs as cd

f = cd.himmelblau()
x_star = np.array([3.3, 0.3])
sizes = [np.linalg.norm(f.gradient(x_star))]
for step in range(5):
    x_star = x_star - np.linalg.solve(f.hessian(x_star), f.gradient(x_star))
    sizes.append(np.linalg.norm(f.gradient(x_star)))
    print(f"iteration {step + 1}: x = {x_star}, |grad f| = {sizes[-1]:.1e}")
# |grad f| at least squared (times a constant < 1) while above round-off
assert all(b <= a**2 for a, b in pairwise(sizes) if b > 1e-12)
assert sizes[-1] < 1e-12

# %%
# The Hessian and its eigenvectors
# --------------------------------
# The numerical Hessian agrees with the analytic one. Its eigenvalues have opposite signs,
# so the point is a saddle; :func:`numpy.linalg.eigh` returns them in increasing order with
# orthonormal eigenvectors as columns.
H = cd.hessian(f, x_star)
print("numerical Hessian:\n", H)
print(
    "max difference from the analytic Hessian:"
    f" {np.abs(H - f.hessian(x_star)).max():.1e}"
)
assert np.allclose(H, f.hessian(x_star), rtol=1e-7, atol=1e-6)
eigenvalues, eigenvectors = np.linalg.eigh(H)
for lam, q in zip(eigenvalues, eigenvectors.T):
    print(f"eigenvalue {lam:8.3f}, eigenvector {np.round(q, 4)}")
assert eigenvalues[0] < 0 < eigenvalues[1]  # a saddle

# %%
# The eigenvectors on the contour map
# -----------------------------------
# Near the saddle the level set through it (black) forms an X. The eigenvector of the
# negative eigenvalue (blue) points down into the two valleys on either side, towards the
# two minima; the one of the positive eigenvalue (red) points up the two hillsides. They are
# perpendicular, because the Hessian is symmetric.
q_down = eigenvectors[:, 0]
to_minima = f.minima[[0, 3]] - x_star
cosines = to_minima @ q_down / np.linalg.norm(to_minima, axis=1)
print(
    "cosines between q_down and the directions to the two minima:", cosines
)
assert np.all(np.abs(cosines) > 0.9) and cosines[0] * cosines[1] < 0
fig, ax = plt.subplots(figsize=(5.4, 6.6), layout="constrained")
cd.plot_contours(
    f,
    (1.8, 4.8),
    (-2.6, 2.6),
    levels=30,
    log_scale=True,
    ax=ax,
    linewidths=0.8,
)
X, Y = np.meshgrid(np.linspace(1.8, 4.8, 300), np.linspace(-2.6, 2.6, 300))
ax.contour(
    X,
    Y,
    f(np.stack([X, Y], axis=-1)),
    levels=[f(x_star)],
    colors="black",
    linewidths=1.5,
)
colors = ["tab:blue", "tab:red"]
for lam, q, color in zip(eigenvalues, eigenvectors.T, colors):
    for sign in (1, -1):
        ax.annotate(
            "", xy=x_star + sign * 0.9 * q, xytext=x_star,
            arrowprops={
                "arrowstyle": "-|>", "color": color, "lw": 2.5,
                "mutation_scale": 18,
            },
        )  # fmt: skip
    ax.plot(
        [],
        [],
        color=color,
        lw=2.5,
        label=rf"eigenvector, $\lambda$ = {lam:.1f}",
    )
ax.plot(*x_star, "X", color="white", mec="black", ms=12, label="saddle")
ax.plot(
    *f.minima[[0, 3]].T,
    "o",
    color="white",
    mec="black",
    ms=9,
    label="minima",
)
ax.set(
    xlabel="$x$",
    ylabel="$y$",
    aspect="equal",
    title="Hessian eigenvectors at a saddle of Himmelblau's function",
)
ax.legend(
    loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2, fontsize="small"
)
plt.show()

# %%
# The curvature along each eigenvector
# ------------------------------------
# Walking from the saddle along a unit eigenvector :math:`\mathbf{q}_i`, the function is
# :math:`f(\mathbf{x}^\star + t\mathbf{q}_i) \approx f(\mathbf{x}^\star) + \tfrac12 \lambda_i
# t^2`: the gradient term vanishes at a critical point, and the curvature along
# :math:`\mathbf{q}_i` is :math:`\mathbf{q}_i^{\mathsf{T}} H \mathbf{q}_i = \lambda_i`. The slices
# are not parabolas (Himmelblau's function is a quartic, so each slice is a polynomial of
# degree four in :math:`t`), but the quadratic model (dashed) matches each near
# :math:`t = 0`. Along :math:`\mathbf{q}_1`, whose eigenvalue :math:`\lambda_1` is negative
# (left), the saddle is the highest point of the slice; along :math:`\mathbf{q}_2` (right) it is
# the lowest, over the whole range drawn.
t = np.linspace(-1.2, 1.2, 200)
fig, axes = plt.subplots(1, 2, figsize=(9, 3.8), layout="constrained")
for ax, lam, q, color in zip(axes, eigenvalues, eigenvectors.T, colors):
    ax.plot(
        t,
        f(x_star + t[:, None] * q),
        color=color,
        lw=2,
        label="$f$ along the eigenvector",
    )
    ax.plot(
        t,
        f(x_star) + 0.5 * lam * t**2,
        "--",
        color="black",
        lw=1.2,
        label="quadratic model",
    )
    ax.axhline(f(x_star), color="0.6", lw=0.8)
    kind = "negative" if lam < 0 else "positive"
    ax.set(
        xlabel="distance $t$ from the saddle",
        ylabel="$f$",
        title=f"Eigenvector of the {kind} eigenvalue",
    )
    ax.legend(fontsize="small", title=rf"$\lambda$ = {lam:.2f}")
    slope = cd.derivative(lambda s, q=q: f(x_star + s[..., None] * q), 0.0)
    second = cd.hessian(lambda s, q=q: f(x_star + s * q), [0.0])[0, 0]
    print(
        f"lambda = {lam:8.3f}: slope along q = {slope:.1e}, curvature along"
        f" q = {second:8.3f}"
    )
    assert abs(slope) < 1e-6 and np.isclose(second, lam, rtol=1e-6)
    rise = f(x_star + t[:, None] * q) - f(x_star)
    away = np.abs(t) > 1e-9
    # the saddle: the highest point of the slice (left), the lowest (right)
    assert np.all(np.sign(rise[away]) == np.sign(lam))
fig.suptitle(
    "Along its two eigenvectors the saddle is a maximum (left) and a minimum"
    " (right)"
)
plt.show()

# %%
# .. seealso::
#
#    :func:`calcdocs.hessian`, :func:`calcdocs.derivative`, :func:`calcdocs.plot_contours`
#    and :func:`calcdocs.himmelblau`; the chapter :doc:`/differential/partials` classifies
#    all nine critical points of Himmelblau's function by the signs of the Hessian's
#    eigenvalues.
