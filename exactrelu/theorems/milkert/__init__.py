"""The differentiability recurrence of Milkert, Hyde and Laine, derived and confirmed exactly.

Source: M. Milkert, D. Hyde, F. Laine, "Compelling ReLU Network Initialization
and Training to Leverage Exponential Scaling with Depth", arXiv:2311.18022v2;
our statement of the results is docs/theory.md §4.  This module derives them
with sympy (:mod:`.symbolic`, :mod:`.lemmas`) and confirms them in exact
rational arithmetic.  Conventions (0-based, as in the paper):
``T_a(x) = x/a`` on ``[0, a]`` and ``(1 - x)/(1 - a)`` on ``[a, 1]``;
``W_i = T_{a_i} o ... o T_{a_0}``; ``F_n = sum_{i=0}^{n} s_i W_i``; the network
output is ``x - F_n`` (convex targets) or ``x + F_n`` (concave targets).

The results, with the paper's numbering:

* **Eq. (4)** (Lemma 3.2).  At a peak p of W_i the jump of F' is
  ``(sigma+ - sigma-) [s_i - (1/(1 - a_{i+1})) sum_{j>=i+1} s_j prod_{k=i+2}^{j} 1/a_k]``,
  where ``sigma+-`` are the one-sided slopes of W_i at p.  *Derived* for
  symbolic i and n: the branch of every ``T_{a_j}`` met at p is chosen by sympy
  (right branch of ``T_{a_{i+1}}``, then left branches, by induction on j), the
  chain rule gives the slope ratios as a telescoped product, and sympy sums them.
* **Eq. (5)** (Theorem 3.4).  ``s_{i+1} = s_i (1 - a_{i+1}) a_{i+2}``.  *Derived*:
  Eq. (4) at layers i and i+1 share one tail, which sympy eliminates; the
  solution is unique.  Swapping ``a_{i+1}`` and ``a_{i+2}`` breaks it as soon as
  they differ (:func:`swap_witness`).
* **Eq. (6)**.  ``s_j = s_i prod_{k=i}^{j-1} (1 - a_{k+1}) a_{k+2}``: the
  derived Eq. (5) telescoped, proved by induction on j (base and step by sympy,
  the last factor peeled by sympy), and expanded for every j up to a bound.
* **Eqs. (7)-(8)** (proof of Theorem A.1).  For the truncation ``F_n`` and every
  peak of ``W_i``, i <= n: (jump of F_n') / (jump of s_i W_i) =
  ``prod_{k=i+2}^{n+1} (1 - a_k)``.  Symbolic induction on n, expansion from the
  branches for n up to a bound, and exact confirmation at every peak
  (:func:`peak_jumps`).
* **Theorem A.4** (with Lemma A.3).  At a peak of W_i the right and left second
  difference quotients along the nearest later peaks are in the ratio
  ``(a_i/(1 - a_i))^{+-2}`` for every m; equal only for ``a_i = 1/2``; with every
  ``a_k = 1/2`` they are -2 (Yarotsky's ``x - F = x^2``).  *Symbolic*: the
  finite-m identity and its solution set; *argument only*: the passage to the
  limit (Lemma A.2 in the limit, F'' != 0 somewhere).  *Exact instances*:
  :func:`second_difference_quotients`.
* **Lemma A.5**.  ``s_{i+2}/s_i = (1-a_{i+1}) a_{i+2} (1-a_{i+2}) a_{i+3} < 1/4``;
  ``a_{i+2} = 1/2`` maximises the middle factor; the supremum 1/4 needs
  ``a_{i+1} -> 0`` and ``a_{i+3} -> 1`` and is not attained.  Symbolic.
* **Lemma A.6**, sign settled: with ``s_0 > 0`` (so every ``s_i > 0``) each
  jump of ``F_n'`` is negative, ``F_n`` is concave and ``x - F_n`` is convex,
  for every n; with ``s_0 < 0`` it reverses.  *Derived*: the one-sided slopes
  of the waves at a peak from the branches, their jump's sign, Eqs. (6) and (8),
  positivity of the products by induction; cross-checked by the slopes of
  ``x - F_n`` piece by piece.  Positive coefficients *without* Eq. (5) do not
  suffice (:func:`convexity_witness`).
* **Yarotsky (2017), Prop. 2**.  All ``a_i = 1/2``, ``s_i = 4^{-(i+1)}``:
  ``f_m = x - F_{m-1}`` interpolates ``x^2`` at ``k/2^m`` and
  ``max |f_m - x^2| = 2^{-2m-2}``, attained exactly at the midpoints.

Every report line can fail: each check takes the rule, claim or coefficients it
tests as a parameter (tests/test_milkert_failures.py feeds wrong ones).  sympy is
imported only inside functions.

References
----------
M. Milkert, D. Hyde, F. Laine, arXiv:2311.18022v2, Sections 3.1 and A.1-A.3
(docs/theory.md §4).
D. Yarotsky, "Error bounds for approximations with deep ReLU networks",
Neural Networks 94 (2017) 103-114, Proposition 2.
"""

