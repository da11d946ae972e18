"""The differentiability recurrence of Milkert, Hyde and Laine, derived and confirmed exactly.

Source: M. Milkert, D. Hyde, F. Laine, "Compelling ReLU Network Initialization
and Training to Leverage Exponential Scaling with Depth", arXiv:2311.18022v2
(seed 002).  The seed lost its formulas; THEORY.md section 4 restates them
*reconstructed*.  This module re-derives them with sympy and confirms them in
exact rational arithmetic.  Conventions (0-based, as in the paper):
``T_a(x) = x/a`` on ``[0, a]`` and ``(1 - x)/(1 - a)`` on ``[a, 1]``;
``W_i = T_{a_i} o ... o T_{a_0}``; ``F_n = sum_{i=0}^{n} s_i W_i``; the network
output is ``x - F_n`` (convex targets) or ``x + F_n`` (concave targets).

The results, with the paper's numbering:

* **Eq. (4)** (Lemma 3.2).  At a peak p of W_i the jump of F' is
  ``(sigma+ - sigma-) [s_i - (1/(1 - a_{i+1})) sum_{j>=i+1} s_j prod_{k=i+2}^{j} 1/a_k]``,
  where ``sigma+-`` are the one-sided slopes of W_i at p.  *Derived*: the branch
  of every ``T_{a_j}`` met at p is chosen by sympy (right branch of
  ``T_{a_{i+1}}``, left branches after it) and the chain rule is applied.
* **Eq. (5)** (Theorem 3.4).  ``s_{i+1} = s_i (1 - a_{i+1}) a_{i+2}``.  *Derived*:
  Eq. (4) at layers i and i+1 share one tail, which sympy eliminates; the
  solution is unique.  Swapping ``a_{i+1}`` and ``a_{i+2}`` breaks it as soon as
  they differ (:func:`swap_witness`).
* **Eq. (6)**.  ``s_j = s_i prod_{k=i}^{j-1} (1 - a_{k+1}) a_{k+2}``: induction
  (symbolic step) and expansion for every j up to a bound.
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
  for every n; with ``s_0 < 0`` it reverses.  Positive coefficients *without*
  Eq. (5) do not suffice (:func:`convexity_witness`).
* **Yarotsky (2017), Prop. 2**.  All ``a_i = 1/2``, ``s_i = 4^{-(i+1)}``:
  ``f_m = x - F_{m-1}`` interpolates ``x^2`` at ``k/2^m`` and
  ``max |f_m - x^2| = 2^{-2m-2}``, attained exactly at the midpoints.

sympy is imported only inside functions (:mod:`exactrelu.theorems.milkert.symbolic`).

References
----------
M. Milkert, D. Hyde, F. Laine, arXiv:2311.18022v2, Sections 3.1 and A.1-A.3.
D. Yarotsky, "Error bounds for approximations with deep ReLU networks",
Neural Networks 94 (2017) 103-114, Proposition 2.
"""

from __future__ import annotations

from fractions import Fraction
from math import prod
from typing import Any, Sequence

from ..._validate import check_int
from ...constructions import check_peaks, triangle_pwl
from ...errors import DomainError, ShapeError
from ...network import ReLUNetwork
from ...pwl import PiecewiseLinear
from ...rationals import RationalLike, to_rational
from ...report import CheckResult
from .results import Derivation, PeakJump, Step, SymbolicResult

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
    "exact_checks",
    "verify_checks",
]

SOURCE = "Milkert, Hyde, Laine (2023), arXiv:2311.18022v2"


# =========================================================================== results


def derive(depth: int = 6) -> Derivation:
    """Derive Eqs. (4)-(8), Theorem A.4 (finite part), Lemmas A.5, A.6 with sympy.

    Parameters
    ----------
    depth : int
        The bound N for the parts proved by expansion (every n <= N).

    Examples
    --------
    >>> d = derive(depth=2)
    >>> d.holds, d["Eq. (5)"].lhs
    (True, -a_{i+2}*s_{i}*(a_{i+1} - 1))
    """
    check_int("depth", depth, 0)
    from . import symbolic

    return Derivation(depth, symbolic.derive_all(depth))


# =========================================================================== exact waves


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


def _sum_of_waves(ws: Sequence[PiecewiseLinear], coefficients: Sequence[Fraction]) -> PiecewiseLinear:
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
    return line + sign * _sum_of_waves(waves(a[:len(coeffs)]), coeffs)


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
    layers = [([[lam[0]], [lam[0]], [lam[0]], [0]], [lam[0] * bound, 0, -lam[0] * a[0], lam[0]])]
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


# =========================================================================== exact checks


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
    total = _sum_of_waves(ws, s)
    out = []
    for i, w in enumerate(ws):
        expected = prod((1 - a[k] for k in range(i + 2, n + 2)), start=Fraction(1))
        for p in wave_peaks(w):
            left, right = total.one_sided_slopes(p)
            wl, wr = w.one_sided_slopes(p)
            jump, own = right - left, s[i] * (wr - wl)
            out.append(PeakJump(i, p, jump, own, jump / own, expected))
    return tuple(out)


