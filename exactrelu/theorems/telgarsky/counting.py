"""The counting argument of Telgarsky's separation without enumerating D^K, and its tight count.

f = D^K on [0, 1] crosses 1/2 at ``c_i = (2i + 1)/(2n)``, ``n = 2^K``; its
intervals of constant side are ``I_0 = [0, c_0]``, ``I_j = [c_{j-1}, c_j]``
(``1 <= j <= n - 1``, the triangles) and ``I_n = [c_{n-1}, 1]``; ``I_j`` is
above 1/2 iff j is odd (docs/theory.md §3).  Whether ``I_j`` is on the wrong
side of g depends only on where the components of ``{g <= 1/2}`` and
``{g >= 1/2}`` lie, and the intervals inside one component form a range of j
found by a floor and a ceiling.  So every count here costs O(pieces of g),
whatever K is.

The tight count
---------------
**Proposition.**  Let g be continuous on [0, 1] with Cr(g) maximal intervals
of constant ``1[g >= 1/2]`` (Telgarsky 2016, Sec. 3), and call a triangle
*strictly wrong* when ``1[g >= 1/2]`` is constant on the closed triangle and
differs from f's side there.  Then

    #(strictly wrong triangles)  >=  floor((N_f - Cr(g) + 1) / 2),   N_f = 2^K - 1,

and for every ``1 <= N <= N_f`` some continuous PWL g with N pieces and
Cr(g) = N + 1 attains ``floor((N_f - N)/2)`` (:func:`tight_witness`).  Since
``Cr(g) <= pieces(g) + 1``, any g with N_g pieces has at least
``floor((N_f - N_g)/2)`` strictly wrong triangles, and this is the best
possible bound in terms of N_g.  (The weakly wrong triangles of the module
docstring are a superset, so they obey the same bound.)

*Proof of the bound.*  Let ``J_1 < ... < J_r`` (r = Cr(g)) be the components
of constant side, ``m_j`` the number of them meeting the triangle ``T_j``.
Components meeting consecutive triangles ``T_a..T_b`` overlap those triangles
only at the ``b - a`` shared endpoints, each of which lies in exactly one
component; so ``sum_j (m_j - 1) <= (number of components met) - 1``.  Call
``T_j`` *cut* when ``m_j >= 2``.  Between two consecutive uncut triangles
``T_j`` and ``T_{j'}`` (``D = j' - j``) lie ``D - 1`` cut ones, so g's side
changes ``n >= D - 1`` times from one to the other while f's side changes D
times; the wrong/right status therefore flips iff ``n - (D - 1)`` is even, and
keeping it costs at least one change beyond the ``D - 1``.  Over all gaps the
changes add up to at most ``r - 1``; with ``u`` uncut triangles and ``s`` gaps
across which the status is kept, ``r - 1 >= (N_f - u) + s``.  A 0/1 sequence of
length u with s equal neighbours has ``u - 1 - s`` flips, hence at least
``floor((u - s)/2)`` ones, and ``u - s >= N_f - r + 1``.  QED.

*Attainment.*  Put the N crossings of 1/2 strictly inside the triangles
``T_1, ..., T_N`` (one piece of g per crossing, each vertex of g between two
consecutive crossings, the last piece ending at x = 1 on the side of
``T_{N+1}``): the remaining ``N_f - N`` triangles are uncut, alternate in
side, and start with a right one, so exactly ``floor((N_f - N)/2)`` are wrong.

*Consequences.*  The slide's count ``(N_f - 2 N_g)/2`` is not sharp once
``N_g >= 3`` (K = 4: the tight counts are 7, 6, 6, 5, 5 for N_g = 1..5, the
slide's 7, 6, 5, 4, 3).  With ``N_g <= 2^{2L^2}`` and ``K = 2L^2 + 2`` the tight
count gives ``3 * 2^{2L^2 - 1} - 1`` triangles of area ``2^{-K-2}``, i.e.

    int_0^1 |f - g|  >=  3/32 - 2^{-2L^2 - 4}     (L = 1: 5/64),

in place of the lecture's ``1/16 - 2^{-2L^2-5}``; still far from the
``~ 1/4`` that the best networks found reach (benchmarks/telgarsky_search.md).
The tests enumerate the zigzag family exhaustively for small K and compare
its minima with the formula.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import ceil, floor

import numpy as np

from ...errors import BudgetExceededError, ShapeError
from ...measure import l1_distance as measure_l1
from ...pwl import PiecewiseLinear
from ...rationals import format_rational
from . import columns as C
from .columns import FunctionLike
from .crossings import HALF, LemmaCheck, as_pwl, check_k, crossing_intervals
from .teeth import tent_l1_distance

#: Largest K handled (4096, i.e. L <= 45): the structural path's integers have up to about 2K bits,
#: and every report value must stay printable under Python's 4300-digit limit for int -> str.
MAX_K = 1 << 12

__all__ = ["MAX_K", "check_depth_budget", "SeparationReport", "separation_report", "SideCounts", "side_counts", "tight_count",
           "tight_bound_constant", "tight_witness", "components"]


@dataclass(frozen=True)
class SideCounts:
    """Intervals of D^K on the wrong side of g: weak (interior, ends) and strict (interior)."""

    wrong_interior: int
    wrong_ends: int
    wrong_interior_strict: int


def components(g: PiecewiseLinear, keep: str) -> list[tuple[Fraction, Fraction]]:
    """Closed components ``[u, v]`` of ``{g <= 1/2}`` (``keep="le"``) or ``{g >= 1/2}`` (``"ge"``) on g's domain.

    For ``keep="lt"`` the components of ``{g < 1/2}`` are returned as the
    ``(u, v)`` of their closures (the set itself is open inside the domain).
    """
    xs, ys = list(g.breakpoints), list(g.values)

    def inside(y: Fraction) -> bool:
        return {"le": y <= HALF, "ge": y >= HALF, "lt": y < HALF}[keep]

    def cross(i: int) -> Fraction:  # where segment i (xs[i]..xs[i+1]) meets 1/2
        return xs[i] + (HALF - ys[i]) * (xs[i + 1] - xs[i]) / (ys[i + 1] - ys[i])

    comps: list[tuple[Fraction, Fraction]] = []
    i = 0
    while i < len(xs):
        if not inside(ys[i]):
            i += 1
            continue
        j = i
        while j + 1 < len(xs) and inside(ys[j + 1]):
            j += 1
        left = xs[i] if i == 0 or ys[i] == HALF else cross(i - 1)
        right = xs[j] if j == len(xs) - 1 or ys[j] == HALF else cross(j)
        comps.append((left, right))
        i = j + 1
    # g is affine between vertices, so a segment with both ends outside the set never meets it
    return comps


def _extremes(g: PiecewiseLinear, lo: Fraction, hi: Fraction) -> tuple[Fraction, Fraction]:
    values = [g(lo), g(hi)] + [y for x, y in zip(g.breakpoints, g.values) if lo < x < hi]
    return min(values), max(values)


def _count_parity(lo: int, hi: int, parity: int) -> int:
    """How many j in [lo, hi] have j % 2 == parity."""
    if hi < lo:
        return 0
    first = lo if lo % 2 == parity else lo + 1
    return 0 if first > hi else (hi - first) // 2 + 1


def side_counts(K: int, g: PiecewiseLinear) -> SideCounts:
    """Wrong-side counts of the intervals of D^K against g on [0, 1], in O(pieces of g).

    Weak (the module docstring of :mod:`exactrelu.theorems.telgarsky`): an above
    interval is wrong when g <= 1/2 on it, a below one when g >= 1/2 on it.
    Strict: an above interval needs g < 1/2 on it (a below one is the same).
    """
    n = 1 << K
    h = g.restrict(0, 1)
    c0, clast = Fraction(1, 2 * n), Fraction(2 * n - 1, 2 * n)
    low0, _ = _extremes(h, Fraction(0), c0)
    low1, _ = _extremes(h, clast, Fraction(1))
    wrong_ends = int(low0 >= HALF) + int(low1 >= HALF)  # both ends are below 1/2

    def closed_range(u: Fraction, v: Fraction) -> tuple[int, int]:
        # interior j (1..n-1) with c_{j-1} >= u and c_j <= v: j >= n u + 1/2, j <= n v - 1/2
        return max(1, ceil(n * u + HALF)), min(n - 1, floor(n * v - HALF))

    def open_range(u: Fraction, v: Fraction) -> tuple[int, int]:
        # interior j with c_{j-1} > u and c_j < v
        return max(1, floor(n * u + HALF) + 1), min(n - 1, ceil(n * v - HALF) - 1)

    weak_above = sum(_count_parity(*closed_range(u, v), 1) for u, v in components(h, "le"))
    weak_below = sum(_count_parity(*closed_range(u, v), 0) for u, v in components(h, "ge"))
    strict_above = sum(_count_parity(*open_range(u, v), 1) for u, v in components(h, "lt"))
    return SideCounts(weak_above + weak_below, wrong_ends, strict_above + weak_below)


def check_depth_budget(K: int, max_K: int = MAX_K) -> None:
    """BudgetExceededError when D^K's K would exceed ``max_K`` (its integers have K bits)."""
    if K > max_K:
        shown = str(K) if K < 10 ** 12 else f"a {len(str(K))}-digit number"
        error = BudgetExceededError(budget=max_K, layer=1, required=min(K, 1 << 64), name="max_K", unit="bits of 2^K")
        error.args = (f"K={shown} is above max_K={max_K}: the exact values of D^K need integers of about 2K bits "
                      "(the CLI's telgarsky --L gives K = 2L^2 + 2, so L <= 45)",)
        raise error


