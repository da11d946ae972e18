"""Symbolic (sympy) derivations for :mod:`exactrelu.theorems.milkert`.

It imports sympy at import time, so :mod:`exactrelu.theorems.milkert`
imports it only inside functions.

Conventions (THEORY.md section 4, 0-based as in the paper): the triangle
``T_a(x) = x/a`` on ``[0, a]`` and ``(1 - x)/(1 - a)`` on ``[a, 1]``; the waves
``W_i = T_{a_i} o ... o T_{a_0}``; the output ``F = sum_i s_i W_i``.

How a step is established is recorded in every :class:`~exactrelu.theorems.milkert.Step`
and :class:`~exactrelu.theorems.milkert.SymbolicResult`:

* ``"symbolic"``: sympy proved an identity in free symbols (an expression that
  ``cancel`` reduces to zero, or a ``solve``/``solveset`` on the open interval).
* ``"symbolic, n <= N"``: sympy proved it for every index up to a configurable
  bound by expanding the finite products.
* ``"symbolic step"``: an induction step in which a finite product with a
  symbolic bound is an opaque positive symbol together with its defining
  recurrence ``prod_{lo}^{hi+1} f = (prod_{lo}^{hi} f) f(hi+1)``. sympy's
  ``Product`` does not peel factors on symbolic bounds by itself; the peeling is
  written out, and the regrouping is also checked by expansion for n <= N.
* ``"argument"``: an analytic step (a limit, density, continuity) that sympy
  does not check; said in words, never reported as proved.
"""

from __future__ import annotations

import sympy as sp

from .results import Step, SymbolicResult

__all__ = [
    "derive_eq4",
    "derive_eq5",
    "swap_breaks_eq8",
    "prove_eq6",
    "prove_eq8",
    "prove_lemma_a5",
    "prove_lemma_a6_sign",
    "theorem_a4",
    "derive_all",
]

_SOURCE = "Milkert, Hyde, Laine (2023), arXiv:2311.18022v2"
_x = sp.Symbol("x", real=True)


# --------------------------------------------------------------------------- symbols


def _sym(base: str, index: str | int) -> sp.Symbol:
    """``a_{i+1}``-style symbol; peaks and coefficients are positive reals."""
    return sp.Symbol(f"{base}_{{{index}}}" if isinstance(index, str) else f"{base}_{index}",
                     positive=True)


def _idx(offset: int) -> str:
    return "i" if offset == 0 else f"i+{offset}"


def _in_unit_interval(a: sp.Symbol) -> sp.Expr:
    """A parametrisation ``a = 1/(1+t)``, ``t > 0``, onto the open interval (0, 1).

    sympy cannot assume ``a < 1`` for a symbol; substituting this expression lets
    its assumption system decide signs and order relations that hold on (0, 1).
    """
    t = sp.Symbol(f"t[{a.name}]", positive=True)
    return 1 / (1 + t)


def _open_cube(expr: sp.Expr, peaks) -> sp.Expr:
    return expr.subs({a: _in_unit_interval(a) for a in peaks})


def _is_zero(expr: sp.Expr) -> bool:
    return sp.cancel(sp.together(expr)) == 0


def _is_positive_on_open_cube(expr: sp.Expr, peaks) -> bool:
    """True only if sympy proves ``expr > 0`` for all peaks in (0, 1)."""
    return sp.factor(sp.cancel(sp.together(_open_cube(expr, peaks)))).is_positive is True


# --------------------------------------------------------------------------- branches


def triangle(a: sp.Expr) -> sp.Piecewise:
    """``T_a`` as a sympy Piecewise (THEORY section 2)."""
    return sp.Piecewise((_x / a, _x <= a), ((1 - _x) / (1 - a), True))


