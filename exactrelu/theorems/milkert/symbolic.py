r"""Symbolic (sympy) derivations of Eqs. (4)-(8) for :mod:`exactrelu.theorems.milkert`.

Source: Milkert, Hyde, Laine, arXiv:2311.18022v2, Lemma 3.2, Theorem 3.4,
Theorem A.1; our statement in docs/theory.md §4.  It imports sympy at import
time, so :mod:`exactrelu.theorems.milkert` imports it only inside functions.

Conventions (0-based, as in the paper): ``T_a(x) = x/a`` on ``[0, a]`` and
``(1 - x)/(1 - a)`` on ``[a, 1]``; ``W_i = T_{a_i} o ... o T_{a_0}``;
``F_n = sum_{i<=n} s_i W_i``.  General indices are sympy integer symbols and the
peaks an ``IndexedBase`` (``a[i+1]``), so the general statements hold for every
i and n, not only up to a bound.

How a step is established is recorded in every :class:`Step`:

* ``"symbolic"``: sympy proved an identity in free symbols (``cancel`` or
  ``simplify`` reduces a difference to zero, or ``solve``/``solveset``).
* ``"symbolic step"``: the step of an induction over a symbolic bound; peeling the
  last factor of a product (or term of a sum) is itself confirmed by sympy
  (``product_simplify`` / ``sum_simplify`` merge the pieces back).
* ``"symbolic, n <= N"``: sympy proved it for every index up to a bound by
  expanding the finite products (a cross-check of the general derivation).
* ``"argument"``: an analytic step (a limit, density) that sympy does not check.

Every result takes the claim it is compared with as a parameter (default: the
paper's formula), so a wrong formula demonstrably fails.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable

import sympy as sp
from sympy.simplify.simplify import factor_sum, product_simplify, sum_simplify

from ._tools import (A, I, J, K, N, S, SOURCE, X, branch_at, chain_factors, idx, is_zero,
                     normal_products, peel_product, peel_sum, same, sym, triangle, truth)
from .results import Step, SymbolicResult

__all__ = [
    "triangle", "branch_at", "chain_factors",
    "eq4_claim", "eq6_claim", "eq4_finite", "eq5_ratio", "eq5_coefficients_symbolic",
    "derive_eq4", "derive_eq5", "swap_breaks_eq8", "prove_eq6", "prove_eq8",
]

_THEORY = "docs/theory.md §4"


# --------------------------------------------------------------------------- claims


def eq4_claim() -> sp.Expr:
    """The paper's Eq. (4) factor, truncated at n, in the general symbols (i, n, a[k], s[j])."""
    return S[I] - sp.Sum(S[J] * sp.Product(1 / A[K], (K, I + 2, J)), (J, I + 1, N)) / (1 - A[I + 1])


def eq6_claim() -> sp.Expr:
    """The paper's Eq. (6): ``s_j = s_i prod_{k=i}^{j-1} (1 - a_{k+1}) a_{k+2}``."""
    return S[I] * sp.Product((1 - A[K + 1]) * A[K + 2], (K, I, J - 1))


def _finite(expr: Any, values: dict) -> sp.Expr:
    """``expr`` at concrete indices, products and sums expanded, ``a[k]`` -> ``a_k``."""
    out = sp.sympify(expr).subs(values).doit()
    return out.replace(lambda e: isinstance(e, sp.Indexed),
                       lambda e: sym(str(e.base), int(e.indices[0])))


# --------------------------------------------------------------------------- Eq. 4


@lru_cache(maxsize=None)
def eq4_finite(i: int, n: int) -> tuple[sp.Expr, list, list]:
    """Eq. (4) for the truncation ``F_n`` at a peak of ``W_i``, by the chain rule on the branches.

    Returns (jump factor ``E_i^{(n)}``, peaks a_0..a_{n+1}, coefficients s_0..s_n):
    ``E = s_i + sum_{j>i} s_j kappa_j`` with ``kappa_j`` the product of the branch
    slopes of ``T_{a_{i+1}}, ..., T_{a_j}`` met at the peak.
    """
    peaks = [sym("a", k) for k in range(n + 2)]
    coeffs = [sym("s", k) for k in range(n + 1)]
    kappas = [f for f, _ in chain_factors(peaks[i + 1:n + 1])]
    return coeffs[i] + sum(c * f for c, f in zip(coeffs[i + 1:], kappas)), peaks, coeffs


