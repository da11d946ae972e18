"""Zigzag networks: one input, prod(m_l + 1) pieces on R, Serra et al.'s bound B3.

For width m >= 3 there is a one-hidden-layer function z_m of m units whose
restriction to [0, 1] goes 0 -> 1 -> 0 -> ... through m + 1 monotone pieces,
each onto [0, 1], and whose two unbounded pieces continue to -inf.  Composing
z_{m_L} o ... o z_{m_1} repeats every later breakpoint once in every piece of
the earlier layers, giving prod(m_l + 1) pieces on R, which is Serra et al.'s
bound B3 (Serra, Tjandraatmadja, Ramalingam 2018, Theorem 1), so the count is
optimal.  Why m >= 3: z(y) = c + sum_{i in P} c_i relu(y - t_i) + sum_{i in N}
c_i relu(t_i - y) has slope changes c_i at t_i and left slope
s_0 = -sum_{i in N} c_i (units switched on to the left carry the slope there).
With alternating slopes s_i = (-1)^i r_i K this needs a subset N with
sum_N c_i = -s_0: for odd m take N = {m}, r = (2, 1, ..., 1); for even m take
N = {m-1, m}, r_{m-2} = 2 and the other r_i = 1.  For m = 2 no subset works
(see :func:`exactrelu.search.refined_region_bound`), which is why widths 2
fall short of B3.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Sequence

from .._validate import check_widths
from ..network import ReLUNetwork, check_weights, compose, dims_weights

__all__ = ["zigzag_block", "zigzag_network"]


def zigzag_block(m: int, last: bool = False) -> ReLUNetwork:
    """One hidden layer of m units, R -> R, mapping each of its pieces onto [0, 1] (module docstring).

    m >= 3: m + 1 pieces on [0, 1], values alternating 0, 1, ...; m = 2: the tent
    D(y) = 2 relu(y) - 2 relu(2y - 1), or in the last layer the flat-bottomed V
    relu(y - 1/3) + relu(2/3 - y) (3 pieces over [0, 1], no slope 0 at 0 or 1,
    so a kink at every fold of the layers below); m = 1: relu(y).

    >>> [zigzag_block(3)(x) for x in (0, 1)]
    [Fraction(0, 1), Fraction(0, 1)]
    """
    (m,) = check_widths((m,), name="m")
    check_weights(3 * m + 1, what=f"zigzag block of width {m}")
    if m == 1:
        return ReLUNetwork([([[1]], [0]), ([[1]], [0])])
    if m == 2 and last:
        return ReLUNetwork([([[1], [-1]], ["-1/3", "2/3"]), ([[1, 1]], [0])])
    if m == 2:
        return ReLUNetwork([([[1], [2]], [0, -1]), ([[2, -2]], [0])])
    r = [Fraction(1)] * (m + 1)
    if m % 2:
        r[0] = Fraction(2)
        negative = {m}
    else:
        r[m - 2] = Fraction(2)
        negative = {m - 1, m}
    lengths = [1 / v for v in r]
    K = sum(lengths)  # piece i has length lengths[i] / K and slope (-1)^i r_i K
    slopes = [(-1) ** i * r[i] * K for i in range(m + 1)]
    t, acc = [], Fraction(0)
    for i in range(m):
        acc += lengths[i] / K
        t.append(acc)
    changes = [slopes[i + 1] - slopes[i] for i in range(m)]  # at t[i], unit i + 1 (1-based)
    W, b, out = [], [], []
    const = Fraction(0)
    for i in range(m):
        if (i + 1) in negative:  # c relu(t - y): on to the left
            W.append([-1])
            b.append(t[i])
            const -= changes[i] * t[i]  # z(0) = 0
        else:
            W.append([1])
            b.append(-t[i])
        out.append(changes[i])
    return ReLUNetwork([(W, b), ([out], [const])])


def zigzag_network(widths: Sequence[int]) -> ReLUNetwork:
    """z_{m_L} o ... o z_{m_1} (module docstring): the tightness search's structured start.

    With every m_l >= 3 it has exactly prod(m_l + 1) pieces on R, B3; with a
    tent first layer (m_1 = 2) and m_2 >= 2 it has 3 + 2 m_2 pieces, the
    refined bound.

    >>> from exactrelu import propagate
    >>> propagate(zigzag_network((3, 3))).pieces, propagate(zigzag_network((4, 3, 3))).pieces
    (16, 80)
    >>> propagate(zigzag_network((2, 2))).pieces, propagate(zigzag_network((3, 2))).pieces
    (7, 12)
    """
    ws = check_widths(widths)
    check_weights(dims_weights((1, *ws, 1)), what=f"zigzag network {ws}")
    net = zigzag_block(ws[0], last=len(ws) == 1)
    for l, m in enumerate(ws[1:], start=2):
        net = compose(zigzag_block(m, last=l == len(ws)), net)
    return net