def branch_at(a: sp.Symbol, value: sp.Expr) -> tuple[sp.Expr, sp.Expr, str]:
    """The branch of ``T_a`` that is active on a neighbourhood of ``value``.

    The wave feeding ``T_a`` at a peak or valley of an earlier layer has the value
    1 or 0, approached from inside [0, 1].  The Piecewise condition is evaluated at
    that value with ``a`` in (0, 1); since ``a`` is neither 0 nor 1, the same branch
    is active on a one-sided neighbourhood.  Returns (slope factor, T_a(value), name).
    """
    piecewise = triangle(a)
    assumed = _in_unit_interval(a)
    for expr, cond in piecewise.args:
        decided = cond.subs(_x, value).subs(a, assumed)
        if decided is sp.true:
            name = "left" if expr == _x / a else "right"
            slope = sp.diff(expr, _x)
            return slope, sp.simplify(expr.subs(_x, value)), name
        if decided is not sp.false:
            raise AssertionError(f"branch of T_{a} at {value} not decided: {decided}")
    raise AssertionError("no branch selected")  # pragma: no cover


def chain_factors(peaks: list[sp.Symbol], start_value: sp.Expr = sp.Integer(1)):
    """Slope factors of the later waves at a point where the current wave equals 1.

    ``peaks`` are the peaks of the layers after the one with the peak, in order.
    Returns a list of ``(factor, branch name)``: the slope of ``W_{i+m}`` at the
    point, divided by the slope of ``W_i`` there (the same on both sides).
    """
    factors = []
    value, total = start_value, sp.Integer(1)
    for a in peaks:
        slope, value, name = branch_at(a, value)
        total = total * slope
        factors.append((total, name))
    return factors


# --------------------------------------------------------------------------- Eq. 4, 5


def _jump_factor(s: list, kappas: list) -> sp.Expr:
    """``s_i + sum_j kappa_{i,j} s_j``: jump of F' at a peak of W_i over (sigma+ - sigma-)."""
    return s[0] + sum(k * c for k, c in zip(kappas, s[1:]))


def derive_eq5() -> SymbolicResult:
    """Derive Eq. (5), ``s_{i+1} = s_i (1 - a_{i+1}) a_{i+2}``, from the branches.

    Milkert et al., Lemma 3.2 (Eq. 4) and Theorem 3.4 (Eq. 5).  The infinite tail
    ``R = sum_{j >= i+2} s_j prod_{k=i+3}^{j} 1/a_k`` is one symbol: from layer i+2
    on, a peak of ``W_i`` and a peak of ``W_{i+1}`` are both valleys, so every later
    layer multiplies their slopes by the same left-branch factor ``1/a_k``.
    """
    a1, a2, a3 = _sym("a", _idx(1)), _sym("a", _idx(2)), _sym("a", _idx(3))
    s0, s1 = _sym("s", _idx(0)), _sym("s", _idx(1))
    tail = sp.Symbol("R", real=True)
    steps = []
    # chain rule at a peak p of W_i (value 1) through layers i+1, i+2, i+3
    at_p = chain_factors([a1, a2, a3])
    at_q = chain_factors([a2, a3])  # at a peak q of W_{i+1}
    steps.append(Step("branches at a peak of W_i (layers i+1, i+2, i+3)",
                      sp.Tuple(*[sp.Symbol(n) for _, n in at_p]), "symbolic"))
    steps.append(Step("slope factors of W_{i+1}, W_{i+2}, W_{i+3} at a peak of W_i",
                      sp.Tuple(*[f for f, _ in at_p]), "symbolic"))
    # the factor from layer i+3 on is common: ratio of the two chains is constant
    common = sp.cancel(at_p[2][0] / at_q[1][0]) == sp.cancel(at_p[1][0] / at_q[0][0])
    steps.append(Step("tail factors agree up to a constant (both points are valleys)",
                      sp.Eq(sp.cancel(at_p[2][0] / at_q[1][0]),
                            sp.cancel(at_p[1][0] / at_q[0][0])), "symbolic"))
    # Eq. 4 at layer i and at layer i+1, tail = R
    jump_i = s0 + at_p[0][0] * s1 + at_p[1][0] * tail
    jump_next = s1 + at_q[0][0] * tail
    steps.append(Step("Eq. (4) at a peak of W_i (over sigma+ - sigma-)", jump_i, "symbolic"))
    steps.append(Step("Eq. (4) at a peak of W_{i+1}", jump_next, "symbolic"))
    solution = sp.solve([jump_i, jump_next], [s1, tail], dict=True)
    unique = len(solution) == 1
    derived = sp.factor(solution[0][s1]) if unique else sp.nan
    steps.append(Step("eliminate the tail R and solve", sp.Eq(s1, derived), "symbolic"))
    expected = s0 * (1 - a1) * a2
    steps.append(Step("solution minus s_i (1 - a_{i+1}) a_{i+2}, cancelled",
                      sp.cancel(derived - expected) if unique else sp.nan, "symbolic"))
    holds = bool(common and unique and _is_zero(derived - expected))
    return SymbolicResult(
        name="Eq. (5)",
        source=f"{_SOURCE}, Lemma 3.2 (Eq. 4), Theorem 3.4 (Eq. 5)",
        statement="s_{i+1} = s_i (1 - a_{i+1}) a_{i+2}",
        lhs=derived, rhs=expected, holds=holds, method="symbolic", steps=tuple(steps),
        detail="the solution of the two jump conditions is unique; the tail R is "
               "formal (its convergence is Theorem A.1, not checked here)",
    )


