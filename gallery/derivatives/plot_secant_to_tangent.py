"""
==================================
Secant lines converging to tangent
==================================

The derivative is the limit of difference quotients. This example draws the secant lines of
the sigmoid through :math:`x_0 = 0.5` and :math:`x_0 + h` for shrinking steps :math:`h`,
shows that their slopes approach the slope of the tangent line, computed with
:func:`calcdocs.derivative`, and then draws why the central difference gets there faster: the
secants on the two sides of :math:`x_0` err in opposite directions.
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
s0 = cd.sigmoid(x0)
exact = s0 * (1 - s0)
numerical = cd.derivative(cd.sigmoid, x0)
print(f"sigma'(x0) exact     = {exact:.12f}")
print(f"calcdocs.derivative  = {numerical:.12f}")
print(f"relative difference  = {abs(numerical - exact) / exact:.1e}")
assert abs(numerical - exact) < 1e-9 * exact

# %%
# Difference quotients for shrinking steps
# ----------------------------------------
# The slope of the secant through :math:`(x_0, \sigma(x_0))` and
# :math:`(x_0 + h, \sigma(x_0 + h))` is the difference quotient
# :math:`(\sigma(x_0 + h) - \sigma(x_0))/h`. Its error shrinks roughly in proportion to
# :math:`h`: each halving of the step divides the error by a little more than two (the last
# column), and error / h settles towards :math:`\tfrac12 \sigma''(x_0)`, the first-order term
# that Taylor's theorem predicts, with :math:`\sigma'' = \sigma(1 - \sigma)(1 - 2\sigma)`.
steps = np.array([2.0, 1.0, 0.5, 0.25, 0.125, 0.0625])
quotients = (cd.sigmoid(x0 + steps) - cd.sigmoid(x0)) / steps
errors = quotients - exact
half_d2 = 0.5 * exact * (1 - 2 * s0)  # sigma''(x0) / 2
for i, (h, q, error) in enumerate(zip(steps, quotients, errors)):
    shrink = f"{errors[i - 1] / error:.2f}" if i else "  - "
    print(
        f"h = {h:6.4f}   slope = {q:.6f}   error = {error:+.2e}"
        f"   error/h = {error / h:+.4f}   shrink {shrink}"
    )
print(f"sigma''(x0) / 2 = {half_d2:+.4f}")
shrinks = errors[:-1] / errors[1:]
assert np.all((2 < shrinks) & (shrinks < 2.3))  # "a little more than two"
gaps = np.abs(errors / steps - half_d2)
assert np.all(np.diff(gaps) < 0) and gaps[-1] < 0.05 * abs(half_d2)

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
# Secants from both sides
# -----------------------
# Taylor's theorem with :math:`\pm h` gives the errors of the two one-sided secants,
# :math:`\pm\tfrac{h}{2} \sigma''(x_0) + \tfrac{h^2}{6} \sigma'''(x_0) + O(h^3)`: the forward
# secant (through :math:`x_0` and :math:`x_0 + h`) and the backward one (through
# :math:`x_0 - h` and :math:`x_0`) err by the same first-order term with opposite signs. The
# central secant, through :math:`x_0 - h` and :math:`x_0 + h`, has the average of their slopes,
# so the first-order terms cancel and the second-order one is left, with
# :math:`\sigma''' = \sigma(1 - \sigma)(1 - 6\sigma + 6\sigma^2)`. At :math:`h = 0.5` the
# central secant's slope is the closest of the three to the tangent's. (The chapter
# :doc:`/differential/derivatives` measures these orders over many steps, and the example
# :doc:`plot_compare_step_errors` follows them down to the steps where round-off takes over.)
h = 0.5
slopes = {
    "forward": (cd.sigmoid(x0 + h) - cd.sigmoid(x0)) / h,
    "backward": (cd.sigmoid(x0) - cd.sigmoid(x0 - h)) / h,
    "central": (cd.sigmoid(x0 + h) - cd.sigmoid(x0 - h)) / (2 * h),
}
d3 = exact * (1 - 6 * s0 + 6 * s0**2)  # sigma'''(x0)
predicted = {  # Taylor's terms of order h and h^2
    "forward": h * half_d2 + h**2 * d3 / 6,
    "backward": -h * half_d2 + h**2 * d3 / 6,
    "central": h**2 * d3 / 6,
}
err = {name: slope - exact for name, slope in slopes.items()}
for name in slopes:
    print(
        f"{name:>8} secant: slope {slopes[name]:.6f}, error"
        f" {err[name]:+.2e}, predicted {predicted[name]:+.2e}"
    )
assert np.isclose(
    slopes["central"], (slopes["forward"] + slopes["backward"]) / 2
)
assert all(np.isclose(err[m], predicted[m], rtol=0.1) for m in slopes)
assert err["forward"] < 0 < err["backward"]  # opposite directions
assert abs(err["central"]) < min(abs(err["forward"]), abs(err["backward"]))

# %%
# The same errors for steps up to 1.5, on linear axes: the forward and backward errors leave
# zero along the two opposite lines :math:`\pm\tfrac{h}{2}\sigma''(x_0)` (dashed), and the
# central error, their average, leaves it only like :math:`h^2`. Second order is a statement
# about small steps: from the step printed below on (a step below one, here) the :math:`h^2`
# term has grown past the backward secant's error.
hs = np.linspace(0.01, 1.5, 150)
up, down = cd.sigmoid(x0 + hs), cd.sigmoid(x0 - hs)
curves = {
    "forward": (up - s0) / hs - exact,
    "backward": (s0 - down) / hs - exact,
    "central": (up - down) / (2 * hs) - exact,
}
central_wins = np.abs(curves["central"]) < np.minimum(
    np.abs(curves["forward"]), np.abs(curves["backward"])
)
crossover = hs[np.argmin(central_wins)]  # the first step where it does not
print(
    "the central secant is the closest to the tangent for h <",
    f"{crossover:.2f}",
)
assert np.all(curves["forward"] < 0) and np.all(curves["backward"] > 0)
assert np.all(central_wins[hs < crossover]) and 0.5 < crossover < 1
fig, ax = plt.subplots(figsize=(7, 4.3), layout="constrained")
styles = {
    "forward": "tab:blue",
    "backward": "tab:green",
    "central": "tab:purple",
}
for name, values in curves.items():
    ax.plot(hs, values, color=styles[name], lw=2, label=f"{name} secant")
for sign in (1, -1):
    ax.plot(
        hs,
        sign * hs * half_d2,
        "--",
        color="0.5",
        lw=1.2,
        label=r"$\pm\frac{h}{2}\sigma''(x_0)$" if sign == 1 else None,
    )
ax.axhline(0, color="0.6", lw=0.8)
ax.set(
    xlabel="step $h$",
    ylabel="error of the secant's slope",
    title="Errors of the slopes of the three secants through x0 = 0.5",
)
ax.legend(fontsize="small")
plt.show()

# %%
# .. seealso::
#
#    :func:`calcdocs.derivative` (numerical derivatives by five methods) and
#    :func:`calcdocs.sigmoid`; the chapter :doc:`/differential/derivatives` derives the
#    error of each difference quotient and measures its order.
