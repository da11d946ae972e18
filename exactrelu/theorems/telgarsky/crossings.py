"""Crossing intervals of a function with a level and Telgarsky (2016), Lemma 3.1, exactly.

Conventions (sides, closed/open intervals) are those of
:mod:`exactrelu.theorems.telgarsky`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ..._validate import check_int, check_interval
from ...pwl import PiecewiseLinear
from ...rationals import RationalLike, to_rational
from ...report import CheckResult
from . import columns as C
from .columns import FunctionLike

__all__ = ["HALF", "SideInterval", "as_pwl", "crossing_intervals", "crossing_point", "crossing_number",
           "tent_side_intervals", "check_k", "LemmaCheck", "crossing_lemma"]

HALF = Fraction(1, 2)


@dataclass(frozen=True)
class SideInterval:
    """A maximal interval of [a, b] on which ``1[h >= level]`` is constant (``above``)."""

    lo: Fraction
    hi: Fraction
    lo_closed: bool
    hi_closed: bool
    above: bool

    def __str__(self) -> str:
        left = "[" if self.lo_closed else "("
        right = "]" if self.hi_closed else ")"
        return f"{left}{self.lo}, {self.hi}{right} {'>=' if self.above else '<'}"


def as_pwl(h: FunctionLike, a: Fraction, b: Fraction) -> PiecewiseLinear:
    """h (a network or a PiecewiseLinear) as a PiecewiseLinear on [a, b]."""
    return C.to_pwl(C.columns(h, a, b))


def crossing_intervals(
    h: FunctionLike, a: RationalLike = 0, b: RationalLike = 1, level: RationalLike = HALF
) -> tuple[SideInterval, ...]:
    """The partition of [a, b] into maximal intervals of constant ``1[h >= level]`` (Telgarsky 2016, Sec. 3).

    ``{h >= level}`` is closed, so its components are closed intervals (possibly
    single points, where h touches the level from below); the gaps between
    them are open relative to [a, b].  ``len(result)`` is Cr(h).

    >>> from exactrelu import tent_map
    >>> [str(u) for u in crossing_intervals(tent_map(1))]
    ['[0, 1/4) <', '[1/4, 3/4] >=', '(3/4, 1] <']
    >>> touch = PiecewiseLinear([(0, 0), ("1/2", "1/2"), (1, 0)])
    >>> len(crossing_intervals(touch))   # the peak touches 1/2: a one-point interval
    3
    """
    lo, hi = check_interval(a, b)
    c = to_rational(level, where="level")
    p = as_pwl(h, lo, hi)
    xs, ys = list(p.breakpoints), list(p.values)
    comps: list[list[Fraction]] = []  # closed components [l, r] of {h >= c}
    i = 0
    while i < len(xs):
        if ys[i] < c:
            i += 1
            continue
        j = i
        while j + 1 < len(xs) and ys[j + 1] >= c:
            j += 1
        left = xs[i] if i == 0 or ys[i] == c else crossing_point(xs[i - 1], ys[i - 1], xs[i], ys[i], c)
        right = xs[j] if j == len(xs) - 1 or ys[j] == c else crossing_point(xs[j], ys[j], xs[j + 1], ys[j + 1], c)
        comps.append([left, right])
        i = j + 1
    result: list[SideInterval] = []
    cursor, cursor_closed = lo, True  # start of the next gap
    for left, right in comps:
        if left > cursor:
            result.append(SideInterval(cursor, left, cursor_closed, False, False))
        result.append(SideInterval(left, right, True, True, True))
        cursor, cursor_closed = right, False
    if not comps or cursor < hi:
        result.append(SideInterval(cursor, hi, cursor_closed, True, False))
    return tuple(result)


def crossing_point(x0, y0, x1, y1, c) -> Fraction:
    """Where the segment (x0, y0)-(x1, y1) meets the level c (y0 != y1)."""
    return x0 + (c - y0) * (x1 - x0) / (y1 - y0)


def crossing_number(h: FunctionLike, a: RationalLike = 0, b: RationalLike = 1, level: RationalLike = HALF) -> int:
    """Cr(h): the number of maximal intervals of [a, b] with constant ``1[h >= level]`` (integer columns).

    >>> from exactrelu import tent_map
    >>> crossing_number(tent_map(5))   # 2^5 + 1
    33
    """
    lo, hi = check_interval(a, b)
    return C.crossing_count(C.columns(h, lo, hi), to_rational(level, where="level"))


def tent_side_intervals(k: int) -> tuple[SideInterval, ...]:
    """The 2^k + 1 intervals of constant side of D^k on [0, 1], in closed form.

    Crossings at c_i = (2i + 1)/2^{k+1}; interval j (0 <= j <= 2^k) is above
    1/2 iff j is odd; intervals 1..2^k - 1 are the triangles, 0 and 2^k the
    half triangles at the ends.  O(2^k) objects: meant for small k.
    """
    check_k(k)
    n = 1 << k
    pts = [Fraction(0)] + [Fraction(2 * i + 1, 2 * n) for i in range(n)] + [Fraction(1)]
    return tuple(
        SideInterval(pts[j], pts[j + 1], j % 2 == 1 or j == 0, j % 2 == 1 or j == n, j % 2 == 1)
        for j in range(n + 1)
    )


def check_k(k: int) -> None:
    """K must be an int >= 1 (ShapeError naming it otherwise)."""
    check_int("K", k, 1)


# ------------------------------------------------------------------ Lemma 3.1
@dataclass(frozen=True, init=False)
class LemmaCheck(CheckResult):
    """Telgarsky (2016), Lemma 3.1 on one pair: ``disagree / Cr(f) >= (1/2)(1 - 2 Cr(g)/Cr(f))``.

    A :class:`~exactrelu.report.CheckResult`: ``value`` is ``disagree``,
    ``expected`` the lemma's bound, ``holds`` whether ``disagree >= bound``.
    """

    disagree: int = 0  # intervals U of f with f~ != g~ on all of U
    cr_f: int = 0
    cr_g: int = 0
    pieces_g: int = 0

    def __init__(self, disagree: int, cr_f: int, cr_g: int, pieces_g: int) -> None:
        bound = Fraction(cr_f - 2 * cr_g, 2)
        super().__init__("Lemma 3.1: intervals of f with f~ != g~ throughout", "Telgarsky (2016), Lemma 3.1",
                         disagree >= bound, str(disagree), f">= {bound}",
                         f"Cr(f) = {cr_f}, Cr(g) = {cr_g}, pieces(g) = {pieces_g}")
        for name, v in (("disagree", disagree), ("cr_f", cr_f), ("cr_g", cr_g), ("pieces_g", pieces_g)):
            object.__setattr__(self, name, v)

    @property
    def bound(self) -> Fraction:
        """The lemma's lower bound on ``disagree``: (Cr(f) - 2 Cr(g)) / 2."""
        return Fraction(self.cr_f - 2 * self.cr_g, 2)

    @property
    def crossing_vs_pieces_holds(self) -> bool:
        """Cr(g) <= pieces(g) + 1 (docs/theory.md §3)."""
        return self.cr_g <= self.pieces_g + 1