def eq4_finite(i: int, n: int) -> tuple[sp.Expr, list, list]:
    """Eq. (4) for the truncation ``F_n`` at a peak of ``W_i``, built from the branches.

    Returns (jump factor E_i^{(n)}, peaks a_0..a_{n+1}, coefficients s_0..s_n).
    """
    peaks = [_sym("a", k) for k in range(n + 2)]
    coeffs = [_sym("s", k) for k in range(n + 1)]
    kappas = [f for f, _ in chain_factors(peaks[i + 1:n + 1])]
    return _jump_factor(coeffs[i:], kappas), peaks, coeffs


def eq5_coefficients_symbolic(peaks: list, s0: sp.Expr, *, swapped: bool = False) -> list:
    """Iterate Eq. (5) (or, with ``swapped``, the rule with a_{i+1} and a_{i+2} exchanged)."""
    coeffs = [s0]
    for k in range(len(peaks) - 2):
        lo, hi = peaks[k + 1], peaks[k + 2]
        if swapped:
            lo, hi = hi, lo
        coeffs.append(coeffs[-1] * (1 - lo) * hi)
    return coeffs


def _eq4_closed_form(i: int, n: int) -> sp.Expr:
    """THEORY's Eq. (4), truncated at n, in the symbols a_k, s_k."""
    peaks = [_sym("a", k) for k in range(n + 2)]
    coeffs = [_sym("s", k) for k in range(n + 1)]
    return coeffs[i] - sum(
        coeffs[j] * sp.Mul(*[1 / peaks[k] for k in range(i + 2, j + 1)])
        for j in range(i + 1, n + 1)) / (1 - peaks[i + 1])


def derive_eq4(depth: int) -> SymbolicResult:
    """Eq. (4) for every truncation ``F_n``, n <= depth, from the branch structure.

    The chain-rule jump factor equals
    ``s_i - (1/(1 - a_{i+1})) sum_{j=i+1}^{n} s_j prod_{k=i+2}^{j} 1/a_k``.
    """
    ok, cases = True, 0
    for n in range(depth + 1):
        for i in range(n + 1):
            jump, _, _ = eq4_finite(i, n)
            ok = ok and _is_zero(jump - _eq4_closed_form(i, n))
            cases += 1
    i, j, k = sp.symbols("i j k", integer=True, nonnegative=True)
    a, s = sp.IndexedBase("a"), sp.IndexedBase("s")
    general = s[i] - sp.Sum(s[j] * sp.Product(1 / a[k], (k, i + 2, j)),
                            (j, i + 1, sp.oo)) / (1 - a[i + 1])
    example, _, _ = eq4_finite(0, 2)
    steps = (Step("chain rule from the branches, i = 0, n = 2", example, "symbolic"),
             Step(f"equals the closed form for all i <= n <= {depth} ({cases} cases)",
                  sp.true if ok else sp.false, f"symbolic, n <= {depth}"))
    return SymbolicResult(
        name="Eq. (4)", source=f"{_SOURCE}, Lemma 3.2, Eq. (4)",
        statement="[F'](p) = (sigma+ - sigma-) (s_i - (1/(1-a_{i+1})) sum_{j>=i+1} s_j "
                  "prod_{k=i+2}^{j} 1/a_k) at a peak p of W_i",
        lhs=example, rhs=_eq4_closed_form(0, 2), holds=ok, method=f"symbolic, n <= {depth}",
        steps=steps, detail="the one-sided slopes of W_j, j < i, agree at p (p is interior "
        "to a piece of W_{i-1}: W_{i-1}(p) = a_i is neither 0 nor 1)",
    )