@lru_cache(maxsize=8)
def eq4_general(tri: Callable | None = None) -> tuple[sp.Expr, tuple[Step, ...], bool]:
    """The derivation of :func:`derive_eq4` for symbolic i and n: (jump factor, steps, all steps hold)."""
    make = triangle if tri is None else tri
    steps = []
    a_i = A[I]
    solutions = set()
    for expr, cond in make(a_i).args:
        for y in sp.solve(sp.Eq(expr, 1), X):
            if sp.sympify(cond).subs(X, y).subs(a_i, 1 / (1 + sp.Symbol("t", positive=True))) \
                    is sp.true:
                solutions.add(sp.simplify(y))
    value_ok = solutions == {a_i}
    steps.append(Step("$W_{i-1}(p)$ solves $T_{a_i}(y) = 1$ on each branch: $y =$",
                      sp.FiniteSet(*solutions), "symbolic"))
    ends = sp.Tuple(branch_at(a_i, 0, make(a_i))[1], branch_at(a_i, 1, make(a_i))[1])
    steps.append(Step("$(T_a(0), T_a(1))$: a wave at 0 or 1 stays at 0, so $W_j(p)$ is "
                      "neither for $j < i$ and $W_j$ is linear near $p$", ends, "symbolic"))
    first, v_first, name_first = branch_at(A[I + 1], 1, make(A[I + 1]))
    steps.append(Step(f"layer $i+1$ meets $T_{{a_{{i+1}}}}$ at 1: {name_first} branch, factor "
                      "and value", sp.Tuple(first, v_first), "symbolic"))
    later, v_later, name_later = branch_at(A[J + 1], 0, make(A[J + 1]))
    steps.append(Step(f"layer $j+1 > i+1$ meets $T_{{a_{{j+1}}}}$ at $W_j(p) = 0$: {name_later} "
                      "branch, factor and value", sp.Tuple(later, v_later), "symbolic step"))
    zero_ok = v_first == 0 and v_later == 0
    # kappa_{i+1} = first, kappa_{j+1} = kappa_j * later(j): telescoped
    body = later.subs(J, K - 1)
    kappa = first * sp.Product(body, (K, I + 2, J))
    base_ok = is_zero(kappa.subs(J, I + 1).doit() - first)
    shorter, last, peeled = peel_product(body, K, I + 2, J + 1)
    step_ok = peeled and is_zero(first * shorter * last - kappa * later)
    steps.append(Step(r"slope ratio $\kappa_j = W_j'(p)/W_i'(p)$ for $j > i$ (telescoped)",
                      sp.Eq(sp.Symbol("kappa_j"), kappa), "symbolic"))
    steps.append(Step(r"induction on $j$: base $\kappa_{i+1}$, step $\kappa_{j+1} = "
                      r"\kappa_j \cdot$ factor (last factor peeled)",
                      truth(base_ok and step_ok), "symbolic step"))
    jump = S[I] + sp.Sum(S[J] * kappa, (J, I + 1, N))
    derived = sp.simplify(jump)
    steps.append(Step(r"jump of $F_n'$ at $p$ over $\sigma_+ - \sigma_-$: $s_i + "
                      r"\sum_{j=i+1}^{n} s_j \kappa_j$, simplified", derived, "symbolic"))
    ok = bool(value_ok and zero_ok and base_ok and step_ok)
    return derived, tuple(steps), ok


