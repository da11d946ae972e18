"""Exact confirmations of Milkert, Hyde, Laine on rational peaks (every one able to fail).

Milkert, Hyde, Laine, arXiv:2311.18022v2, Theorem A.1 (Eq. 8), Eq. (5),
Lemma A.6, Lemma A.3 / Theorem A.4, Section 3 (Figure 2); Yarotsky (2017),
Proposition 2; our statement in docs/theory.md §4.  Each check takes the rule or
coefficients it tests as a parameter, so a wrong input makes it fail
(tests/test_milkert_failures.py).  Texts are made with
:func:`~exactrelu.theorems.milkert.results.mk`, so ``exactrelu eq5 --latex``
typesets them with maths in maths mode.
"""

from __future__ import annotations

from fractions import Fraction
from math import prod
from typing import Any, Sequence

from ..._validate import check_int
from ...constructions import check_peaks
from ...errors import DomainError, ShapeError
from ...network import ReLUNetwork
from ...pwl import PiecewiseLinear
from ...rationals import RationalLike, to_rational
from ...report import CheckResult
from .results import PeakJump, mk
from .waves import compositional_network, eq5_coefficients, sum_of_waves, wave_peaks, wave_sum, waves

__all__ = ["peak_jumps", "check_finite_identity", "swap_witness", "check_convexity",
           "convexity_witness", "second_difference_quotients", "check_yarotsky",
           "check_compositional", "exact_checks"]

SOURCE = "Milkert, Hyde, Laine (2023), arXiv:2311.18022v2"
THEORY = "docs/theory.md §4"


def peak_jumps(peaks: Sequence[RationalLike], s0: RationalLike = 1, *,
               swapped: bool = False) -> tuple[PeakJump, ...]:
    """Eq. (8) at every peak of every layer of the truncation ``F_n``.

    ``peaks`` are ``a_0..a_{n+1}``; ``F_n = sum_{i<=n} s_i W_i`` with the Eq. (5)
    coefficients (``swapped``: the wrong rule).  For each peak p of each W_i
    (i <= n): jump of F_n' at p, jump of s_i W_i' at p, their ratio, and the
    prediction ``prod_{k=i+2}^{n+1} (1 - a_k)``.

    >>> [j.ratio for j in peak_jumps(["1/2", "1/3", "1/4"])]
    [Fraction(3, 4), Fraction(1, 1), Fraction(1, 1)]
    """
    a = check_peaks(peaks, minimum=2)
    s = eq5_coefficients(a, s0, swapped=swapped)
    if s[0] == 0:
        raise DomainError("s0 must be non-zero: the ratio divides by the jump of s_i W_i")
    n = len(s) - 1
    ws = waves(a[:n + 1])
    total = sum_of_waves(ws, s)
    out = []
    for i, w in enumerate(ws):
        expected = prod((1 - a[k] for k in range(i + 2, n + 2)), start=Fraction(1))
        for p in wave_peaks(w):
            left, right = _sides(total, p)
            wl, wr = _sides(w, p)
            jump, own = right - left, s[i] * (wr - wl)
            out.append(PeakJump(i, p, jump, own, jump / own, expected))
    return tuple(out)


def _sides(f: PiecewiseLinear, x: Fraction) -> tuple[Fraction, Fraction]:
    """``(f'(x-), f'(x+))`` at an interior point (both exist)."""
    left, right = f.one_sided_slopes(x)
    if left is None or right is None:
        raise AssertionError(f"{x} is not interior")  # pragma: no cover
    return left, right


def _coefficients(peaks: Sequence[Fraction], s0: RationalLike, coefficients: Any) -> tuple[Fraction, ...]:
    if coefficients is None:
        return eq5_coefficients(peaks, s0)
    return tuple(to_rational(c, where=f"coefficients[{k}]") for k, c in enumerate(coefficients))


def check_finite_identity(peaks: Sequence[RationalLike], s0: RationalLike = 1, *,
                          swapped: bool = False) -> CheckResult:
    """Eq. (8) holds exactly at every peak of every layer (and they are all the kinks).

    Milkert et al., Theorem A.1, Eq. (8).  ``swapped`` builds the coefficients with
    the wrong rule (a_{i+1}, a_{i+2} exchanged): then the check fails.

    >>> check_finite_identity(["1/3", "2/5", "1/2"]).value
    '3/3 peaks match'
    """
    table = peak_jumps(peaks, s0, swapped=swapped)
    a = check_peaks(peaks)
    total = sum_of_waves(waves(a[:-1]), eq5_coefficients(a, s0, swapped=swapped))
    kinks_are_peaks = set(total.kinks) <= {j.peak for j in table}
    bad = [j for j in table if not j.holds]
    first = "" if not bad else (f"first failure: ratio ${bad[0].ratio}$ at $x = {bad[0].peak}$, "
                                f"a peak of $W_{{{bad[0].layer}}}$, expected ${bad[0].expected}$")
    return CheckResult(
        name=mk("Eq. (8) at every peak"), source=f"{SOURCE}, Theorem A.1, Eq. (8); {THEORY}",
        holds=not bad and kinks_are_peaks,
        value=mk(f"{len(table) - len(bad)}/{len(table)} peaks match"),
        expected=mk(f"{len(table)}/{len(table)} peaks match"),
        detail=mk(first), witness=bad[0] if bad else None)


