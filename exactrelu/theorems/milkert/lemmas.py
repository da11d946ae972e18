r"""Symbolic (sympy) proofs of Lemmas A.5, A.6 and Theorem A.4 for :mod:`exactrelu.theorems.milkert`.

Source: Milkert, Hyde, Laine, arXiv:2311.18022v2, Appendix A (Lemma A.3,
Theorem A.4, Lemmas A.5, A.6); our statement in docs/theory.md §4.  Imports
sympy at import time.  The step methods are those of
:mod:`exactrelu.theorems.milkert.symbolic`; every result takes the rule or
triangle it builds on as a parameter, so a wrong input demonstrably fails.
"""

from __future__ import annotations

from typing import Any, Callable

import sympy as sp

from ._tools import (A, I, K, N, SOURCE, X, branch_at, idx, is_positive_on_open_cube, is_zero,
                     one_sided_slopes_at_peak, product_positive, select_branch, sym, triangle,
                     truth, UndecidedBranch)
from .results import Step, SymbolicResult
from .symbolic import (derive_eq4, derive_eq5, eq5_coefficients_symbolic, eq5_ratio, prove_eq6,
                       prove_eq8, swap_breaks_eq8)

__all__ = ["wave_slopes", "prove_lemma_a5", "prove_lemma_a6", "theorem_a4", "derive_all"]

_THEORY = "docs/theory.md §4"


# --------------------------------------------------------------------------- wave structure


def wave_slopes(peaks: list, tri: Callable | None = None) -> list[list[sp.Expr]]:
    """Slopes of ``W_0, ..., W_{len-1}`` piece by piece, from the branches of the triangles.

    ``W_{-1} = x`` is one increasing piece onto [0, 1].  A piece of ``W_{i-1}``
    running monotonically over [0, 1] is split where ``W_{i-1} = a_i``; on each
    half the branch of ``T_{a_i}`` is read off the Piecewise at the half's
    midpoint, its slope multiplies (chain rule), and its values at the ends say
    in which direction the new piece runs.  Entry ``[i][m]`` is the slope of
    ``W_i`` on its m-th piece (2^{i+1} pieces, left to right).
    """
    make = triangle if tri is None else tri
    pieces: list[tuple[sp.Expr, tuple[Any, Any]]] = [(sp.Integer(1), (sp.Integer(0), sp.Integer(1)))]
    out = []
    for a in peaks:
        tri_a = make(a)
        new = []
        for slope, (start, end) in pieces:  # the piece of W_{i-1} runs from start to end
            for u, v in ((start, a), (a, end)):
                expr, _ = select_branch(a, (u + v) / 2, tri_a)
                new.append((slope * sp.diff(expr, X),
                            (sp.cancel(expr.subs(X, u)), sp.cancel(expr.subs(X, v)))))
        pieces = new
        out.append([slope for slope, _ in pieces])
    return out


# --------------------------------------------------------------------------- Lemma A.6


