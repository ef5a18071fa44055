"""
==========================================
Learning-rate schedules on a small network
==========================================

The same network, data, initialization and minibatches, trained with SGD with momentum
under five learning-rate schedules from :mod:`calcdocs.optimize`: constant, step decay,
exponential decay, cosine annealing, and a linear warm-up followed by cosine annealing.
The example plots each schedule, the training loss it produces, and the test accuracy.
"""

# %%
# The network
# -----------
# A 2-8-8-1 tanh network on the two moons, its gradient computed by
# :class:`calcdocs.Tensor` on minibatches of 20 drawn by :class:`calcdocs.MinibatchGradient`.
# The parameters travel as one flat vector.
import itertools

import matplotlib.pyplot as plt
import numpy as np

import calcdocs as cd
from calcdocs import Tensor

X_train, y_train = cd.make_moons(200, noise=0.25, seed=0)
X_test, y_test = cd.make_moons(1000, noise=0.25, seed=1)
layers = [2, 8, 8, 1]
shapes = []
for n_in, n_out in itertools.pairwise(layers):
    shapes += [(n_in, n_out), (n_out,)]
cuts = np.cumsum([int(np.prod(shape)) for shape in shapes])[:-1]


def unpack(theta):
    return [
        p.reshape(shape) for p, shape in zip(np.split(theta, cuts), shapes)
    ]


def logits(params, X):
    h = Tensor(X)
    for W, b in zip(params[0:-2:2], params[1:-2:2]):
        h = (h @ W + b).tanh()
    return (h @ params[-2] + params[-1]).reshape(-1)


def loss_of(params, X, y):
    z = logits(params, X)
    return ((z.exp() + 1.0).log() - y * z).mean()


def batch_gradient(theta, batch):
    params = [Tensor(p, requires_grad=True) for p in unpack(theta)]
    loss_of(params, *batch).backward()
    return np.concatenate([p.grad.ravel() for p in params])


rng = np.random.default_rng(0)
theta0 = np.concatenate(
    [
        (
            rng.standard_normal(s) / np.sqrt(s[0])
            if len(s) == 2
            else np.zeros(s)
        ).ravel()
        for s in shapes
    ]
)
grad = cd.MinibatchGradient(
    batch_gradient, (X_train, y_train), batch_size=20, seed=0
)
steps = grad.steps(80)

# %%
# The schedules
# -------------
# Every schedule is a callable ``t -> lr``, so a warm-up followed by cosine annealing is a
# two-line function built from :class:`calcdocs.LinearLR` and
# :class:`calcdocs.CosineAnnealingLR`.
lr0, warm = 0.3, 40
warmup = cd.LinearLR(lr0, start_factor=0.05, total_iters=warm)
after_warmup = cd.CosineAnnealingLR(lr0, T_max=steps - warm)


def warmup_cosine(t):
    return warmup(t) if t < warm else after_warmup(t - warm)


schedules = {
    "constant": lr0,
    "StepLR": cd.StepLR(lr0, step_size=steps // 4, gamma=0.3),
    "ExponentialLR": cd.ExponentialLR(lr0, gamma=0.01 ** (1 / steps)),
    "CosineAnnealingLR": cd.CosineAnnealingLR(lr0, T_max=steps),
    "warm-up + cosine": warmup_cosine,
}

# %%
# Training
# --------
# Each run records its iterates; we evaluate the full training loss once per epoch.
results = {}
for name, lr in schedules.items():
    run = cd.sgd(grad, theta0, steps=steps, lr=lr, momentum=0.9)
    per_epoch = run.points[:: grad.batches_per_epoch]
    curve = [
        loss_of([Tensor(p) for p in unpack(th)], X_train, y_train).item()
        for th in per_epoch
    ]
    z_test = logits([Tensor(p) for p in unpack(run.x)], X_test).data
    results[name] = (run, np.array(curve), np.mean((z_test > 0) == y_test))
    print(
        f"{name:>18}: final training loss {curve[-1]:.4f},"
        f" spread over the last 10 epochs {np.ptp(curve[-10:]):.4f},"
        f" test accuracy {results[name][2]:.3f}"
    )

# %%
# The decaying schedules end with a lower training loss than the constant rate, and
# their curves flatten at the end, where the constant rate keeps jittering.
spread = {
    name: np.ptp(curve[-10:]) for name, (_, curve, _) in results.items()
}
final = {name: curve[-1] for name, (_, curve, _) in results.items()}
for name in schedules:
    if name != "constant":
        assert final[name] < final["constant"]
        assert spread[name] < spread["constant"]

fig, (ax_lr, ax_loss) = plt.subplots(
    1, 2, figsize=(12, 4.2), layout="constrained"
)
for name, (run, curve, acc) in results.items():
    ax_lr.plot(run.lrs, label=name)
    ax_loss.semilogy(curve, label=f"{name} (test accuracy {100 * acc:.1f}%)")
ax_lr.set(
    xlabel="step",
    ylabel="learning rate",
    title="Five learning-rate schedules",
)
ax_lr.legend(fontsize="small")
ax_loss.set(
    xlabel="epoch",
    ylabel="training loss",
    title="Training loss under each schedule",
)
ax_loss.legend(fontsize="small")
plt.show()

# %%
# Here the decaying schedules also classify the test points slightly better than the
# constant rate, whose final weights are wherever the last noisy steps left them.
accuracy = {name: acc for name, (_, _, acc) in results.items()}
assert all(
    accuracy[name] > accuracy["constant"]
    for name in schedules
    if name != "constant"
)

# %%
# .. seealso::
#
#    :class:`calcdocs.StepLR`, :class:`calcdocs.ExponentialLR`,
#    :class:`calcdocs.CosineAnnealingLR`, :class:`calcdocs.LinearLR`,
#    :class:`calcdocs.MinibatchGradient` and :func:`calcdocs.sgd`; the chapter
#    :doc:`/optimization/gradient-descent` explains the noise floor that schedules lower.
