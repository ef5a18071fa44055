r"""
===============================================
The memory reverse mode pays, and checkpointing
===============================================

Reverse mode computes a gradient for the price of a few evaluations of the loss (the chapter
:doc:`/differential/backprop` measures the time), but it keeps every intermediate value of the
forward pass until the backward pass has used it. This example counts that memory for a deep
network as it grows deeper, against forward mode, which keeps nothing, and then trades memory
for time with *gradient checkpointing*: store only every :math:`k`-th layer's activations and
recompute the others during the backward pass.
"""

# %%
# A deep network and two ways to differentiate it
# -----------------------------------------------
# Each of :math:`L` layers of width 32 computes :math:`X_\ell = \tanh(X_{\ell-1} W_\ell)`
# for a batch of 128 examples, :math:`X_0 = X`, and the loss is the mean squared error of a
# fixed linear readout :math:`X_L\mathbf{r}`. Reverse mode (:class:`calcdocs.Tensor`) gives
# the gradient with respect to every :math:`W_\ell` in one backward pass. Forward mode
# (:class:`calcdocs.Dual`) pushes one direction :math:`(V_1, \dots, V_L)` through the
# network and gives one number, the directional derivative
# :math:`\sum_\ell \langle \partial L/\partial W_\ell, V_\ell\rangle`. Both agree.
import matplotlib.pyplot as plt
import numpy as np

import calcdocs as cd
from calcdocs import Dual, Tensor

BATCH, WIDTH = 128, 32
ARRAY = BATCH * WIDTH * 8  # bytes of one activation array, (128, 32) floats


def make_net(depth, seed=0):
    """Data, targets, the weights (leaf tensors) and the readout."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((BATCH, WIDTH))
    y = rng.standard_normal((BATCH, 1))
    params = [
        Tensor(
            rng.standard_normal((WIDTH, WIDTH)) / np.sqrt(WIDTH),
            requires_grad=True,
        )
        for _ in range(depth)
    ]
    readout = rng.standard_normal((WIDTH, 1)) / np.sqrt(WIDTH)
    return X, y, params, readout


def layer(h, W):  # for Tensor and Dual alike
    return (h @ W).tanh()


def loss_of(h, readout, y):
    return ((h @ readout - y) ** 2).mean()


def reverse_mode(X, y, params, readout):
    """The loss; a backward pass leaves every weight's gradient in .grad."""
    for W in params:
        W.zero_grad()
    h = Tensor(X)
    for W in params:
        h = layer(h, W)
    loss = loss_of(h, readout, y)
    loss.backward()
    return loss


def forward_mode(X, y, params, readout, Vs):
    """The derivative of the loss along the direction Vs, in one pass.

    Each weight becomes a Dual only when its layer needs it, and each layer's
    value and tangent are dropped once the next layer has used them.
    """
    h = X
    for W, V in zip(params, Vs):
        h = layer(h, Dual(W.data, V))
    return loss_of(h, readout, y).tangent


X, y, params, readout = make_net(depth=16)
Vs = [np.random.default_rng(1).standard_normal(W.shape) for W in params]
loss = reverse_mode(X, y, params, readout)
along_V = forward_mode(X, y, params, readout, Vs)
from_grads = sum(np.sum(W.grad * V) for W, V in zip(params, Vs))
print(f"forward mode: {along_V:.12f}; reverse mode: {from_grads:.12f}")
assert np.isclose(along_V, from_grads, rtol=1e-12)

# %%
# What the graph keeps
# --------------------
# :func:`calcdocs.topological_order` lists every tensor of the graph. The leaves are the
# data and the weights, which any method stores; every other node is an intermediate value,
# held until the backward pass has used it. Summing their ``.data.nbytes`` by operation
# shows two arrays of :math:`128 \times 32` floats per layer, the product
# :math:`X_{\ell-1}W_\ell` and its tanh, and a few small ones for the loss.


def stored_bytes(root):
    """Bytes of the intermediate values in the graph that ends at root."""
    return sum(
        node.data.nbytes for node in cd.topological_order(root) if node.op
    )


def bytes_by_op(root):
    out = {}
    for node in cd.topological_order(root):
        if node.op:
            out[node.op] = out.get(node.op, 0) + node.data.nbytes
    return out


for op, n_bytes in bytes_by_op(loss).items():
    print(f"{op:>8}: {n_bytes:>9,} bytes = {n_bytes / ARRAY:6.3f} arrays")
print(f"   total: {stored_bytes(loss):>9,} bytes for L = 16 layers")

depths = np.array([4, 8, 16, 32, 64])
graph_bytes = np.array(
    [stored_bytes(reverse_mode(*make_net(L))) for L in depths]
)
tail = graph_bytes - 2 * depths * ARRAY  # the loss's own small arrays
print("bytes beyond two arrays per layer, by depth:", tail)
# exactly two arrays per layer, and the same small tail at every depth
assert np.all(tail == tail[0]) and tail[0] < ARRAY