from __future__ import annotations

from functools import lru_cache

from ..._validate import check_int
from ...report import CheckResult
from .checks import (check_compositional, check_convexity, check_finite_identity, check_yarotsky,
                     convexity_witness, exact_checks, peak_jumps, second_difference_quotients,
                     swap_witness)
from .results import Derivation, PeakJump, Step, SymbolicResult, untex
from .waves import (compositional_network, eq5_coefficients, triangle_pwl, wave_peaks, wave_sum,
                    waves)

__all__ = [
    "Step",
    "SymbolicResult",
    "Derivation",
    "PeakJump",
    "derive",
    "triangle_pwl",
    "waves",
    "wave_peaks",
    "eq5_coefficients",
    "wave_sum",
    "compositional_network",
    "peak_jumps",
    "check_finite_identity",
    "swap_witness",
    "check_convexity",
    "convexity_witness",
    "second_difference_quotients",
    "check_yarotsky",
    "check_compositional",
    "exact_checks",
    "verify_checks",
]

SOURCE = "Milkert, Hyde, Laine (2023), arXiv:2311.18022v2"
THEORY = "docs/theory.md §4"


# =========================================================================== results


def derive(depth: int = 6) -> Derivation:
    """Derive Eqs. (4)-(8), Theorem A.4 (finite part), Lemmas A.5, A.6 with sympy.

    Milkert, Hyde, Laine, arXiv:2311.18022v2, Lemma 3.2, Theorem 3.4, Appendix A
    (docs/theory.md §4).  The general statements are derived for symbolic
    indices; ``depth`` only bounds the cross-checks by expansion.  Cached: the
    result depends on ``depth`` alone.

    Parameters
    ----------
    depth : int
        The bound N for the parts cross-checked by expansion (every n <= N).

    Examples
    --------
    >>> d = derive(depth=2)
    >>> d.holds, d["Eq. (5)"].lhs
    (True, -(a[i + 1] - 1)*a[i + 2]*s[i])
    """
    check_int("depth", depth, 0)
    return _derive(depth)


@lru_cache(maxsize=16)
def _derive(depth: int) -> Derivation:
    from .lemmas import derive_all

    return Derivation(depth, derive_all(depth))


# =========================================================================== verify


def verify_checks(depth: int = 6) -> list[CheckResult]:
    """Checks for ``exactrelu verify``: the symbolic results and exact confirmations.

    Returns a list of :class:`exactrelu.report.CheckResult`.
    """
    derivation = derive(depth)
    checks = [CheckResult(name=r.name, source=r.source, holds=r.holds,
                          value=str(r.lhs), expected=str(r.rhs),
                          detail=f"{r.method}: {untex(r.statement)}")
              for r in derivation.results]
    checks.extend(exact_checks(depth))
    return checks
