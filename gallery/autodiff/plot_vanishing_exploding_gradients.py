r"""
=================================
Vanishing and exploding gradients
=================================

Backpropagation multiplies one factor per layer, so in a deep network the gradient shrinks or
grows geometrically. The chapter :doc:`/differential/backprop` measures the gradient layer by
layer at four gains. This example sweeps the gain of the initial weights over two decades, for
three activations, and finds the *critical gain* of each: the gain at which the gradient
reaching the first layer is as large as the one leaving the last. It shows something the
bound :math:`\sigma' \le 1/4` hides: sigmoid networks explode too, at large enough gains.
"""

# %%
# A deep network that records its layers
# --------------------------------------
# Each of the 20 layers of width 64 computes :math:`X_\ell = \phi(X_{\ell-1} W_\ell)`, with
# weights drawn with standard deviation :math:`s/\sqrt{64}`; we call :math:`s` the gain.
# After ``backward()`` every intermediate tensor holds
# :math:`\partial L / \partial X_\ell` in its ``.grad``.
import matplotlib.pyplot as plt
import numpy as np

from calcdocs import Tensor

DEPTH, WIDTH, BATCH = 20, 64, 64
ACTIVATIONS = {
    "sigmoid": Tensor.sigmoid,
    "tanh": Tensor.tanh,
    "relu": Tensor.relu,
}


def first_to_last_ratio(activation, gain, seed=0):
    """|dL/dX_1| / |dL/dX_DEPTH| for one random network."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((BATCH, WIDTH))
    y = rng.standard_normal((BATCH, 1))
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
    return np.linalg.norm(outputs[0].grad) / np.linalg.norm(outputs[-1].grad)


gain_grid = np.geomspace(0.25, 32.0, 15)
ratios = {
    act: np.array([first_to_last_ratio(act, s) for s in gain_grid])
    for act in ACTIVATIONS
}

# %%
# Where each activation keeps the gradient's size
# -----------------------------------------------
# The critical gain is where the ratio crosses one (interpolated on the logarithmic scale).
# For ReLU the mean-field factor per layer is :math:`s/\sqrt{2}`, which predicts He's gain
# :math:`\sqrt 2`; for tanh, whose slope is about one near zero, Glorot's :math:`s = 1`
# (measured a little above it, as the mean-field estimate is only approximate). For
# the sigmoid, :math:`\sigma' \le 1/4` only says that gains below 4 shrink the gradient; the
# measurement finds the crossing much further right, because at large gains the
# pre-activations spread out, :math:`\mathbb{E}[\sigma'^2]` falls only like :math:`1/s`, and
# the per-layer factor :math:`s\sqrt{\mathbb{E}[\sigma'^2]}` grows.


def critical_gain(r):
    """The gain at which log(ratio) changes sign, or None."""
    logs = np.log(r)
    i = np.flatnonzero(np.diff(np.sign(logs)) != 0)
    if len(i) == 0:
        return None
    i = i[0]
    t = logs[i] / (logs[i] - logs[i + 1])
    return float(
        np.exp((1 - t) * np.log(gain_grid[i]) + t * np.log(gain_grid[i + 1]))
    )


critical = {act: critical_gain(r) for act, r in ratios.items()}
for act, s_c in critical.items():
    print(f"{act:>8}: critical gain {s_c:.2f}")
assert abs(critical["relu"] / np.sqrt(2) - 1) < 0.1  # He's gain
assert 1 <= critical["tanh"] < 1.5  # a little above Glorot's gain
assert critical["sigmoid"] > 4  # beyond what sigma' <= 1/4 can say
assert np.all(ratios["sigmoid"][gain_grid < 4] < 1)  # the bound's range
assert ratios["sigmoid"][-1] > 10  # sigmoid networks explode too

fig, ax = plt.subplots(figsize=(7, 4.5), layout="constrained")
for (act, marker), color in zip(
    zip(ACTIVATIONS, "os^"), plt.cm.viridis([0.0, 0.45, 0.8])
):
    ax.loglog(
        gain_grid,
        ratios[act],
        marker + "-",
        ms=4,
        color=color,
        label=f"{act} (critical gain {critical[act]:.2g})",
    )
ax.loglog(
    gain_grid,
    (gain_grid / np.sqrt(2)) ** (DEPTH - 1),
    color="0.5",
    lw=1,
    label=r"$(s/\sqrt{2})^{19}$, ReLU theory",
)
ax.axhline(1.0, color="black", ls="--", lw=0.8)
ax.axvline(4.0, color="0.6", lw=0.8)
ax.text(
    4.0,
    1e-20,
    r" $s = 4$: $s\,\sigma'_{\max} = 1$",
    color="0.3",
    fontsize="small",
)
ax.set(
    xlabel="initial weight gain $s$",
    ylabel="gradient norm, layer 1 / layer 20",
    ylim=(1e-27, 1e12),
    title="How much of the gradient reaches the first layer",
)
ax.set_xticks([0.25, 1, 4, 16], ["0.25", "1", "4", "16"])
ax.minorticks_off()
ax.legend(fontsize="small")
plt.show()

# %%
# .. seealso::
#
#    :class:`calcdocs.Tensor` (reverse mode, with gradients of intermediate tensors); the
#    chapter :doc:`/differential/backprop` explains the per-layer factor, the Glorot and He
#    initializations, residual connections and normalization, and gradient clipping.
