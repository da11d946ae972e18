"""Telgarsky's depth separation, computed exactly (THEORY.md section 3).

f = D^K is the tent map composed K times (``tent_map(K)``); on [0, 1] it has
2^K pieces and D^K(i / 2^K) = i mod 2.  For any g given as a network or a
:class:`~exactrelu.PiecewiseLinear`, this module computes, exactly:

* ``int_a^b |f - g|`` (:func:`l1_distance`), split at every breakpoint of
  either function and at every crossing of f - g, with no quadrature;
* the counting argument of the lecture (seed 004, slides "Shallow g's can't
  approximate f") and of Telgarsky (2016), Section 3: the intervals on which
  f stays on one side of 1/2, their areas, the crossing numbers Cr(f) and
  Cr(g), the certified lower bound and the closed-form one
  (:func:`separation_report`);
* the theorem as a check on a concrete g (:func:`check_theorem`): the
  lecture's statement (seed 004, slide "Separating deep and shallow
  networks", credited to Telgarsky 2015): with K = 2L^2 + 2, every g with at
  most L hidden layers and at most 2^L hidden units has
  ``int_0^1 |f - g| >= 1/32``;
* Lemma 3.1 of Telgarsky (2016) on arbitrary pairs (:func:`crossing_lemma`).

Conventions, fixed here once
----------------------------
*Sides.*  As in Telgarsky (2016), f~(x) = 1[f(x) >= 1/2].  Cr(h) on [a, b] is
the number of maximal intervals of [a, b] on which h~ is constant
(:func:`crossing_intervals`); a point where h touches 1/2 from below is a
one-point interval of its own, so it counts.  For f = D^K on [0, 1], f - 1/2
changes sign exactly at c_i = (2i + 1) / 2^{K+1}, i = 0..2^K - 1, so
Cr(f) = 2^K + 1: the closed "above" intervals [c_{2i}, c_{2i+1}] and the open
"below" ones between them, plus the two end intervals [0, c_0) and (c_last, 1].
The 2^K - 1 interior intervals are the *triangles* (base 2^{-K}, height 1/2,
area 2^{-K-2}); the two end intervals are half triangles (area 2^{-K-3}).
The slide's N_f = 2^{2L^2+2} - 1 = 2^K - 1 counts the interior triangles only;
Cr(f) = N_f + 2.

*Wrong side.*  A triangle lies *on the wrong side* of g when
``(g - 1/2)`` has the opposite weak sign on the whole closed triangle: g <= 1/2
on an above triangle, g >= 1/2 on a below one.  That is exactly what the area
argument needs (then ``|f - g| >= |f - 1/2|`` on the triangle), so g touching
1/2 at a triangle's ends, or running along 1/2, still counts.  Telgarsky's
Lemma 3.1 counts the stricter event "f~ != g~ on all of U": for an above
interval (closed, f~ = 1) it needs g < 1/2 on the closed interval, for a below
interval it is the same as the weak condition (continuity).  Both counts are
reported.

*Bounds.*  ``certified`` is the total area of the f-intervals (end halves
included) lying on the wrong side of the actual g; ``closed_form`` is
``(N_f - 2 N_g)/2 * 2^{-K-2}`` with N_f = 2^K - 1 and N_g = pieces of g on
[0, 1].  Always exact >= certified >= closed_form.

Findings (checked by the tests and ``exactrelu verify``)
-------------------------------------------------------
* The slide's count argument (at least (m - 1)/2 of the m triangles inside one
  interval of g are on the other side; at most one triangle lost per boundary
  of g) gives ``(N_f - 2 Cr(g) + 1)/2`` triangles; with N_g read as *pieces*,
  Cr(g) <= N_g + 1 only yields ``(N_f - 2 N_g - 1)/2``, half a triangle short
  of the slide's ``(N_f - 2 N_g)/2``.  The claim is still true: the count is
  an integer and N_f is odd, and a parity argument (an interval of g holding
  an odd number of whole triangles with the majority on g's side forces the
  next interval's triangles to agree with g as well, which alternation
  forbids) recovers the half; the tests check it on many g.
* THEORY.md's ``>= 1/16 - 2^{-2L^2-4}`` follows the slide's rounding of
  (N_f - 2 N_g)/2 = 2^{2L^2} - 1/2 down to 2^{2L^2} - 1; the unrounded closed
  form is 1/16 - 2^{-2L^2-5}.  Both are >= 1/32.
* For fixed hidden layers the L1 objective is convex in the output weights
  but *not* piecewise linear (as an issue comment suggested): it is piecewise
  quadratic.  Witness: for every K, ``int_0^1 |D^K - c| = c^2 - c + 1/2`` for
  c in [0, 1] (D^K pushes the uniform measure to itself), checked exactly.

References
----------
M. Telgarsky, "Representation benefits of deep feedforward networks",
arXiv:1509.08101 (2015): the tent-map ("mirror map") construction and the
classification separation.
M. Telgarsky, "Benefits of depth in neural networks", COLT 2016, PMLR 49,
arXiv:1602.04485, Section 3, Lemma 3.1 (crossing numbers).  The lemma's
statement is used as quoted in THEORY.md section 3; its full text was not
retrievable here, so it is checked as stated, not as printed.
A. Risteski, lecture 2 "Benefits of depth", CMU 10707 (2020), seed 004: the
theorem with 1/32 and the counting proof.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any
import numpy as np

from ..._validate import check_int, check_interval
from ...constructions import constant_network
from ...errors import ShapeError
from ...network import ReLUNetwork
from ...pwl import PiecewiseLinear
from ...rationals import RationalLike, to_rational
from ...report import CheckResult
from . import columns as C
from .columns import FunctionLike
from .search import BEST_KNOWN, SearchResult, params_to_net, teeth_start

__all__ = [
    "FunctionLike",
    "HALF",
    "l1_distance",
    "SideInterval",
    "crossing_intervals",
    "crossing_number",
    "tent_side_intervals",
    "LemmaCheck",
    "crossing_lemma",
    "SeparationReport",
    "separation_report",
    "TheoremCheck",
    "check_theorem",
    "theorem_K",
    "constant_network",
    "best_known_network",
    "verify_checks",
]

HALF = Fraction(1, 2)
THEOREM_BOUND = Fraction(1, 32)


def l1_distance(
    f: FunctionLike, g: FunctionLike, a: RationalLike, b: RationalLike, *, max_pieces: int | None = None
) -> Fraction:
    """Exact ``int_a^b |f - g|`` for networks (one input, one output) or PiecewiseLinear functions.

    Networks are propagated exactly on [a, b]; the integral is split at every
    vertex of either function and, inside each segment, at the crossing of
    f - g (in closed form, never materialised).  When the larger function has
    one common denominator (D^K: 2^K), the work runs on int64 columns.

    Raises
    ------
    DomainError
        ``a >= b``, or a PiecewiseLinear whose domain does not contain [a, b].
    ShapeError
        A network that is not R -> R.

    Examples
    --------
    >>> from exactrelu import tent_map
    >>> l1_distance(tent_map(3), PiecewiseLinear.affine(0, "1/2", (0, 1)), 0, 1)
    Fraction(1, 4)
    """
    lo, hi = check_interval(a, b)
    return C.l1_columns(C.columns(f, lo, hi, max_pieces), C.columns(g, lo, hi, max_pieces))


# ------------------------------------------------------------ crossing intervals
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


def _as_pwl(h: FunctionLike, a: Fraction, b: Fraction) -> PiecewiseLinear:
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
    p = _as_pwl(h, lo, hi)
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
        left = xs[i] if i == 0 or ys[i] == c else _cross(xs[i - 1], ys[i - 1], xs[i], ys[i], c)
        right = xs[j] if j == len(xs) - 1 or ys[j] == c else _cross(xs[j], ys[j], xs[j + 1], ys[j + 1], c)
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


def _cross(x0, y0, x1, y1, c) -> Fraction:
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
    _check_k(k)
    n = 1 << k
    pts = [Fraction(0)] + [Fraction(2 * i + 1, 2 * n) for i in range(n)] + [Fraction(1)]
    return tuple(
        SideInterval(pts[j], pts[j + 1], j % 2 == 1 or j == 0, j % 2 == 1 or j == n, j % 2 == 1)
        for j in range(n + 1)
    )


def _check_k(k: int) -> None:
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
        """Cr(g) <= pieces(g) + 1 (THEORY.md 3)."""
        return self.cr_g <= self.pieces_g + 1


def crossing_lemma(f: FunctionLike, g: FunctionLike, a: RationalLike = 0, b: RationalLike = 1) -> LemmaCheck:
    """Count the intervals of f on which f~ != g~ throughout, for Telgarsky (2016), Lemma 3.1.

    Exact and general (any two functions, Fractions): an above interval [l, r]
    of f counts iff max g < 1/2 on [l, r]; a below interval counts iff
    min g >= 1/2 on its closure (g is continuous).  Extremes of g on an
    interval are attained at its ends or at g's breakpoints inside.

    >>> from exactrelu import tent_map
    >>> crossing_lemma(tent_map(3), PiecewiseLinear.affine(0, 1, (0, 1))).disagree   # the 4 below ones, ends included
    5
    """
    lo, hi = check_interval(a, b)
    gp = _as_pwl(g, lo, hi)
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


# ----------------------------------------------------------- the counting proof
@dataclass(frozen=True)
class SeparationReport:
    """Every number of the counting proof for f = D^K and one g on [0, 1], exact.

    Attributes
    ----------
    K : int
    exact : Fraction
        ``int_0^1 |f - g|``.
    certified : Fraction
        Total area of f's intervals (triangles and the two end halves) lying on
        the wrong side of g (weak sense, see the module docstring).
    closed_form : Fraction
        ``(N_f - 2 N_g)/2 * 2^{-K-2}`` (may be negative when g has many pieces).
    n_f, n_g : int
        N_f = 2^K - 1 interior triangles; N_g = pieces of g on [0, 1].
    cr_f, cr_g : int
        Crossing numbers on [0, 1]; cr_f = 2^K + 1.
    wrong_interior, wrong_ends : int
        Triangles / end halves on the wrong side of g (weak sense).
    wrong_interior_strict : int
        Interior triangles with f~ != g~ throughout (the slide's count).
    disagree : int
        All intervals of f (ends included) with f~ != g~ throughout (Lemma 3.1's count).
    """

    K: int
    exact: Fraction
    certified: Fraction
    closed_form: Fraction
    n_f: int
    n_g: int
    cr_f: int
    cr_g: int
    wrong_interior: int
    wrong_ends: int
    wrong_interior_strict: int
    disagree: int

    @property
    def triangle_area(self) -> Fraction:
        return Fraction(1, 1 << (self.K + 2))

    @property
    def closed_form_count(self) -> Fraction:
        """(N_f - 2 N_g)/2: the slide's guaranteed number of wrong-side triangles."""
        return Fraction(self.n_f - 2 * self.n_g, 2)

    @property
    def ordered(self) -> bool:
        """exact >= certified >= closed_form."""
        return self.exact >= self.certified >= self.closed_form

    @property
    def lemma(self) -> LemmaCheck:
        return LemmaCheck(self.disagree, self.cr_f, self.cr_g, self.n_g)

    @property
    def consistent(self) -> bool:
        """Every inequality of the argument: ordering, slide count, Lemma 3.1, Cr(g) <= N_g + 1."""
        return (
            self.ordered
            and self.wrong_interior_strict >= self.closed_form_count
            and self.wrong_interior >= self.wrong_interior_strict
            and self.lemma.holds
            and self.lemma.crossing_vs_pieces_holds
        )

    def to_dict(self) -> dict:
        return {
            "K": self.K, "exact": str(self.exact), "certified": str(self.certified),
            "closed_form": str(self.closed_form), "N_f": self.n_f, "N_g": self.n_g,
            "Cr_f": self.cr_f, "Cr_g": self.cr_g, "wrong_interior": self.wrong_interior,
            "wrong_ends": self.wrong_ends, "wrong_interior_strict": self.wrong_interior_strict,
            "disagree": self.disagree, "lemma_bound": str(self.lemma.bound),
            "ordered": self.ordered, "consistent": self.consistent,
        }


def separation_report(K: int, g: FunctionLike, *, max_pieces: int | None = None) -> SeparationReport:
    """The three numbers and the counts of the counting proof for f = D^K and g on [0, 1].

    f's columns are built in closed form (x = i/2^K, y = i mod 2; THEORY.md 2,
    checked against the propagator by the tests); g's sign relative to 1/2 is
    evaluated exactly at the 2^K crossings of f and at g's own vertices.

    >>> r = separation_report(4, constant_network(HALF))
    >>> r.exact, r.certified, r.closed_form, r.ordered
    (Fraction(1, 4), Fraction(1, 4), Fraction(13, 128), True)
    """
    _check_k(K)
    zero, one = Fraction(0), Fraction(1)
    gc = C.columns(g, zero, one, max_pieces)
    fc = C.tent_columns(K)
    n = 1 << K
    exact = C.l1_columns(fc, gc)
    # points 0, c_0..c_{n-1}, 1 over the denominator 2^{K+1}
    Xq = np.empty(n + 2, dtype=object)
    Xq[0], Xq[-1] = 0, 2 * n
    Xq[1:-1] = (2 * np.arange(n, dtype=np.int64) + 1).astype(object)
    Wq = np.full(n + 2, 2 * n, dtype=object)
    s = C.signs_at(Xq, Wq, gc, HALF)
    smax = np.maximum(s[:-1], s[1:])
    smin = np.minimum(s[:-1], s[1:])
    Xg, _, Wg = gc
    if Xg.shape[0] > 2:  # g's interior vertices fall into interval (points strictly left) - 1
        t = np.clip(C.locate(Xg[1:-1], Wg[1:-1], Xq, Wq) - 1, 0, n)
        vs = C.vertex_signs(gc, HALF)[1:-1]
        np.maximum.at(smax, t, vs)
        np.minimum.at(smin, t, vs)
    above = (np.arange(n + 1) % 2) == 1
    weak = np.where(above, smax <= 0, smin >= 0)
    strict = np.where(above, smax < 0, smin >= 0)
    wrong_ends = int(weak[0]) + int(weak[-1])
    wrong_interior = int(np.count_nonzero(weak[1:-1]))
    area = Fraction(1, 4 * n)
    n_g = C.pieces(gc)
    return SeparationReport(
        K=K,
        exact=exact,
        certified=area * wrong_interior + area / 2 * wrong_ends,
        closed_form=Fraction(n - 1 - 2 * n_g, 2) * area,
        n_f=n - 1,
        n_g=n_g,
        cr_f=C.crossing_count(fc, HALF),
        cr_g=C.crossing_count(gc, HALF),
        wrong_interior=wrong_interior,
        wrong_ends=wrong_ends,
        wrong_interior_strict=int(np.count_nonzero(strict[1:-1])),
        disagree=int(np.count_nonzero(strict)),
    )


# ------------------------------------------------------------------ the theorem
def theorem_K(L: int) -> int:
    """K = 2L^2 + 2 (seed 004: "the function f in the theorem will be Delta^{2L^2+2}")."""
    check_int("L", L, 1)
    return 2 * L * L + 2


@dataclass(frozen=True, init=False)
class TheoremCheck(CheckResult):
    """The lecture theorem (seed 004) checked on one g: hypotheses, the three numbers, the verdict.

    A :class:`~exactrelu.report.CheckResult`: ``holds`` is True when the
    hypotheses apply and the exact certificate holds; ``value`` is the exact
    distance, ``expected`` the theorem's bound.
    """

    L: int = 0
    K: int = 0
    network: Any = None
    hypotheses: tuple[tuple[str, bool, str], ...] = ()
    report: Any = None
    bound: Fraction = field(default=THEOREM_BOUND)

    def __init__(self, L: int, K: int, network: ReLUNetwork, hypotheses: tuple[tuple[str, bool, str], ...],
                 report: SeparationReport, bound: Fraction = THEOREM_BOUND) -> None:
        values = {"L": L, "K": K, "network": network, "hypotheses": hypotheses, "report": report, "bound": bound}
        for name, v in values.items():
            object.__setattr__(self, name, v)
        super().__init__(f"L={L}, K={K}: int_0^1 |D^K - g| >= {bound}", "Telgarsky (2016); lecture seed 004",
                         self.applies and self.certificate_holds, str(report.exact), f">= {bound}",
                         "" if self.applies else f"hypothesis fails: {self.failed_hypothesis}")

    @property
    def applies(self) -> bool:
        return all(ok for _, ok, _ in self.hypotheses)

    @property
    def failed_hypothesis(self) -> str | None:
        for name, ok, detail in self.hypotheses:
            if not ok:
                return f"{name} ({detail})"
        return None

    @property
    def pieces_bound(self) -> int:
        """2^{2L^2}: the slide's N_g <= (2n)^L <= 2^{2L^2} for n <= 2^L units."""
        return 1 << (2 * self.L * self.L)

    @property
    def certificate_holds(self) -> bool:
        """N_g <= 2^{2L^2}, closed_form >= 1/32 and exact >= certified >= closed_form, all exact."""
        r = self.report
        return r.n_g <= self.pieces_bound and r.closed_form >= self.bound and r.consistent

    def to_dict(self) -> dict:
        return {
            "L": self.L, "K": self.K, "widths": list(self.network.widths),
            "hypotheses": [{"name": n, "holds": ok, "detail": d} for n, ok, d in self.hypotheses],
            "applies": self.applies, "pieces_bound": self.pieces_bound, "bound": str(self.bound),
            "certificate_holds": self.certificate_holds, "report": self.report.to_dict(),
            "network": self.network.to_dict(),
        }


def check_theorem(L: int, g: ReLUNetwork, *, max_pieces: int | None = None) -> TheoremCheck:
    """Check g against the theorem for L: hypotheses, K = 2L^2 + 2, and the exact certificate.

    Hypotheses (seed 004): g: [0,1] -> R is a ReLU network with at most L
    hidden layers and at most 2^L hidden units.  A failing one is named in
    :attr:`TheoremCheck.failed_hypothesis`; the numbers are computed anyway.

    >>> c = check_theorem(1, constant_network(HALF))
    >>> c.applies, c.certificate_holds, c.report.exact
    (True, True, Fraction(1, 4))
    """
    K = theorem_K(L)
    if not isinstance(g, ReLUNetwork):
        raise TypeError(f"the theorem is about networks; got {type(g).__name__}")
    if g.input_dim != 1 or g.output_dim != 1:
        raise ShapeError(f"g must map R -> R; it maps R^{g.input_dim} -> R^{g.output_dim}")
    hyps = (
        ("at most L hidden layers", g.depth <= L, f"depth {g.depth}, L = {L}"),
        ("at most 2^L hidden units", g.size <= (1 << L), f"size {g.size}, 2^L = {1 << L}"),
    )
    return TheoremCheck(L, K, g, hyps, separation_report(K, g, max_pieces=max_pieces))


# -------------------------------------------------------------- reference nets
def best_known_network(L: int) -> ReLUNetwork:
    """The closest g to D^{2L^2+2} known here: the search's best for L = 1, 2, a structured net beyond.

    L = 1, 2: found by :func:`search_closest` (seed 0, default budget), stored
    in ``exactrelu.theorems.telgarsky.search.BEST_KNOWN`` and benchmarks/telgarsky/.
    L >= 3 (no search at K = 20 by default): one hidden layer of 2^L units
    following f exactly over its last 2^L kinks, flat at 1/2 elsewhere, which
    is within 2^L * 2^{-K-3}-ish of 1/4 (the L = 2 net, tuned for K = 10, is
    *worse* than the constant 1/2 against D^20).

    >>> best_known_network(1)
    ReLUNetwork([([[1], [1]], ['-15/16', '-105/116']), ([[-32, 16]], ['14/29'])])
    """
    K = theorem_K(L)
    if L in BEST_KNOWN:
        return ReLUNetwork(BEST_KNOWN[L])
    width = (1 << L,)
    return params_to_net(teeth_start(width, K, 0, width[0], HALF), width)


def search_closest(L: int, *, seed: int = 0, evals_per_start: int = 600, random_starts: int = 2) -> SearchResult:
    """Search the theorem's class for the g closest to D^{2L^2+2} in exact L1 (how loose is 1/32?).

    Strategy (details in :mod:`exactrelu.theorems.telgarsky.search`): every maximal
    architecture of the class; structured starts (the constant 1/2, which is
    optimal among constants, and nets that follow f's first/last teeth exactly
    and stay flat at a level chosen by an exact 1-D search; for depth 2 also
    ones whose first layer folds [0,1] with D); seeded random starts; then an
    exact-objective pattern search with shrinking dyadic steps.  Runs are
    reproducible for a seed; raise ``evals_per_start`` / ``random_starts`` for
    a larger budget.

    Returns
    -------
    SearchResult
        ``.network``, ``.distance`` (exact), ``.start``, ``.evaluations``.
    """
    from .search import search

    return search(L, theorem_K(L), seed=seed, evals_per_start=evals_per_start, random_starts=random_starts)


__all__.append("search_closest")


# ------------------------------------------------------------------ the report
def _random_pwl(rng, n_kinks: int, *, grid: int = 12, touching: bool = False) -> PiecewiseLinear:
    """A random PWL on [0, 1] with values on a grid containing 1/2 (touching and flat cases)."""
    xs = sorted({Fraction(rng.randint(1, grid - 1), grid) for _ in range(n_kinks)})
    values = [Fraction(rng.randint(0, 4), 4) for _ in range(len(xs) + 2)]
    if touching:
        values = [HALF if rng.random() < 0.4 else v for v in values]
    return PiecewiseLinear(list(zip([Fraction(0), *xs, Fraction(1)], values)))


def verify_checks() -> list[CheckResult]:
    """Theorem-report lines for ``exactrelu verify`` (docs/theory.md, section 3)."""
    import random

    from ...constructions import tent_map
    from ...propagate import propagate
    from ...pwl import l1_distance as pwl_l1

    seed004 = "lecture 'Benefits of depth' (seed 004); THEORY.md 3"
    lemma_src = "Telgarsky (2016), Lemma 3.1; THEORY.md 3"
    results: list[CheckResult] = []

    ks = range(1, 15)
    vals = [l1_distance(tent_map(k), constant_network(HALF), 0, 1) for k in ks]
    results.append(CheckResult("int_0^1 |D^k - 1/2| = 1/4, k = 1..14", "THEORY.md 3", all(v == Fraction(1, 4) for v in vals),
                               f"{vals[0]}..{vals[-1]}", "1/4"))

    rng = random.Random(3)
    ok, detail = True, ""
    for trial in range(40):
        k = rng.randint(1, 7)
        g = _random_pwl(rng, rng.randint(0, 6), touching=trial % 2 == 0)
        a = l1_distance(tent_map(k), g, 0, 1)
        b = pwl_l1(propagate(tent_map(k), (0, 1)).output, g, 0, 1)
        if a != b:
            ok, detail = False, f"k={k} g={g!r}: {a} != {b}"
    results.append(CheckResult("vectorised l1_distance == PiecewiseLinear oracle, 40 pairs", "exactrelu", ok,
                               "40 pairs", "equal", detail))

    for L in (1, 2):
        for name, g in (("constant 1/2", constant_network(HALF)), ("best found", best_known_network(L))):
            c = check_theorem(L, g)
            r = c.report
            results.append(CheckResult(
                f"L={L}, K={c.K}, g={name}: exact >= certified >= closed form >= 1/32",
                seed004, c.applies and c.certificate_holds,
                f"{float(r.exact):.6f} >= {float(r.certified):.6f} >= {float(r.closed_form):.6f}",
                ">= 1/32", "" if c.applies else f"hypothesis fails: {c.failed_hypothesis}"))

    rng = random.Random(2016)
    ok, detail, n = True, "", 0
    for trial in range(60):
        f = _random_pwl(rng, rng.randint(0, 10), touching=True)
        g = _random_pwl(rng, rng.randint(0, 4), touching=trial % 3 == 0)
        chk = crossing_lemma(f, g)
        n += 1
        if not (chk.holds and chk.crossing_vs_pieces_holds):
            ok, detail = False, f"f={f!r} g={g!r} {chk}"
    for K in range(1, 9):
        for trial in range(5):
            r = separation_report(K, _random_pwl(rng, rng.randint(0, 5), grid=1 << (K + 1), touching=True))
            n += 1
            if not r.consistent:
                ok, detail = False, f"K={K}: {r}"
    results.append(CheckResult(
        "Lemma 3.1 and Cr(g) <= pieces(g) + 1 on random PWL pairs (touching, flat); slide count on D^K",
        lemma_src, ok, f"{n} pairs", "no violation", detail))
    return results
