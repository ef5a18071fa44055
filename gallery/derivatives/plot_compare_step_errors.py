r"""
=========================================
Step size and error of five derivatives
=========================================

Every numerical derivative trades truncation error, which shrinks with the step :math:`h`,
against round-off error, which grows like :math:`\varepsilon / h`. This example measures the
error of the five methods of :func:`calcdocs.derivative` over twenty decades of :math:`h`,
compares it with the theoretical slopes, and marks the step each method uses by default.
"""

# %%
# The function
# ------------
# We differentiate the softplus :math:`f(x) = \log(1 + e^x)` at :math:`x_0 = 1`. Its
# derivatives are known in closed form, :math:`f' = \sigma`, :math:`f'' = \sigma(1-\sigma)` and
# :math:`f''' = \sigma(1-\sigma)(1-2\sigma)`, which gives both the exact answer and the
# constants of the error model.
import matplotlib.pyplot as plt
import numpy as np

import calcdocs as cd

eps = float(np.finfo(float).eps)
x0 = 1.0
s = cd.sigmoid(x0)
exact = s
f_value = cd.softplus(x0)
d2, d3 = s * (1 - s), s * (1 - s) * (1 - 2 * s)
print(
    f"f(x0) = {f_value:.6f}, f'(x0) = {exact:.15f}, f''(x0) = {d2:.6f},"
    f" f'''(x0) = {d3:.6f}"
)

# %%
# The default steps
# -----------------
# :func:`calcdocs.derivative` picks its step from the error analysis:
# :math:`\sqrt{\varepsilon}` for the first-order forward and backward differences,
# :math:`\varepsilon^{1/3}` for the central difference, :math:`10^{-20}` for the complex step,
# and :math:`1/16` as the *first* step of the Richardson tableau, each times
# :math:`\max(|x_0|, 1)` and rounded down to a power of two. We read the steps off the
# points at which the library evaluates ``f``: the first call of each method (the first
# complex one for the complex step, which checks itself on real points first) holds
# :math:`x_0 + o_k h`.
methods = ["forward", "backward", "central", "complex", "richardson"]


def default_step(method):
    """The step of the first stencil call that `calcdocs.derivative` makes
    at x0."""
    offsets = []

    def recording(t):
        offsets.append(np.asarray(t) - x0)
        return cd.softplus(t)

    cd.derivative(recording, x0, method=method)
    if method == "complex":  # real points come first, for the safety check
        first = next(o for o in offsets if np.iscomplexobj(o))
        return float(np.max(np.abs(first.imag)))
    return float(np.max(np.abs(offsets[0].real)))


defaults = {m: default_step(m) for m in methods}
for m, h in defaults.items():
    print(f"{m:>10}: default step {h:.3e}")
assert (
    np.isclose(defaults["forward"], eps**0.5, rtol=1)
    and defaults["richardson"] == 1 / 16
)

# %%
# Measuring the error
# -------------------
# For each method we pass an explicit step ``h``; for ``"richardson"`` it is the first step
# of the tableau, which then halves it until its error estimate stops improving. The complex
# step is measured down to :math:`h = 10^{-22}`, far below the others, because it never
# subtracts two close numbers. The real steps start at :math:`10^{-15}`: below
# :math:`\varepsilon / 2`, :math:`x_0 + h` rounds to :math:`x_0` and the library refuses
# the step. Most of these steps are bad on purpose, so the library's ``AccuracyWarning``
# about them is silenced here.
import warnings

h_real = np.logspace(-15, 0, 121)
h_complex = np.logspace(-22, 0, 177)
steps = {m: (h_complex if m == "complex" else h_real) for m in methods}


def error_at(method, h):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cd.AccuracyWarning)
        return abs(
            cd.derivative(cd.softplus, x0, method=method, h=h) - exact
        )


errors = {m: np.array([error_at(m, h) for h in steps[m]]) for m in methods}
at_default = {
    m: abs(cd.derivative(cd.softplus, x0, method=m) - exact) for m in methods
}
for m in methods:
    print(
        f"{m:>10}: error at the default step {at_default[m]:.1e}, "
        f"best measured {errors[m].min():.1e}"
    )
# the text below: each default step's error is within a factor of ten of
# the best measured one, and the complex step's error, below h = 1e-8, is
# at the level of the last bit of f' (zero or one unit in the last place)
for m in methods:
    assert at_default[m] <= 10 * errors[m].min() or at_default[m] <= eps
tiny = errors["complex"][steps["complex"] < 1e-8]
assert tiny.max() <= eps * abs(exact)

