"""
=======================================
The noise of SGD against the batch size
=======================================

Stochastic gradient descent with a constant learning rate does not stop at the minimum: it
wanders in a cloud around it. This example draws that cloud for a two-weight linear
regression and four batch sizes, and measures how its size depends on the batch size and
the learning rate: with independently drawn batches the excess loss is proportional to
:math:`\\eta / B`, so scaling the learning rate with the batch size keeps it fixed; with
reshuffled epochs it is smaller still.
"""

# %%
# The problem and the minibatch gradient
# --------------------------------------
# :class:`calcdocs.MinibatchGradient` wraps a gradient of the loss on a batch into the
# ``grad(w)`` that :func:`calcdocs.sgd` expects, and draws seeded, reproducible epochs.
import matplotlib.pyplot as plt
import numpy as np

import calcdocs as cd

X, y, w_true = cd.make_linear_data(1000, 2, noise=1.0, seed=0)
loss = cd.linear_regression_mse(X, y)
w_star = loss.minima[0]


def batch_gradient(w, batch):
    Xb, yb = batch
    return 2 * Xb.T @ (Xb @ w - yb) / len(yb)


def stationary_run(batch_size, lr, steps=4000, seed=1):
    """SGD from the minimum; the second half of the run is stationary."""
    g = cd.MinibatchGradient(
        batch_gradient, (X, y), batch_size=batch_size, seed=seed
    )
    run = cd.sgd(g, w_star, steps=steps, lr=lr)
    return run.points[steps // 2 :]


# %%
# Clouds around the minimum
# -------------------------
# Starting at the minimum itself, SGD immediately leaves it: each minibatch has its own
# minimum. With a learning rate of 0.05, the cloud shrinks as the batch grows.
batch_sizes = [1, 4, 16, 64]
fig, ax = plt.subplots(figsize=(7, 6), layout="constrained")
span = 0.35
cd.plot_contours(
    loss,
    (w_star[0] - span, w_star[0] + span),
    (w_star[1] - span, w_star[1] + span),
    levels=12,
    num=100,  # the loss is a quadratic: a coarse grid draws its ellipses
    ax=ax,
    colors="0.75",
    linewidths=0.7,
)
for B in batch_sizes:
    cloud = stationary_run(B, 0.05)
    ax.plot(cloud[:, 0], cloud[:, 1], ".", ms=2, alpha=0.5, label=f"B = {B}")
ax.plot(*w_star, "X", color="black", ms=10, label="minimum")
ax.set(
    aspect="equal",
    xlabel="$w_1$",
    ylabel="$w_2$",
    title="Stationary SGD iterates for four batch sizes",
)
legend = ax.legend(fontsize="small")
for handle in legend.legend_handles:
    handle.set_markersize(6)
plt.show()

# %%
# The excess loss against batch size and learning rate
# ----------------------------------------------------
# The classical analysis draws every batch independently, *with* replacement. Then, for
# small learning rates, the stationary excess loss is proportional to
# :math:`\eta\operatorname{tr}(\Sigma)/B`, with :math:`\Sigma` the covariance of the
# per-example gradients at the minimum. We measure it with such a sampler for a range of
# batch sizes at two learning rates, and along the *linear scaling rule*
# :math:`\eta \propto B`.
N = len(X)


def with_replacement(batch_size, steps, seed=1):
    rows = iter(
        np.random.default_rng(seed).integers(N, size=(steps + 1, batch_size))
    )

    def grad(w):
        r = next(rows)
        return batch_gradient(w, (X[r], y[r]))

    return grad


def excess_loss(grad, lr, steps=4000):
    run = cd.sgd(grad, w_star, steps=steps, lr=lr)
    return float(np.mean(loss(run.points[steps // 2 :])) - loss.min_value)


sizes = np.array([1, 2, 4, 8, 16, 32])
curves = {}
for name, lr_of in [
    (r"$\eta$ = 0.05", lambda B: 0.05),
    (r"$\eta$ = 0.0125", lambda B: 0.0125),
    (r"$\eta$ = 0.0125 B (linear scaling)", lambda B: 0.0125 * B),
]:
    curves[name] = np.array(
        [excess_loss(with_replacement(B, 4000), lr_of(B)) for B in sizes]
    )
    print(f"{name:>34}:", np.array2string(curves[name], precision=5))

names = list(curves)
slope = np.polyfit(np.log(sizes), np.log(curves[names[0]]), 1)[0]
ratio = np.exp(np.mean(np.log(curves[names[0]] / curves[names[1]])))
scaled = curves[names[2]]
print(
    f"slope against B: {slope:.2f}; quartering eta divides the floor by"
    f" {ratio:.2f}; along eta ~ B it varies by a factor"
    f" {scaled.max() / scaled.min():.2f}"
)
assert -1.3 < slope < -0.7 and 2.5 < ratio < 6
assert scaled.max() / scaled.min() < 3

fig, ax = plt.subplots(figsize=(7, 4.2), layout="constrained")
for name, excess in curves.items():
    ax.loglog(sizes, excess, "o-", label=name)
ax.set(
    xlabel="batch size $B$",
    ylabel="stationary excess loss",
    title="SGD's noise floor is proportional to learning rate / batch size",
)
ax.legend(fontsize="small")
plt.show()

# %%
# The floor falls like :math:`1/B` at a fixed learning rate, and quartering the rate
# divides it by about four. Growing the rate with the batch size (the linear scaling rule of
# large-batch training, valid while :math:`\eta` stays well below the stability limit) keeps
# the floor roughly where it is, while an epoch takes :math:`B` times fewer steps.
#
# Reshuffled epochs are less noisy
# --------------------------------
# :class:`calcdocs.MinibatchGradient` does what training loops do: it shuffles the data
# once per epoch and visits every example exactly once. Over an epoch the per-example
# deviations from the full gradient sum to zero, so the noise cancels over that many steps.
# It matters when an epoch is short compared with the time SGD takes to forget where it
# was, about :math:`1/(\eta\mu)` steps: with :math:`B = 32` an epoch is 32 steps, while
# :math:`1/(\eta\mu)` is over a hundred at :math:`\eta = 0.0125`.
mu = np.linalg.eigvalsh(loss.hessian(w_star)).min()
B_big, lr_small = 32, 0.0125
reshuffled = excess_loss(
    cd.MinibatchGradient(batch_gradient, (X, y), batch_size=B_big, seed=1),
    lr_small,
)
independent = curves[names[1]][list(sizes).index(B_big)]
print(
    f"B = {B_big}, eta = {lr_small}: 1/(eta mu) = {1 / (lr_small * mu):.0f}"
    f" steps; floor {independent:.2e} with independent batches,"
    f" {reshuffled:.2e} with reshuffled epochs"
)
assert 1 / (lr_small * mu) > 3 * (N // B_big + 1)
assert reshuffled < independent / 2

# %%
# .. seealso::
#
#    :class:`calcdocs.MinibatchGradient`, :func:`calcdocs.sgd` and
#    :func:`calcdocs.linear_regression_mse`; the chapter
#    :doc:`/optimization/gradient-descent` measures the variance of a minibatch gradient
#    and the noise floor against the learning rate.
