r"""
======================================================
Symmetry breaking: why a tiny MLP needs random weights
======================================================

The chapter :doc:`/differential/backprop` shows that hidden units started with equal weights
are still equal after training. This example follows the gap between the units step by step,
for a network with three tanh hidden units on the four points of XOR, from five starts. If
every hidden unit starts with the same weights, every unit receives the same gradient and
the units stay identical: three units act as one, and one unit cannot solve XOR. All-zero
weights are worse: most gradients are exactly zero. A perturbation of one hundredth breaks
the tie, and training then amplifies it; one of a millionth grows too, but too slowly.
"""

# %%
# Five networks in one graph
# --------------------------
# XOR is the smallest problem that no linear model can solve: the label is 1 exactly when
# one of the two inputs is 1. The loss is the mean binary cross-entropy written with the
# logits, :math:`\operatorname{softplus}(z) - yz`, the stable form (``Tensor.softplus``).
#
# The five networks train side by side: their weights are stacked along a first axis of
# length 5, ``@`` multiplies each network's matrices separately (NumPy's batched
# ``matmul``), and one backward pass goes through the *sum* of the five losses. Since no
# network's loss depends on another network's weights, the gradient of the sum with
# respect to each network's weights is that network's own gradient: five trainings for the
# Python cost of one.
import matplotlib.pyplot as plt
import numpy as np

from calcdocs import Tensor

X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
y = np.array([0.0, 1.0, 1.0, 0.0])
HIDDEN, STEPS, LR = 3, 1500, 1.0

rng = np.random.default_rng(4)
equal, equal_out = np.full((2, HIDDEN), 0.5), np.full((HIDDEN, 1), 0.5)
noise = rng.standard_normal((2, HIDDEN))
random_start = (
    rng.standard_normal((2, HIDDEN)),
    rng.standard_normal((HIDDEN, 1)),
)
starts = {  # first-layer weights W1 and second-layer weights W2
    "all zero": (np.zeros((2, HIDDEN)), np.zeros((HIDDEN, 1))),
    "all units equal": (equal, equal_out),
    "equal + 0.01 noise": (equal + 0.01 * noise, equal_out),
    "equal + 1e-6 noise": (equal + 1e-6 * noise, equal_out),
    "random": random_start,
}
names = list(starts)
R = len(names)
params = [
    Tensor(np.stack([W1 for W1, _ in starts.values()]), requires_grad=True),
    Tensor(np.zeros((R, 1, HIDDEN)), requires_grad=True),
    Tensor(np.stack([W2 for _, W2 in starts.values()]), requires_grad=True),
    Tensor(np.zeros((R, 1, 1)), requires_grad=True),
]
W1, b1, W2, b2 = params
losses, spread = [], []
for _ in range(STEPS):
    for p in params:
        p.zero_grad()
    z = ((X @ W1 + b1).tanh() @ W2 + b2).reshape(R, len(y))  # logits
    loss_each = (z.softplus() - y * z).mean(axis=1)  # one loss per network
    loss_each.sum().backward()
    for p in params:
        p.data -= LR * p.grad
    losses.append(loss_each.data.copy())
    # how different each network's hidden units are: the largest gap
    # between the columns of its W1
    spread.append(np.max(np.abs(W1.data - W1.data[:, :, :1]), axis=(1, 2)))
losses, spread = np.array(losses).T, np.array(spread).T  # (network, step)
accuracy = np.mean((z.data > 0) == y, axis=1)
runs = {
    name: (spread[i], losses[i], accuracy[i]) for i, name in enumerate(names)
}
for name, (gap, loss, acc) in runs.items():
    print(
        f"{name:>20}: final loss {loss[-1]:.4f}, accuracy {acc:.0%},"
        f" largest gap between hidden units {gap[0]:.1e} -> {gap[-1]:.2e}"
    )

# %%
# What the chain rule does with a symmetric start
# -----------------------------------------------
# * **All zero.** The hidden outputs are :math:`\tanh(0) = 0`, so the gradient of
#   :math:`W_2` (hidden outputs times the output error) is zero, and the gradient of
#   :math:`W_1` passes through :math:`W_2 = 0` and is zero too. Only the output bias learns,
#   and the network predicts the mean label everywhere.
# * **All units equal.** Each unit's gradient is the same function of the same numbers, so
#   the units take identical steps and their gap stays exactly zero. The network is a
#   one-unit network, whose output is monotone in one linear function of the input: it
#   cannot classify more than three of the four XOR points.
# * **A small perturbation** grows, and once the units differ enough the network solves XOR
#   like the random start. A perturbation of :math:`10^{-6}` grows too, but the symmetric
#   start sits near a plateau of the loss, and after these 1500 steps its units are still
#   too similar: the network is still stuck where the equal start is.
zero = names.index("all zero")
assert np.all(W1.data[zero] == 0) and np.all(W2.data[zero] == 0)
assert np.all(b1.data[zero] == 0)  # only the output bias has learned
assert np.isclose(runs["all zero"][1][-1], np.log(2))  # predicts p = 1/2
assert np.all(runs["all units equal"][0] == 0.0)  # identical forever
assert runs["all units equal"][2] <= 0.75
for name in ("equal + 0.01 noise", "equal + 1e-6 noise"):
    gap = runs[name][0]
    assert gap[-1] > 10 * gap[0]  # the gap grows
assert runs["equal + 0.01 noise"][2] == 1.0 and runs["random"][2] == 1.0
assert runs["equal + 1e-6 noise"][2] <= 0.75  # not solved yet
assert np.isclose(
    runs["equal + 1e-6 noise"][1][-1], runs["all units equal"][1][-1]
)

fig, (ax_s, ax_l) = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
steps = np.arange(1, STEPS + 1)
colors = plt.cm.viridis(np.linspace(0.0, 0.9, R))
for (name, (gap, loss, _)), color in zip(runs.items(), colors):
    style = {
        "color": color,
        "label": name,
        "ls": "--" if "1e-6" in name else "-",
    }
    if name != "all zero":  # its gap stays 0 too, like the equal start's
        ax_s.semilogy(steps, np.maximum(gap, 1e-18), **style)
    ax_l.plot(steps, loss, **style)
ax_s.annotate(
    "exactly 0, drawn at $10^{-18}$", (STEPS / 3, 3e-18), fontsize="small"
)
ax_s.set(
    xlabel="step",
    ylabel="largest gap between hidden units",
    title="Symmetric units stay symmetric; a tiny gap grows",
)
ax_s.legend(fontsize="small", loc="center right")
ax_l.axhline(np.log(2), color="0.6", ls=":", lw=1)
ax_l.set(
    xlabel="step",
    ylabel="training loss",
    title="Only broken symmetry solves XOR",
)
ax_l.legend(fontsize="small", loc="lower left", bbox_to_anchor=(0.1, 0.12))
plt.show()

# %%
# This is why every initialization scheme, Glorot's and He's included, draws the weights at
# random: the scale keeps the gradient's size through depth (the chapter's section on
# vanishing gradients), the randomness makes the units different.
#
# .. seealso::
#
#    :class:`calcdocs.Tensor`; the chapter :doc:`/differential/backprop` (the backward pass
#    of this network by hand, initialization, and symmetry breaking on the two moons).
