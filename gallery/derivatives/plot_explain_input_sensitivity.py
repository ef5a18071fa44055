r"""
===========================================
Input sensitivity of a small neural network
===========================================

How much does a classifier's prediction move when its input is nudged? This example trains a
two-layer network on the two-moons data and maps the length of the input gradient
:math:`\lVert \nabla_{\mathbf{x}} p \rVert` over the whole input plane, computed
with :func:`calcdocs.gradient` on a grid of points in a single call.
"""

# %%
# The data and the model
# ----------------------
# The two moons (:func:`calcdocs.make_moons`) cannot be separated by a straight line. A
# network with one hidden layer of 16 :math:`\tanh` units can bend its decision boundary
# around them:
#
# .. math::
#
#    p(\mathbf{x}) = \sigma\bigl(\mathbf{w}_2^{\mathsf{T}}
#    \tanh(W_1^{\mathsf{T}} \mathbf{x} + \mathbf{b}_1) + b_2\bigr).
#
# Here :math:`\mathbf{x}` is one point as a column and :math:`W_1` is :math:`2 \times 16`;
# the code applies the same layer to a batch of points stored as rows, ``X @ W1``.
#
# Its four parameter arrays are :class:`calcdocs.Tensor` leaves, so that reverse-mode
# automatic differentiation gives the gradient of the mean log-loss for training.
import matplotlib.pyplot as plt
import numpy as np

import calcdocs as cd

X, y = cd.make_moons(200, noise=0.2, seed=0)
rng = np.random.default_rng(0)
hidden = 16
W1 = cd.Tensor(rng.normal(0.0, 1.0, (2, hidden)), requires_grad=True)
b1 = cd.Tensor(np.zeros(hidden), requires_grad=True)
w2 = cd.Tensor(
    rng.normal(0.0, 1.0 / np.sqrt(hidden), hidden), requires_grad=True
)
b2 = cd.Tensor(0.0, requires_grad=True)
params = [W1, b1, w2, b2]

# %%
# Training
# --------
# Plain full-batch gradient descent on the mean log-loss
# :math:`-\frac1N\sum_i [y^{(i)} \log p^{(i)} + (1 - y^{(i)})\log(1 - p^{(i)})]`, with
# learning rate 0.5, computed from the logits :math:`z^{(i)}` in the stable form
# :math:`\operatorname{softplus}(z) - y z` (``Tensor.softplus``), which never takes the log
# of an underflowed probability. Each step records the computation, runs ``backward()`` and
# moves every parameter against its gradient.
for step in range(600):
    for param in params:
        param.zero_grad()
    z = (X @ W1 + b1).tanh() @ w2 + b2  # logits
    loss = (z.softplus() - y * z).mean()
    loss.backward()
    for param in params:
        param.data -= 0.5 * param.grad
    if step % 150 == 0 or step == 599:
        print(f"step {step:3d}: loss {loss.item():.4f}")


def predict(points):
    """Probability of class 1 for points of shape (..., 2): plain NumPy, no
    graph."""
    hidden_layer = np.tanh(points @ W1.data + b1.data)
    return cd.sigmoid(hidden_layer @ w2.data + b2.data)


print(f"training accuracy: {np.mean((predict(X) > 0.5) == y):.0%}")

# %%
# The input gradient on a whole grid
# ----------------------------------
# ``predict`` maps points of shape ``(..., 2)`` to probabilities of shape ``(...)``, so
# :func:`calcdocs.gradient` differentiates it at all 40,000 grid points in one call of
# ``predict`` per stencil point: no Python loop over points. We check one point against
# the chain rule,
# :math:`\nabla_{\mathbf{x}} p = p(1-p)\, W_1 \bigl(\mathbf{w}_2 \odot
# (1 - \tanh^2(W_1^{\mathsf{T}}\mathbf{x} + \mathbf{b}_1))\bigr)`.
x1, x2 = np.meshgrid(
    np.linspace(-1.7, 2.7, 200), np.linspace(-1.4, 1.8, 200)
)
grid = np.stack([x1, x2], axis=-1)  # shape (200, 200, 2)
P = predict(grid)
# shape (200, 200, 2), one gradient per point
sensitivity = cd.gradient(predict, grid)
size = np.linalg.norm(sensitivity, axis=-1)

