"""calcdocs: the small NumPy library behind *Calculus for Machine Learning*.

Every public name lives in one flat module per idea and is re-exported here:

- :mod:`calcdocs.differentiate`: numerical derivatives, gradients, Jacobians, Hessians.
- :mod:`calcdocs.functions`: test problems and ML losses with analytic derivatives.
- :mod:`calcdocs.autodiff`: forward-mode (``Dual``) and reverse-mode (``Tensor``) autodiff.
- :mod:`calcdocs.integrate`: Riemann sums, trapezoid and Simpson rules, Monte Carlo.
- :mod:`calcdocs.plotting`: plot helpers that take ``ax=None`` and return the Axes, and
  ``use_style()``, the book's matplotlib style.
- :mod:`calcdocs.landscape`: a network's loss along random or interpolating directions in
  weight space, as functions the plot helpers draw.
- :mod:`calcdocs.optimize`: gradient descent, Newton, SGD, AdaGrad, RMSprop, Adam(W) as in
  ``torch.optim``, learning-rate schedules, minibatches; every run returns a ``Trajectory``.
"""

from importlib.metadata import PackageNotFoundError, version

from calcdocs import (
    autodiff,
    differentiate,
    functions,
    integrate,
    landscape,
    optimize,
    plotting,
)
from calcdocs.autodiff import *  # noqa: F403
from calcdocs.differentiate import *  # noqa: F403
from calcdocs.functions import *  # noqa: F403
from calcdocs.integrate import *  # noqa: F403
from calcdocs.landscape import *  # noqa: F403
from calcdocs.optimize import *  # noqa: F403
from calcdocs.plotting import *  # noqa: F403

try:
    __version__ = version("calcdocs")  # one source: pyproject.toml
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = [
    *differentiate.__all__,
    *functions.__all__,
    *autodiff.__all__,
    *integrate.__all__,
    *plotting.__all__,
    *landscape.__all__,
    *optimize.__all__,
]
