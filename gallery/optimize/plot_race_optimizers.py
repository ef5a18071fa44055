"""
===========================================
Optimizers race on Rosenbrock's and Beale's
===========================================

Six optimizers from :mod:`calcdocs.optimize` start from the same point on two classic test
functions, Rosenbrock's curved valley and Beale's flat plateau with steep walls. Their paths
are drawn over the contours, and their distance to the minimum is plotted against the step.
"""

# %%
# The contestants
# ---------------
# Each entry is a function of the objective and the starting point that returns a
# :class:`calcdocs.Trajectory`. The learning rates were chosen by hand once, so that each
# method is reasonably tuned on both problems; Newton's method uses the analytic Hessian.
# Only the two methods with a backtracking line search are given the objective ``f``; the
# others need its gradient alone. Every run stops early if its gradient norm falls to
# ``tol``.
import matplotlib.pyplot as plt
import numpy as np

import calcdocs as cd

STEPS, TOL = 3000, 1e-12
contestants = {
    "GD + Armijo": lambda f, x0: cd.gradient_descent(
        f.gradient, x0, steps=STEPS, lr=1.0, f=f, line_search=True, tol=TOL
    ),
    "momentum": lambda f, x0: cd.sgd(
        f.gradient, x0, steps=STEPS, lr=2e-4, momentum=0.9, tol=TOL
    ),
    "Nesterov": lambda f, x0: cd.sgd(
        f.gradient,
        x0,
        steps=STEPS,
        lr=2e-4,
        momentum=0.9,
        nesterov=True,
        tol=TOL,
    ),
    "RMSprop": lambda f, x0: cd.rmsprop(
        f.gradient, x0, steps=STEPS, lr=1e-3, tol=TOL
    ),
    "Adam": lambda f, x0: cd.adam(
        f.gradient, x0, steps=STEPS, lr=2e-2, tol=TOL
    ),
    "Newton": lambda f, x0: cd.newton(
        f.gradient, f.hessian, x0, steps=STEPS, f=f, tol=1e-10
    ),
}

# %%
# The race
# --------
# Rosenbrock's function starts at the classic point :math:`(-1.2, 1)`, Beale's at
# :math:`(1, 1.5)`. We record each path and its distance to the known minimum.
problems = {
    "Rosenbrock": (cd.rosenbrock(), np.array([-1.2, 1.0]), (-2, 2), (-1, 3)),
    "Beale": (cd.beale(), np.array([1.0, 1.5]), (-0.5, 4), (-1.5, 2)),
}
results = {}
for pname, (f, x0, _, _) in problems.items():
    x_star = f.minima[0]
    for name, run_method in contestants.items():
        run = run_method(f, x0)
        distance = np.linalg.norm(run.points - x_star, axis=1)
        results[pname, name] = (run, distance)
        print(
            f"{pname:>10} {name:>12}: {run.steps:5d} steps,"
            f" final distance {distance[-1]:.1e}, diverged={run.diverged}"
        )

# %%
# Newton's method converges on both problems, and fastest, but on Beale's function not to
# the minimum: the damped Newton iteration accepts any point where the gradient vanishes.
# The point it found has a Hessian with one negative eigenvalue, a saddle.
newton_beale = results["Beale", "Newton"][0]
eigenvalues = np.linalg.eigvalsh(cd.beale().hessian(newton_beale.x))
print(
    f"Newton on Beale stops at {np.round(newton_beale.x, 6)},"
    f" Hessian eigenvalues {np.round(eigenvalues, 3)}"
)
assert newton_beale.converged and eigenvalues.min() < 0 < eigenvalues.max()

# %%
# Paths over the contours
# -----------------------
# :func:`calcdocs.plot_contours` with ``log_scale=True`` spaces the levels geometrically so
# the flat floors show, and :func:`calcdocs.plot_path` draws each path (hollow circle:
# start; star: end).
fig, axes = plt.subplots(1, 2, figsize=(12, 5), layout="constrained")
for ax, (pname, (f, _, xlim, ylim)) in zip(axes, problems.items()):
    cd.plot_contours(
        f,
        xlim,
        ylim,
        levels=25,
        log_scale=True,
        ax=ax,
        colors="0.75",
        linewidths=0.7,
    )
    for name in contestants:
        run, _ = results[pname, name]
        pts = np.clip(run.points, [xlim[0], ylim[0]], [xlim[1], ylim[1]])
        cd.plot_path(pts, ax=ax, label=name, lw=1, markersize=0)
    ax.plot(*f.minima[0], "X", color="black", ms=10, label="minimum")
    ax.set(
        xlim=xlim,
        ylim=ylim,
        xlabel="$x$",
        ylabel="$y$",
        title=f"{pname}: six optimizers from one start",
    )
axes[0].legend(fontsize="small", loc="lower right")
plt.show()

# %%
# Distance to the minimum
# -----------------------
# On Rosenbrock's function Newton's method finishes in a few dozen steps. The first-order
# methods need thousands; with a constant learning rate, momentum and RMSprop keep
# oscillating around the minimum (a schedule would settle them), while the line search and
# Adam get closest. On Beale's function the line search is the only first-order method
# to converge: its gradient norm reaches ``tol`` within the budget, a hair from the
# minimum.
first_order = [name for name in contestants if name != "Newton"]
final = {name: results["Rosenbrock", name][1][-1] for name in first_order}
assert min(final, key=final.get) in ("Adam", "GD + Armijo")
assert not any(
    results["Rosenbrock", name][0].converged for name in first_order
)
converged = [n for n in first_order if results["Beale", n][0].converged]
armijo_beale, armijo_distance = results["Beale", "GD + Armijo"]
print(
    f"Beale, GD + Armijo: converged at step {armijo_beale.steps},"
    f" {armijo_distance[-1]:.1e} from the minimum"
)
assert converged == ["GD + Armijo"] and armijo_distance[-1] < 1e-10

fig, axes = plt.subplots(1, 2, figsize=(12, 4), layout="constrained")
for ax, pname in zip(axes, problems):
    for name in contestants:
        _, distance = results[pname, name]
        ax.semilogy(np.maximum(distance, 1e-16), label=name)
    ax.set(
        xlabel="step",
        ylabel="distance to the minimum",
        xscale="log",
        title=f"{pname}: distance to the minimum against the step",
    )
axes[0].legend(fontsize="small")
plt.show()

# %%
# .. seealso::
#
#    :func:`calcdocs.gradient_descent`, :func:`calcdocs.sgd`, :func:`calcdocs.rmsprop`,
#    :func:`calcdocs.adam`, :func:`calcdocs.newton`, :func:`calcdocs.plot_contours` and
#    :func:`calcdocs.plot_path`; the chapter :doc:`/optimization/gradient-descent` explains
#    each method.