def swap_breaks_eq8() -> SymbolicResult:
    """With a_{i+1} and a_{i+2} swapped in Eq. (5), Eq. (8) fails for n = i + 1 unless they agree."""
    peaks = [_sym("a", k) for k in range(3)]
    jump, _, coeffs = eq4_finite(0, 1)
    values = eq5_coefficients_symbolic(peaks, coeffs[0], swapped=True)
    ratio = jump.subs(dict(zip(coeffs, values))) / values[0]
    error = sp.factor(sp.cancel(ratio - (1 - peaks[2])))
    roots = sp.solve(sp.numer(sp.together(error)), peaks[2])
    holds = roots == [peaks[1]]
    return SymbolicResult(
        name="Eq. (5) swapped", source=f"{_SOURCE}, Eq. (5); THEORY.md section 4",
        statement="s_{i+1} = s_i (1 - a_{i+2}) a_{i+1} violates Eq. (8) at n = i+1 "
                  "unless a_{i+1} = a_{i+2}",
        lhs=error, rhs=sp.Symbol("nonzero unless a_1 = a_2"), holds=holds, method="symbolic",
        steps=(Step("ratio - prod (1 - a_k) at a peak of W_0, n = 1", error, "symbolic"),
               Step("zero only for a_2 =", sp.Tuple(*roots), "symbolic")),
    )


# --------------------------------------------------------------------------- Eq. 6, 8


def prove_eq6(depth: int) -> SymbolicResult:
    """Eq. (6), ``s_j = s_i prod_{k=i}^{j-1} (1 - a_{k+1}) a_{k+2}``, by induction on j."""
    k, i, j = sp.symbols("k i j", integer=True, nonnegative=True)
    a = sp.IndexedBase("a")
    factor = (1 - a[k + 1]) * a[k + 2]
    closed = sp.Product(factor, (k, i, j - 1))
    s_i = sp.Symbol("s_i", positive=True)
    steps = [Step("claim", sp.Eq(sp.Symbol("s_j"), s_i * closed), "symbolic")]
    base = sp.Product(factor, (k, i, i - 1)).doit()
    steps.append(Step("base j = i: empty product", sp.Eq(base, 1), "symbolic"))
    shorter = sp.Symbol("Pi_j", positive=True)  # prod_{k=i}^{j-1}: the hypothesis
    step_lhs = (s_i * shorter) * factor.subs(k, j)  # Eq. 5 at index j
    step_rhs = s_i * (shorter * factor.subs(k, j))  # prod_{k=i}^{j}, last factor peeled
    step_ok = _is_zero(step_lhs - step_rhs)
    steps.append(Step("step: s_{j+1} = s_j (1 - a_{j+1}) a_{j+2} with s_j = s_i Pi_j",
                      sp.Eq(step_lhs, step_rhs), "symbolic step"))
    # unrolled: iterate Eq. 5 from s_0 and expand the product, every j <= depth
    peaks = [_sym("a", m) for m in range(depth + 2)]
    s0 = _sym("s", 0)
    iterated = eq5_coefficients_symbolic(peaks, s0)
    unrolled_ok = True
    for jj, value in enumerate(iterated):
        expanded = s0 * sp.Mul(*[(1 - peaks[m + 1]) * peaks[m + 2] for m in range(jj)])
        unrolled_ok = unrolled_ok and _is_zero(value - expanded)
    steps.append(Step(f"unrolled for j <= {depth} (i = 0)", sp.true if unrolled_ok else sp.false,
                      f"symbolic, n <= {depth}"))
    return SymbolicResult(
        name="Eq. (6)", source=f"{_SOURCE}, Theorem A.1, Eq. (6)",
        statement="s_j = s_i prod_{k=i}^{j-1} (1 - a_{k+1}) a_{k+2}",
        lhs=iterated[min(3, depth)], rhs=(s0 * closed).subs({i: 0, j: min(3, depth)}).doit()
        .subs({a[m]: peaks[m] for m in range(depth + 2)}),
        holds=bool(base == 1 and step_ok and unrolled_ok),
        method="symbolic step", steps=tuple(steps),
    )