def derive_eq4(depth: int, *, claimed: Any = None, tri: Callable | None = None) -> SymbolicResult:
    r"""Eq. (4) for every i and n, derived from the branches of the triangles met at a peak.

    Milkert et al., Lemma 3.2.  Let p be a peak of ``W_i``.  (1) ``W_{i-1}(p)``
    solves ``T_{a_i}(y) = 1``, so it is ``a_i``, inside (0, 1): every ``W_j``,
    j < i, is linear near p (``T(0) = T(1) = 0``, so a value 0 or 1 would make
    ``W_{i-1}(p) = 0``).  (2) ``W_i(p) = 1``: layer i+1 meets ``T_{a_{i+1}}`` at 1,
    on the branch sympy selects (right, factor ``-1/(1 - a_{i+1})``, value 0).
    (3) By induction on j, ``W_j(p) = 0`` for j > i and layer j+1 meets
    ``T_{a_{j+1}}`` at 0 (left, factor ``1/a_{j+1}``): the slope ratio
    ``kappa_j = W_j'/W_i'`` solves ``kappa_{j+1} = kappa_j / a_{j+1}``, so it is
    the telescoped product, checked by induction.  (4) The jump of ``F_n'`` at p is
    ``(sigma+ - sigma-) (s_i + sum_{j=i+1}^{n} s_j kappa_j)``; sympy pulls the
    constant out of the sum and compares with ``claimed`` (default: the paper's
    Eq. (4), :func:`eq4_claim`).  Cross-check: the general formula at concrete
    i <= n <= min(depth, 4) equals the finite chain rule (:func:`eq4_finite`).

    ``tri`` replaces ``T_a`` (a function of a returning a Piecewise in x): a test
    hook showing that another triangle gives another formula.
    """
    claim = eq4_claim() if claimed is None else sp.sympify(claimed)
    derived, general_steps, general_ok = eq4_general(tri)
    steps = list(general_steps)  # the cached list stays as it is
    claim_ok = same(derived, claim)
    steps.append(Step("derived minus claimed, simplified",
                      sp.simplify(normal_products(derived) - normal_products(claim)), "symbolic"))
    bound = min(depth, 4)
    finite_ok, cases = True, 0
    if tri is None:
        for n in range(bound + 1):
            for i in range(n + 1):
                chain, _, _ = eq4_finite(i, n)
                finite_ok = finite_ok and is_zero(_finite(derived, {I: i, N: n}) - chain)
                cases += 1
        steps.append(Step(f"general formula at $i \\le n \\le {bound}$ equals the chain rule "
                          f"on the expanded waves ({cases} cases)", truth(finite_ok),
                          f"symbolic, n <= {bound}"))
    holds = general_ok and claim_ok and finite_ok
    return SymbolicResult(
        name="Eq. (4)", source=f"{SOURCE}, Lemma 3.2, Eq. (4); {_THEORY}",
        statement=r"$[F_n'](p) = (\sigma_+ - \sigma_-) (s_i - (1/(1 - a_{i+1})) \sum_{j=i+1}^{n} "
                  r"s_j \prod_{k=i+2}^{j} 1/a_k)$ at a peak $p$ of $W_i$, every $i \le n$",
        lhs=derived, rhs=claim, holds=bool(holds), method="symbolic step", steps=tuple(steps),
        detail=r"derived for symbolic $i$ and $n$; the paper's infinite series is the "
               r"limit $n \to \infty$ (its convergence is Theorem A.1)")


# --------------------------------------------------------------------------- Eq. 5


def _peel_first(kind: str, index: sp.Symbol, lo: Any, hi: Any) -> bool:
    """``[lo, hi] = [lo, lo] + [lo+1, hi]`` for a generic sequence, merged back by sympy."""
    g = sp.Function("g")
    if kind == "sum":
        merged = sum_simplify(sp.Sum(g(index), (index, lo, lo)) + sp.Sum(g(index), (index, lo + 1, hi)))
        return bool(merged == sp.Sum(g(index), (index, lo, hi)))
    merged = product_simplify(sp.Product(g(index), (index, lo, lo))
                              * sp.Product(g(index), (index, lo + 1, hi)))
    return bool(merged == sp.Product(g(index), (index, lo, hi)))