def swap_witness(peaks: Sequence[RationalLike] = ("1/2", "1/3", "1/4"),
                 s0: RationalLike = 1) -> CheckResult:
    """Swapping the factors of Eq. (5) breaks Eq. (8): the first peak where it fails.

    ``holds`` is True when a witness is found (the swap is shown to be wrong);
    with ``a_{i+1} = a_{i+2}`` everywhere the swap changes nothing and it fails.

    >>> swap_witness().witness
    PeakJump(layer=0, peak=Fraction(1, 2), jump=Fraction(-5, 2), own_jump=Fraction(-4, 1), ratio=Fraction(5, 8), expected=Fraction(3, 4))
    """
    bad = [j for j in peak_jumps(peaks, s0, swapped=True) if not j.holds]
    value = ("no witness" if not bad else
             f"ratio ${bad[0].ratio}$ at $x = {bad[0].peak}$ ($W_{{{bad[0].layer}}}$)")
    expected = (r"ratio $\ne \prod (1 - a_k)$ somewhere" if not bad
                else rf"$\prod (1 - a_k) = {bad[0].expected}$")
    return CheckResult(
        name=mk("Eq. (5) with $a_{i+1}$, $a_{i+2}$ swapped breaks Eq. (8)"),
        source=f"{SOURCE}, Eq. (5); {THEORY}", holds=bool(bad),
        value=mk(value), expected=mk(expected),
        detail=mk("peaks $" + ", ".join(str(x) for x in check_peaks(peaks)) + "$"),
        witness=bad[0] if bad else None)


def check_convexity(peaks: Sequence[RationalLike], s0: RationalLike = 1, *,
                    coefficients: Sequence[RationalLike] | None = None) -> CheckResult:
    """Lemma A.6 with the sign settled: for s0 > 0, ``x - F_n`` has strictly increasing slopes.

    With s0 < 0 the slopes strictly decrease (``x - F_n`` concave).  Milkert et al.,
    Lemma A.6.  ``coefficients`` replaces the Eq. (5) coefficients (a test hook:
    ``(1, 1)`` on peaks 1/2 is not convex and fails).

    >>> check_convexity(["1/2", "1/2", "1/2"]).holds
    True
    """
    a = check_peaks(peaks, minimum=2)
    s = _coefficients(a, s0, coefficients)
    g = wave_sum(a, s, sign=-1)
    slopes = g.slopes
    steps = [r - l for l, r in zip(slopes, slopes[1:])]
    direction = 1 if s[0] > 0 else -1
    ok = bool(steps) and all(direction * d > 0 for d in steps)
    kind = "convex" if direction > 0 else "concave"
    worst = min((direction * d for d in steps), default=Fraction(0))
    return CheckResult(
        name=mk(f"Lemma A.6: $x - F_n$ is {kind} ($s_0 {'>' if direction > 0 else '<'} 0$)"),
        source=f"{SOURCE}, Lemma A.6; {THEORY}", holds=ok,
        value=mk(f"min slope {'increase' if direction > 0 else 'decrease'} ${worst}$"),
        expected=mk("$> 0$ at every kink"), witness=g)


def convexity_witness(coefficients: Sequence[RationalLike] = (1, 1)) -> CheckResult:
    """Positive coefficients without Eq. (5): ``x - F`` need not be convex.

    All peaks 1/2, ``s = (1, 1)`` (Eq. (5) would give ``s_1 = 1/4``): at x = 1/2
    the slope of ``x - W_0 - W_1`` drops from 3 to -1.  Milkert et al., Lemma A.6.
    With the Eq. (5) coefficients ``(1, 1/4)`` no decrease exists and it fails.

    >>> c = convexity_witness(); c.holds, c.value
    (True, 'slopes of x - W_0 - W_1: (-5, 3, -1, 7)')
    """
    g = wave_sum(["1/2", "1/2"], coefficients)
    slopes = g.slopes
    not_convex = any(r < l for l, r in zip(slopes, slopes[1:]))
    return CheckResult(
        name=mk("Lemma A.6 needs Eq. (5): $s_i > 0$ alone does not make $x - F$ convex"),
        source=f"{SOURCE}, Lemma A.6; {THEORY}", holds=not_convex,
        value=mk("slopes of $x - W_0 - W_1$: $(" + ", ".join(map(str, slopes)) + ")$"),
        expected=mk("some slope decrease"), witness=g)