def prove_eq8(depth: int) -> SymbolicResult:
    """The finite identity (Eq. 8): jump of F_n' at a peak of W_i over the jump of s_i W_i.

    ``ratio = prod_{k=i+2}^{n+1} (1 - a_k)`` for all i <= n.  Proved (a) by induction
    on n with the products as opaque symbols (general n), and (b) by building Eq. (4)
    for ``F_n`` from the branches and substituting the coefficients obtained by
    iterating Eq. (5), for every i <= n <= depth.
    """
    steps = []
    ai1, an2 = _sym("a", _idx(1)), _sym("a", "n+2")
    s_i = _sym("s", _idx(0))
    P = sp.Symbol("P_n", positive=True)  # prod_{k=i+2}^{n+1} (1 - a_k), the hypothesis
    Q = sp.Symbol("Q_n", positive=True)  # prod_{k=i+2}^{n+1} a_k
    s_next = s_i * (1 - ai1) * P * Q * an2  # Eq. 6 at j = n+1, regrouped
    kappa_next = -1 / ((1 - ai1) * Q)  # chain factor of W_{n+1} at the peak of W_i
    new_ratio = P + kappa_next * s_next / s_i
    step_ok = _is_zero(new_ratio - P * (1 - an2))
    steps.append(Step("Eq. (7): term of W_{n+1} in Eq. (4) over s_i",
                      sp.factor(kappa_next * s_next / s_i), "symbolic step"))
    steps.append(Step("step: ratio_{n+1} = P_n - P_n a_{n+2} = P_{n+1}",
                      sp.Eq(sp.factor(new_ratio), P * (1 - an2)), "symbolic step"))
    steps.append(Step("base n = i: only s_i W_i jumps", sp.Eq(sp.Integer(1), sp.Integer(1)),
                      "symbolic"))
    unrolled_ok, checked, example = True, 0, sp.nan
    for n in range(depth + 1):
        for i in range(n + 1):
            jump, peaks, coeffs = eq4_finite(i, n)
            values = eq5_coefficients_symbolic(peaks, coeffs[0])
            ratio = jump.subs(dict(zip(coeffs, values))) / values[i]
            if (i, n) == (0, min(2, depth)):
                example = ratio
            target = sp.Mul(*[1 - peaks[k] for k in range(i + 2, n + 2)])
            regroup = _is_zero(values[n] / values[i] - sp.Mul(
                *[(1 - peaks[k + 1]) * peaks[k + 2] for k in range(i, n)]))
            unrolled_ok = unrolled_ok and regroup and _is_zero(ratio - target)
            checked += 1
    steps.append(Step(f"unrolled from the branches, all i <= n <= {depth} ({checked} cases)",
                      sp.true if unrolled_ok else sp.false, f"symbolic, n <= {depth}"))
    i_sym, n_sym, k = sp.symbols("i n k", integer=True, nonnegative=True)
    a = sp.IndexedBase("a")
    return SymbolicResult(
        name="Eq. (8)", source=f"{_SOURCE}, Theorem A.1, Eqs. (7)-(8)",
        statement="[F_n'](p) / [s_i W_i'](p) = prod_{k=i+2}^{n+1} (1 - a_k) at every peak p of W_i",
        lhs=sp.factor(sp.cancel(example)), rhs=sp.Product(1 - a[k], (k, i_sym + 2, n_sym + 1)),
        holds=bool(step_ok and unrolled_ok), method="symbolic step", steps=tuple(steps),
        detail=f"general n by induction; expanded from the branch structure for n <= {depth}",
    )


