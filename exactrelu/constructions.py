"""Exact networks from the sources: tent map, sawtooth, asymmetric triangles.

Each function returns a :class:`~exactrelu.network.ReLUNetwork` with exact
rational weights (THEORY.md section 2).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Sequence

from .errors import DomainError, ShapeError
from .network import ReLUNetwork, _identity, compose
from .rationals import RationalLike, to_rational

__all__ = [
    "tent_map",
    "sawtooth",
    "triangle",
    "triangle_wave",
    "identity_network",
    "abs_network",
    "max_network",
]


def _check_count(name: str, value: int, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ShapeError(f"{name}={value!r} must be an int >= {minimum}")


def tent_map(k: int) -> ReLUNetwork:
    """The tent map D composed k times, D(x) = 2 relu(x) - 2 relu(2x - 1).

    k hidden layers of 2 units; on [0, 1], D^k has exactly 2^k pieces and
    D^k(i / 2^k) = i mod 2 (Telgarsky 2016; lecture "Benefits of depth", seed 004).

    >>> net = tent_map(2)
    >>> [net(Fraction(i, 4)) for i in range(5)]
    [Fraction(0, 1), Fraction(1, 1), Fraction(0, 1), Fraction(1, 1), Fraction(0, 1)]
    """
    _check_count("k", k, 1)
    layers = [([[1], [2]], [0, -1])]
    for _ in range(k - 1):
        layers.append(([[2, -2], [4, -4]], [0, -1]))
    layers.append(([[2, -2]], [0]))
    return ReLUNetwork(layers)


def sawtooth(depth: int) -> ReLUNetwork:
    """The lecture sawtooth f_l = 2 relu(f_{l-1}) + 2 relu(-f_{l-1}) - 2 = 2|f_{l-1}| - 2, f_0 = x.

    Two units per layer; the pieces double each layer (seed 000).

    >>> sawtooth(1)(5), sawtooth(2)(0)
    (Fraction(8, 1), Fraction(2, 1))
    """
    _check_count("depth", depth, 1)
    layers = [([[1], [-1]], [0, 0])]
    for _ in range(depth - 1):
        # f = 2 h1 + 2 h2 - 2; next units relu(f), relu(-f)
        layers.append(([[2, 2], [-2, -2]], [-2, 2]))
    layers.append(([[2, 2]], [-2]))
    return ReLUNetwork(layers)


def _peak(a: RationalLike, where: str) -> Fraction:
    value = to_rational(a, where=where)
    if not 0 < value < 1:
        raise DomainError(f"{where}={value} must lie strictly between 0 and 1")
    return value


def triangle(a: RationalLike) -> ReLUNetwork:
    """T_a(x) = x/a - relu(x - a)/(a(1-a)): x/a on [0, a], (1-x)/(1-a) on [a, 1] (seed 002).

    The first unit relu(x) equals x on [0, 1]; the network is meant for [0, 1].

    >>> triangle("1/4")("1/4"), triangle("1/4")(1)
    (Fraction(1, 1), Fraction(0, 1))
    """
    p = _peak(a, "a")
    return ReLUNetwork([([[1], [1]], [0, -p]), ([[1 / p, -1 / (p * (1 - p))]], [0])])


def triangle_wave(peaks: Sequence[RationalLike]) -> ReLUNetwork:
    """W_i = T_{a_i} o ... o T_{a_0} for peaks (a_0, ..., a_i); 2^{i+1} pieces on [0, 1] (seed 002).

    >>> from exactrelu import propagate
    >>> propagate(triangle_wave(["1/3", "1/2", "2/5"]), (0, 1)).output.pieces
    8
    """
    if isinstance(peaks, (str, bytes)) or len(peaks) == 0:
        raise ShapeError("peaks must be a non-empty sequence of rationals in (0, 1)")
    net = triangle(_peak(peaks[0], "peaks[0]"))
    for i, a in enumerate(peaks[1:], start=1):
        net = compose(triangle(_peak(a, f"peaks[{i}]")), net)
    return net


def identity_network(dim: int = 1) -> ReLUNetwork:
    """One hidden layer of 2*dim units computing the identity, y = relu(y) - relu(-y)."""
    _check_count("dim", dim, 1)
    return _identity(dim)


def abs_network() -> ReLUNetwork:
    """|x| = relu(x) + relu(-x), one hidden layer of 2 units."""
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