def check_finite_identity(peaks: Sequence[RationalLike], s0: RationalLike = 1) -> CheckResult:
    """Eq. (8) holds exactly at every peak of every layer (and they are all the kinks)."""
    table = peak_jumps(peaks, s0)
    a = check_peaks(peaks)
    total = _sum_of_waves(waves(a[:-1]), eq5_coefficients(a, s0))
    kinks_are_peaks = set(total.kinks) <= {j.peak for j in table}
    bad = [j for j in table if not j.holds]
    return CheckResult(
        name="Eq. (8) at every peak", source=f"{SOURCE}, Theorem A.1, Eq. (8)",
        holds=not bad and kinks_are_peaks,
        value=f"{len(table) - len(bad)}/{len(table)} peaks match",
        expected=f"{len(table)}/{len(table)} peaks match",
        detail="" if not bad else f"first failure: {bad[0]!r}", witness=bad[0] if bad else None)


def swap_witness(peaks: Sequence[RationalLike] = ("1/2", "1/3", "1/4"),
                 s0: RationalLike = 1) -> CheckResult:
    """Swapping the factors of Eq. (5) breaks Eq. (8): the first peak where it fails.

    ``holds`` is True when a witness is found (the swap is shown to be wrong).

    >>> swap_witness().witness
    PeakJump(layer=0, peak=Fraction(1, 2), jump=Fraction(-5, 2), own_jump=Fraction(-4, 1), ratio=Fraction(5, 8), expected=Fraction(3, 4))
    """
    bad = [j for j in peak_jumps(peaks, s0, swapped=True) if not j.holds]
    return CheckResult(
        name="Eq. (5) with a_{i+1}, a_{i+2} swapped breaks Eq. (8)",
        source=f"{SOURCE}, Eq. (5); THEORY.md section 4",
        holds=bool(bad),
        value="no witness" if not bad else f"ratio {bad[0].ratio} at x={bad[0].peak} (W_{bad[0].layer})",
        expected="ratio != prod (1 - a_k) somewhere" if not bad else f"prod (1 - a_k) = {bad[0].expected}",
        detail=f"peaks={[str(x) for x in check_peaks(peaks)]}", witness=bad[0] if bad else None)


def check_convexity(peaks: Sequence[RationalLike], s0: RationalLike = 1) -> CheckResult:
    """Lemma A.6 with the sign settled: for s0 > 0, ``x - F_n`` has strictly increasing slopes.

    With s0 < 0 the slopes strictly decrease (``x - F_n`` concave).
    """
    a = check_peaks(peaks, minimum=2)
    s = eq5_coefficients(a, s0)
    g = wave_sum(a, s, sign=-1)
    slopes = g.slopes
    steps = [r - l for l, r in zip(slopes, slopes[1:])]
    direction = 1 if s[0] > 0 else -1
    ok = all(direction * d > 0 for d in steps)
    kind = "convex" if direction > 0 else "concave"
    return CheckResult(
        name=f"Lemma A.6: x - F_n is {kind} (s0 {'>' if direction > 0 else '<'} 0)",
        source=f"{SOURCE}, Lemma A.6", holds=ok,
        value=f"min slope {'increase' if direction > 0 else 'decrease'} "
              f"{min(direction * d for d in steps)}",
        expected="> 0 at every kink", witness=g)


def convexity_witness() -> CheckResult:
    """Positive coefficients without Eq. (5): ``x - F`` need not be convex.

    All peaks 1/2, ``s = (1, 1)`` (Eq. (5) would give ``s_1 = 1/4``): at x = 1/2
    the slope of ``x - W_0 - W_1`` drops from 3 to -1.

    >>> c = convexity_witness(); c.holds, c.value
    (True, 'slopes of x - W_0 - W_1: (-5, 3, -1, 7)')
    """
    g = wave_sum(["1/2", "1/2"], [1, 1])
    slopes = g.slopes
    not_convex = any(r < l for l, r in zip(slopes, slopes[1:]))
    return CheckResult(
        name="Lemma A.6 needs Eq. (5): s_i > 0 alone does not make x - F convex",
        source=f"{SOURCE}, Lemma A.6; THEORY.md section 4",
        holds=not_convex, value="slopes of x - W_0 - W_1: (" + ", ".join(map(str, slopes)) + ")",
        expected="some slope decrease", witness=g)


