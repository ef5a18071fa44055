"""
======================================
Backpropagation in a tiny MLP, by hand
======================================

A network with two inputs, three tanh hidden units and one sigmoid output, trained on the
four points of XOR. The forward pass stores its intermediate values, the backward pass turns
them into gradients with the matrix formulas of backpropagation, and the result is checked
against :class:`calcdocs.Tensor` and against finite differences with
:func:`calcdocs.check_grad`.
"""

# %%
# Data and parameters
# -------------------
# XOR is the smallest problem that no linear model can solve: the label is 1 exactly when
# one of the two inputs is 1. The data matrix :math:`X` holds one example per row.
import matplotlib.pyplot as plt
import numpy as np

import calcdocs as cd
from calcdocs import Tensor

X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
y = np.array([0.0, 1.0, 1.0, 0.0])

rng = np.random.default_rng(4)
W1 = rng.standard_normal((2, 3))
b1 = np.zeros(3)
W2 = rng.standard_normal((3, 1))
b2 = np.zeros(1)

# %%
# Step 1: the forward pass
# ------------------------
# :math:`A_1 = X W_1 + \mathbf{b}_1`, :math:`X_1 = \tanh A_1`,
# :math:`\mathbf{z} = X_1 W_2 + b_2`, and the mean binary cross-entropy of
# :math:`p = \sigma(\mathbf{z})`, written with the logits as
# :math:`\log(1 + e^{z}) - y z`. We keep :math:`X_1` and :math:`\mathbf{z}`: the backward
# pass needs them.
A1 = X @ W1 + b1
X1 = np.tanh(A1)
z = X1 @ W2 + b2
loss = np.mean(np.logaddexp(0.0, z[:, 0]) - y * z[:, 0])
print("hidden activations X1:\n", np.round(X1, 4))
print("logits z:", np.round(z[:, 0], 4), f" loss = {loss:.6f}")

# %%
# Step 2: the backward pass
# -------------------------
# The derivative of the loss with respect to the logits is
# :math:`\boldsymbol{\delta}_2 = (\sigma(\mathbf{z}) - \mathbf{y})/N`. A product
# :math:`Z = X W` sends :math:`X^{\mathsf{T}} G` to :math:`W` and :math:`G W^{\mathsf{T}}` to
# :math:`X`; a tanh multiplies by :math:`1 - X_1^2`; a bias collects the column sums.
N = len(y)
delta2 = (cd.sigmoid(z) - y[:, None]) / N
dW2 = X1.T @ delta2
db2 = delta2.sum(axis=0)
delta1 = (delta2 @ W2.T) * (1 - X1**2)
dW1 = X.T @ delta1
db1 = delta1.sum(axis=0)
print("delta2:", np.round(delta2[:, 0], 4))
print("dW1:\n", np.round(dW1, 5))
print("dW2:", np.round(dW2[:, 0], 5), " db2:", np.round(db2, 5))

# %%
# Step 3: the same with the engine
# --------------------------------
# Written with :class:`calcdocs.Tensor`, the forward pass is all we write; ``backward()``
# applies the same rules, read from the library's table of local derivatives.
params = [Tensor(a, requires_grad=True) for a in (W1, b1, W2, b2)]
X1_t = (X @ params[0] + params[1]).tanh()
z_t = (X1_t @ params[2] + params[3]).reshape(-1)
loss_t = (z_t.softplus() - y * z_t).mean()  # log(1 + e^z) - y z, stably
loss_t.backward()
by_hand = [dW1, db1, dW2, db2]
for name, p, g in zip(["W1", "b1", "W2", "b2"], params, by_hand):
    print(
        f"{name}: largest difference between hand and engine"
        f" {np.max(np.abs(p.grad - g)):.1e}"
    )
    assert np.allclose(p.grad, g)

# %%
# Step 4: gradient checking
# -------------------------
# :func:`calcdocs.check_grad` compares the hand-written gradient with central differences of
# the loss, with all 13 parameters packed into one vector. A relative error near
# :math:`10^{-10}` means the backward pass is right; a wrong sign or a missing factor would
# give an error of order one.
shapes = [a.shape for a in (W1, b1, W2, b2)]
splits = np.cumsum([int(np.prod(s)) for s in shapes])[:-1]


def unpack(theta):
    return [
        part.reshape(s) for part, s in zip(np.split(theta, splits), shapes)
    ]


def loss_of(theta):
    W1_, b1_, W2_, b2_ = unpack(theta)
    z_ = np.tanh(X @ W1_ + b1_) @ W2_ + b2_
    return np.mean(np.logaddexp(0.0, z_[:, 0]) - y * z_[:, 0])