def prove_lemma_a6(depth: int, *, ratio: Any = None, coefficients: Callable | None = None,
                   tri: Callable | None = None) -> SymbolicResult:
    r"""Lemma A.6 with the sign settled: ``s_0 > 0`` makes ``x - F_n`` convex, for every n.

    Derivation (every step by sympy, general i and n):

    1. One-sided slopes of ``W_i = T_{a_i} o W_{i-1}`` at a peak p, from the
       branches (:func:`one_sided_slopes_at_peak`), in both cases (``W_{i-1}``
       increasing or decreasing at p), and ``sigma_+ - sigma_- < 0`` on (0, 1).
    2. The jump of ``F_n'`` at p is ``(sigma_+ - sigma_-) s_i prod_{k=i+2}^{n+1}
       (1 - a_k)`` (Eq. 8, :func:`prove_eq8`) and ``s_i = s_0 prod_{k=0}^{i-1}
       r(k)`` (Eq. 6 solved from the derived Eq. (5), ratio ``r``; ``ratio``
       replaces it).  Both products are positive for every i, n, by induction
       (:func:`product_positive`).
    3. So the jump of ``(x - F_n)'`` at every kink has the sign of ``s_0``; the
       kinks of ``F_n`` are the peaks of ``W_0..W_n`` (peaks become valleys:
       ``T(1) = 0``; valleys stay: ``T(0) = 0``).

    Cross-check from the wave structure (n <= min(depth, 3)): the slopes of
    ``x - F_n`` on each of its 2^{n+1} pieces (:func:`wave_slopes`, coefficients
    by Eq. (5) or ``coefficients(peaks, s_0)``), their jumps, equal
    ``-(W_i'(p+) - W_i'(p-)) s_i prod (1 - a_k)`` at every breakpoint.  A rule
    that is not Eq. (5) (such as equal coefficients) fails there.
    """
    r = eq5_ratio() if ratio is None else sp.sympify(ratio)
    make = triangle if tri is None else tri
    steps = []
    sigma = sp.Symbol("sigma", positive=True)
    gaps_ok = True
    gaps = []
    for case, (s_minus, s_plus) in one_sided_slopes_at_peak(A[I], sigma, make(A[I])).items():
        gap = sp.cancel(s_plus - s_minus)
        gaps.append(gap)
        negative = is_positive_on_open_cube(-gap, [A[I]])
        gaps_ok = gaps_ok and negative
        steps.append(Step(f"$W_{{i-1}}$ {case} at $p$: "
                          r"$(\sigma_-, \sigma_+)$ from the branches, $\sigma_+ - \sigma_-$",
                          sp.Tuple(s_minus, s_plus, gap), "symbolic"))
    steps.append(Step(r"$\sigma_+ - \sigma_- < 0$ on $(0,1)$, both cases", truth(gaps_ok),
                      "symbolic"))
    peak_value = branch_at(A[I], A[I], make(A[I]))[1]
    ends = (branch_at(A[I], 0, make(A[I]))[1], branch_at(A[I], 1, make(A[I]))[1])
    kinks_ok = peak_value == 1 and ends == (0, 0)
    steps.append(Step("$(T_a(a), T_a(0), T_a(1))$: new kinks are peaks, peaks become valleys, "
                      "valleys stay; the kinks of $F_n$ are the peaks of $W_0, \\ldots, W_n$",
                      sp.Tuple(peak_value, *ends), "symbolic"))
    s_ok, s_steps = product_positive(r, K, 0, I - 1, "$s_i/s_0$ (Eq. 6)")
    p_ok, p_steps = product_positive(1 - A[K], K, I + 2, N + 1, r"$\prod_{k=i+2}^{n+1} (1 - a_k)$")
    steps.extend(s_steps + p_steps)
    # cross-check from the wave structure
    bound = min(depth, 3)
    finite_ok, jumps = True, 0
    for n in range(bound + 1):
        peaks = [sym("a", k) for k in range(n + 2)]
        s0 = sym("s", 0)
        s = (coefficients(peaks, s0) if coefficients is not None
             else eq5_coefficients_symbolic(peaks, s0, ratio=r))
        try:
            layers = wave_slopes(peaks[:n + 1], tri)
        except UndecidedBranch:
            finite_ok = False
            break
        finest = len(layers[n])
        slope = [1 - sum(s[j] * layers[j][m >> (n - j)] for j in range(n + 1))
                 for m in range(finest)]
        for m in range(1, finest):
            i = n - ((m & -m).bit_length() - 1)
            left, right = layers[i][(m - 1) >> (n - i)], layers[i][m >> (n - i)]
            predicted = -(right - left) * s[i] * sp.Mul(*[1 - peaks[k] for k in range(i + 2, n + 2)])
            finite_ok = finite_ok and is_zero(slope[m] - slope[m - 1] - predicted)
            jumps += 1
    steps.append(Step(f"slopes of $x - F_n$ piece by piece from the waves, $n \\le {bound}$: "
                      f"all {jumps} jumps equal $-(\\sigma_+ - \\sigma_-) s_i \\prod_{{k=i+2}}^{{n+1}}"
                      " (1 - a_k)$", truth(finite_ok), f"symbolic, n <= {bound}"))
    holds = gaps_ok and kinks_ok and s_ok and p_ok and finite_ok
    return SymbolicResult(
        name="Lemma A.6", source=f"{SOURCE}, Lemma A.6 (with Eqs. 6, 8); {_THEORY}",
        statement=r"the jump of $(x - F_n)'$ at every kink is $-(\sigma_+ - \sigma_-) s_0 "
                  r"\prod_{k=0}^{i-1} (1 - a_{k+1}) a_{k+2} \prod_{k=i+2}^{n+1} (1 - a_k)$: "
                  "$x - F_n$ is convex for $s_0 > 0$, concave for $s_0 < 0$, every $n$",
        lhs=sp.factor(-gaps[0]) * sp.Symbol("s_0") * sp.Product(r, (K, 0, I - 1))
        * sp.Product(1 - A[K], (K, I + 2, N + 1)),
        rhs=sp.Symbol("sign(s_0) * (positive)"),
        holds=bool(holds), method="symbolic step", steps=tuple(steps),
        detail="the limit $F$ inherits concavity as a pointwise limit (argument, not sympy); "
               "positive coefficients without Eq. (5) are not enough (the exact check "
               "'Lemma A.6 needs Eq. (5)')")


# --------------------------------------------------------------------------- Lemma A.5