def crossing_lemma(f: FunctionLike, g: FunctionLike, a: RationalLike = 0, b: RationalLike = 1) -> LemmaCheck:
    """Count the intervals of f on which f~ != g~ throughout, for Telgarsky (2016), Lemma 3.1.

    Exact and general (any two functions, Fractions): an above interval [l, r]
    of f counts iff max g < 1/2 on [l, r]; a below interval counts iff
    min g >= 1/2 on its closure (g is continuous).  Extremes of g on an
    interval are attained at its ends or at g's breakpoints inside.

    >>> from exactrelu import tent_map
    >>> crossing_lemma(tent_map(3), PiecewiseLinear.affine(0, 1, (0, 1))).disagree   # the 5 below ones: 3 triangles and 2 end halves
    5
    """
    lo, hi = check_interval(a, b)
    gp = as_pwl(g, lo, hi)
    bx, bv = list(gp.breakpoints), list(gp.values)
    intervals = crossing_intervals(f, lo, hi)
    count = 0
    for u in intervals:
        inside = [v for x, v in zip(bx, bv) if u.lo < x < u.hi]
        vals = [gp(u.lo), gp(u.hi), *inside]
        if u.above:
            count += max(vals) < HALF
        else:
            count += min(vals) >= HALF
    return LemmaCheck(count, len(intervals), len(crossing_intervals(gp, lo, hi)), gp.pieces)


