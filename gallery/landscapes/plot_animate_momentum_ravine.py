"""
========================================
Momentum and Nesterov in a tilted ravine
========================================

Gradient descent, heavy-ball momentum and Nesterov momentum on a quadratic bowl with
condition number 50, turned by 30 degrees so that no coordinate axis lines up with the
valley. The animation shows the three paths moving step by step over the contours.
"""

# %%
# The ravine and the runs
# -----------------------
# :func:`calcdocs.quadratic_bowl` with ``angle`` rotates the bowl. Its Hessian has the
# eigenvalues :math:`L` and :math:`L / 50`; the classical tuning of the heavy ball,
# :math:`\eta = 4 / (\sqrt{L} + \sqrt{\mu})^2` and
# :math:`\mu_\text{m} = ((\sqrt\kappa - 1) / (\sqrt\kappa + 1))^2`, is used for the
# heavy ball; Nesterov's method gets its own, :math:`\eta = 1/L` and
# :math:`\mu_\text{m} = (\sqrt\kappa - 1) / (\sqrt\kappa + 1)` (with the heavy ball's
# tuning it diverges), and plain gradient descent its best rate :math:`2 / (L + \mu)`.
import matplotlib.pyplot as plt
import numpy as np

import calcdocs as cd

f = cd.quadratic_bowl(condition_number=50.0, angle=np.pi / 6)
mu, L = np.linalg.eigvalsh(f.hessian(np.zeros(2)))
kappa = L / mu
beta = ((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2
lr_hb = 4 / (np.sqrt(L) + np.sqrt(mu)) ** 2
x0 = np.array([-1.8, 0.9])
steps = 60
runs = [
    cd.gradient_descent(f.gradient, x0, steps=steps, lr=2 / (L + mu), f=f),
    cd.sgd(f.gradient, x0, steps=steps, lr=lr_hb, momentum=beta, f=f),
    cd.sgd(
        f.gradient,
        x0,
        steps=steps,
        lr=1 / L,
        momentum=np.sqrt(beta),
        nesterov=True,
        f=f,
    ),
]
labels = ["GD", "heavy ball", "Nesterov"]
for label, run in zip(labels, runs):
    print(f"{label:>16}: f after {steps} steps = {run.values[-1]:.2e}")
assert max(runs[1].values[-1], runs[2].values[-1]) < runs[0].values[-1]

# %%
# The animation
# -------------
# :func:`calcdocs.animate_descent` draws the contours once (logarithmic levels, so that
# the valley floor shows) and moves the paths; each frame
# adds five steps (the page stays small: each frame is one PNG). Only the paths and the
# step counter change from frame to frame, so the layout is computed once, on a first
# draw, and kept for every frame.
fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")
options = {"xlim": (-2, 2), "ylim": (-1.3, 1.3), "log_scale": True}
anim = cd.animate_descent(f, runs, **options, labels=labels, stride=5, ax=ax)
ax.set(xlabel="$x$", ylabel="$y$", aspect="equal")
fig.canvas.draw()
fig.set_layout_engine("none")
assert anim.frame_iterates[-1] == steps

# %%
# Gradient descent zig-zags across the valley: even at its best rate it shrinks the error
# by :math:`(\kappa - 1)/(\kappa + 1)` per step. Both momentum methods overshoot along
# the valley and spiral in, but their error shrinks by about
# :math:`(\sqrt\kappa - 1)/(\sqrt\kappa + 1)` per step, and they finish far closer.
#
# .. seealso::
#
#    :func:`calcdocs.animate_descent`, :func:`calcdocs.sgd`,
#    :func:`calcdocs.gradient_descent`, :func:`calcdocs.quadratic_bowl`; the chapter
#    :doc:`/optimization/landscapes` has a figure where you choose the learning rate and the
#    momentum yourself.