# --------------------------------------------------------------------------- Lemma A.5


def prove_lemma_a5() -> SymbolicResult:
    """Lemma A.5: ``s_{i+2}/s_i <= 1/4``; the middle factor is maximised at a_{i+2} = 1/2."""
    a1, a2, a3 = _sym("a", _idx(1)), _sym("a", _idx(2)), _sym("a", _idx(3))
    peaks = [sp.Symbol("a_i", positive=True), a1, a2, a3]
    s_i = _sym("s", _idx(0))
    coeffs = eq5_coefficients_symbolic(peaks, s_i)
    ratio = sp.factor(coeffs[2] / s_i)
    steps = [Step("Eq. (5) twice", sp.Eq(sp.Symbol("s_{i+2}/s_i"), ratio), "symbolic")]
    middle = a2 * (1 - a2)
    outer = (1 - a1) * a3
    gap = sp.Rational(1, 4) - ratio
    split = (a2 - sp.Rational(1, 2)) ** 2 + middle * (1 - outer)
    split_ok = _is_zero(gap - split)
    steps.append(Step("1/4 - s_{i+2}/s_i as a sum of non-negative terms",
                      sp.Eq(sp.Symbol("1/4 - s_{i+2}/s_i"), split), "symbolic"))
    positive = _is_positive_on_open_cube(middle * (1 - outer), [a1, a2, a3])
    steps.append(Step("a_{i+2}(1 - a_{i+2})(1 - (1 - a_{i+1}) a_{i+3}) > 0 on (0,1)^3",
                      sp.true if positive else sp.false, "symbolic"))
    y = sp.Symbol("y", real=True)
    critical = sp.solveset(sp.diff(y * (1 - y), y), y, sp.Interval.open(0, 1))
    peak_value = sp.calculus.util.maximum(y * (1 - y), y, sp.Interval(0, 1))
    steps.append(Step("maximiser of a(1 - a) on (0,1) (critical points)", critical, "symbolic"))
    steps.append(Step("max of a(1 - a) on [0,1]", peak_value, "symbolic"))
    sup = sp.limit(sp.limit(ratio.subs(a2, sp.Rational(1, 2)), a1, 0, "+"), a3, 1, "-")
    steps.append(Step("supremum (a_{i+1} -> 0+, a_{i+2} = 1/2, a_{i+3} -> 1-), not attained",
                      sp.Eq(sp.Symbol("sup"), sup), "symbolic"))
    holds = bool(split_ok and positive and critical == sp.FiniteSet(sp.Rational(1, 2))
                 and peak_value == sp.Rational(1, 4) and sup == sp.Rational(1, 4))
    return SymbolicResult(
        name="Lemma A.5", source=f"{_SOURCE}, Lemma A.5",
        statement="s_{i+2}/s_i = (1-a_{i+1}) a_{i+2} (1-a_{i+2}) a_{i+3} < 1/4 on (0,1)^3; "
                  "sup 1/4 at a_{i+1} -> 0, a_{i+2} = 1/2, a_{i+3} -> 1",
        lhs=ratio, rhs=sp.Rational(1, 4), holds=holds, method="symbolic", steps=tuple(steps),
        detail="strict: the bound 1/4 is a supremum, not a maximum, on the open cube",
    )


# --------------------------------------------------------------------------- Lemma A.6


