"""
==============================================
Variance of gradient estimators of expectation
==============================================

The score-function (REINFORCE) and reparameterization estimators of the
gradient of an expectation are both unbiased; their variances are not alike.
This example measures how each variance grows with the number of parameters,
and how much a baseline helps the score function.
"""

# %%
# The problem
# -----------
# :math:`J(\boldsymbol\theta) = \mathbb{E}_{\mathbf{x} \sim \mathcal{N}(
# \boldsymbol\theta, I_d)}\bigl[\lVert \mathbf{x} \rVert^2\bigr] = \lVert
# \boldsymbol\theta \rVert^2 + d`, with gradient :math:`2\boldsymbol\theta`.
# For one sample :math:`\mathbf{x} = \boldsymbol\theta +
# \boldsymbol\varepsilon`, the three estimators are
#
# - score function: :math:`f(\mathbf{x})\,(\mathbf{x} - \boldsymbol\theta)`,
#   since :math:`\nabla_{\boldsymbol\theta} \log p_{\boldsymbol\theta}
#   (\mathbf{x}) = \mathbf{x} - \boldsymbol\theta`;
# - score function with a baseline :math:`b`: :math:`(f(\mathbf{x}) - b)
#   (\mathbf{x} - \boldsymbol\theta)`, still unbiased because the score has
#   mean zero; we use :math:`b = J(\boldsymbol\theta)`, estimated from a
#   separate batch of samples;
# - reparameterization: :math:`\nabla f(\boldsymbol\theta +
#   \boldsymbol\varepsilon) = 2\mathbf{x}`.
#
# The total variance of a vector estimator is the trace of its covariance,
# the sum of the variances of its coordinates.
import matplotlib.pyplot as plt
import numpy as np

rng = np.random.default_rng(0)


def estimators(theta, n_samples, rng):
    """Single-sample gradient estimates, each of shape (n_samples, d)."""
    x = theta + rng.standard_normal((n_samples, theta.size))
    f = np.sum(x**2, axis=-1, keepdims=True)
    x_base = theta + rng.standard_normal((1000, theta.size))
    # a separate estimate of J, for the baseline
    baseline = np.mean(np.sum(x_base**2, axis=-1))
    return {
        "score function": f * (x - theta),
        "score function, baseline": (f - baseline) * (x - theta),
        "reparameterization": 2 * x,
    }


# %%
# Unbiasedness, in five dimensions
# --------------------------------
# Each estimator's mean over many samples matches :math:`2\boldsymbol\theta`
# to within four standard errors in every coordinate.
theta = np.full(5, 0.5)
for name, g in estimators(theta, 200_000, rng).items():
    se = g.std(axis=0, ddof=1) / np.sqrt(len(g))
    worst = np.max(np.abs(g.mean(axis=0) - 2 * theta) / se)
    print(
        f"{name:>25}: mean {np.round(g.mean(axis=0), 3)}, "
        f"worst deviation {worst:.1f} standard errors"
    )
    assert worst < 4

# %%
# Variance against the number of parameters
# -----------------------------------------
# With :math:`\boldsymbol\theta = (0.5, \dots, 0.5)` the reparameterization
# estimator has total variance exactly :math:`4d`. The score function
# multiplies :math:`\mathbf{x} - \boldsymbol\theta` by :math:`f`, whose size
# grows like :math:`d`, so for large :math:`d` its total variance grows like
# :math:`d^3`. The baseline removes the mean of :math:`f` and leaves its
# fluctuations, of size :math:`\sqrt d`: the variance then grows like
# :math:`d^2`.
dims = np.array([1, 2, 4, 8, 16, 32, 64])
total_var = {name: [] for name in estimators(np.zeros(1), 2, rng)}
for d in dims:
    for name, g in estimators(np.full(d, 0.5), 40_000, rng).items():
        total_var[name].append(np.sum(g.var(axis=0)))
expected_slope = {
    "score function": 3,
    "score function, baseline": 2,
    "reparameterization": 1,
}
for name, variances in total_var.items():
    tail = slice(3, None)  # fit the large-d end, where the power law holds
    slope = np.polyfit(np.log(dims[tail]), np.log(variances)[tail], 1)[0]
    print(
        f"{name:>25}: variance grows like d^{slope:.2f} "
        f"(expected {expected_slope[name]})"
    )
    assert abs(slope - expected_slope[name]) < 0.25
assert np.allclose(total_var["reparameterization"], 4 * dims, rtol=0.05)

# %%
# The picture
# -----------
# At :math:`d = 64` the plain score function is more than a thousand times
# noisier than reparameterization: its gradient steps would need that many
# more samples for the same accuracy. A baseline closes part of the gap,
# which is why policy-gradient methods use one (often a learned value
# function).
fig, ax = plt.subplots(figsize=(7, 4.2), layout="constrained")
for (name, variances), marker in zip(total_var.items(), "os^"):
    ax.loglog(dims, variances, marker + "-", label=name)
ax.set(
    xlabel="number of parameters $d$",
    ylabel="total variance of one-sample estimate",
    title="Variance of three unbiased gradient estimators",
)
ax.legend()
plt.show()

ratio = total_var["score function"][-1] / total_var["reparameterization"][-1]
print(f"at d = {dims[-1]}: score / reparameterization variance {ratio:.0f}")
assert ratio > 1000
baseline_gain = np.array(total_var["score function"]) / np.array(
    total_var["score function, baseline"]
)
print("variance without / with the baseline:", np.round(baseline_gain, 1))
assert np.all(baseline_gain > 1)

# %%
# .. seealso::
#
#    The chapter :doc:`/integral/integrals` derives both estimators and
#    measures their variances in one dimension, and shows a case, a
#    step-function reward, where only the score function works.
