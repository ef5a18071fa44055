r"""
======================================================
Symmetry breaking: why a tiny MLP needs random weights
======================================================

The chapter :doc:`/differential/backprop` writes backpropagation for a two-layer network by
hand and checks it. This example uses the same kind of network, with three tanh hidden units, on the
four points of XOR, to show what the chain rule does with a *symmetric* start. If every hidden
unit starts with the same weights, every unit receives the same gradient and the units stay
identical: three units act as one, and one unit cannot solve XOR. All-zero weights are worse:
most gradients are exactly zero. A perturbation of one hundredth breaks the tie, and training
then amplifies it.
"""

# %%
# The network and its training loop
# ---------------------------------
# XOR is the smallest problem that no linear model can solve: the label is 1 exactly when
# one of the two inputs is 1. The loss is the mean binary cross-entropy written with the
# logits, :math:`\operatorname{softplus}(z) - yz`, the stable form (``Tensor.softplus``).
import matplotlib.pyplot as plt
import numpy as np

from calcdocs import Tensor

X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
y = np.array([0.0, 1.0, 1.0, 0.0])
HIDDEN, STEPS, LR = 3, 3000, 1.0


def train(W1, W2):
    """Train from the given weights; return spread, losses, accuracy."""
    params = [
        Tensor(W1.copy(), requires_grad=True),
        Tensor(np.zeros(HIDDEN), requires_grad=True),
        Tensor(W2.copy(), requires_grad=True),
        Tensor(np.zeros(1), requires_grad=True),
    ]
    spread, losses = [], []
    for _ in range(STEPS):
        for p in params:
            p.zero_grad()
        z = (
            (X @ params[0] + params[1]).tanh() @ params[2] + params[3]
        ).reshape(-1)
        loss = (z.softplus() - y * z).mean()
        loss.backward()
        for p in params:
            p.data -= LR * p.grad
        W = params[0].data
        # how different the hidden units are: largest gap between columns
        spread.append(np.max(np.abs(W - W[:, :1])))
        losses.append(loss.item())
    accuracy = float(np.mean((z.data > 0) == y))
    return np.array(spread), np.array(losses), accuracy, params


rng = np.random.default_rng(4)
starts = {
    "all zero": (np.zeros((2, HIDDEN)), np.zeros((HIDDEN, 1))),
    "all units equal": (
        np.full((2, HIDDEN), 0.5),
        np.full((HIDDEN, 1), 0.5),
    ),
    "equal + 0.01 noise": (
        np.full((2, HIDDEN), 0.5) + 0.01 * rng.standard_normal((2, HIDDEN)),
        np.full((HIDDEN, 1), 0.5),
    ),
    "random": (
        rng.standard_normal((2, HIDDEN)),
        rng.standard_normal((HIDDEN, 1)),
    ),
}
runs = {name: train(*start) for name, start in starts.items()}
for name, (spread, losses, accuracy, _) in runs.items():
    print(
        f"{name:>20}: final loss {losses[-1]:.4f},"
        f" accuracy {accuracy:.0%},"
        f" largest gap between hidden units {spread[-1]:.2e}"
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
#   like the random start. (Smaller perturbations grow too, but the symmetric start sits
#   near a plateau of the loss, and with :math:`10^{-6}` the units are still too similar
#   after these 3000 steps.)
zero_params = runs["all zero"][3]
assert np.all(zero_params[0].data == 0) and np.all(zero_params[2].data == 0)
assert np.isclose(runs["all zero"][1][-1], np.log(2))  # predicts p = 1/2
assert np.all(runs["all units equal"][0] == 0.0)  # identical forever
assert runs["all units equal"][2] <= 0.75
noisy_spread = runs["equal + 0.01 noise"][0]
assert noisy_spread[-1] > 10 * noisy_spread[0]  # the gap grows
assert runs["equal + 0.01 noise"][2] == 1.0 and runs["random"][2] == 1.0

fig, (ax_s, ax_l) = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
steps = np.arange(1, STEPS + 1)
for name, (spread, losses, _, _) in runs.items():
    if name != "all zero":
        ax_s.semilogy(steps, np.maximum(spread, 1e-18), label=name)
    ax_l.plot(steps, losses, label=name)
ax_s.set(
    xlabel="step",
    ylabel="largest gap between hidden units",
    title="Symmetric units stay symmetric; a tiny gap grows",
)
ax_s.legend(fontsize="small")
ax_l.axhline(np.log(2), color="0.6", ls=":", lw=1)
ax_l.set(
    xlabel="step",
    ylabel="training loss",
    title="Only broken symmetry solves XOR",
)
ax_l.legend(fontsize="small")
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