def prove_lemma_a6_sign(depth: int) -> SymbolicResult:
    """Lemma A.6, sign settled: with s_0 > 0 every jump of F_n' is negative.

    So ``F_n`` is concave and ``x - F_n`` convex, for every n; with s_0 < 0 it is
    the other way round (``x + |F_n|``-type concave targets).  The jump at a peak of
    W_i is ``(sigma+ - sigma-) s_i prod_{k=i+2}^{n+1}(1 - a_k)`` (Eq. 4 with Eq. 8)
    with ``sigma- > 0 > sigma+`` at a peak.
    """
    steps = []
    sign_ok = True
    for n in range(depth + 1):
        peaks = [_sym("a", k) for k in range(n + 2)]
        s0 = _sym("s", 0)
        values = eq5_coefficients_symbolic(peaks, s0)
        for i in range(n + 1):
            product = sp.Mul(*[1 - peaks[k] for k in range(i + 2, n + 2)])
            sign_ok = sign_ok and _is_positive_on_open_cube(values[i] * product / s0, peaks)
    steps.append(Step(f"s_i prod_(k=i+2)^(n+1) (1 - a_k) / s_0 > 0 on (0,1)^(n+2), "
                      f"all i <= n <= {depth}", sp.true if sign_ok else sp.false,
                      f"symbolic, n <= {depth}"))
    sigma = sp.Symbol("sigma", positive=True)  # |W_{i-1}'| at the peak
    a_i = sp.Symbol("a_i", positive=True)
    negative = True
    for orientation, (sigma_minus, sigma_plus) in {
        "increasing": (sigma / a_i, -sigma / (1 - a_i)),
        "decreasing": (sigma / (1 - a_i), -sigma / a_i),
    }.items():
        gap = sp.cancel(sigma_plus - sigma_minus)
        negative = negative and _is_positive_on_open_cube(-gap, [a_i])
        steps.append(Step(f"sigma+ - sigma- at a peak (W_{{i-1}} {orientation} there)", gap,
                          "symbolic"))
    steps.append(Step("sigma+ - sigma- < 0 on (0,1), both cases", sp.true if negative else sp.false,
                      "symbolic"))
    return SymbolicResult(
        name="Lemma A.6", source=f"{_SOURCE}, Lemma A.6",
        statement="s_0 > 0 (hence all s_i > 0 by Eq. 5): every kink of F_n is concave, "
                  "so x - F_n is convex; s_0 < 0: x - F_n is concave",
        lhs=sp.Symbol("sign([F_n'])"), rhs=sp.Integer(-1), holds=bool(sign_ok and negative),
        method=f"symbolic, n <= {depth}", steps=tuple(steps),
        detail="the limit F inherits concavity as a pointwise limit (argument, not sympy); "
               "s_i > 0 without Eq. (5) is not enough (see milkert.convexity_witness)",
    )


# --------------------------------------------------------------------------- Theorem A.4


