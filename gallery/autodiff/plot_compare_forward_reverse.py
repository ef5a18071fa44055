"""
=======================================
Forward mode versus reverse mode: costs
=======================================

A full Jacobian of :math:`F: \\mathbb{R}^n \\to \\mathbb{R}^m` takes :math:`n` forward-mode
passes (one Jacobian-vector product per input) or :math:`m` reverse-mode passes (one
vector-Jacobian product per output). This example times both as the number of inputs and the
number of outputs grow.
"""

# %%
# The function and the two Jacobians
# ----------------------------------
# We use :math:`F(\mathbf{x}) = \tanh(M\mathbf{x})` with a random :math:`m \times n` matrix
# :math:`M`; its Jacobian is :math:`\operatorname{diag}(1 - \tanh^2(M\mathbf{x}))\, M`.
# Forward mode seeds :func:`calcdocs.jvp` with each basis vector of the input space and gets
# one **column** per pass; reverse mode seeds :meth:`calcdocs.Tensor.backward` with each basis
# vector of the output space and gets one **row** per pass.
import matplotlib.pyplot as plt
import numpy as np

import calcdocs as cd
from calcdocs import Tensor


def make_problem(n, m, seed=0):
    rng = np.random.default_rng(seed)
    M = rng.standard_normal((m, n)) / np.sqrt(n)

    def F(x):  # works for Dual and Tensor inputs
        return (x @ M.T).tanh()

    return F, M, rng.standard_normal(n)


def jacobian_forward(F, x):
    return np.stack([cd.jvp(F, x, e)[1] for e in np.eye(x.size)], axis=1)


def jacobian_reverse(F, x, m):
    rows = []
    for e in np.eye(m):
        x_t = Tensor(x, requires_grad=True)
        F(x_t).backward(e)
        rows.append(x_t.grad)
    return np.stack(rows)


F, M, x = make_problem(n=4, m=6)
exact = (1 - np.tanh(M @ x) ** 2)[:, None] * M
print("forward mode error:", np.max(np.abs(jacobian_forward(F, x) - exact)))
print(
    "reverse mode error:", np.max(np.abs(jacobian_reverse(F, x, 6) - exact))
)
assert np.allclose(jacobian_forward(F, x), exact) and np.allclose(
    jacobian_reverse(F, x, 6), exact
)

# %%
# Timing both modes
# -----------------
# Each time is the best of three runs. In the first sweep the number of outputs is fixed at
# :math:`m = 10` while the number of inputs grows; in the second, the other way round.
import time


def best_time(fn, *args, repeat=3):
    best = np.inf
    for _ in range(repeat):
        start = time.perf_counter()
        fn(*args)
        best = min(best, time.perf_counter() - start)
    return best


counts = [2, 5, 10, 20, 50, 100, 200]
grow_n = {"forward": [], "reverse": []}
grow_m = {"forward": [], "reverse": []}
for k in counts:
    F, M, x = make_problem(n=k, m=10)
    grow_n["forward"].append(best_time(jacobian_forward, F, x))
    grow_n["reverse"].append(best_time(jacobian_reverse, F, x, 10))
    F, M, x = make_problem(n=10, m=k)
    grow_m["forward"].append(best_time(jacobian_forward, F, x))
    grow_m["reverse"].append(best_time(jacobian_reverse, F, x, k))
for i, k in enumerate(counts):
    print(
        f"k = {k:>3}: n = k, m = 10: forward"
        f" {grow_n['forward'][i] * 1e3:6.2f} ms, reverse"
        f" {grow_n['reverse'][i] * 1e3:6.2f} ms | n = 10, m = k: forward"
        f" {grow_m['forward'][i] * 1e3:6.2f} ms, reverse"
        f" {grow_m['reverse'][i] * 1e3:6.2f} ms"
    )

# %%
# The picture
# -----------
# Each mode's cost grows with the dimension it loops over and ignores the other one. A
# gradient of a loss is the case :math:`m = 1` with :math:`n` in the millions, which is why
# neural networks are trained with reverse mode, backpropagation.
fig, (ax_n, ax_m) = plt.subplots(
    1, 2, figsize=(10, 4), sharey=True, layout="constrained"
)
for ax, data, xlabel, title in [
    (
        ax_n,
        grow_n,
        "number of inputs $n$ (outputs $m = 10$)",
        "More inputs: forward mode slows down",
    ),
    (
        ax_m,
        grow_m,
        "number of outputs $m$ (inputs $n = 10$)",
        "More outputs: reverse mode slows down",
    ),
]:
    ax.loglog(
        counts,
        data["forward"],
        "s-",
        color="tab:orange",
        label="forward mode: n JVPs",
    )
    ax.loglog(
        counts,
        data["reverse"],
        "o-",
        color="tab:blue",
        label="reverse mode: m VJPs",
    )
    ax.set(xlabel=xlabel, title=title)
    ax.legend()
ax_n.set_ylabel("time for the full Jacobian (s)")
fig.suptitle("Cost of a Jacobian by forward and reverse mode")
plt.show()

# %%
# .. seealso::
#
#    :func:`calcdocs.jvp` and :class:`calcdocs.Dual` (forward mode),
#    :class:`calcdocs.Tensor` and :func:`calcdocs.grad` (reverse mode); the chapter
#    :doc:`/differential/backprop` measures the same effect for the gradient of a loss.