def loss_batch(thetas):  # points (..., 13) -> losses (...)
    flat = thetas.reshape(-1, thetas.shape[-1])
    return np.array([loss_of(t) for t in flat]).reshape(thetas.shape[:-1])


def grad_by_hand(theta):
    W1_, b1_, W2_, b2_ = unpack(theta)
    X1_ = np.tanh(X @ W1_ + b1_)
    d2 = (cd.sigmoid(X1_ @ W2_ + b2_) - y[:, None]) / N
    d1 = (d2 @ W2_.T) * (1 - X1_**2)
    return np.concatenate(
        [(X.T @ d1).ravel(), d1.sum(0), (X1_.T @ d2).ravel(), d2.sum(0)]
    )


theta = np.concatenate([a.ravel() for a in (W1, b1, W2, b2)])
error = cd.check_grad(loss_batch, grad_by_hand, theta)
print(f"check_grad relative error: {error:.1e}")
assert error < 1e-7

# %%
# Every partial derivative, side by side
# --------------------------------------
# The two estimates of each of the 13 partial derivatives are indistinguishable.
fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
idx = np.arange(theta.size)
ax.bar(
    idx - 0.2,
    grad_by_hand(theta),
    width=0.4,
    color="tab:blue",
    label="backpropagation by hand",
)
ax.bar(
    idx + 0.2,
    cd.gradient(loss_batch, theta),
    width=0.4,
    color="tab:orange",
    label="central differences",
)
names = [f"W1[{i},{j}]" for i in range(2) for j in range(3)] + [
    f"b1[{j}]" for j in range(3)
]
names += [f"W2[{i}]" for i in range(3)] + ["b2"]
ax.set_xticks(idx, names, rotation=60, fontsize="small")
ax.axhline(0, color="0.3", lw=0.8)
ax.set(
    ylabel="dL / d(parameter)",
    title=(
        "All 13 partial derivatives: backpropagation agrees with finite"
        " differences"
    ),
)
ax.legend()
plt.show()

# %%
# Step 5: training with the hand-written gradient
# -----------------------------------------------
# Gradient descent with the gradient from ``grad_by_hand`` learns XOR: the loss falls and the
# four predicted probabilities approach the labels 0, 1, 1, 0.
eta = 1.0
losses = []
for _ in range(1500):
    losses.append(loss_of(theta))
    theta = theta - eta * grad_by_hand(theta)
W1_, b1_, W2_, b2_ = unpack(theta)
probs = cd.sigmoid(np.tanh(X @ W1_ + b1_) @ W2_ + b2_)[:, 0]
print("predicted probabilities:", np.round(probs, 3), " labels:", y)

# %%
# The loss and the learned decision regions
# -----------------------------------------
# No single line separates XOR. The trained network draws two curved boundaries: the two
# points labelled 0 share a diagonal band, and the two labelled 1 lie on either side of it.
fig, (ax_l, ax_b) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
ax_l.semilogy(losses, color="tab:blue")
ax_l.set(
    xlabel="gradient-descent step",
    ylabel="loss",
    title="Training loss on XOR",
)
gx, gy = np.meshgrid(
    np.linspace(-0.5, 1.5, 150), np.linspace(-0.5, 1.5, 150)
)
grid = np.stack([gx.ravel(), gy.ravel()], axis=-1)
p_grid = cd.sigmoid(np.tanh(grid @ W1_ + b1_) @ W2_ + b2_).reshape(gx.shape)
mesh = ax_b.contourf(
    gx, gy, p_grid, levels=np.linspace(0, 1, 11), cmap="cividis"
)
ax_b.contour(gx, gy, p_grid, levels=[0.5], colors="black")
for label, marker, color in [(0, "o", "white"), (1, "^", "black")]:
    ax_b.scatter(
        *X[y == label].T,
        marker=marker,
        s=120,
        c=color,
        edgecolors="0.3",
        label=f"label {label}",
    )
fig.colorbar(mesh, ax=ax_b, label="predicted probability of label 1")
ax_b.set(
    xlabel="$x_1$", ylabel="$x_2$", title="Learned XOR decision regions"
)
ax_b.legend(loc="upper center", fontsize="small")
plt.show()

# %%
# .. seealso::
#
#    :class:`calcdocs.Tensor`, :func:`calcdocs.check_grad`, :func:`calcdocs.gradient` and
#    :func:`calcdocs.sigmoid`; the chapter :doc:`/differential/backprop` derives the matrix
#    formulas of the backward pass.