@lru_cache(maxsize=8)
def derive_eq5(*, claimed: Any = None, tri: Callable | None = None) -> SymbolicResult:
    r"""Derive Eq. (5), ``s_{i+1} = s_i (1 - a_{i+1}) a_{i+2}``, from the derived Eq. (4).

    Milkert et al., Lemma 3.2 (Eq. 4), Lemma 3.3 and Theorem 3.4 (Eq. 5).  The
    jump factor of the infinite sum (:func:`eq4_general` with ``n = oo``) must
    vanish at the peaks of ``W_i`` and of ``W_{i+1}``.  In the first, sympy peels
    the term ``j = i+1`` off the sum and the factor ``1/a_{i+2}`` off each product;
    what remains is the tail ``R`` of the second, times ``1/a_{i+2}`` (from layer
    i+2 on, both points are valleys and meet the same left branches).  ``R`` is
    eliminated and the linear system solved; the solution is unique and compared
    with ``claimed`` (default the paper's rule, in ``s[i]``, ``a[i+1]``, ``a[i+2]``).
    Cross-check: the chain rule through three explicit layers gives the same rule.
    ``tri`` replaces ``T_a`` (a test hook).
    """
    derived4, _, general_ok = eq4_general(tri)
    steps = []
    E_i = derived4.subs(N, sp.oo)
    E_next = E_i.subs(I, I + 1)
    steps.append(Step(r"Eq. (4) with $n = \infty$ at a peak of $W_i$ and of $W_{i+1}$ "
                      r"(over $\sigma_+ - \sigma_-$)", sp.Tuple(E_i, E_next), "symbolic"))
    (series,) = E_i.atoms(sp.Sum)
    (tail,) = E_next.atoms(sp.Sum)
    body, (j, lo, hi) = series.function, series.limits[0]
    first_term = body.subs(j, lo).doit()
    (inner,) = body.atoms(sp.Product)
    f, (k, k_lo, k_hi) = inner.function, inner.limits[0]
    peeled_body = body.subs(inner, f.subs(k, k_lo) * sp.Product(f, (k, k_lo + 1, k_hi)))
    rest = factor_sum(sp.Sum(peeled_body, (j, lo + 1, hi)))
    peel_ok = _peel_first("sum", j, lo, hi) and _peel_first("product", k, k_lo, k_hi)
    steps.append(Step(r"peel the term $j = i+1$ and the factor $k = i+2$: the sum of the first "
                      "is", sp.Add(first_term, rest, evaluate=False), "symbolic step"))
    R = sp.Symbol("R", real=True)
    in_tail = rest.subs(tail, R)
    tail_ok = peel_ok and not in_tail.has(sp.Sum)
    steps.append(Step("what is left is the tail $R$ of the second, times $1/a_{i+2}$", in_tail,
                      "symbolic"))
    cond_i = E_i.subs(series, first_term + rest).subs(tail, R)
    cond_next = E_next.subs(tail, R)
    steps.append(Step("the two conditions (each $= 0$)", sp.Tuple(cond_i, cond_next), "symbolic"))
    solution = sp.solve([cond_i, cond_next], [S[I + 1], R], dict=True) if tail_ok else []
    unique = len(solution) == 1
    derived = sp.factor(solution[0][S[I + 1]]) if unique else sp.nan
    steps.append(Step("eliminate $R$ and solve (unique)", sp.Eq(S[I + 1], derived), "symbolic"))
    expected = S[I] * (1 - A[I + 1]) * A[I + 2] if claimed is None else sp.sympify(claimed)
    claim_ok = unique and is_zero(derived - expected)
    steps.append(Step("solution minus the claim, cancelled",
                      sp.cancel(derived - expected) if unique else sp.nan, "symbolic"))
    # cross-check: the chain rule through layers i+1, i+2, i+3 with the tail as one symbol
    a1, a2, a3 = sym("a", idx(1)), sym("a", idx(2)), sym("a", idx(3))
    s0, s1 = sym("s", idx(0)), sym("s", idx(1))
    at_p, at_q = chain_factors([a1, a2, a3]), chain_factors([a2, a3])
    chain = sp.solve([s0 + at_p[0][0] * s1 + at_p[1][0] * R, s1 + at_q[0][0] * R], [s1, R],
                     dict=True)
    chain_ok = len(chain) == 1 and is_zero(
        chain[0][s1] - derived.subs({S[I]: s0, A[I + 1]: a1, A[I + 2]: a2})) if unique else False
    branches = ", ".join(n for _, n in at_p)
    steps.append(Step(f"cross-check: layers $i+1$, $i+2$, $i+3$ meet the {branches} branches; "
                      "the chain rule there gives the same rule", truth(chain_ok), "symbolic"))
    holds = bool(general_ok and tail_ok and unique and claim_ok and chain_ok)
    return SymbolicResult(
        name="Eq. (5)", source=f"{SOURCE}, Lemma 3.2 (Eq. 4), Theorem 3.4 (Eq. 5); {_THEORY}",
        statement="$s_{i+1} = s_i (1 - a_{i+1}) a_{i+2}$",
        lhs=derived, rhs=expected, holds=holds, method="symbolic", steps=tuple(steps),
        detail="the solution of the two jump conditions is unique; the tail $R$ is "
               "formal (its convergence is Theorem A.1, not checked here)")