def tight_count(n_f: int, cr_g: int) -> int:
    """``max(0, floor((N_f - Cr(g) + 1)/2))``: strictly wrong triangles forced by Cr(g) (proved above)."""
    return max(0, (n_f - cr_g + 1) // 2)


def tight_bound_constant(L: int) -> Fraction:
    """``3/32 - 2^{-2L^2-4}``: the area the tight count guarantees under the theorem's hypotheses."""
    K = 2 * L * L + 2
    triangles = (((1 << K) - 1) - (1 << (2 * L * L))) // 2
    return Fraction(triangles, 1 << (K + 2))


def tight_witness(K: int, pieces: int) -> PiecewiseLinear:
    """A PWL g on [0, 1] with ``pieces`` pieces, Cr(g) = pieces + 1, and exactly
    ``floor((N_f - pieces)/2)`` strictly wrong triangles of D^K (the attainment half of the proposition).

    Piece i crosses 1/2 at the midpoint of triangle ``T_{i+1}`` (i = 0..pieces-1);
    vertices sit between consecutive crossings; the side of the last piece is
    that of ``T_{pieces+1}``.
    """
    n = 1 << K
    if not 1 <= pieces <= n - 1:
        raise ShapeError(f"pieces={pieces!r} must be in 1..2^K - 1 = {n - 1}")
    cuts = [Fraction(2 * j, 2 * n) for j in range(1, pieces + 1)]  # midpoint of T_j is j/n
    verts = [Fraction(0)] + [(a + b) / 2 for a, b in zip(cuts, cuts[1:])] + [Fraction(1)]
    # the last piece must end on T_{pieces+1}'s side: above iff pieces + 1 is odd
    end_above = (pieces + 1) % 2 == 1
    # each piece flips the side, so the first vertex's side is the last one's times (-1)^pieces
    first_sign = (1 if end_above else -1) * (-1) ** pieces
    values = [HALF + first_sign * Fraction(1, 4)]
    for k in range(1, len(verts)):
        # the segment from verts[k-1] to verts[k] crosses 1/2 exactly at cuts[k-1]
        u, c, x = verts[k - 1], cuts[k - 1], verts[k]
        values.append(HALF - (values[-1] - HALF) * (x - c) / (c - u))
    return PiecewiseLinear(list(zip(verts, values)))


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
    def tight_count(self) -> int:
        """floor((N_f - Cr(g) + 1)/2): strictly wrong triangles forced by Cr(g) (proved in :mod:`.counting`)."""
        return tight_count(self.n_f, self.cr_g)

    @property
    def tight_form(self) -> Fraction:
        """floor((N_f - N_g)/2) * 2^{-K-2}: the area forced by N_g alone; best possible in terms of N_g."""
        return tight_count(self.n_f, self.n_g + 1) * self.triangle_area

    @property
    def ordered(self) -> bool:
        """exact >= certified >= tight_form >= closed_form."""
        return self.exact >= self.certified >= self.tight_form >= self.closed_form

    @property
    def lemma(self) -> LemmaCheck:
        return LemmaCheck(self.disagree, self.cr_f, self.cr_g, self.n_g)

    @property
    def consistent(self) -> bool:
        """Every inequality of the argument: ordering, slide count, Lemma 3.1, Cr(g) <= N_g + 1."""
        return (
            self.ordered
            and self.wrong_interior_strict >= self.tight_count >= self.closed_form_count
            and self.wrong_interior >= self.wrong_interior_strict
            and self.lemma.holds
            and self.lemma.crossing_vs_pieces_holds
        )

    def to_dict(self) -> dict:
        return {
            "K": self.K, "exact": format_rational(self.exact), "certified": format_rational(self.certified),
            "closed_form": format_rational(self.closed_form), "tight_form": format_rational(self.tight_form),
            "tight_count": self.tight_count, "N_f": self.n_f, "N_g": self.n_g,
            "Cr_f": self.cr_f, "Cr_g": self.cr_g, "wrong_interior": self.wrong_interior,
            "wrong_ends": self.wrong_ends, "wrong_interior_strict": self.wrong_interior_strict,
            "disagree": self.disagree, "lemma_bound": format_rational(self.lemma.bound),
            "ordered": self.ordered, "consistent": self.consistent,
        }


def separation_report(K: int, g: FunctionLike, *, max_pieces: int | None = None,
                      method: str = "structure") -> SeparationReport:
    """The three numbers and the counts of the counting proof for f = D^K and g on [0, 1].

    ``method="structure"`` (default) never materialises D^K: the integral runs
    over runs of congruent teeth (:func:`.teeth.tent_l1_distance`) and the
    counts over the components of g's sides (:func:`side_counts`), so the cost
    is O(pieces of g) for every K (K = 34, 52: milliseconds).
    ``method="enumerate"`` builds D^K's 2^K columns in closed form and
    evaluates g's side at each of its crossings (O(2^K); the tests compare the
    two on random g).

    >>> from ...constructions import constant_network
    >>> r = separation_report(4, constant_network(HALF))
    >>> r.exact, r.certified, r.closed_form, r.ordered
    (Fraction(1, 4), Fraction(1, 4), Fraction(13, 128), True)
    >>> separation_report(52, constant_network(HALF)).exact
    Fraction(1, 4)
    """
    check_k(K)
    check_depth_budget(K)
    if method == "enumerate":
        return _enumerated_report(K, g, max_pieces)
    if method != "structure":
        raise ShapeError(f"method={method!r} must be 'structure' or 'enumerate'")
    gp = as_pwl(g, Fraction(0), Fraction(1)) if max_pieces is None else C.to_pwl(C.columns(g, Fraction(0), Fraction(1), max_pieces))
    n = 1 << K
    counts = side_counts(K, gp)
    area = Fraction(1, 4 * n)
    n_g = gp.pieces
    return SeparationReport(
        K=K,
        exact=tent_l1_distance(K, gp),
        certified=area * counts.wrong_interior + area / 2 * counts.wrong_ends,
        closed_form=Fraction(n - 1 - 2 * n_g, 2) * area,
        n_f=n - 1,
        n_g=n_g,
        cr_f=n + 1,
        cr_g=len(crossing_intervals(gp)),
        wrong_interior=counts.wrong_interior,
        wrong_ends=counts.wrong_ends,
        wrong_interior_strict=counts.wrong_interior_strict,
        disagree=counts.wrong_interior_strict + counts.wrong_ends,  # both ends lie below 1/2
    )


def _enumerated_report(K: int, g: FunctionLike, max_pieces: int | None) -> SeparationReport:
    """The same report from D^K's 2^K closed-form columns (x = i/2^K, y = i mod 2)."""
    check_k(K)
    zero, one = Fraction(0), Fraction(1)
    gc = C.columns(g, zero, one, max_pieces)
    fc = C.tent_columns(K)
    n = 1 << K
    exact = measure_l1(C.to_pwl(fc), C.to_pwl(gc), Fraction(0), Fraction(1))
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

