"""
=============================================
A random slice against the sharpest direction
=============================================

A small network's loss around its trained weights, along filter-normalized random
directions and along the top eigenvector of its Hessian. Random directions in many
dimensions barely see the curvature that the sharpest direction shows.
"""

# %%
# A small network
# ---------------
# One hidden layer of 8 tanh units on the two moons, trained with :func:`calcdocs.adam`;
# the weights are one flat vector, with the gradient from :func:`calcdocs.gradient`. The
# loss takes a whole batch of weight vectors, shape ``(..., n)``, as
# :func:`calcdocs.gradient` and :func:`calcdocs.hessian` expect: they stack all the
# perturbed copies of the weights and pass them through the network in one call.
import matplotlib.pyplot as plt
import numpy as np

import calcdocs as cd

X, y = cd.make_moons(120, noise=0.2, seed=0)
hidden = 8
n = hidden * 2 + hidden + hidden + 1


def loss(theta):
    W1 = theta[..., : 2 * hidden].reshape(*theta.shape[:-1], hidden, 2)
    b1 = theta[..., None, 2 * hidden : 3 * hidden]
    w2, b2 = theta[..., 3 * hidden : 4 * hidden, None], theta[..., -1:]
    z = (np.tanh(X @ np.swapaxes(W1, -1, -2) + b1) @ w2)[..., 0] + b2
    return np.mean(cd.softplus(z) - y * z, axis=-1)


theta0 = np.random.default_rng(1).normal(0, 0.5, n)


def grad(theta):
    return cd.gradient(loss, theta)


fit = cd.adam(grad, theta0, steps=400, lr=0.03, f=loss)
print(f"{n} weights; loss {fit.values[0]:.3f} -> {fit.values[-1]:.4f}")

# %%
# The sharpest direction
# ----------------------
# :func:`calcdocs.hessian` (finite differences) gives the Hessian at the trained weights;
# its top eigenvector is the direction in which the loss curves most.
H = cd.hessian(loss, fit.x)
eigenvalues, eigenvectors = np.linalg.eigh(H)
top = eigenvectors[:, -1]
median = np.median(eigenvalues)
print(f"largest Hessian eigenvalue {eigenvalues[-1]:.3f}")
print(f"median Hessian eigenvalue {median:.2e}")

# %%
# Slices of the same length
# -------------------------
# Each direction is scaled to the length of the trained weights, so that a coordinate of
# 1 is a step as long as the weights. :func:`calcdocs.loss_slice` and
# :func:`calcdocs.random_directions` build the slices, :func:`calcdocs.plot_function`
# draws them.
scale = np.linalg.norm(fit.x)
fig, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
sharp = cd.loss_slice(loss, fit.x, [top * scale])
window = (-0.3, 0.3)
cd.plot_function(sharp, window, num=61, ax=ax, label="top eigenvector")
curv = []
for seed in range(4):
    raw = cd.random_directions(fit.x, normalization="none", seed=seed)
    d = raw[0][0] / np.linalg.norm(raw[0][0]) * scale
    g = cd.loss_slice(loss, fit.x, [d])
    cd.plot_function(g, window, num=61, ax=ax, label=f"random {seed}", lw=1)
    curv.append(float(d @ H @ d) / scale**2)
ax.set(xlabel="coordinate along the direction", ylabel="loss")
ax.legend(fontsize="small")
plt.show()
print(
    f"curvature along the top eigenvector {eigenvalues[-1]:.3f}; "
    f"along the random directions {min(curv):.3f} to {max(curv):.3f}"
)
assert max(curv) < eigenvalues[-1]

# %%
# A random direction's curvature is a weighted average of all the eigenvalues, and most
# of them are small: the random slices look flat where the loss is sharp. Pictures of
# "flat minima" drawn along random directions say something about the average
# curvature, not the largest.
#
# .. seealso::
#
#    :func:`calcdocs.loss_slice`, :func:`calcdocs.random_directions`,
#    :func:`calcdocs.hessian`, :func:`calcdocs.plot_function`; the chapter
#    :doc:`/optimization/landscapes`.
