"""
=======================================
Escaping a saddle: plain steps and Adam
=======================================

A function with a saddle between two minima, and runs that start almost exactly on the
saddle's attracting axis. The animation shows who escapes and how fast.
"""

# %%
# A saddle between two valleys
# ----------------------------
# :math:`f(x, y) = \tfrac12 x^2 + \tfrac14 y^4 - \tfrac12 y^2` has a saddle at the origin
# (Hessian :math:`\operatorname{diag}(1, -1)`) and minima at :math:`(0, \pm 1)` with the
# value :math:`-1/4`. Its gradient is written out and checked with
# :func:`calcdocs.check_grad`.
import matplotlib.pyplot as plt
import numpy as np

import calcdocs as cd


def f(p):
    x, y = p[..., 0], p[..., 1]
    return 0.5 * x**2 + 0.25 * y**4 - 0.5 * y**2


def grad(p):
    x, y = p[..., 0], p[..., 1]
    return np.stack([x, y**3 - y], axis=-1)


pts = np.random.default_rng(0).uniform(-2, 2, size=(50, 2))
print(f"gradient check: {cd.check_grad(f, grad, pts):.1e}")

# %%
# The runs
# --------
# All three start at :math:`(1.5, 10^{-4})`, a hair off the axis that leads into the
# saddle. Gradient descent multiplies the small :math:`y` by about :math:`1 + \eta` per
# step near the saddle, so it needs many steps to escape; momentum speeds that up; Adam
# divides by the gradient's running size and moves at nearly full speed at once.
x0 = np.array([1.5, 1e-4])
steps = 120
runs = [
    cd.gradient_descent(grad, x0, steps=steps, lr=0.1, f=f),
    cd.sgd(grad, x0, steps=steps, lr=0.1, momentum=0.8, f=f),
    cd.adam(grad, x0, steps=steps, lr=0.05, f=f),
]
labels = ["GD", "momentum", "Adam"]
escaped = [int(np.argmax(np.abs(r.points[:, 1]) > 0.5)) for r in runs]
for label, k in zip(labels, escaped):
    print(f"{label:>16}: |y| > 0.5 first at step {k}")
assert escaped[2] < escaped[0]

# %%
# The animation
# -------------
# Each frame adds eight steps. Only the paths and the step counter change from frame to
# frame, so the layout is computed once, on a first draw, and kept for every frame.
fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")
window = {"xlim": (-1.8, 1.8), "ylim": (-1.5, 1.5)}
anim = cd.animate_descent(f, runs, **window, labels=labels, stride=8, ax=ax)
ax.set(xlabel="$x$", ylabel="$y$", aspect="equal")
fig.canvas.draw()
fig.set_layout_engine("none")
assert anim.frame_iterates == list(range(0, steps + 1, 8))

# %%
# A loss curve of such a run has a long plateau while the path slides towards the saddle
# and waits there, then a sudden drop. In a network, that plateau is often the first
# phase of training.
#
# .. seealso::
#
#    :func:`calcdocs.animate_descent`, :func:`calcdocs.adam`, :func:`calcdocs.sgd`,
#    :func:`calcdocs.check_grad`; the section on critical points in
#    :doc:`/optimization/landscapes`.