point = grid[120, 80]
tanh_out = np.tanh(point @ W1.data + b1.data)
p0 = predict(point)
by_chain_rule = p0 * (1 - p0) * (W1.data @ (w2.data * (1 - tanh_out**2)))
print(
    "chain rule:", by_chain_rule, " calcdocs.gradient:", sensitivity[120, 80]
)
assert np.allclose(
    sensitivity[120, 80], by_chain_rule, rtol=1e-7, atol=1e-12
)

# %%
# The sensitivity map
# -------------------
# The heat map shows :math:`\lVert \nabla_{\mathbf{x}} p \rVert` on a logarithmic
# scale, the black curve is the decision boundary :math:`p = 1/2`, and the arrows show the
# direction of the input gradient, the direction in which a small change of the input moves
# the prediction fastest. The model is most sensitive along its boundary and almost
# insensitive deep inside each class, where a nudge to the input barely changes a confident
# prediction. Unlike a logistic model, whose input gradient always points the same way, the
# network's gradient turns with the boundary.
from matplotlib.colors import LogNorm

# the text above: every grid point near the boundary (p within 0.1 of 1/2) is
# more sensitive than any point deep inside a class (p within 0.01 of 0 or 1)
near, deep = np.abs(P - 0.5) < 0.1, np.abs(P - 0.5) > 0.49
print(
    f"|grad_x p| near the boundary: at least {size[near].min():.2f};"
    f" deep inside the classes: at most {size[deep].max():.2f}"
)
assert size[near].min() > 5 * size[deep].max()
fig, ax = plt.subplots(figsize=(8, 5.2), layout="constrained")
mesh = ax.pcolormesh(
    x1,
    x2,
    size,
    norm=LogNorm(vmin=1e-4, vmax=size.max()),
    cmap="viridis",
    shading="auto",
)
fig.colorbar(mesh, ax=ax, label=r"$\|\nabla_{\mathbf{x}} p\|$")
ax.contour(x1, x2, P, levels=[0.5], colors="black", linewidths=2)
every = (slice(6, None, 14), slice(6, None, 14))
# unit arrows: direction only
direction = sensitivity[every] / size[every][..., None]
ax.quiver(
    x1[every],
    x2[every],
    direction[..., 0],
    direction[..., 1],
    color="white",
    alpha=0.7,
    angles="xy",
    pivot="mid",
    scale=28,
    width=0.003,
)
for label, marker in [(0, "o"), (1, "^")]:
    ax.scatter(
        *X[y == label].T,
        s=16,
        marker=marker,
        facecolor="white",
        edgecolor="black",
        linewidth=0.6,
        label=f"class {label}",
    )
ax.set(
    xlabel="$x_1$",
    ylabel="$x_2$",
    aspect="equal",
    title="Sensitivity of a two-layer network's prediction to its input",
)
ax.legend(loc="lower left", fontsize="small")
plt.show()

# %%
# Where the model is most sensitive
# ---------------------------------
# Sorting the training points by the size of their input gradient shows that the most
# sensitive ones are mostly points the model is unsure about, with :math:`p` near
# :math:`1/2`: the points that the smallest perturbation, such as an adversarial one, would
# flip. Not exactly: the size is :math:`p(1-p)` *times* the length of the hidden layer's
# contribution, which varies from point to point, so the ranking by sensitivity and the
# ranking by :math:`|p - 1/2|` differ.
train_size = np.linalg.norm(cd.gradient(predict, X), axis=-1)
order = np.argsort(train_size)[::-1]
for i in order[:3]:
    print(
        f"x = {np.round(X[i], 2)}, p = {predict(X[i]):.3f}, |grad_x p| ="
        f" {train_size[i]:.3f}"
    )
print(
    f"median |grad_x p| over the training points:"
    f" {np.median(train_size):.2e}"
)
unsure = np.abs(predict(X[order[:3]]) - 0.5)
assert np.all(unsure < 0.1)  # the three most sensitive: p within 0.1 of 1/2
# ... and yet not the three least sure points
assert set(order[:3]) != set(np.argsort(np.abs(predict(X) - 0.5))[:3])

# %%
# .. seealso::
#
#    :func:`calcdocs.gradient` (the input gradient on a whole grid),
#    :class:`calcdocs.Tensor` (training by reverse mode) and :func:`calcdocs.make_moons`;
#    the chapter :doc:`/differential/derivatives` derives the input sensitivity
#    :math:`p(1-p)\,\mathbf{w}` of a logistic model.