def prove_lemma_a5(*, ratio: Any = None) -> SymbolicResult:
    """Lemma A.5: ``s_{i+2}/s_i <= 1/4``; the middle factor is maximised at a_{i+2} = 1/2.

    Milkert et al., Lemma A.5.  The rule is the derived Eq. (5) (:func:`eq5_ratio`);
    ``ratio`` (in ``a[k+1]``, ``a[k+2]``) replaces it (test hook).
    """
    a1, a2, a3 = sym("a", idx(1)), sym("a", idx(2)), sym("a", idx(3))
    peaks = [sp.Symbol("a_i", positive=True), a1, a2, a3]
    s_i = sym("s", idx(0))
    coeffs = eq5_coefficients_symbolic(peaks, s_i, ratio=eq5_ratio() if ratio is None else ratio)
    ratio2 = sp.factor(coeffs[2] / s_i)
    steps = [Step("Eq. (5) twice: $s_{i+2}/s_i =$", ratio2, "symbolic")]
    middle = a2 * (1 - a2)
    outer = (1 - a1) * a3
    gap = sp.Rational(1, 4) - ratio2
    split = (a2 - sp.Rational(1, 2)) ** 2 + middle * (1 - outer)
    split_ok = is_zero(gap - split)
    steps.append(Step("$1/4 - s_{i+2}/s_i$ as a sum of non-negative terms",
                      sp.Eq(gap, split) if split_ok else sp.false, "symbolic"))
    positive = is_positive_on_open_cube(middle * (1 - outer), [a1, a2, a3])
    steps.append(Step("$a_{i+2}(1 - a_{i+2})(1 - (1 - a_{i+1}) a_{i+3}) > 0$ on $(0,1)^3$",
                      truth(positive), "symbolic"))
    y = sp.Symbol("y", real=True)
    critical = sp.solveset(sp.diff(y * (1 - y), y), y, sp.Interval.open(0, 1))
    peak_value = sp.calculus.util.maximum(y * (1 - y), y, sp.Interval(0, 1))
    steps.append(Step("maximiser of $a(1 - a)$ on $(0,1)$ (critical points)", critical, "symbolic"))
    steps.append(Step("max of $a(1 - a)$ on $[0,1]$", peak_value, "symbolic"))
    sup = sp.limit(sp.limit(ratio2.subs(a2, sp.Rational(1, 2)), a1, 0, "+"), a3, 1, "-")
    steps.append(Step(r"supremum ($a_{i+1} \to 0$, $a_{i+2} = 1/2$, $a_{i+3} \to 1$), "
                      "not attained", sup, "symbolic"))
    holds = bool(split_ok and positive and critical == sp.FiniteSet(sp.Rational(1, 2))
                 and peak_value == sp.Rational(1, 4) and sup == sp.Rational(1, 4))
    return SymbolicResult(
        name="Lemma A.5", source=f"{SOURCE}, Lemma A.5; {_THEORY}",
        statement="$s_{i+2}/s_i = (1-a_{i+1}) a_{i+2} (1-a_{i+2}) a_{i+3} < 1/4$ on $(0,1)^3$; "
                  r"sup $1/4$ at $a_{i+1} \to 0$, $a_{i+2} = 1/2$, $a_{i+3} \to 1$",
        lhs=ratio2, rhs=sp.Rational(1, 4), holds=holds, method="symbolic", steps=tuple(steps),
        detail="strict: the bound $1/4$ is a supremum, not a maximum, on the open cube")


# --------------------------------------------------------------------------- Theorem A.4


