"""
=====================================
Riemann sums converging, and how fast
=====================================

Riemann sums approach the integral as the strips shrink, but how fast depends
on the integrand as much as on the rule. This example measures the orders of
three rules on a smooth function, on one with an infinite slope and on one
with a jump.
"""

# %%
# The sums, drawn
# ---------------
# The lower and upper sums of :math:`f(x) = \sqrt{x}` on :math:`[0, 1]`: for
# an increasing function the left sum uses the smallest value on each strip
# and the right sum the largest, so the area, :math:`2/3`, is squeezed
# between them. Their gap is exactly :math:`(f(1) - f(0))\,h = h`.
import math

import matplotlib.pyplot as plt
import numpy as np

import calcdocs as cd

fig, axes = plt.subplots(
    1, 3, figsize=(11, 3.4), layout="constrained", sharey=True
)
xs = np.linspace(0, 1, 400)
for ax, n in zip(axes, (4, 8, 32)):
    h = 1 / n
    left = h * np.arange(n)
    ax.bar(
        left,
        np.sqrt(left + h),
        width=h,
        align="edge",
        color="tab:orange",
        alpha=0.35,
        label="right (upper) sum",
    )
    ax.bar(
        left,
        np.sqrt(left),
        width=h,
        align="edge",
        color="tab:blue",
        alpha=0.6,
        label="left (lower) sum",
    )
    ax.plot(xs, np.sqrt(xs), color="black", lw=2)
    lo = cd.riemann(np.sqrt, 0.0, 1.0, n, rule="left")
    hi = cd.riemann(np.sqrt, 0.0, 1.0, n, rule="right")
    assert lo < 2 / 3 < hi and math.isclose(hi - lo, h)
    ax.set(title=f"n = {n}: {lo:.3f} ≤ 2/3 ≤ {hi:.3f}", xlabel="$x$")
axes[0].legend(loc="upper left", fontsize="small")
plt.show()

# %%
# Three integrands
# ----------------
# A smooth function (the exponential), a continuous function whose slope is
# infinite at :math:`0` (the square root) and a step that jumps at :math:`x =
# 1/3`. Each has a closed-form integral on :math:`[0, 1]`.
cases = {
    "smooth: exp(x)": (np.exp, math.e - 1),
    "infinite slope: sqrt(x)": (np.sqrt, 2 / 3),
    "jump at 1/3": (lambda x: (x >= 1 / 3).astype(float), 2 / 3),
}
rules = ("left", "midpoint", "trapezoid")


def integrate(f, n, rule):
    if rule == "trapezoid":
        return cd.trapezoid(f, 0.0, 1.0, n)
    return cd.riemann(f, 0.0, 1.0, n, rule=rule)


ns = 2 ** np.arange(3, 13)
errors = {
    (case, rule): np.array(
        [abs(integrate(f, int(n), rule) - exact) for n in ns]
    )
    for case, (f, exact) in cases.items()
    for rule in rules
}

# %%
# Measured orders
# ---------------
# The order is minus the slope of the error against :math:`n` on logarithmic
# axes. On the smooth function the midpoint and trapezoid rules are of order
# 2. Near :math:`0` the square root is not smooth: the first strip alone
# contributes an error of order :math:`h^{3/2}`, and both rules drop to order
# 3/2. Across a jump every rule is of order 1 (the error per strip is bounded
# by the jump times :math:`h`, and only one strip holds the jump). The left
# sum is of order 1 throughout.
theory = {
    ("smooth: exp(x)", "left"): 1,
    ("smooth: exp(x)", "midpoint"): 2,
    ("smooth: exp(x)", "trapezoid"): 2,
    ("infinite slope: sqrt(x)", "left"): 1,
    ("infinite slope: sqrt(x)", "midpoint"): 1.5,
    ("infinite slope: sqrt(x)", "trapezoid"): 1.5,
    ("jump at 1/3", "left"): 1,
    ("jump at 1/3", "midpoint"): 1,
    ("jump at 1/3", "trapezoid"): 1,
}
for key, errs in errors.items():
    order = -np.polyfit(np.log(ns), np.log(errs), 1)[0]
    print(
        f"{key[0]:>24}, {key[1]:>9}: order {order:.2f} "
        f"(theory {theory[key]})"
    )
    assert abs(order - theory[key]) < 0.15

# %%
# The errors on logarithmic axes
# ------------------------------
# The jump's errors zigzag: they depend on where :math:`1/3` falls inside its
# strip, which alternates as :math:`n` doubles, but they stay within a band
# of slope :math:`-1`.
fig, axes = plt.subplots(
    1, 3, figsize=(12, 3.8), layout="constrained", sharey=True
)
for ax, case in zip(axes, cases):
    for rule, marker in zip(rules, "os^"):
        ax.loglog(
            ns,
            np.maximum(errors[case, rule], 1e-17),
            marker + "-",
            ms=4,
            label=rule,
        )
    ax.set(title=case, xlabel="number of strips $n$")
axes[0].set_ylabel("absolute error")
axes[0].legend(fontsize="small")
plt.show()

# %%
# .. seealso::
#
#    :func:`calcdocs.riemann` and :func:`calcdocs.trapezoid`; the chapter
#    :doc:`/integral/integrals` derives the error of each rule for smooth
#    integrands.
