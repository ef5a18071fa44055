"""
==================================
Secant lines converging to tangent
==================================

The derivative is the limit of difference quotients. This example draws the secant lines of
the sigmoid through :math:`x_0 = 0.5` and :math:`x_0 + h` for shrinking steps :math:`h`,
and shows that their slopes approach the slope of the tangent line, computed with
:func:`calcdocs.derivative`.
"""

# %%
# The function and the point
# --------------------------
# We use the logistic sigmoid :math:`\sigma(x) = 1/(1 + e^{-x})`, the activation of logistic
# regression, at :math:`x_0 = 0.5`. Its derivative is known in closed form,
# :math:`\sigma'(x) = \sigma(x)\,(1 - \sigma(x))`, which lets us check every number below.
import matplotlib.pyplot as plt
import numpy as np

import calcdocs as cd

x0 = 0.5
exact = cd.sigmoid(x0) * (1 - cd.sigmoid(x0))
numerical = cd.derivative(cd.sigmoid, x0)
print(f"sigma'(x0) exact     = {exact:.12f}")
print(f"calcdocs.derivative  = {numerical:.12f}")
print(f"relative difference  = {abs(numerical - exact) / exact:.1e}")

# %%
# Difference quotients for shrinking steps
# ----------------------------------------
# The slope of the secant through :math:`(x_0, \sigma(x_0))` and
# :math:`(x_0 + h, \sigma(x_0 + h))` is the difference quotient
# :math:`(\sigma(x_0 + h) - \sigma(x_0))/h`. Its error shrinks in proportion to :math:`h`:
# halving the step halves the error, the signature of a first-order approximation.
steps = np.array([2.0, 1.0, 0.5, 0.25, 0.125, 0.0625])
quotients = (cd.sigmoid(x0 + steps) - cd.sigmoid(x0)) / steps
for h, q in zip(steps, quotients):
    error = q - exact
    print(
        f"h = {h:6.4f}   slope = {q:.6f}   error = {error:+.2e}   error/h ="
        f" {error / h:+.4f}"
    )

# %%
# The picture
# -----------
# Each secant is drawn in a lighter shade the larger its step. As :math:`h` shrinks the
# secants rotate onto the tangent line :math:`y = \sigma(x_0) + \sigma'(x_0)(x - x_0)`.
fig, ax = plt.subplots(figsize=(7, 4.5), layout="constrained")
xs = np.linspace(-2.5, 3.5, 400)
ax.plot(xs, cd.sigmoid(xs), color="black", lw=2, label=r"$\sigma(x)$")
colors = plt.cm.viridis(np.linspace(0.85, 0.15, len(steps)))
for h, q, color in zip(steps, quotients, colors):
    ax.plot(
        xs,
        cd.sigmoid(x0) + q * (xs - x0),
        color=color,
        lw=1.2,
        label=f"secant, h = {h:g}",
    )
    ax.plot([x0 + h], [cd.sigmoid(x0 + h)], "o", color=color, ms=5)
ax.plot(
    xs,
    cd.sigmoid(x0) + exact * (xs - x0),
    "--",
    color="tab:red",
    lw=2,
    label="tangent",
)
ax.plot([x0], [cd.sigmoid(x0)], "o", color="tab:red", ms=7)
ax.set(
    xlim=(-2.5, 3.5),
    ylim=(-0.2, 1.2),
    xlabel="$x$",
    ylabel="$y$",
    title="Secants of the sigmoid through x0 = 0.5 turn into the tangent",
)
ax.legend(loc="upper left", fontsize="small")
plt.show()

# %%
# The error against the step
# --------------------------
# On logarithmic axes a first-order error is a line of slope one. The central difference
# :math:`(\sigma(x_0 + h) - \sigma(x_0 - h))/(2h)`, which :func:`calcdocs.derivative` uses by
# default, cancels the first-order term and falls along a line of slope two.
hs = np.logspace(-4, 0, 30)
forward_error = np.abs((cd.sigmoid(x0 + hs) - cd.sigmoid(x0)) / hs - exact)
central_error = np.abs(
    (cd.sigmoid(x0 + hs) - cd.sigmoid(x0 - hs)) / (2 * hs) - exact
)
fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")
ax.loglog(
    hs, forward_error, "o-", ms=3, label="forward difference, error ~ h"
)
ax.loglog(
    hs, central_error, "s-", ms=3, label="central difference, error ~ h^2"
)
ax.set(
    xlabel="step $h$",
    ylabel="absolute error of the slope",
    title="Error of difference quotients: order h and order h squared",
)
ax.legend()
plt.show()

slope_forward = np.polyfit(np.log(hs), np.log(forward_error), 1)[0]
slope_central = np.polyfit(np.log(hs), np.log(central_error), 1)[0]
print(
    f"fitted order: forward {slope_forward:.2f}, central {slope_central:.2f}"
)

# %%
# .. seealso::
#
#    :func:`calcdocs.derivative` (numerical derivatives by five methods) and
#    :func:`calcdocs.sigmoid`; the chapter :doc:`/differential/derivatives` derives the
#    error of each difference quotient.
