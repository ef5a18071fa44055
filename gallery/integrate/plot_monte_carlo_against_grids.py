"""
============================================
Monte Carlo against grids as dimension grows
============================================

How many evaluations of the integrand does each method need for a relative
error of 1%? For grid rules the answer grows exponentially with the
dimension; for Monte Carlo it grows only through the variance of the
integrand.
"""

# %%
# The integrand
# -------------
# A Gaussian bump over the unit cube, :math:`f(\mathbf{x}) = e^{-\lVert
# \mathbf{x} \rVert^2 / 2}` on :math:`[0, 1]^d`. It is a product of
# one-variable factors, so by Fubini's theorem its integral is :math:`m_1^d`
# with :math:`m_1 = \int_0^1 e^{-x^2/2}\,dx =
# \sqrt{\pi/2}\,\operatorname{erf}(1/\sqrt 2)`, and the mean of :math:`f^2`
# is :math:`m_2^d` with :math:`m_2 = \int_0^1 e^{-x^2}\,dx =
# \tfrac{\sqrt\pi}{2}\operatorname{erf}(1)`.
import math

import matplotlib.pyplot as plt
import numpy as np

import calcdocs as cd


def bump(x):
    return np.exp(-np.sum(x**2, axis=-1) / 2)


m1 = math.sqrt(math.pi / 2) * math.erf(1 / math.sqrt(2))
m2 = math.sqrt(math.pi) / 2 * math.erf(1.0)
assert math.isclose(cd.simpson(lambda x: np.exp(-(x**2) / 2), 0, 1, 100), m1)
assert math.isclose(cd.simpson(lambda x: np.exp(-(x**2)), 0, 1, 100), m2)

# %%
# Grid rules: the smallest grid that reaches 1%
# ---------------------------------------------
# For each dimension we refine the grid, the same number of points on every
# axis, until the relative error drops below 1%, and count the evaluations:
# :math:`n^d` for the midpoint rule, :math:`(n + 1)^d` for Simpson's rule.
target = 0.01
dims = np.arange(1, 9)


def grid_cost(d, rule):
    exact = m1**d
    n = 1 if rule == "midpoint" else 2
    while True:
        lo, hi = np.zeros(d), np.ones(d)
        if rule == "midpoint":
            value = cd.riemann(bump, lo, hi, n, rule="midpoint")
            points = n**d
        else:
            value, points = cd.simpson(bump, lo, hi, n), (n + 1) ** d
        if abs(value / exact - 1) < target:
            return points
        n += 1 if rule == "midpoint" else 2


midpoint_cost = [grid_cost(int(d), "midpoint") for d in dims]
simpson_cost = [grid_cost(int(d), "simpson") for d in dims]

# %%
# Monte Carlo: the sample size from the variance
# ----------------------------------------------
# The relative standard error of Monte Carlo with :math:`N` points is
# :math:`\sqrt{(m_2^d - m_1^{2d})/N} / m_1^d`, so 1% needs :math:`N = 10^4
# (m_2^d / m_1^{2d} - 1)` points. We check that prediction with
# :func:`calcdocs.monte_carlo`: the standard error it reports at that sample
# size is close to 1%.
mc_cost = []
for d in dims:
    n_needed = math.ceil((m2**d / m1 ** (2 * d) - 1) / target**2)
    est, se = cd.monte_carlo(bump, np.zeros(d), np.ones(d), n_needed, rng=0)
    assert 0.9 * target < se / est < 1.1 * target
    mc_cost.append(n_needed)

print(" d   midpoint    Simpson   Monte Carlo")
for d, cm, cs, cmc in zip(dims, midpoint_cost, simpson_cost, mc_cost):
    print(f"{d:2d} {cm:10d} {cs:10d} {cmc:13d}")

# %%
# The picture
# -----------
# On a logarithmic axis an exponential cost is a straight line: the grids'
# costs climb steadily with the dimension, the midpoint rule's faster than
# Simpson's, whose higher order needs fewer points per axis. Monte Carlo's
# cost also grows, because the integrand's relative variance
# :math:`(m_2/m_1^2)^d - 1` does, but far more slowly. At this modest
# accuracy the grids win in low dimensions and Monte Carlo in high ones; the
# cell after the figure finds the crossover. (Where does it move for ``target
# = 1e-4``? Grids of order :math:`p` gain accuracy like :math:`N^{-p/d}`,
# Monte Carlo only like :math:`N^{-1/2}`.)
fig, ax = plt.subplots(figsize=(7, 4.2), layout="constrained")
ax.semilogy(dims, midpoint_cost, "o-", label="midpoint grid")
ax.semilogy(dims, simpson_cost, "s-", label="Simpson grid")
ax.semilogy(dims, mc_cost, "^--", label="Monte Carlo")
ax.set(
    xlabel="dimension $d$",
    ylabel="evaluations for 1% relative error",
    title="The cost of 1% accuracy as the dimension grows",
)
ax.legend()
plt.show()

# %%
# Where Monte Carlo takes over
# ----------------------------
# The first dimension in which Monte Carlo needs fewer evaluations than the
# better grid rule, and the growth of each cost over the last step:
best_grid = np.minimum(midpoint_cost, simpson_cost)
wins = [int(d) for d, g, m in zip(dims, best_grid, mc_cost) if m < g]
crossover = wins[0]
print(f"Monte Carlo is cheapest from d = {crossover} on: {wins}")
assert wins == list(range(crossover, int(dims[-1]) + 1)) and crossover > 1
assert simpson_cost[-1] < midpoint_cost[-1]
growth_mid = midpoint_cost[-1] / midpoint_cost[-2]
growth_sim = simpson_cost[-1] / simpson_cost[-2]
growth_mc = mc_cost[-1] / mc_cost[-2]
print(
    f"cost ratio from d = 7 to d = 8: midpoint {growth_mid:.1f}, "
    f"Simpson {growth_sim:.1f}, Monte Carlo {growth_mc:.2f}"
)
assert min(growth_mid, growth_sim) > growth_mc

# %%
# .. seealso::
#
#    :func:`calcdocs.monte_carlo`, :func:`calcdocs.riemann` and
#    :func:`calcdocs.simpson`; the chapter :doc:`/integral/integrals`
#    measures the slopes :math:`-2/d` and :math:`-1/2` of the two errors.