def second_difference_quotients(peaks: Sequence[RationalLike], layer: int, m: int,
                                s0: RationalLike = 1, *,
                                coefficients: Sequence[RationalLike] | None = None) -> CheckResult:
    """Theorem A.4 on an instance: D_m^+ / D_m^- at every peak of ``W_layer``.

    Milkert et al., Lemma A.3 and Theorem A.4.  ``peaks`` must reach
    ``a_{layer+m}``.  At a peak p of W_i with q^+- its nearest peaks in W_{i+m}:
    ``D^+ = (F_{i+m-1}'(p+) - F_{i-1}'(p)) / (q^+ - p)`` and
    ``D^- = (F_{i-1}'(p) - F_{i+m-1}'(p-)) / (p - q^-)``; the prediction is
    ``(a_i/(1-a_i))^2`` where W_{i-1} increases at p, its inverse where it
    decreases, and ``D^- = -sigma_-^2 s_i/(1 - a_{i+1}) prod_{k=i+2}^{i+m}
    (1 - a_k)/a_k`` with ``sigma_- = W_i'(p-)``.  The ratio is geometry alone (it
    holds for any coefficients); the value of ``D^-`` needs Eq. (5).
    ``coefficients`` replaces Eq. (5)'s (a test hook: the swapped rule fails).

    >>> second_difference_quotients(["1/3", "2/5", "1/2", "1/4"], 1, 2).value
    '4/9, 9/4'
    """
    check_int("layer", layer, 0)
    check_int("m", m, 1)
    a = check_peaks(peaks)
    if len(a) < layer + m + 1:
        raise ShapeError(f"layer={layer}, m={m} need {layer + m + 1} peaks, got {len(a)}")
    a = a[:layer + m + 1]
    s = _coefficients(a, s0, coefficients)
    if len(s) < layer + m:
        raise ShapeError(f"layer={layer}, m={m} need {layer + m} coefficients, got {len(s)}")
    ws = waves(a)
    head = sum_of_waves(ws[:layer], s[:layer])
    long = sum_of_waves(ws[:layer + m], s[:layer + m])
    later = wave_peaks(ws[layer + m])
    ratios, failures = [], []
    for p in wave_peaks(ws[layer]):
        base = _sides(head, p)[1] if p < 1 else head.slopes[-1]
        left, right = _sides(long, p)
        q_plus = min(q for q in later if q > p)
        q_minus = max(q for q in later if q < p)
        d_plus = (right - base) / (q_plus - p)
        d_minus = (base - left) / (p - q_minus)
        rising = layer == 0 or _sides(ws[layer - 1], p)[1] > 0
        ratio = (a[layer] / (1 - a[layer])) ** 2
        expected = ratio if rising else 1 / ratio
        # D^- = -sigma_-^2 s_i/(1 - a_{i+1}) prod_{k=i+2}^{i+m} (1 - a_k)/a_k (Theorem A.4)
        sigma_minus = _sides(ws[layer], p)[0]
        d_minus_expected = (-sigma_minus ** 2 * s[layer] / (1 - a[layer + 1])
                            * prod(((1 - a[k]) / a[k] for k in range(layer + 2, layer + m + 1)),
                                   start=Fraction(1)))
        ratios.append(d_plus / d_minus)
        if d_plus / d_minus != expected or d_minus != d_minus_expected:
            failures.append((p, d_plus, d_minus, expected, d_minus_expected))
    first = "" if not failures else (f"first failure at $x = {failures[0][0]}$: "
                                     f"$D^+/D^- = {failures[0][1] / failures[0][2]}$, "
                                     f"expected ${failures[0][3]}$; $D^- = {failures[0][2]}$, "
                                     f"expected ${failures[0][4]}$")
    return CheckResult(
        name=mk(f"Theorem A.4 quotients, layer ${layer}$, $m = {m}$"),
        source=f"{SOURCE}, Lemma A.3, Theorem A.4; {THEORY}", holds=not failures,
        value=mk("$" + ", ".join(sorted({str(r) for r in ratios})) + "$"),
        expected=mk(rf"$(a_i/(1-a_i))^{{\pm 2}}$ with $a_i = {a[layer]}$, and $D^-$ as in "
                    "Theorem A.4"),
        detail=mk(first), witness=failures or None)


