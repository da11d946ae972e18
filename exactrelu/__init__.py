"""exactrelu: exact analysis of ReLU networks with rational weights.

Networks have exact rational weights; every count, sign and reported value is
decided in exact arithmetic.  See README.md and THEORY.md for conventions.
"""

from . import bounds
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
from .telgarsky import l1_distance

__version__ = "0.1.0"

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
]
