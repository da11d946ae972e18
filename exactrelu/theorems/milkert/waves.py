"""Exact triangle waves of Milkert, Hyde, Laine: W_i, Eq. (5) coefficients, the compositional network.

Milkert, Hyde, Laine, arXiv:2311.18022v2, Sections 3 and 3.1 (Figure 2); our
statement in docs/theory.md §2 and §4.  Everything is exact (Fractions).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence

from ...constructions import check_peaks, triangle_pwl
from ...errors import DomainError, ShapeError
from ...network import ReLUNetwork
from ...pwl import PiecewiseLinear
from ...rationals import RationalLike, to_rational

__all__ = ["triangle_pwl", "waves", "wave_peaks", "eq5_coefficients", "sum_of_waves", "wave_sum",
           "compositional_network"]


def waves(peaks: Sequence[RationalLike]) -> tuple[PiecewiseLinear, ...]:
    """``(W_0, ..., W_{len-1})`` with ``W_i = T_{a_i} o ... o T_{a_0}`` on [0, 1].

    >>> [w.pieces for w in waves(["1/3", "1/2", "2/5"])]
    [2, 4, 8]
    """
    out: list[PiecewiseLinear] = []
    for a in check_peaks(peaks):
        tri = triangle_pwl(a)
        out.append(tri if not out else tri.compose(out[-1]))
    return tuple(out)


def wave_peaks(wave: PiecewiseLinear) -> tuple[Fraction, ...]:
    """The points where a wave takes the value 1 (its peaks), increasing."""
    return tuple(x for x, y in zip(wave.breakpoints, wave.values) if y == 1)


def eq5_coefficients(peaks: Sequence[RationalLike], s0: RationalLike = 1, *,
                     swapped: bool = False) -> tuple[Fraction, ...]:
    """``(s_0, ..., s_{len-2})`` by Eq. (5), ``s_{i+1} = s_i (1 - a_{i+1}) a_{i+2}``.

    ``s_i`` needs ``a_{i+1}``, so peaks ``a_0..a_{n+1}`` give ``s_0..s_n``.
    ``swapped=True`` uses the wrong rule ``s_{i+1} = s_i (1 - a_{i+2}) a_{i+1}``.

    >>> eq5_coefficients(["1/2"] * 4, "1/4")
    (Fraction(1, 4), Fraction(1, 16), Fraction(1, 64))
    """
    a = check_peaks(peaks, minimum=2)
    s = [to_rational(s0, where="s0")]
    for i in range(len(a) - 2):
        lo, hi = (a[i + 2], a[i + 1]) if swapped else (a[i + 1], a[i + 2])
        s.append(s[-1] * (1 - lo) * hi)
    return tuple(s)


def sum_of_waves(ws: Sequence[PiecewiseLinear], coefficients: Sequence[Fraction]) -> PiecewiseLinear:
    total = PiecewiseLinear([(0, 0), (1, 0)])
    for w, c in zip(ws, coefficients):
        total = total + c * w
    return total


def wave_sum(peaks: Sequence[RationalLike], coefficients: Sequence[RationalLike], *,
             sign: int = -1) -> PiecewiseLinear:
    """``x + sign * sum_{i<len(coefficients)} s_i W_i`` on [0, 1] (sign -1: convex targets).

    >>> wave_sum(["1/2", "1/2"], ["1/4"])
    PiecewiseLinear([(0, 0), ('1/2', '1/4'), (1, 1)])
    """
    if sign not in (1, -1):
        raise ShapeError(f"sign={sign!r} must be 1 or -1")
    coeffs = [to_rational(c, where=f"coefficients[{k}]") for k, c in enumerate(coefficients)]
    a = check_peaks(peaks)
    if len(coeffs) > len(a):
        raise ShapeError(f"{len(coeffs)} coefficients need at least as many peaks, got {len(a)}")
    line = PiecewiseLinear([(0, 0), (1, 1)])
    if not coeffs:
        return line
    return line + sign * sum_of_waves(waves(a[:len(coeffs)]), coeffs)


def compositional_network(peaks: Sequence[RationalLike], coefficients: Sequence[RationalLike],
                          *, sign: int = -1,
                          scales: str | Sequence[RationalLike] | None = None) -> ReLUNetwork:
    """The paper's compositional network: four units per hidden layer, output ``x + sign F_n``.

    Hidden layer l = 1..n+1 (n + 1 = ``len(coefficients)``) holds, on [0, 1] and
    times a positive scale ``lambda_l``: the running sum ``x + sign F_{l-2} + B``
    (``B = sum |s_i|`` keeps it non-negative, so its ReLU is the identity), the two
    triangle units ``W_{l-2}`` and ``relu(W_{l-2} - a_{l-1})`` (``W_{-1} = x``), and
    the constant 1.  The next layer reads ``W_{l-1} = t/a - r/(a(1-a))`` from the
    triangle pair (weight sharing); every bias after the first layer comes from the
    constant unit (Milkert et al., Section 3, Figure 2).

    Parameters
    ----------
    peaks : sequence of rationals in (0, 1)
        ``a_0..a_m`` with ``m + 1 >= len(coefficients)``.
    coefficients : sequence of rationals
        ``s_0..s_n`` (e.g. from :func:`eq5_coefficients`).
    sign : -1 or 1
    scales : None, "decay" or sequence of n + 1 positive rationals
        ``lambda_l``; None: all 1; "decay": ``|s_{l-1}/s_0|`` (amplitudes decay with
        the coefficients, as the paper distributes their ratios among the weights).

    Examples
    --------
    >>> from exactrelu import propagate
    >>> a = ["1/3", "2/5", "1/2"]
    >>> s = eq5_coefficients(a)
    >>> net = compositional_network(a, s)
    >>> net.widths, propagate(net, (0, 1)).output == wave_sum(a, s)
    ((4, 4), True)
    """
    if sign not in (1, -1):
        raise ShapeError(f"sign={sign!r} must be 1 or -1")
    s = [to_rational(c, where=f"coefficients[{k}]") for k, c in enumerate(coefficients)]
    if not s:
        raise ShapeError("coefficients must be non-empty")
    a = check_peaks(peaks)
    if len(a) < len(s):
        raise ShapeError(f"{len(s)} coefficients need at least {len(s)} peaks, got {len(a)}")
    depth = len(s)
    lam = _scales(scales, s)
    bound = sum(abs(c) for c in s)
    one = Fraction(1)
    layers: list[Any] = [([[lam[0]], [lam[0]], [lam[0]], [0]],
                          [lam[0] * bound, 0, -lam[0] * a[0], lam[0]])]
    for l in range(1, depth):  # layer l+1 from layer l (1-based); wave W_{l-1}, peak a_{l-1}
        rho = lam[l] / lam[l - 1]
        ct, cr = one / a[l - 1], -one / (a[l - 1] * (1 - a[l - 1]))
        g = sign * s[l - 1]
        layers.append(([[rho, rho * g * ct, rho * g * cr, 0],
                        [0, rho * ct, rho * cr, 0],
                        [0, rho * ct, rho * cr, -rho * a[l]],
                        [0, 0, 0, rho]], [0, 0, 0, 0]))
    last = lam[-1]
    ct, cr = one / a[depth - 1], -one / (a[depth - 1] * (1 - a[depth - 1]))
    g = sign * s[-1]
    layers.append(([[1 / last, g * ct / last, g * cr / last, -bound / last]], [0]))
    return ReLUNetwork(layers)


def _scales(scales, s: list[Fraction]) -> list[Fraction]:
    if scales is None:
        return [Fraction(1)] * len(s)
    if isinstance(scales, str):
        if scales != "decay":
            raise ShapeError(f"scales={scales!r} must be None, 'decay' or a sequence")
        if any(c == 0 for c in s):
            raise DomainError("scales='decay' needs every coefficient non-zero")
        return [abs(c / s[0]) for c in s]
    lam = [to_rational(v, where=f"scales[{k}]") for k, v in enumerate(scales)]
    if len(lam) != len(s) or any(v <= 0 for v in lam):
        raise ShapeError(f"scales must be {len(s)} positive rationals, got {scales!r}")
    return lam