def eq5_ratio(result: SymbolicResult | None = None) -> sp.Expr:
    """``s_{k+1}/s_k`` of a derived Eq. (5), in the general symbols ``a[k+1]``, ``a[k+2]``."""
    derived = (result or derive_eq5()).lhs
    return sp.cancel(derived / S[I]).subs(I, K)


def eq5_coefficients_symbolic(peaks: list, s0: Any, *, swapped: bool = False,
                              ratio: Any = None) -> list:
    """Iterate Eq. (5) (``swapped``: a_{i+1}, a_{i+2} exchanged; ``ratio``: another rule in a[k+1], a[k+2])."""
    coeffs = [s0]
    for k in range(len(peaks) - 2):
        lo, hi = peaks[k + 1], peaks[k + 2]
        if ratio is not None:
            coeffs.append(coeffs[-1] * sp.sympify(ratio).subs({A[K + 1]: lo, A[K + 2]: hi}))
            continue
        if swapped:
            lo, hi = hi, lo
        coeffs.append(coeffs[-1] * (1 - lo) * hi)
    return coeffs


def swap_breaks_eq8(*, swapped: bool = True) -> SymbolicResult:
    """With a_{i+1} and a_{i+2} swapped in Eq. (5), Eq. (8) fails for n = i + 1 unless they agree.

    ``swapped=False`` runs the same test on the correct rule (then no root is
    found and the result fails: the test hook showing the line can fail).
    """
    peaks = [sym("a", k) for k in range(3)]
    jump, _, coeffs = eq4_finite(0, 1)
    values = eq5_coefficients_symbolic(peaks, coeffs[0], swapped=swapped)
    ratio = jump.subs(dict(zip(coeffs, values))) / values[0]
    error = sp.factor(sp.cancel(ratio - (1 - peaks[2])))
    roots = sp.solve(sp.numer(sp.together(error)), peaks[2]) if error != 0 else []
    holds = roots == [peaks[1]]
    return SymbolicResult(
        name="Eq. (5) swapped", source=f"{SOURCE}, Eq. (5); {_THEORY}",
        statement="$s_{i+1} = s_i (1 - a_{i+2}) a_{i+1}$ violates Eq. (8) at $n = i+1$ "
                  "unless $a_{i+1} = a_{i+2}$",
        lhs=error, rhs=sp.Symbol("nonzero unless a_1 = a_2"), holds=holds, method="symbolic",
        steps=(Step(r"ratio minus $\prod (1 - a_k)$ at a peak of $W_0$, $n = 1$", error,
                    "symbolic"),
               Step("zero only for $a_2 =$", sp.Tuple(*roots), "symbolic")))


# --------------------------------------------------------------------------- Eq. 6


