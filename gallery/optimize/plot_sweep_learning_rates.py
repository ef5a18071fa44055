"""
==============================================================
A learning-rate sweep on Rosenbrock's valley, up to divergence
==============================================================

Gradient descent on Rosenbrock's function with 20 learning rates between :math:`10^{-5}`
and :math:`10^{-2}`. Too small a rate barely moves; larger rates converge faster, until,
just past the stability limit set by the curvature at the minimum, the iterates no longer
settle, and a little further they blow up.
"""

# %%
# The sweep
# ---------
# For a quadratic the limit is exactly :math:`2/L`. Rosenbrock's function is not quadratic,
# but near its minimum it is close to one, with Hessian :math:`\nabla^2 f(1, 1)`; its largest
# eigenvalue sets the local limit :math:`2/\lambda_{\max}`. Each run of
# :func:`calcdocs.gradient_descent` reports whether it diverged (a non-finite or blown-up
# gradient). The sweep needs only the last iterate of each run (``record=False``) and
# the value there.
import matplotlib.pyplot as plt
import numpy as np

import calcdocs as cd

f = cd.rosenbrock()
x0 = np.array([-1.2, 1.0])
lam_max = np.linalg.eigvalsh(f.hessian(f.minima[0])).max()
eta_limit = 2 / lam_max
print(
    f"largest curvature at the minimum {lam_max:.2f}:"
    f" 2/lambda_max = {eta_limit:.6f}"
)

etas = np.geomspace(1e-5, 1e-2, 20)
final_value, diverged, stopped_at = [], [], []
for eta in etas:
    run = cd.gradient_descent(
        f.gradient, x0, steps=2000, lr=eta, record=False
    )
    final_value.append(np.nan if run.diverged else f(run.x))
    diverged.append(run.diverged)
    stopped_at.append(run.steps)
final_value, diverged = np.array(final_value), np.array(diverged)
first_bad = etas[np.argmax(diverged)] if diverged.any() else None
print(f"smallest diverging learning rate in the sweep: {first_bad:.2e}")
assert diverged.any() and not diverged[etas < eta_limit].any()
# and every rate above the first diverging one diverges too
assert diverged[np.argmax(diverged) :].all()

# %%
# Final value against the learning rate
# -------------------------------------
# Below the limit, the final value falls as the rate grows (each step goes further along the
# valley). Just above it the run no longer converges to the minimum: the iterate is thrown
# across the valley at every step. Further up, it diverges (crosses), and
# :class:`calcdocs.Trajectory` records the step where it stopped.
assert np.all(np.diff(final_value[etas < eta_limit]) < 0)
ok = ~diverged
fig, (ax_v, ax_s) = plt.subplots(1, 2, figsize=(12, 4), layout="constrained")
ax_v.loglog(etas[ok], final_value[ok] + 1e-16, "o-", ms=4, label="finished")
ax_v.loglog(
    etas[diverged],
    np.full(diverged.sum(), final_value[ok].max()),
    "x",
    color="tab:red",
    ms=8,
    label="diverged",
)
ax_v.axvline(eta_limit, color="0.4", ls="--", lw=1)
ax_v.annotate(
    r" $2/\lambda_{\max}$ at the minimum",
    (eta_limit, final_value[ok].min()),
    fontsize="small",
    color="0.3",
)
ax_v.set(
    xlabel=r"learning rate $\eta$",
    ylabel="$f$ after 2000 steps",
    title="Rosenbrock: final value against the learning rate",
)
ax_v.legend(fontsize="small")
ax_s.semilogx(etas, stopped_at, "o-", ms=4)
ax_s.axvline(eta_limit, color="0.4", ls="--", lw=1)
ax_s.set(
    xlabel=r"learning rate $\eta$",
    ylabel="steps before the run stopped",
    title="Diverging runs stop early",
)
plt.show()

# %%
# Where the path goes
# -------------------
# Three rates, drawn over the contours: slow, good, and just past the limit.
chosen = [1e-4, 0.9 * eta_limit, 1.3 * eta_limit]
fig, ax = plt.subplots(figsize=(7, 5), layout="constrained")
cd.plot_contours(
    f,
    (-2, 2),
    (-1, 3),
    levels=25,
    log_scale=True,
    ax=ax,
    colors="0.75",
    linewidths=0.7,
)
for eta in chosen:
    run = cd.gradient_descent(f.gradient, x0, steps=2000, lr=eta, f=f)
    pts = np.clip(run.points, [-2, -1], [2, 3])
    outcome = (
        f"diverged at step {run.steps}"
        if run.diverged
        else f"f = {run.values[-1]:.1e} after {run.steps} steps"
    )
    cd.plot_path(
        pts,
        ax=ax,
        label=rf"$\eta$ = {eta:.1e}: {outcome}",
        lw=0.8,
        markersize=1,
    )
ax.set(
    xlabel="$x$",
    ylabel="$y$",
    title="Gradient descent paths for three learning rates",
)
ax.legend(fontsize="x-small", loc="upper left")
plt.show()

# %%
# .. seealso::
#
#    :func:`calcdocs.gradient_descent`, :class:`calcdocs.Trajectory` and
#    :func:`calcdocs.rosenbrock`; the chapter :doc:`/optimization/gradient-descent` derives
#    the limit :math:`2/L` and measures it on a quadratic.