def check_yarotsky(m: int, *, coefficients: Sequence[RationalLike] | None = None) -> CheckResult:
    """Yarotsky (2017), Prop. 2: ``f_m`` interpolates x^2 at k/2^m; max error 2^{-2m-2}.

    ``f_m = x - sum_{s=1}^{m} g_s/4^s`` with ``g_s = W_{s-1}`` (all peaks 1/2), the
    Eq. (5) coefficients with ``s_0 = 1/4`` (Milkert et al., Theorem A.4).  On each
    piece ``[u, u + h]`` the error ``f_m - x^2`` is a concave quadratic vanishing at
    both ends; its maximum is located and evaluated exactly.  ``coefficients``
    replaces ``4^{-(i+1)}`` (a test hook: anything else fails).

    >>> check_yarotsky(3).value
    '1/256'
    """
    check_int("m", m, 0)
    half = Fraction(1, 2)
    quarter = tuple(Fraction(1, 4 ** (i + 1)) for i in range(m))
    used = quarter if coefficients is None else tuple(
        to_rational(c, where=f"coefficients[{k}]") for k, c in enumerate(coefficients))
    if len(used) != m:
        raise ShapeError(f"check_yarotsky({m}) needs {m} coefficients, got {len(used)}")
    coeffs = eq5_coefficients([half] * (m + 1), Fraction(1, 4))[:m] if m else ()
    f = wave_sum([half] * max(m, 1), used)
    grid = [Fraction(k, 2 ** m) for k in range(2 ** m + 1)]
    interpolates = all(f(x) == x * x for x in grid) and f.breakpoints == tuple(grid)
    worst, where = Fraction(0), []
    for (u, fu), (v, fv) in zip(zip(f.breakpoints, f.values), zip(f.breakpoints[1:], f.values[1:])):
        slope = (fv - fu) / (v - u)
        x_star = slope / 2  # zero of (fu + slope (x - u) - x^2)'
        inside = u <= x_star <= v
        err = fu + slope * (x_star - u) - x_star * x_star if inside else Fraction(0)
        if err > worst:
            worst, where = err, [x_star]
        elif err == worst:
            where.append(x_star)
    midpoints = [Fraction(2 * k + 1, 2 ** (m + 1)) for k in range(2 ** m)]
    expected = Fraction(1, 2 ** (2 * m + 2))
    ok = interpolates and tuple(coeffs) == used and worst == expected and where == midpoints
    return CheckResult(
        name=mk(f"Yarotsky $f_{{{m}}}$: interpolation and max error"),
        source=f"Yarotsky (2017), Prop. 2; {SOURCE}, Theorem A.4; {THEORY}", holds=ok,
        value=mk(f"${worst}$"), expected=mk(f"${expected}$"),
        detail=mk(f"interpolates $x^2$ at $k/2^{{{m}}}$: {interpolates}; maxima at the "
                  f"${len(where)}$ midpoints: {where == midpoints}"), witness=f)


def check_compositional(peaks: Sequence[RationalLike], coefficients: Sequence[RationalLike], *,
                        net: ReLUNetwork | None = None) -> CheckResult:
    """The compositional network (width 4) computes ``x - F_n`` exactly (Milkert et al., Figure 2).

    ``net`` replaces :func:`compositional_network`'s (a test hook: any other
    network fails).

    >>> check_compositional(["1/3", "2/5", "1/2"], eq5_coefficients(["1/3", "2/5", "1/2"])).holds
    True
    """
    from ...propagate import propagate

    a = check_peaks(peaks)
    s = [to_rational(c, where=f"coefficients[{k}]") for k, c in enumerate(coefficients)]
    built = compositional_network(a, s) if net is None else net
    same = propagate(built, (0, 1)).output == wave_sum(a, s)
    widths = set(built.widths) == {4}
    return CheckResult(
        name=mk(f"compositional network (width $4$, depth ${built.depth}$) computes "
                f"$x - F_{{{len(s) - 1}}}$"),
        source=f"{SOURCE}, Section 3, Figure 2; {THEORY}", holds=same and widths,
        value=mk(f"equal: {same}, widths ${tuple(built.widths)}$"),
        expected=mk("equal: True, widths $4$"), witness=built)


def exact_checks(depth: int) -> list[CheckResult]:
    """The exact confirmations of ``verify_checks`` and ``exactrelu eq5`` (fixed, varied rational peaks).

    ``depth + 2`` peaks, at most 9 (so at most ``F_7``: the waves have 2^(n+1)
    pieces and the instances stay fast).
    """
    check_int("depth", depth, 1)
    peaks = [Fraction(p, q) for p, q in
             [(1, 3), (2, 5), (5, 7), (1, 2), (3, 10), (7, 9), (1, 4), (2, 3), (4, 11)]][:depth + 2]
    return [check_finite_identity(peaks), swap_witness(peaks), check_convexity(peaks),
            check_convexity(peaks, -1), convexity_witness(),
            second_difference_quotients(peaks, 1, min(3, depth)), check_yarotsky(4),
            check_compositional(peaks, eq5_coefficients(peaks))]