def prove_eq6(depth: int, *, ratio: Any = None, claimed: Any = None) -> SymbolicResult:
    r"""Eq. (6) solved from the derived Eq. (5) and proved by induction on j, for every i, j.

    Milkert et al., proof of Theorem A.1, Eq. (6).  The recurrence
    ``s_{k+1} = r(k) s_k`` is read off the *derived* Eq. (5) (:func:`derive_eq5`;
    ``ratio`` replaces it, in ``a[k+1]``, ``a[k+2]``), telescoped to
    ``s_j = s_i prod_{k=i}^{j-1} r(k)``, and checked: base ``j = i`` (empty
    product), step ``s_{j+1} = r(j) s_j`` with the last factor of the product
    peeled by sympy.  The solution is compared with ``claimed`` (default the
    paper's Eq. (6), :func:`eq6_claim`): a wrong recurrence or a wrong closed form
    fails.  Cross-check: expanded for every j <= depth against iterating the rule.
    """
    r = eq5_ratio() if ratio is None else sp.sympify(ratio)
    claim = eq6_claim() if claimed is None else sp.sympify(claimed)
    steps = [Step("recurrence read off the derived Eq. (5): $s_{k+1}/s_k =$", r, "symbolic")]
    solved = S[I] * sp.Product(r, (K, I, J - 1))
    steps.append(Step("telescoped: $s_j =$", solved, "symbolic"))
    base = solved.subs(J, I).doit()
    base_ok = is_zero(base - S[I])
    steps.append(Step("base $j = i$: empty product", sp.Eq(sp.Symbol("s_i"), base), "symbolic"))
    shorter, last, peeled = peel_product(r, K, I, J)
    # s_{j+1} from the solution (last factor peeled) minus r(j) s_j from the recurrence
    step_gap = S[I] * shorter * last - r.subs(K, J) * solved
    step_ok = peeled and is_zero(step_gap)
    steps.append(Step(r"step: $s_{j+1} - r(j) s_j$ with $\prod_{k=i}^{j}$ peeled by sympy",
                      sp.cancel(step_gap), "symbolic step"))
    claim_ok = same(solved, claim)
    steps.append(Step("solution minus the claimed Eq. (6)",
                      sp.simplify(normal_products(solved) - normal_products(claim)), "symbolic"))
    peaks = [sym("a", m) for m in range(depth + 2)]
    iterated = eq5_coefficients_symbolic(peaks, sym("s", 0), ratio=r)
    unrolled_ok = all(is_zero(value - _finite(solved, {I: 0, J: jj}))
                      for jj, value in enumerate(iterated))
    steps.append(Step(f"expanded for $j \\le {depth}$ ($i = 0$) against iterating the rule",
                      truth(unrolled_ok), f"symbolic, n <= {depth}"))
    return SymbolicResult(
        name="Eq. (6)", source=f"{SOURCE}, Theorem A.1, Eq. (6); {_THEORY}",
        statement=r"$s_j = s_i \prod_{k=i}^{j-1} (1 - a_{k+1}) a_{k+2}$ for all $j \ge i$",
        lhs=solved, rhs=claim, holds=bool(base_ok and step_ok and claim_ok and unrolled_ok),
        method="symbolic step", steps=tuple(steps))


# --------------------------------------------------------------------------- Eq. 8


def _kappa(make: Callable) -> tuple[sp.Expr, sp.Expr]:
    """(``kappa_j`` for j > i, the factor of layer i+1) at a peak of ``W_i``, from the branches."""
    first = branch_at(A[I + 1], 1, make(A[I + 1]))[0]
    later = branch_at(A[J + 1], 0, make(A[J + 1]))[0]
    return first * sp.Product(later.subs(J, K - 1), (K, I + 2, J)), first


