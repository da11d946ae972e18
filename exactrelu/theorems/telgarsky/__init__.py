"""Telgarsky's depth separation, computed exactly (docs/theory.md §3).

f = D^K is the tent map composed K times (``tent_map(K)``); on [0, 1] it has
2^K pieces and D^K(i / 2^K) = i mod 2.  For any g given as a network or a
:class:`~exactrelu.PiecewiseLinear`, this package computes, exactly:

* ``int_a^b |f - g|`` (:func:`l1_distance`, any f and g;
  :func:`tent_l1_distance` for f = D^K at any K, never materialising D^K);
* the counting argument of Risteski's lecture (slides "Shallow g's can't
  approximate f") and of Telgarsky (2016), Section 3: the intervals on which
  f stays on one side of 1/2, their areas, the crossing numbers Cr(f) and
  Cr(g), the certified lower bound, the lecture's closed form and the tight
  count (:func:`separation_report`, O(pieces of g) for every K);
* the theorem as a check on a concrete g (:func:`check_theorem`): the
  lecture's statement (slide "Separating deep and shallow networks", credited
  to Telgarsky 2015): with K = 2L^2 + 2, every g with at most L hidden layers
  and at most 2^L hidden units has ``int_0^1 |f - g| >= 1/32``; L = 4, 5
  (K = 34, 52) run in well under a second;
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
included) lying on the wrong side of the actual g; ``tight_form`` is
``floor((N_f - N_g)/2) * 2^{-K-2}``, the best bound in terms of N_g
(:mod:`.counting` proves it and that it is attained); ``closed_form`` is the
lecture's ``(N_f - 2 N_g)/2 * 2^{-K-2}``, N_g = pieces of g on [0, 1].  Always
exact >= certified >= tight_form >= closed_form.

Findings (checked by the tests and ``exactrelu verify``)
-------------------------------------------------------
* The lecture's count ``(N_f - 2 N_g)/2`` of wrong-side triangles is a valid
  lower bound but not sharp once N_g >= 3.  The tight count is
  ``floor((N_f - Cr(g) + 1)/2) >= floor((N_f - N_g)/2)``, attained for every
  N_g by a zigzag g (:func:`tight_witness`); for K = 4 it gives 7, 6, 6, 5, 5
  for N_g = 1..5 where the lecture's gives 7, 6, 5, 4, 3 (the tests enumerate
  the zigzag family exhaustively for K = 3 and 4).  An earlier version of
  this project called the lecture's count sharp on zigzags: that was wrong.
* Under the theorem's hypotheses (N_g <= 2^{2L^2}) the tight count gives
  ``int_0^1 |f - g| >= 3/32 - 2^{-2L^2-4}`` (:func:`tight_bound_constant`;
  5/64 for L = 1) in place of the lecture's ``1/16 - 2^{-2L^2-5}`` (the
  lecture rounds it further to ``1/16 - 2^{-2L^2-4}``); all are >= 1/32.
* For fixed hidden layers the L1 objective is convex in the output weights
  but *not* piecewise linear: it is piecewise quadratic.  Witness: for every
  K, ``int_0^1 |D^K - c| = c^2 - c + 1/2`` for c in [0, 1] (D^K pushes the
  uniform measure to itself), checked exactly.

References
----------
M. Telgarsky, "Representation benefits of deep feedforward networks",
arXiv:1509.08101 (2015): the tent-map ("mirror map") construction.
M. Telgarsky, "Benefits of depth in neural networks", COLT 2016, PMLR 49,
arXiv:1602.04485, Section 3, Lemma 3.1 (crossing numbers).  The lemma is
checked as stated in docs/theory.md §3 (its printed text was not available
to us).
A. Risteski, lecture 2 "Benefits of depth", CMU 10-707 (2020): the theorem
with 1/32 and the counting proof.
"""

from __future__ import annotations

from fractions import Fraction

from ..._validate import check_interval
from ...constructions import constant_network
from ...measure import l1_distance as measure_l1
from ...rationals import RationalLike
from ...report import CheckResult
from . import columns as C
from .columns import FunctionLike
from .counting import SeparationReport, separation_report, tight_bound_constant, tight_count, tight_witness
from .crossings import (
    HALF,
    LemmaCheck,
    SideInterval,
    crossing_intervals,
    crossing_lemma,
    crossing_number,
    tent_side_intervals,
)
from .search import SearchResult
from .teeth import tent_l1_distance
from .theorem import TheoremCheck, best_known_network, check_theorem, theorem_K

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
    "tent_l1_distance",
    "tight_count",
    "tight_bound_constant",
    "tight_witness",
]


def l1_distance(
    f: FunctionLike, g: FunctionLike, a: RationalLike, b: RationalLike, *, max_pieces: int | None = None
) -> Fraction:
    """Exact ``int_a^b |f - g|`` for networks (one input, one output) or PiecewiseLinear functions.

    Networks are propagated exactly on [a, b], then the one L1 distance of
    exactrelu, :func:`exactrelu.measure.l1_distance`, integrates on the
    functions' integer columns.  (Against D^K itself,
    :func:`tent_l1_distance` is faster for every K and never materialises D^K.)

    Raises
    ------
    DomainError
        ``a >= b``, or a PiecewiseLinear whose domain does not contain [a, b].
    ShapeError
        A network that is not R -> R.

    Examples
    --------
    >>> from exactrelu import PiecewiseLinear, tent_map
    >>> l1_distance(tent_map(3), PiecewiseLinear.affine(0, "1/2", (0, 1)), 0, 1)
    Fraction(1, 4)
    """
    lo, hi = check_interval(a, b)
    return measure_l1(C.to_pwl(C.columns(f, lo, hi, max_pieces)), C.to_pwl(C.columns(g, lo, hi, max_pieces)), lo, hi)


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
def verify_checks() -> list[CheckResult]:
    """Theorem-report lines for ``exactrelu verify`` (docs/theory.md §3); each can fail (see :mod:`.checks`)."""
    from . import checks

    results = [checks.check_tent_minus_constant(), checks.check_report_methods()]
    for L in (1, 2, 3, 4, 5):
        for name, g in (("constant 1/2", constant_network(HALF)), ("best known", best_known_network(L))):
            if L >= 3 and name == "constant 1/2":
                continue
            results.append(checks.check_theorem_line(L, g, name))
    results += [checks.check_crossing_lemma(), checks.check_tight_count(), checks.check_tight_constant()]
    return results