def theorem_a4() -> SymbolicResult:
    """Theorem A.4 as far as sympy goes: the second difference quotients at a peak.

    Let p be a peak of W_i and q_m^+, q_m^- the nearest peaks of W_{i+m} on each side
    (m >= 1).  With F'(q) = F_{i+m-1}'(q) (Lemma A.2) and Eq. (8),
    ``F'(q_m^+-) - F'(p) = sigma+- s_i P_m``, ``P_m = prod_{k=i+2}^{i+m}(1 - a_k)``, and
    ``|q_m^+- - p| = (1 - a_{i+1}) A_m / |sigma+-|``, ``A_m = prod_{k=i+2}^{i+m} a_k``.
    sympy proves: the ratio of the right to the left second difference quotient is
    ``(a_i/(1 - a_i))^{+-2}`` for every m, and equals 1 on (0,1) only at a_i = 1/2;
    with every a_k = 1/2 the quotients are ``-8 sigma^2 s_i`` with
    ``sigma = |W_{i-1}'(p)| = 2^i`` (Yarotsky: -2).  In general
    ``D_m^- = -sigma_-^2 s_i/(1 - a_{i+1}) prod_{k=i+2}^{i+m} (1 - a_k)/a_k``, so a
    finite non-zero F''(p) also needs that product to converge to a non-zero limit.
    Not proved by sympy (stated as argument): Lemma A.2 in the limit (it needs
    Theorem A.1), that twice differentiability makes both quotients converge to
    F''(p), and that F''(p) = 0 at every peak is impossible (F'' would vanish on a
    dense set, making F affine, but F(0) = 0 and F(a_0) = s_0 != 0 = F(1)).
    """
    a_i, a1 = sp.Symbol("a_i", positive=True), _sym("a", _idx(1))
    s_i, sigma = _sym("s", _idx(0)), sp.Symbol("sigma", positive=True)
    P, A = sp.Symbol("P_m", positive=True), sp.Symbol("A_m", positive=True)
    steps = []
    results = []
    signs_ok = True
    for orientation, (sm, sp_) in {
        "W_{i-1} increasing at p": (sigma / a_i, -sigma / (1 - a_i)),
        "W_{i-1} decreasing at p": (sigma / (1 - a_i), -sigma / a_i),
    }.items():
        # sigma- > 0 > sigma+ at a peak, proved on (0,1); so |sigma+| = -sigma+
        signs_ok = signs_ok and _is_positive_on_open_cube(sm, [a_i]) \
            and _is_positive_on_open_cube(-sp_, [a_i])
        dist_plus = (1 - a1) * A / (-sp_)
        dist_minus = (1 - a1) * A / sm
        quotient_plus = sp_ * s_i * P / dist_plus
        quotient_minus = -sm * s_i * P / dist_minus
        ratio = sp.factor(sp.cancel(quotient_plus / quotient_minus))
        steps.append(Step(f"D_m^- ({orientation}); P_m/A_m = prod_(k=i+2)^(i+m) (1-a_k)/a_k",
                          sp.factor(quotient_minus), "symbolic"))
        solutions = sp.solveset(sp.Eq(ratio, 1), a_i, sp.Interval.open(0, 1))
        steps.append(Step(f"D_m^+ / D_m^- ({orientation}), independent of m", ratio, "symbolic"))
        steps.append(Step("solutions of D_m^+ = D_m^- on (0,1)", solutions, "symbolic"))
        half = {a_i: sp.Rational(1, 2), a1: sp.Rational(1, 2)}
        m = sp.Symbol("m", integer=True, positive=True)
        halves = {P: sp.Rational(1, 2) ** (m - 1), A: sp.Rational(1, 2) ** (m - 1)}
        at_half = sp.simplify(quotient_minus.subs(half).subs(halves))
        results.append((solutions, at_half))
    steps.append(Step("D_m^- with every a_k = 1/2 (increasing case)", results[0][1], "symbolic"))
    i = sp.Symbol("i", integer=True, nonnegative=True)
    yarotsky = sp.simplify(results[0][1].subs({sigma: 2 ** i, s_i: sp.Rational(1, 4) ** (i + 1)}))
    steps.append(Step("... with |W_{i-1}'| = 2^i, s_i = 4^-(i+1): F'' = -2, (x - F)'' = 2",
                      yarotsky, "symbolic"))
    steps.append(Step("limits, Lemma A.2 in the limit, F'' != 0 somewhere",
                      sp.Symbol("not_checked_by_sympy"), "argument"))
    holds = signs_ok and yarotsky == -2 and all(
        sol == sp.FiniteSet(sp.Rational(1, 2)) for sol, _ in results)
    return SymbolicResult(
        name="Theorem A.4", source=f"{_SOURCE}, Lemma A.3, Theorem A.4",
        statement="equal one-sided second difference quotients at the peaks of W_i force "
                  "a_i = 1/2; all a_k = 1/2 gives F'' = -2 (x - F = x^2)",
        lhs=steps[1].expr, rhs=sp.Symbol("1 only at a_i = 1/2"), holds=bool(holds),
        method="symbolic",
        steps=tuple(steps),
        detail="proved: the finite-m quotient identity and its solution set; argument only: "
               "the passage to the limit (see docstring)",
    )


def derive_all(depth: int) -> tuple[SymbolicResult, ...]:
    """Every symbolic result, in the paper's order."""
    return (derive_eq4(depth), derive_eq5(), swap_breaks_eq8(), prove_eq6(depth),
            prove_eq8(depth), theorem_a4(), prove_lemma_a5(), prove_lemma_a6_sign(depth))