def second_difference_quotients(peaks: Sequence[RationalLike], layer: int, m: int,
                                s0: RationalLike = 1) -> CheckResult:
    """Theorem A.4 on an instance: D_m^+ / D_m^- at every peak of ``W_layer``.

    ``peaks`` must reach ``a_{layer+m}``.  At a peak p of W_i with q^+- its nearest
    peaks in W_{i+m}: ``D^+ = (F_{i+m-1}'(p+) - F_{i-1}'(p)) / (q^+ - p)`` and
    ``D^- = (F_{i-1}'(p) - F_{i+m-1}'(p-)) / (p - q^-)``; the prediction is
    ``(a_i/(1-a_i))^2`` where W_{i-1} increases at p, its inverse where it decreases.
    """
    check_int("layer", layer, 0)
    check_int("m", m, 1)
    a = check_peaks(peaks)
    if len(a) < layer + m + 1:
        raise ShapeError(f"layer={layer}, m={m} need {layer + m + 1} peaks, got {len(a)}")
    a = a[:layer + m + 1]
    s = eq5_coefficients(a, s0)
    ws = waves(a)
    head = _sum_of_waves(ws[:layer], s[:layer])
    long = _sum_of_waves(ws[:layer + m], s[:layer + m])
    later = wave_peaks(ws[layer + m])
    ratios, failures = [], []
    for p in wave_peaks(ws[layer]):
        base = head.one_sided_slopes(p)[1] if p < 1 else head.one_sided_slopes(p)[0]
        left, right = long.one_sided_slopes(p)
        q_plus = min(q for q in later if q > p)
        q_minus = max(q for q in later if q < p)
        d_plus = (right - base) / (q_plus - p)
        d_minus = (base - left) / (p - q_minus)
        rising = layer == 0 or ws[layer - 1].one_sided_slopes(p)[1] > 0
        ratio = (a[layer] / (1 - a[layer])) ** 2
        expected = ratio if rising else 1 / ratio
        ratios.append(d_plus / d_minus)
        if d_plus / d_minus != expected:
            failures.append((p, d_plus, d_minus, expected))
    return CheckResult(
        name=f"Theorem A.4 quotients, layer {layer}, m={m}",
        source=f"{SOURCE}, Lemma A.3, Theorem A.4", holds=not failures,
        value=", ".join(sorted({str(r) for r in ratios})),
        expected=f"(a_i/(1-a_i))^(+-2) with a_i={a[layer]}",
        detail="" if not failures else f"first failure: {failures[0]}", witness=failures or None)


def check_yarotsky(m: int) -> CheckResult:
    """Yarotsky (2017), Prop. 2: ``f_m`` interpolates x^2 at k/2^m; max error 2^{-2m-2}.

    ``f_m = x - sum_{s=1}^{m} g_s/4^s`` with ``g_s = W_{s-1}`` (all peaks 1/2), the
    Eq. (5) coefficients with ``s_0 = 1/4``.  On each piece ``[u, u + h]`` the error
    ``f_m - x^2`` is a concave quadratic vanishing at both ends; its maximum is
    located and evaluated exactly.

    >>> check_yarotsky(3).value
    '1/256'
    """
    check_int("m", m, 0)
    half = Fraction(1, 2)
    quarter = [Fraction(1, 4 ** (i + 1)) for i in range(m)]
    coeffs = eq5_coefficients([half] * (m + 1), Fraction(1, 4))[:m] if m else ()
    f = wave_sum([half] * max(m, 1), quarter)
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
    ok = interpolates and tuple(coeffs) == tuple(quarter) and worst == expected and where == midpoints
    return CheckResult(
        name=f"Yarotsky f_{m}: interpolation and max error",
        source="Yarotsky (2017), Prop. 2; THEORY.md section 4", holds=ok,
        value=str(worst), expected=str(expected),
        detail=f"interpolates x^2 at k/2^{m}: {interpolates}; maxima at the "
               f"{len(where)} midpoints: {where == midpoints}", witness=f)


# =========================================================================== verify


def exact_checks(depth: int) -> list[CheckResult]:
    """The exact confirmations of :func:`verify_checks` and ``exactrelu eq5`` (fixed, varied rational peaks)."""
    peaks = [Fraction(p, q) for p, q in
             [(1, 3), (2, 5), (5, 7), (1, 2), (3, 10), (7, 9), (1, 4), (2, 3), (4, 11)]][:depth + 2]
    out = [check_finite_identity(peaks), swap_witness(peaks), check_convexity(peaks),
           check_convexity(peaks, -1), convexity_witness(),
           second_difference_quotients(peaks, 1, min(3, depth)), check_yarotsky(4)]
    s = eq5_coefficients(peaks)
    net = compositional_network(peaks, s)
    from ...propagate import propagate

    same = propagate(net, (0, 1)).output == wave_sum(peaks, s)
    out.append(CheckResult(
        name=f"compositional network (width 4, depth {net.depth}) computes x - F_{depth}",
        source=f"{SOURCE}, Section 3, Figure 2", holds=same and set(net.widths) == {4},
        value=str(same), expected="True"))
    return out


def verify_checks(depth: int = 6) -> list[CheckResult]:
    """Checks for ``exactrelu verify``: the symbolic results and exact confirmations.

    Returns a list of :class:`exactrelu.report.CheckResult`.
    """
    derivation = derive(depth)
    checks = [CheckResult(name=r.name, source=r.source, holds=r.holds,
                          value=str(r.lhs), expected=str(r.rhs),
                          detail=f"{r.method}: {r.statement}")
              for r in derivation.results]
    checks.extend(exact_checks(depth))
    return checks
