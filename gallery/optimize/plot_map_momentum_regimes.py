"""
==================================================
The convergence regimes of momentum on a quadratic
==================================================

Heavy-ball momentum has two knobs, the learning rate :math:`\\eta` and the momentum
:math:`\\beta`. On a quadratic its rate of convergence is the spectral radius of a small
matrix, so the whole :math:`(\\eta, \\beta)` plane can be mapped: where it diverges, where it
converges monotonically, where it oscillates, and where Polyak's optimal pair sits.
"""

# %%
# The iteration matrix
# --------------------
# On :math:`f(x) = \frac12\lambda x^2` the heavy ball
# :math:`x_{k+1} = x_k - \eta\lambda x_k + \beta(x_k - x_{k-1})` is linear in
# :math:`(x_k, x_{k-1})`, with matrix
#
# .. math::
#
#    M(\lambda) = \begin{pmatrix} 1 + \beta - \eta\lambda & -\beta \\ 1 & 0 \end{pmatrix}.
#
# For a quadratic whose Hessian has eigenvalues :math:`\mu` and :math:`L`, the rate is the
# larger spectral radius :math:`\rho = \max(\rho(M(\mu)), \rho(M(L)))`: the run converges
# when :math:`\rho < 1`, and the iterates oscillate when the eigenvalues of :math:`M` are
# complex. Here :math:`\mu = 1` and :math:`L = 10`.
import matplotlib.pyplot as plt
import numpy as np

import calcdocs as cd

mu, L = 1.0, 10.0


def spectral_radius(eta, beta, lam):
    """Largest |root| of z^2 - (1 + beta - eta lam) z + beta, elementwise."""
    b = 1 + beta - eta * lam
    disc = np.sqrt((b**2 - 4 * beta).astype(complex))
    return np.maximum(np.abs((b + disc) / 2), np.abs((b - disc) / 2))


etas = np.linspace(0.001, 0.45, 300)
betas = np.linspace(0.0, 0.99, 300)
E, B = np.meshgrid(etas, betas)
rho = np.maximum(spectral_radius(E, B, mu), spectral_radius(E, B, L))


# %%
# Checking the map against real runs
# ----------------------------------
# The map is a prediction; :func:`calcdocs.sgd` with ``momentum`` is the same iteration
# (torch's form, with a buffer, which differs only in the first step). We measure the
# contraction per step of runs at a few random pairs that converge and compare.
def grad(x):
    return np.array([mu, L]) * x


rng = np.random.default_rng(0)
for eta, beta in rng.uniform([0.01, 0.0], [0.3, 0.9], size=(8, 2)):
    predicted = max(
        spectral_radius(np.array(eta), np.array(beta), lam)
        for lam in (mu, L)
    )
    if predicted >= 1:  # a diverging pair: the run must diverge too
        run = cd.sgd(grad, [1.0, 1.0], steps=5000, lr=eta, momentum=beta)
        print(
            f"eta = {eta:.3f}, beta = {beta:.2f}: predicted rate"
            f" {predicted:.4f}; {run.message}"
        )
        assert run.diverged
        continue
    run = cd.sgd(grad, [1.0, 1.0], steps=400, lr=eta, momentum=beta)
    norms = np.linalg.norm(run.points, axis=1)
    measured = (norms[-1] / norms[200]) ** (1 / 200)
    print(
        f"eta = {eta:.3f}, beta = {beta:.2f}:"
        f" predicted rate {predicted:.4f},"
        f" measured {measured:.4f}"
    )
    if predicted < 0.97:  # a well-defined asymptotic rate within 400 steps
        assert abs(measured - predicted) < 0.02

# %%
# The map
# -------
# Colours show :math:`\rho` (darker is faster); the white region diverges
# (:math:`\rho \ge 1`). Plain gradient descent is the bottom edge, :math:`\beta = 0`, where
# the limit is :math:`\eta < 2/L`. Momentum extends the stable range of learning rates up to
# :math:`\eta < 2(1 + \beta)/L`. The dashed curve separates the real from the complex
# eigenvalues of :math:`M(\mu)`: above it the slow direction oscillates. The star is Polyak's
# optimum, where :math:`\rho = (\sqrt\kappa - 1)/(\sqrt\kappa + 1)`.
kappa = L / mu
eta_opt = 4 / (np.sqrt(L) + np.sqrt(mu)) ** 2
beta_opt = ((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2
best = np.unravel_index(np.argmin(rho), rho.shape)
print(
    f"Polyak's optimum eta = {eta_opt:.4f}, beta = {beta_opt:.4f};"
    f" best on the grid eta = {E[best]:.4f}, beta = {B[best]:.4f},"
    f" rho = {rho[best]:.4f} (theory {np.sqrt(beta_opt):.4f})"
)
assert abs(rho[best] - np.sqrt(beta_opt)) < 0.01

fig, ax = plt.subplots(figsize=(7.5, 5.5), layout="constrained")
shown = np.where(rho < 1, rho, np.nan)
mesh = ax.pcolormesh(
    E, B, shown, cmap="viridis", shading="auto", vmin=0, vmax=1
)
fig.colorbar(mesh, ax=ax, label=r"rate $\rho$ per step")
ax.contour(E, B, rho, levels=[1.0], colors="black", linewidths=1.5)
ax.plot(etas, (np.sqrt(etas * mu) - 1) ** 2, "--", color="white", lw=1.2)
ax.plot(
    2 * (1 + betas) / L,
    betas,
    ":",
    color="black",
    lw=1,
    label=r"$\eta = 2(1 + \beta)/L$",
)
ax.plot(
    eta_opt,
    beta_opt,
    "*",
    color="tab:orange",
    ms=16,
    mec="black",
    label="Polyak's optimum",
)
ax.set(
    xlabel=r"learning rate $\eta$",
    ylabel=r"momentum $\beta$",
    xlim=(0, 0.45),
    ylim=(0, 0.99),
    title=r"Heavy-ball rate over $(\eta, \beta)$, $\kappa = 10$",
)
ax.legend(loc="upper right")
plt.show()

# %%
# .. seealso::
#
#    :func:`calcdocs.sgd` (its ``momentum`` and ``nesterov`` options) and
#    :func:`calcdocs.quadratic_bowl`; the chapter :doc:`/optimization/gradient-descent`
#    measures the rates of momentum against the condition number.
