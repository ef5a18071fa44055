r"""
====================================================
Reading a computational graph: paths and visit order
====================================================

The chapter :doc:`/differential/backprop` draws the graph of a single neuron, in which every
value is used once. This example draws, with :func:`calcdocs.plot_graph`, a graph in which an
input is used twice, and reads two things off it: the gradient of a reused value is the sum
of what its uses send back, one term per path, and ``backward()`` visits the nodes in an
order in which every node comes after all of its uses.
"""

# %%
# The expression and the order of the backward pass
# -------------------------------------------------
# We take :math:`f(x, y, z) = (x y + \sin x)\, z` at :math:`x = 0.5,\ y = 2,\ z = -1.5`.
# The variable :math:`x` is used twice, by the product and by the sine. Naming the tensors
# with ``label`` makes the drawing readable.
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

# %%
# :func:`calcdocs.topological_order` lists the nodes so that every node comes after its
# operands; ``backward()`` walks this list in reverse, from :math:`f` back to the leaves.
# In that order every node comes after all of its uses, so the gradient it has collected
# is complete when its turn comes, and it can pass it on to its own operands once. The
# check below is that property; the labels get the visit number, for the drawing.
order = list(reversed(cd.topological_order(f)))
position = {id(node): i for i, node in enumerate(order)}
for node in order:
    for operand in node.parents:
        assert position[id(operand)] > position[id(node)]  # uses come first
print("backward() visits:", " -> ".join(node.label for node in order))
for i, node in enumerate(order, start=1):
    node.label = f"{i}: {node.label}"

# %%
# After the backward pass
# -----------------------
# ``f.backward()`` seeds :math:`\partial f/\partial f = 1`; each operation multiplies the
# gradient it receives by its local derivative and sends the result to its operands. Each
# box shows its visit number, its value and :math:`\partial f/\partial(\text{box})`.
f.backward()
fig, ax = plt.subplots(figsize=(8, 3.0), layout="constrained")
cd.plot_graph(f, show_grad=True, ax=ax, fontsize=9)
ax.set_title("After f.backward(): visit order, value and df/d(box)")
plt.show()

# %%
# Two paths into x
# ----------------
# The box of :math:`x` receives one contribution from each use. Through the product,
# :math:`\partial f/\partial(xy)` times :math:`\partial(xy)/\partial x = y`; through the
# sine, :math:`\partial f/\partial(\sin x)` times :math:`\cos x`. Both upstream gradients
# can be read off the drawing (the ``.grad`` of the intermediate tensors), and their sum is
# the chain rule's :math:`\partial f/\partial x = (y + \cos x)\, z`, which central
# differences with :func:`calcdocs.gradient` confirm.
x0, y0, z0 = 0.5, 2.0, -1.5
via_product = xy.grad * y0
via_sine = s.grad * np.cos(x0)
print(f"via x*y:  {float(via_product):+.6f}")
print(f"via sin:  {float(via_sine):+.6f}")
print(f"sum:      {float(via_product + via_sine):+.6f}")
print(f"x.grad:   {float(x.grad):+.6f}")
assert np.isclose(via_product + via_sine, x.grad)
assert np.isclose(x.grad, (y0 + np.cos(x0)) * z0)


def f_numpy(p):
    return (p[..., 0] * p[..., 1] + np.sin(p[..., 0])) * p[..., 2]


engine = np.array([float(x.grad), float(y.grad), float(z.grad)])
numerical = cd.gradient(f_numpy, [x0, y0, z0])
print("backward():", engine, " central differences:", numerical)
assert np.allclose(engine, numerical)

# %%
# .. seealso::
#
#    :class:`calcdocs.Tensor` (reverse-mode automatic differentiation),
#    :func:`calcdocs.topological_order`, :func:`calcdocs.plot_graph` and
#    :func:`calcdocs.gradient`; the chapter :doc:`/differential/backprop` explains the graph,
#    the backward pass and the sum over uses.