def theorem_a4(*, tri: Callable | None = None) -> SymbolicResult:
    """Theorem A.4 as far as sympy goes: the second difference quotients at a peak.

    Let p be a peak of W_i and q_m^+, q_m^- the nearest peaks of W_{i+m} on each side
    (m >= 1).  With F'(q) = F_{i+m-1}'(q) (Lemma A.2) and Eq. (8),
    ``F'(q_m^+-) - F'(p) = sigma+- s_i P_m``, ``P_m = prod_{k=i+2}^{i+m}(1 - a_k)``, and
    ``|q_m^+- - p| = (1 - a_{i+1}) A_m / |sigma+-|``, ``A_m = prod_{k=i+2}^{i+m} a_k``.
    The one-sided slopes ``sigma+-`` come from the branches
    (:func:`one_sided_slopes_at_peak`; ``tri`` replaces ``T_a``, a test hook).
    sympy proves: the ratio of the right to the left second difference quotient is
    ``(a_i/(1 - a_i))^{+-2}`` for every m, and equals 1 on (0,1) only at a_i = 1/2;
    with every a_k = 1/2 the quotients are ``-8 sigma^2 s_i`` with
    ``sigma = |W_{i-1}'(p)| = 2^i`` (Yarotsky: -2).  Not proved by sympy (stated as
    argument): Lemma A.2 in the limit (it needs Theorem A.1), that twice
    differentiability makes both quotients converge to F''(p), and that
    F''(p) = 0 at every peak is impossible (F'' would vanish on a dense set,
    making F affine, but F(0) = 0 and F(a_0) = s_0 != 0 = F(1)).
    """
    a_i, a1 = sp.Symbol("a_i", positive=True), sym("a", idx(1))
    s_i, sigma = sym("s", idx(0)), sp.Symbol("sigma", positive=True)
    P, Am = sp.Symbol("P_m", positive=True), sp.Symbol("A_m", positive=True)
    make = triangle if tri is None else tri
    steps = []
    results = []
    signs_ok = True
    for orientation, (sm, sp_) in one_sided_slopes_at_peak(a_i, sigma, make(a_i)).items():
        # sigma- > 0 > sigma+ at a peak, proved on (0,1); so |sigma+| = -sigma+
        signs_ok = signs_ok and is_positive_on_open_cube(sm, [a_i]) \
            and is_positive_on_open_cube(-sp_, [a_i])
        dist_plus = (1 - a1) * Am / (-sp_)
        dist_minus = (1 - a1) * Am / sm
        quotient_plus = sp_ * s_i * P / dist_plus
        quotient_minus = -sm * s_i * P / dist_minus
        ratio = sp.factor(sp.cancel(quotient_plus / quotient_minus))
        steps.append(Step(f"$D_m^-$ ($W_{{i-1}}$ {orientation} at $p$), with "
                          r"$P_m/A_m = \prod_{k=i+2}^{i+m} (1-a_k)/a_k$",
                          sp.factor(quotient_minus), "symbolic"))
        solutions = sp.solveset(sp.Eq(ratio, 1), a_i, sp.Interval.open(0, 1))
        steps.append(Step(f"$D_m^+ / D_m^-$ ($W_{{i-1}}$ {orientation}), independent of $m$",
                          ratio, "symbolic"))
        steps.append(Step("solutions of $D_m^+ = D_m^-$ on $(0,1)$", solutions, "symbolic"))
        half = {a_i: sp.Rational(1, 2), a1: sp.Rational(1, 2)}
        m = sp.Symbol("m", integer=True, positive=True)
        halves = {P: sp.Rational(1, 2) ** (m - 1), Am: sp.Rational(1, 2) ** (m - 1)}
        results.append((solutions, ratio, sp.simplify(quotient_minus.subs(half).subs(halves))))
    steps.append(Step("$D_m^-$ with every $a_k = 1/2$ (increasing case)", results[0][2], "symbolic"))
    i = sp.Symbol("i", integer=True, nonnegative=True)
    yarotsky = sp.simplify(results[0][2].subs({sigma: 2 ** i, s_i: sp.Rational(1, 4) ** (i + 1)}))
    steps.append(Step(r"the same with $|W_{i-1}'| = 2^i$, $s_i = 4^{-(i+1)}$: $F'' = -2$, "
                      "$(x - F)'' = 2$", yarotsky, "symbolic"))
    steps.append(Step("limits, Lemma A.2 in the limit, $F'' \\ne 0$ somewhere: not checked by "
                      "sympy", sp.Symbol("argument"), "argument"))
    holds = signs_ok and yarotsky == -2 and all(
        sol == sp.FiniteSet(sp.Rational(1, 2)) for sol, _, _ in results)
    return SymbolicResult(
        name="Theorem A.4", source=f"{SOURCE}, Lemma A.3, Theorem A.4; {_THEORY}",
        statement="equal one-sided second difference quotients at the peaks of $W_i$ force "
                  "$a_i = 1/2$; all $a_k = 1/2$ gives $F'' = -2$ ($x - F = x^2$)",
        lhs=results[0][1], rhs=sp.Symbol("1 only at a_i = 1/2"), holds=bool(holds),
        method="symbolic", steps=tuple(steps),
        detail="proved: the finite-$m$ quotient identity and its solution set; argument only: "
               "the passage to the limit (see the docstring)")


# --------------------------------------------------------------------------- all


def derive_all(depth: int) -> tuple[SymbolicResult, ...]:
    """Every symbolic result, in the paper's order; Eq. (6) and Lemma A.6 build on the derived Eq. (5)."""
    eq5 = derive_eq5()
    ratio = eq5_ratio(eq5)
    return (derive_eq4(depth), eq5, swap_breaks_eq8(), prove_eq6(depth, ratio=ratio),
            prove_eq8(depth), theorem_a4(), prove_lemma_a5(ratio=ratio),
            prove_lemma_a6(depth, ratio=ratio))

