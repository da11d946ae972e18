"""Tent map, sawtooth and the asymmetric triangle maps T_a, as exact networks.

Each function returns a :class:`~exactrelu.network.ReLUNetwork` with exact
rational weights (docs/theory.md, section 2).  The triangle map
``T_a(x) = x/a`` on ``[0, a]`` and ``(1 - x)/(1 - a)`` on ``[a, 1]`` is
defined once, by :func:`triangle`; :func:`triangle_pwl` is the same function
as a :class:`~exactrelu.pwl.PiecewiseLinear`, evaluated from that network.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence

from .._validate import check_int
from ..errors import DomainError, ShapeError
from ..network import ReLUNetwork, check_weights, compose
from ..pwl import PiecewiseLinear
from ..rationals import RationalLike, to_rational

__all__ = [
    "tent_map",
    "sawtooth",
    "check_peaks",
    "triangle",
    "triangle_pwl",
    "triangle_wave",
]


def tent_map(k: int) -> ReLUNetwork:
    """The tent map D composed k times, D(x) = 2 relu(x) - 2 relu(2x - 1).

    k hidden layers of 2 units; on [0, 1], D^k has exactly 2^k pieces and
    D^k(i / 2^k) = i mod 2 (Telgarsky 2016; Risteski, lecture "Benefits of depth", CMU 10-707 (2020); docs/theory.md §2).

    >>> net = tent_map(2)
    >>> [net(Fraction(i, 4)) for i in range(5)]
    [Fraction(0, 1), Fraction(1, 1), Fraction(0, 1), Fraction(1, 1), Fraction(0, 1)]
    """
    check_int("k", k, 1)
    check_weights(4 + 6 * (k - 1) + 3, what=f"tent map D^{k}")  # dims (1, 2, ..., 2, 1)
    layers = [([[1], [2]], [0, -1])]
    for _ in range(k - 1):
        layers.append(([[2, -2], [4, -4]], [0, -1]))
    layers.append(([[2, -2]], [0]))
    return ReLUNetwork(layers)


def sawtooth(depth: int) -> ReLUNetwork:
    """The lecture sawtooth f_l = 2 relu(f_{l-1}) + 2 relu(-f_{l-1}) - 2 = 2|f_{l-1}| - 2, f_0 = x.

    Two units per layer; the pieces double each layer (lecture notes "Approximation with ReLU networks"; docs/theory.md §2).

    >>> sawtooth(1)(5), sawtooth(2)(0)
    (Fraction(8, 1), Fraction(2, 1))
    """
    check_int("depth", depth, 1)
    check_weights(4 + 6 * (depth - 1) + 3, what="sawtooth")  # dims (1, 2, ..., 2, 1)
    layers = [([[1], [-1]], [0, 0])]
    for _ in range(depth - 1):
        # f = 2 h1 + 2 h2 - 2; next units relu(f), relu(-f)
        layers.append(([[2, 2], [-2, -2]], [-2, 2]))
    layers.append(([[2, 2]], [-2]))
    return ReLUNetwork(layers)


def check_peaks(peaks: Any, *, minimum: int = 1, name: str = "peaks") -> tuple[Fraction, ...]:
    """Peaks ``a_0, a_1, ...`` of triangle maps: at least ``minimum`` rationals strictly inside (0, 1).

    >>> check_peaks(["1/3", "1/2"])
    (Fraction(1, 3), Fraction(1, 2))
    >>> check_peaks([1])
    Traceback (most recent call last):
    ...
    exactrelu.errors.DomainError: peaks[0]=1 must lie strictly between 0 and 1
    """
    if isinstance(peaks, (str, bytes)) or not isinstance(peaks, Sequence):
        raise ShapeError(f"{name}={peaks!r} must be a sequence of rationals in (0, 1)")
    if len(peaks) < minimum:
        raise ShapeError(f"{name} has {len(peaks)} entries, needs at least {minimum}")
    out = []
    for k, a in enumerate(peaks):
        value = to_rational(a, where=f"{name}[{k}]")
        if not 0 < value < 1:
            raise DomainError(f"{name}[{k}]={value} must lie strictly between 0 and 1")
        out.append(value)
    return tuple(out)


def triangle(a: RationalLike) -> ReLUNetwork:
    """T_a(x) = x/a - relu(x - a)/(a(1-a)): x/a on [0, a], (1-x)/(1-a) on [a, 1] (Milkert et al., Sec. 3).

    The first unit relu(x) equals x on [0, 1]; the network is meant for [0, 1].

    >>> triangle("1/4")("1/4"), triangle("1/4")(1)
    (Fraction(1, 1), Fraction(0, 1))
    """
    (p,) = check_peaks([a], name="peak")
    return ReLUNetwork([([[1], [1]], [0, -p]), ([[1 / p, -1 / (p * (1 - p))]], [0])])


def triangle_pwl(a: RationalLike) -> PiecewiseLinear:
    """``T_a`` on [0, 1] as a :class:`PiecewiseLinear`: the network :func:`triangle` at its vertices 0, a, 1.

    >>> triangle_pwl("1/4")
    PiecewiseLinear([(0, 0), ('1/4', 1), (1, 0)])
    """
    (p,) = check_peaks([a], name="peak")
    net = triangle(p)
    return PiecewiseLinear([(x, net.forward(x)[0]) for x in (Fraction(0), p, Fraction(1))])


def triangle_wave(peaks: Sequence[RationalLike]) -> ReLUNetwork:
    """W_i = T_{a_i} o ... o T_{a_0} for peaks (a_0, ..., a_i); 2^{i+1} pieces on [0, 1] (Milkert et al., Sec. 3).

    >>> from exactrelu import propagate
    >>> propagate(triangle_wave(["1/3", "1/2", "2/5"]), (0, 1)).output.pieces
    8
    """
    if hasattr(peaks, "__len__"):
        check_weights(4 + 6 * (len(peaks) - 1) + 3, what="triangle wave")  # dims (1, 2, ..., 2, 1)
    a = check_peaks(peaks)
    check_weights(4 + 6 * (len(a) - 1) + 3, what="triangle wave")  # dims (1, 2, ..., 2, 1)
    net = triangle(a[0])
    for p in a[1:]:
        net = compose(triangle(p), net)
    return net
