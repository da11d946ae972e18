"""Small exact networks: identity, |x|, max(x1, x2), constants."""

from __future__ import annotations

from fractions import Fraction

from ..network import ReLUNetwork, identity_network
from ..rationals import RationalLike, to_rational

__all__ = ["identity_network", "abs_network", "max_network", "constant_network"]


def abs_network() -> ReLUNetwork:
    """|x| = relu(x) + relu(-x), one hidden layer of 2 units.

    >>> abs_network()("-3/2")
    Fraction(3, 2)
    """
    return ReLUNetwork([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])


def max_network() -> ReLUNetwork:
    """max(x1, x2) = (x1 + x2)/2 + |x1 - x2|/2 with one hidden layer of 4 units (Arora et al. 2018, Fig. 3).

    >>> max_network()((3, "7/2"))
    Fraction(7, 2)
    """
    half = Fraction(1, 2)
    return ReLUNetwork(
        [
            ([[1, 1], [-1, -1], [1, -1], [-1, 1]], [0, 0, 0, 0]),
            ([[half, -half, half, half]], [0]),
        ]
    )


def constant_network(value: RationalLike) -> ReLUNetwork:
    """The constant ``value`` as a net with one hidden unit (output weight 0).

    >>> constant_network("1/2")(7)
    Fraction(1, 2)
    """
    return ReLUNetwork([([[1]], [0]), ([[0]], [to_rational(value, where="value")])])