# %%
# Gradient checkpointing
# ----------------------
# Split the :math:`L` layers into segments of :math:`k`. The first pass runs the network
# without recording a graph (on :meth:`~calcdocs.Tensor.detach`-ed weights nothing
# requires gradients, so :class:`~calcdocs.Tensor` records nothing) and keeps only each
# segment's input, the *checkpoints*. The backward pass then takes the segments from the
# last to the first: it recomputes one segment's forward pass from its checkpoint, this
# time recording the graph, and backpropagates through it, seeded with the gradient that
# the segment above passed down, ``backward(seed)``. That gradient is a vector-Jacobian
# product, which is all a segment needs to know about the layers above it. The result is
# the same gradient; the memory is the checkpoints plus one segment's graph, and the price
# is running every layer but the last segment's twice.


def checkpointed(X, y, params, readout, k):
    """Gradients into .grad; return the most bytes stored, the layers run."""
    for W in params:
        W.zero_grad()
    starts = list(range(0, len(params), k))
    saved, h, runs = {}, Tensor(X), 0
    for i, W in enumerate(params[: starts[-1]]):  # no graph recorded
        if i % k == 0:
            saved[i] = h
        h = layer(h, W.detach())
        runs += 1
    saved[starts[-1]] = h
    seed, most = None, 0
    for s in reversed(starts):
        x_in = Tensor(saved[s].data, requires_grad=True)
        out = x_in
        for W in params[s : s + k]:  # recompute the segment, with its graph
            out = layer(out, W)
            runs += 1
        if seed is None:  # the last segment ends with the loss
            out = loss_of(out, readout, y)
        # checkpoints still held (the input X is data, stored anyway)
        kept = sum(c.data.nbytes for t, c in saved.items() if t > 0)
        most = max(most, kept + stored_bytes(out))
        out.backward(seed)
        seed = x_in.grad
        del saved[s]
    return most, runs


L = 32
X, y, params, readout = make_net(L)
reverse_mode(X, y, params, readout)
grads_plain = [W.grad.copy() for W in params]
segment_lengths = np.arange(1, L + 1)
stored, runs = [], []
for k in segment_lengths:
    most, runs_k = checkpointed(X, y, params, readout, k)
    diff = max(
        np.max(np.abs(W.grad - g)) / np.max(np.abs(g))
        for W, g in zip(params, grads_plain)
    )
    assert diff < 1e-12  # the same gradient, for every k
    stored.append(most)
    runs.append(runs_k)
stored, runs = np.array(stored), np.array(runs)
k_best = int(segment_lengths[np.argmin(stored)])
print(
    f"L = {L}: plain backprop stores {stored[-1] / ARRAY:.1f} arrays;"
    f" the best k = {k_best} stores {stored.min() / ARRAY:.1f}"
    f" and runs {runs[k_best - 1]} layers instead of {L}"
)
last = L - (np.ceil(L / segment_lengths).astype(int) - 1) * segment_lengths
assert np.all(runs == 2 * L - last)  # everything twice but the last segment
assert stored[-1] == graph_bytes[list(depths).index(L)]  # k = L: plain
assert abs(k_best - np.sqrt(L / 2)) <= 1  # the sweet spot, near sqrt(L/2)

# %%
# The trade-off
# -------------
# With :math:`k` layers per segment the backward pass holds about :math:`L/k` checkpoints
# and one segment's :math:`2k` arrays. Their sum :math:`L/k + 2k` is smallest when the two
# terms are equal, at :math:`k = \sqrt{L/2}`, where it is :math:`2\sqrt{2L}` arrays instead
# of :math:`2L`: memory of order :math:`\sqrt{L}` for one extra forward pass, the schedule of
# :cite:t:`chen2016`. (Placing checkpoints recursively brings the memory down to order
# :math:`\log L`, for :math:`O(L \log L)` layer evaluations
# :cite:p:`griewank2008,chen2016`.)
fig, (ax_m, ax_r) = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
ax_m.plot(segment_lengths, stored / ARRAY, "o", ms=3, label="measured")
smooth = np.linspace(1, L, 400)
ax_m.plot(
    smooth, L / smooth + 2 * smooth, color="0.5", lw=1, label="$L/k + 2k$"
)
ax_r.plot(segment_lengths, runs, "o", ms=3, color="tab:orange")
ax_r.axhline(L, color="0.5", lw=1)
ax_r.annotate("plain backprop: L layers", (1.1, L + 3), fontsize="small")
for ax in (ax_m, ax_r):
    ax.axvline(np.sqrt(L / 2), color="0.3", ls="--", lw=0.8)
    ax.set_xscale("log")
    ax.set_xticks([1, 2, 4, 8, 16, 32], ["1", "2", "4", "8", "16", "32"])
    ax.minorticks_off()
    ax.set_xlabel("layers per segment $k$")
