"""
=============================
Drawing a computational graph
=============================

:class:`calcdocs.Tensor` records every operation it performs. This example draws the graph of
a small expression with :func:`calcdocs.plot_graph`, before and after the backward pass, and
checks the gradients it shows against the chain rule and finite differences.
"""

# %%
# The expression
# --------------
# We take :math:`f(x, y, z) = (x y + \sin x)\, z` at :math:`x = 0.5,\ y = 2,\ z = -1.5`.
# The variable :math:`x` is used twice, so the backward pass has to add up the
# contributions of two paths. Naming the tensors with ``label`` makes the drawing readable.
import matplotlib.pyplot as plt
import numpy as np

import calcdocs as cd
from calcdocs import Tensor

x = Tensor(0.5, requires_grad=True, label="x")
y = Tensor(2.0, requires_grad=True, label="y")
z = Tensor(-1.5, requires_grad=True, label="z")
xy = x * y
xy.label = "x*y"
s = x.sin()
s.label = "sin x"
u = xy + s
u.label = "u"
f = u * z
f.label = "f"
print(f)

# %%
# The forward pass
# ----------------
# Every box is a tensor with its value; every ellipse an operation. The arrows point from the
# operands to the results, the direction in which the values were computed.
fig, ax = plt.subplots(figsize=(8, 2.8), layout="constrained")
cd.plot_graph(f, ax=ax, fontsize=9)
ax.set_title(
    "Computational graph of f = (x y + sin x) z: values after the forward"
    " pass"
)
plt.show()

# %%
# The backward pass
# -----------------
# ``f.backward()`` walks the graph from right to left. It seeds
# :math:`\partial f/\partial f = 1`; each operation multiplies the incoming gradient by its
# local derivative and sends it to its operands, and a tensor used several times sums what it
# receives. Each box now also shows :math:`\partial f / \partial(\text{box})`.
f.backward()
fig, ax = plt.subplots(figsize=(8, 3.0), layout="constrained")
cd.plot_graph(f, show_grad=True, ax=ax, fontsize=9)
ax.set_title("The same graph after f.backward(): each box shows df/d(box)")
plt.show()

# %%
# Checking the numbers
# --------------------
# By the chain rule, :math:`\partial f/\partial x = (y + \cos x)\, z`, the sum of the two
# paths through :math:`xy` and through :math:`\sin x`; :math:`\partial f/\partial y = x z`
# and :math:`\partial f/\partial z = x y + \sin x`. Central differences with
# :func:`calcdocs.gradient` agree as well.
x0, y0, z0 = 0.5, 2.0, -1.5
by_hand = np.array([(y0 + np.cos(x0)) * z0, x0 * z0, x0 * y0 + np.sin(x0)])


def f_numpy(p):
    return (p[..., 0] * p[..., 1] + np.sin(p[..., 0])) * p[..., 2]


numerical = cd.gradient(f_numpy, [x0, y0, z0])
engine = np.array([float(x.grad), float(y.grad), float(z.grad)])
print("backward():   ", engine)
print("chain rule:   ", by_hand)
print("differences:  ", numerical)
assert np.allclose(engine, by_hand) and np.allclose(engine, numerical)

# %%
# .. seealso::
#
#    :class:`calcdocs.Tensor` (reverse-mode automatic differentiation),
#    :func:`calcdocs.plot_graph` and :func:`calcdocs.gradient`; the chapter
#    :doc:`/differential/backprop` explains the graph and the backward pass.