def prove_eq8(depth: int, *, swapped: bool = False) -> SymbolicResult:
    r"""The finite identity (Eq. 8): jump of F_n' at a peak of W_i over the jump of s_i W_i.

    Milkert et al., proof of Theorem A.1, Eqs. (7)-(8):
    ``ratio_n = prod_{k=i+2}^{n+1} (1 - a_k) =: P_n`` for all i <= n.  (a) General n,
    by induction, from the derived Eq. (4) (slope ratios ``kappa_j`` from the
    branches) and the derived Eq. (5) rule ``r``: ``ratio_{n+1} = ratio_n +
    kappa_{n+1} s_{n+1}/s_i`` (last term of the sum peeled by sympy); the
    regrouping ``s_{n+1}/s_i = (1 - a_{i+1}) P_n Q_n a_{n+2}`` (``Q_n =
    prod_{k=i+2}^{n+1} a_k``) is itself proved by induction from ``r``; and
    ``kappa_{n+1} Q_n`` is the constant factor of layer i+1 (sympy merges the
    products).  (b) Expanded: Eq. (4) for ``F_n`` built from the branches with the
    coefficients of Eq. (5) iterated, for every i <= n <= depth.  ``swapped`` uses
    the rule with a_{i+1} and a_{i+2} exchanged in both parts: it fails.
    """
    steps = []
    r = ((1 - A[K + 2]) * A[K + 1]) if swapped else eq5_ratio()
    kappa, first = _kappa(triangle)
    P = sp.Product(1 - A[K], (K, I + 2, N + 1))
    Q = sp.Product(A[K], (K, I + 2, N + 1))
    # regrouping of s_{n+1}/s_i, by induction on n (base n = i, step n -> n+1)
    G = (1 - A[I + 1]) * P * Q * A[N + 2]
    regroup_base = is_zero(G.subs(N, I).doit() - r.subs(K, I))
    _, p_last, p_ok = peel_product(1 - A[K], K, I + 2, N + 2)
    _, q_last, q_ok = peel_product(A[K], K, I + 2, N + 2)
    g_next = (1 - A[I + 1]) * (P * p_last) * (Q * q_last) * A[N + 3]
    _, _, r_ok = peel_product(r, K, I, N + 1)  # prod_{k=i}^{n+1} r = (prod_{k=i}^{n} r) r(n+1)
    regroup_step = p_ok and q_ok and r_ok and is_zero(g_next - G * r.subs(K, N + 1))
    steps.append(Step(r"$s_{n+1}/s_i = \prod_{k=i}^{n} r(k)$ (Eq. 6) regrouped as "
                      r"$(1 - a_{i+1}) P_n Q_n a_{n+2}$: base $n = i$ and step from the rule $r$",
                      truth(regroup_base and regroup_step), "symbolic step"))
    # kappa_{n+1} Q_n = the factor of layer i+1
    merged = sp.cancel(product_simplify(kappa.subs(J, N + 1) * Q).doit())
    kappa_ok = is_zero(merged - first)
    steps.append(Step(r"$\kappa_{n+1} Q_n$ from the derived slope ratios (products merged)",
                      sp.Eq(sp.Symbol("kappa_{n+1} Q_n"), merged), "symbolic"))
    # ratio_n = 1 + sum_{j=i+1}^{n} kappa_j s_j/s_i ; step by peeling the last term
    body = kappa * sp.Product(r, (K, I, J - 1))
    _, term, sum_ok = peel_sum(body, J, I + 1, N + 1)
    steps.append(Step(r"Eq. (7): $\mathrm{ratio}_{n+1} - \mathrm{ratio}_n$, the peeled term "
                      r"$\kappa_{n+1} s_{n+1}/s_i$", term, "symbolic step"))
    Pn = sp.Symbol("P_n", positive=True)  # the hypothesis ratio_n = P_n, P_n as an atom
    new_ratio = Pn + (first / Q) * G.subs(P, Pn)
    step_ok = kappa_ok and sum_ok and is_zero(new_ratio - Pn * p_last) and p_ok
    steps.append(Step(r"step: $\mathrm{ratio}_n = P_n$ gives $\mathrm{ratio}_{n+1} = "
                      r"P_n (1 - a_{n+2}) = P_{n+1}$", sp.Eq(sp.factor(new_ratio), Pn * p_last),
                      "symbolic step"))
    base_ratio = (1 + sp.Sum(body, (J, I + 1, N))).subs(N, I).doit()
    base_ok = base_ratio == 1 and P.subs(N, I).doit() == 1
    steps.append(Step("base $n = i$: only $s_i W_i$ jumps, empty sum and empty product",
                      sp.Tuple(base_ratio, P.subs(N, I).doit()), "symbolic"))
    step_ok = step_ok and base_ok and regroup_base and regroup_step
    unrolled_ok, checked, example = True, 0, sp.nan
    for n in range(depth + 1):
        peaks = [sym("a", k) for k in range(n + 2)]
        values = eq5_coefficients_symbolic(peaks, sym("s", 0), swapped=swapped)
        for i in range(n + 1):
            jump, _, coeffs = eq4_finite(i, n)
            ratio = jump.subs(dict(zip(coeffs, values))) / values[i]
            if (i, n) == (0, min(2, depth)):
                example = ratio
            target = sp.Mul(*[1 - peaks[k] for k in range(i + 2, n + 2)])
            regroup = is_zero(values[n] / values[i] - sp.Mul(
                *[(1 - peaks[k + 1]) * peaks[k + 2] for k in range(i, n)]))
            unrolled_ok = unrolled_ok and regroup and is_zero(ratio - target)
            checked += 1
    steps.append(Step(f"from the branches, all $i \\le n \\le {depth}$ ({checked} cases)",
                      truth(unrolled_ok), f"symbolic, n <= {depth}"))
    return SymbolicResult(
        name="Eq. (8)", source=f"{SOURCE}, Theorem A.1, Eqs. (7)-(8); {_THEORY}",
        statement=r"$[F_n'](p) / [s_i W_i'](p) = \prod_{k=i+2}^{n+1} (1 - a_k)$ at every peak "
                  "$p$ of $W_i$",
        lhs=sp.factor(sp.cancel(example)), rhs=sp.Product(1 - A[K], (K, I + 2, N + 1)),
        holds=bool(step_ok and unrolled_ok), method="symbolic step", steps=tuple(steps),
        detail=f"general $n$ by induction; expanded from the branch structure for $n \\le {depth}$")