ax_m.annotate(
    r" $k = \sqrt{L/2}$",
    (np.sqrt(L / 2), 0.9 * stored.max() / ARRAY),
    color="0.3",
    fontsize="small",
)
ax_m.set(
    ylabel="activations stored (arrays of $128 \\times 32$)",
    ylim=(0, 1.1 * stored.max() / ARRAY),
    title=f"Memory: smallest near $k = \\sqrt{{L/2}}$ (L = {L})",
)
ax_m.legend(fontsize="small")
ax_r.set(
    ylabel="layer evaluations",
    ylim=(0, 2.2 * L),
    title="Time: at most one extra forward pass",
)
plt.show()

# %%
# Memory as the network grows deeper
# -----------------------------------
# Finally the real peak, measured by Python's ``tracemalloc`` module (NumPy reports its
# arrays to it) while each method runs, in MiB, not counting the gradient itself (the
# :math:`L` arrays of :math:`32 \times 32` that both reverse modes return). From 4 to 64
# layers (sixteenfold), plain reverse mode's peak grows almost as fast as the depth, and it
# is more than twice the values the graph keeps: ``backward()`` also leaves every
# intermediate tensor's gradient in its ``.grad`` (the chapter reads them to plot gradients
# layer by layer; PyTorch keeps only the leaves' unless asked). Checkpointing with
# :math:`k \approx \sqrt{L/2}` grows at most like :math:`\sqrt{L}`, fourfold (less, since
# part of its peak does not depend on the depth), and forward mode's peak stays flat, within
# a few per cent. But forward mode's pass gives one directional derivative: the full
# gradient, :math:`32^2 L` numbers, would take :math:`32^2 L` passes.
import gc
import tracemalloc


def peak_mib(fn, *args):
    """Peak memory allocated while fn(*args) runs, in MiB (to 1 KiB)."""
    gc.collect()
    gc.disable()  # a collection at a random moment would move the peak
    tracemalloc.start()
    fn(*args)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    gc.enable()
    return round(peak / 1024) / 1024


peaks = {"reverse mode": [], "checkpointed": [], "forward mode": []}
for depth in depths:
    net = make_net(int(depth))
    V_depth = [np.ones((WIDTH, WIDTH))] * int(depth)
    k = round(np.sqrt(depth / 2))
    gradient_mib = depth * WIDTH * WIDTH * 8 / 2**20
    peaks["reverse mode"].append(peak_mib(reverse_mode, *net) - gradient_mib)
    peaks["checkpointed"].append(
        peak_mib(checkpointed, *net, k) - gradient_mib
    )
    peaks["forward mode"].append(peak_mib(forward_mode, *net, V_depth))
peaks = {name: np.array(mib) for name, mib in peaks.items()}
for name, mib in peaks.items():
    print(f"{name:>13}: " + "  ".join(f"{m:6.2f}" for m in mib) + " MiB")
growth = {name: mib[-1] / mib[0] for name, mib in peaks.items()}
# the text and the figure: reverse mode grows about like L (the depth grows
# 16 times), checkpointing at most like sqrt(L) (4 times), forward mode
# stays flat; reverse mode's peak is more than twice what the graph keeps
assert 12 < growth["reverse mode"] < 20
assert 1.5 < growth["checkpointed"] <= 4
assert np.ptp(peaks["forward mode"]) < 0.05 * peaks["forward mode"][0]
assert np.all(peaks["reverse mode"] * 2**20 > 2 * graph_bytes)

fig, ax = plt.subplots(figsize=(7, 4.5), layout="constrained")
labels = {
    "reverse mode": "reverse mode",
    "checkpointed": r"checkpointed, $k \approx \sqrt{L/2}$",
    "forward mode": "forward mode (one direction)",
}
for (name, mib), marker in zip(peaks.items(), "os^"):
    ax.loglog(depths, mib, marker + "-", label=labels[name])
ax.loglog(
    depths,
    graph_bytes / 2**20,
    ":",
    color="0.4",
    label="values the reverse-mode graph keeps",
)
ax.set(
    xlabel="number of layers $L$",
    ylabel="peak memory (MiB)",
    title=r"Memory of one derivative: $L$, $\sqrt{L}$ or constant",
)
ax.set_xticks(depths, [str(d) for d in depths])
mib_ticks = [0.25, 0.5, 1, 2, 4, 8]
ax.set_yticks(mib_ticks, [f"{t:g}" for t in mib_ticks])
ax.minorticks_off()
ax.legend(fontsize="small")
plt.show()

# %%
# .. seealso::
#
#    :class:`calcdocs.Tensor` (reverse mode, :meth:`~calcdocs.Tensor.backward` with a
#    seed, :meth:`~calcdocs.Tensor.detach`), :func:`calcdocs.topological_order` (the graph)
#    and :class:`calcdocs.Dual` (forward mode); the chapter :doc:`/differential/backprop`
#    measures the time forward and reverse mode take, and its exercise on memory counts the
#    numbers stored for the network it trains.