# %%
# The error against the step
# --------------------------
# Each panel shows the measured error (dots), the truncation term :math:`C h^p` of the
# method (dashed: slope :math:`p`) and the round-off model :math:`\varepsilon |f| / h`
# (dotted: slope :math:`-1`). The vertical line and the star mark the default step and the
# error there, within a factor of ten of the bottom of each V. The complex step has no
# round-off branch: its error falls to the last bit of :math:`f'` (one unit in the last
# place, or zero, drawn at the bottom edge) and stays there. The Richardson tableau
# extrapolates its truncation error away from almost any first step, so its error is flat
# and tiny over many decades, until the first step is so small that round-off dominates.
truncation = {
    "forward": (d2 / 2, 1),
    "backward": (d2 / 2, 1),
    "central": (abs(d3) / 6, 2),
    "complex": (abs(d3) / 6, 2),
    "richardson": None,
}
floor = 1e-18
fig, axes = plt.subplots(
    2, 3, figsize=(12, 7), layout="constrained", sharey=True
)
for ax, m in zip(axes.flat, methods):
    hh = steps[m]
    ax.loglog(
        hh,
        np.maximum(errors[m], floor),
        ".",
        ms=4,
        color="tab:blue",
        label="measured",
    )
    if truncation[m] is not None:
        const, order = truncation[m]
        ax.loglog(
            hh,
            const * hh**order,
            "--",
            color="tab:orange",
            lw=1.5,
            label="truncation $C h^p$",
        )
    if m != "complex":
        ax.loglog(
            hh,
            eps * f_value / hh,
            ":",
            color="tab:red",
            lw=1.5,
            label=r"round-off $\varepsilon |f| / h$",
        )
    ax.axvline(defaults[m], color="0.4", lw=1)
    ax.loglog(
        defaults[m],
        max(at_default[m], floor),
        "*",
        ms=15,
        color="gold",
        mec="black",
        label="default step",
    )
    order_text = {
        "forward": "error ~ h",
        "backward": "error ~ h",
        "central": "error ~ h^2",
        "complex": "error ~ h^2, no round-off",
        "richardson": "h = first step of the tableau",
    }[m]
    ax.set(
        title=f"{m}: {order_text}", xlabel="step $h$", ylim=(floor / 3, 10)
    )
for ax in axes[:, 0]:
    ax.set_ylabel(r"error $|D(h) - f'(x_0)|$")
handles, labels = axes.flat[0].get_legend_handles_labels()
axes.flat[5].remove()
fig.legend(
    handles,
    labels,
    loc="center",
    bbox_to_anchor=(0.83, 0.27),
    fontsize="medium",
)
fig.suptitle(
    "Error of five numerical derivatives of softplus at x0 = 1 against the"
    " step size"
)
plt.show()

# %%
# Accuracy against cost
# ---------------------
# At their default steps the methods line up as the theory predicts: about
# :math:`\sqrt{\varepsilon} \approx 10^{-8}` for the first-order rules,
# :math:`\varepsilon^{2/3} \approx 10^{-11}` for the central difference, and near machine
# precision for Richardson extrapolation and the complex step (the complex step to the last
# bit). Counting the points at which ``f`` is evaluated shows the price of each.


def evaluations(method):
    sizes = []

    def counting(t):
        sizes.append(np.size(t))
        return cd.softplus(t)

    cd.derivative(counting, x0, method=method)
    return sum(sizes)


counts = {m: evaluations(m) for m in methods}
# methods with the same cost and error share one dot (forward and backward)
labels = {}
for m in methods:
    key = (counts[m], float(f"{max(at_default[m], floor):.1e}"))
    labels[key] = f"{labels[key]} / {m}" if key in labels else m
fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
for (count, err), label in labels.items():
    ax.semilogy(count, err, "o", ms=9, color="tab:blue")
    text = f"{label} (error 0)" if err == floor else label
    ax.annotate(
        text, (count, err), textcoords="offset points", xytext=(9, 3)
    )
ax.set(
    xlabel="evaluations of f",
    ylabel="error at the default step",
    xlim=(0, max(counts.values()) + 4),
    ylim=(floor / 3, 1e-6),
    title="Accuracy and cost of each method at its default step",
)
plt.show()
for m in methods:
    print(f"{m:>10}: {counts[m]:2d} evaluations, error {at_default[m]:.1e}")
# the ranking in the text, each error within a factor of ten of the order
# of magnitude quoted
assert all(1e-9 < at_default[m] < 1e-7 for m in ("forward", "backward"))
assert 1e-12 < at_default["central"] < 1e-10
assert at_default["richardson"] < 100 * eps and at_default["complex"] <= eps

# %%
# .. seealso::
#
#    :func:`calcdocs.derivative` (all five methods, with the error analysis in its Notes),
#    :func:`calcdocs.softplus` and :func:`calcdocs.sigmoid`; the chapter
#    :doc:`/differential/derivatives` derives each error term and the optimal steps.
