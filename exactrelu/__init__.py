"""exactrelu: exact analysis of ReLU networks with rational weights.

Networks have exact rational weights; every count, sign and reported value is
decided in exact arithmetic.  See README.md and docs/ for the conventions.

Subpackages, bottom up: ``errors``/``rationals``/``_validate`` (every
argument check), ``_kernels`` (integer columns), ``network``/``pwl``/``formats``
(the objects and their one JSON envelope), ``constructions``/``propagate``/
``measure``/``bounds``/``report``, ``theorems`` (one subpackage per paper),
``search``/``strategies``, ``verify``, ``cli``.  ``import exactrelu`` loads
only the core; the theorem families, the search and the strategies load on
first use (``exactrelu.telgarsky``, ``exactrelu.milkert`` and
``exactrelu.search`` work as attributes).
"""

from __future__ import annotations

import importlib
from typing import Any

from . import bounds
from ._version import __version__
from .constructions import (
    abs_network,
    identity_network,
    max_network,
    sawtooth,
    tent_map,
    triangle,
    triangle_wave,
)
from .errors import (
    BudgetExceededError,
    DomainError,
    ExactReluError,
    InvalidRationalError,
    NetworkFormatError,
    ShapeError,
)
from .network import ReLUNetwork, compose
from .propagate import Trace, propagate, propagate_float64
from .pwl import PiecewiseLinear
from .rationals import RationalLike, to_rational

#: Attributes loaded on first use: name -> (module, attribute or None for the module itself).
_LAZY: dict[str, tuple[str, str | None]] = {
    "telgarsky": ("exactrelu.theorems.telgarsky", None),
    "milkert": ("exactrelu.theorems.milkert", None),
    "theorems": ("exactrelu.theorems", None),
    "search": ("exactrelu.search", None),
    "strategies": ("exactrelu.strategies", None),
    "verify": ("exactrelu.verify", None),
    "formats": ("exactrelu.formats", None),
    "constructions": ("exactrelu.constructions", None),
    "measure": ("exactrelu.measure", None),
    "report": ("exactrelu.report", None),
    "l1_distance": ("exactrelu.theorems.telgarsky", "l1_distance"),
    "regions": ("exactrelu.polyhedral", "regions"),
    "RegionComplex": ("exactrelu.polyhedral", "RegionComplex"),
    "polyhedral": ("exactrelu.polyhedral", None),
    "propagate_many": ("exactrelu.batch", "propagate_many"),
    "io": ("exactrelu.io", None),
    "load_network": ("exactrelu.io", "load_network"),
    "read_network": ("exactrelu.io", "read_network"),
    "formulas": ("exactrelu.formulas", None),
    "plot": ("exactrelu.plot", None),
    "experiments": ("exactrelu.experiments", None),
    "arora": ("exactrelu.theorems.arora", None),
    "zigzag_network": ("exactrelu.constructions", "zigzag_network"),
    "random_network": ("exactrelu.constructions", "random_network"),
}


def __getattr__(name: str) -> Any:
    """Load the lazy attributes of :data:`_LAZY` (heavy or optional parts) on first use."""
    try:
        module_name, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'exactrelu' has no attribute {name!r}") from None
    module = importlib.import_module(module_name)
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "ReLUNetwork",
    "compose",
    "PiecewiseLinear",
    "l1_distance",
    "propagate",
    "propagate_float64",
    "Trace",
    "bounds",
    "tent_map",
    "sawtooth",
    "triangle",
    "triangle_wave",
    "identity_network",
    "abs_network",
    "max_network",
    "to_rational",
    "RationalLike",
    "ExactReluError",
    "InvalidRationalError",
    "ShapeError",
    "DomainError",
    "BudgetExceededError",
    "NetworkFormatError",
    "__version__",
    "regions",
    "RegionComplex",
    "propagate_many",
    "load_network",
    "read_network",
    "zigzag_network",
    "random_network",
]
