"""
=================================
Vanishing and exploding gradients
=================================

Backpropagation multiplies one factor per layer, so in a deep network the gradient shrinks or
grows geometrically. This example measures the gradient in every layer of a 20-layer network
for three activations and several scales of the initial weights, using
:class:`calcdocs.Tensor`.
"""

# %%
# A deep network that records its layers
# --------------------------------------
# Each of the 20 layers of width 64 computes :math:`H_\ell = \phi(H_{\ell-1} W_\ell)`, with
# weights drawn with standard deviation :math:`s/\sqrt{64}`; we call :math:`s` the gain.
# Glorot initialization has :math:`s = 1` for square layers, He initialization
# :math:`s = \sqrt{2}`. After ``backward()`` every intermediate tensor holds
# :math:`\partial L / \partial H_\ell` in its ``.grad``.
import matplotlib.pyplot as plt
import numpy as np

from calcdocs import Tensor

DEPTH, WIDTH = 20, 64
ACTIVATIONS = {
    "sigmoid": Tensor.sigmoid,
    "tanh": Tensor.tanh,
    "relu": Tensor.relu,
}


def layer_gradient_norms(activation, gain, seed=0):
    """Return the norm of dL/dH_l for l = 1, ..., DEPTH."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((128, WIDTH))
    y = rng.standard_normal((128, 1))
    h, outputs = Tensor(X), []
    for _ in range(DEPTH):
        W = Tensor(
            gain * rng.standard_normal((WIDTH, WIDTH)) / np.sqrt(WIDTH),
            requires_grad=True,
        )
        h = ACTIVATIONS[activation](h @ W)
        outputs.append(h)
    readout = Tensor(
        rng.standard_normal((WIDTH, 1)) / np.sqrt(WIDTH), requires_grad=True
    )
    ((h @ readout - y) ** 2).mean().backward()
    return np.array([np.linalg.norm(out.grad) for out in outputs])


norms = layer_gradient_norms("relu", np.sqrt(2))
print("ReLU, He gain, first and last layer:", np.round(norms[[0, -1]], 4))

# %%
# Gradient norm layer by layer
# ----------------------------
# Four gains for each activation. The gradient enters at layer 20, next to the loss, and
# travels to layer 1. Sigmoid layers shrink it whatever the gain, since
# :math:`\sigma' \le 1/4`; tanh keeps it with Glorot's gain and ReLU with He's; a gain too
# small or too large makes it vanish or explode.
gains = {
    "s = 0.5": 0.5,
    "s = 1 (Glorot)": 1.0,
    "s = 1.41 (He)": np.sqrt(2),
    "s = 3": 3.0,
}
colors = plt.cm.viridis(np.linspace(0.0, 0.85, len(gains)))
fig, axes = plt.subplots(
    1, 3, figsize=(12, 4), sharey=True, layout="constrained"
)
for ax, activation in zip(axes, ACTIVATIONS):
    for color, (name, gain) in zip(colors, gains.items()):
        ax.semilogy(
            np.arange(1, DEPTH + 1),
            layer_gradient_norms(activation, gain),
            "o-",
            ms=3,
            color=color,
            label=name,
        )
    ax.set(title=f"{activation}", xlabel="layer", xticks=[1, 5, 10, 15, 20])
axes[0].set_ylabel("norm of dL/dH at the layer")
axes[0].legend(title="initial gain", fontsize="small")
fig.suptitle(
    "Gradient norm by layer in a 20-layer network, for three activations and"
    " four gains"
)
plt.show()

# %%
# The ratio between the first and the last layer, for every gain
# --------------------------------------------------------------
# Summarising each run by :math:`\lVert \partial L/\partial H_1 \rVert /
# \lVert \partial L/\partial H_{20} \rVert` and sweeping the gain finely shows where each
# activation keeps the gradient's size (ratio one, the dashed line). For ReLU the per-layer
# factor is :math:`s/\sqrt{2}`, so the ratio is :math:`(s/\sqrt 2)^{19}` and crosses one
# exactly at He's gain.
gain_grid = np.geomspace(0.25, 4.0, 17)
fig, ax = plt.subplots(figsize=(7, 4.5), layout="constrained")
for (activation, marker), color in zip(
    zip(ACTIVATIONS, "os^"), plt.cm.viridis([0.0, 0.45, 0.8])
):
    ratios = []
    for gain in gain_grid:
        norms = layer_gradient_norms(activation, gain)
        ratios.append(norms[0] / norms[-1])
    ax.loglog(
        gain_grid, ratios, marker + "-", ms=4, color=color, label=activation
    )
ax.loglog(
    gain_grid,
    (gain_grid / np.sqrt(2)) ** (DEPTH - 1),
    color="0.5",
    lw=1,
    label=r"$(s/\sqrt{2})^{19}$, ReLU theory",
)
ax.axhline(1.0, color="black", ls="--", lw=0.8)
for gain, name in [(1.0, "Glorot"), (np.sqrt(2), "He")]:
    ax.axvline(gain, color="0.6", lw=0.8)
    ax.text(gain, 1e-24, f" {name}", color="0.3", fontsize="small")
ax.set(
    xlabel="initial weight gain $s$",
    ylabel="gradient norm, layer 1 / layer 20",
    ylim=(1e-27, 1e12),
    title="How much of the gradient reaches the first layer",
)
ax.set_xticks([0.25, 0.5, 1, 2, 4], ["0.25", "0.5", "1", "2", "4"])
ax.minorticks_off()
ax.legend()
plt.show()

# %%
# .. seealso::
#
#    :class:`calcdocs.Tensor` (reverse mode, with gradients of intermediate tensors); the
#    chapter :doc:`/differential/backprop` explains the per-layer factor, the Glorot and He
#    initializations and gradient clipping.
