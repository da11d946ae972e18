"""The Telgarsky lines of ``exactrelu verify``, each a function whose parameters state the claim.

Every check takes the constant or formula it tests as a parameter with the
theorem's value as default, so a test can hand it a deliberately wrong one
(a stronger constant, the lecture's non-sharp count, a perturbed
implementation) and see the line fail: a report line that cannot fail would
prove nothing.
"""

from __future__ import annotations

import random
from fractions import Fraction
from itertools import combinations
from typing import Callable, Iterable, Iterator

from ...constructions import constant_network
from ...pwl import PiecewiseLinear
from ...report import CheckResult
from .counting import SeparationReport, separation_report, side_counts, tight_bound_constant, tight_count, tight_witness
from .crossings import HALF, crossing_lemma
from .theorem import check_theorem

__all__ = [
    "check_tent_minus_constant",
    "check_report_methods",
    "check_theorem_line",
    "check_crossing_lemma",
    "check_tight_count",
    "check_tight_constant",
    "zigzag_family",
    "random_pwl",
    "SOURCE_LECTURE",
    "SOURCE_LEMMA",
    "SOURCE_TIGHT",
]

SOURCE_LECTURE = "Risteski, 'Benefits of depth' (after Telgarsky 2015); docs/theory.md §3"
SOURCE_LEMMA = "Telgarsky (2016), Lemma 3.1; docs/theory.md §3"
SOURCE_TIGHT = "exactrelu.theorems.telgarsky.counting (proposition, proved there); docs/theory.md §3"


def random_pwl(rng: random.Random, n_kinks: int, *, grid: int = 12, touching: bool = False) -> PiecewiseLinear:
    """A random PWL on [0, 1] with values on a grid containing 1/2 (touching and flat cases)."""
    xs = sorted({Fraction(rng.randint(1, grid - 1), grid) for _ in range(n_kinks)})
    values = [Fraction(rng.randint(0, 4), 4) for _ in range(len(xs) + 2)]
    if touching:
        values = [HALF if rng.random() < 0.4 else v for v in values]
    return PiecewiseLinear(list(zip([Fraction(0), *xs, Fraction(1)], values)))


def check_tent_minus_constant(ks: Iterable[int] = (1, 2, 3, 5, 8, 13, 20, 34, 52), level: Fraction = HALF,
                              expected: Fraction = Fraction(1, 4)) -> CheckResult:
    """``int_0^1 |D^k - level| == expected`` for every k (1/4 for level 1/2; c^2 - c + 1/2 in general)."""
    values = {k: separation_report(k, constant_network(level)).exact for k in ks}
    bad = {k: v for k, v in values.items() if v != expected}
    return CheckResult(f"int_0^1 |D^k - {level}| = {expected}, k in {sorted(values)}", "docs/theory.md §3",
                       not bad, ", ".join(sorted({str(v) for v in values.values()})), str(expected),
                       f"differs at k = {sorted(bad)}" if bad else "", witness=bad or None)


def check_report_methods(trials: int = 40, seed: int = 3, *,
                         first: Callable[..., SeparationReport] = separation_report,
                         second: Callable[..., SeparationReport] | None = None) -> CheckResult:
    """The structural report (runs of teeth, components of g's sides) equals the enumerating one.

    ``second`` defaults to ``separation_report(..., method="enumerate")``, which
    builds D^K's 2^K columns and integrates with :func:`exactrelu.measure.l1_distance`.
    """
    def enumerate_report(K: int, g: PiecewiseLinear) -> SeparationReport:
        return separation_report(K, g, method="enumerate")

    other = second or enumerate_report
    rng = random.Random(seed)
    detail, witness = "", None
    for trial in range(trials):
        K = rng.randint(1, 8)
        g = random_pwl(rng, rng.randint(0, 6), grid=1 << (K + 1), touching=trial % 2 == 0)
        a, b = first(K, g), other(K, g)
        if a != b:
            detail, witness = f"K={K} g={g!r}: {a} != {b}", (K, g)
            break
    return CheckResult(f"separation report by runs of teeth == by enumerating D^K, {trials} random g",
                       "exactrelu (two implementations)", witness is None, f"{trials} pairs", "equal", detail,
                       witness=witness)


def check_theorem_line(L: int, g: object, name: str, *, bound: Fraction = Fraction(1, 32)) -> CheckResult:
    """The lecture theorem on one g: hypotheses, and exact >= certified >= tight >= closed form >= bound."""
    c = check_theorem(L, g, bound=bound)  # type: ignore[arg-type]
    r = c.report
    return CheckResult(
        f"L={L}, K={c.K}, g={name}: exact >= certified >= tight >= closed form >= {bound}", SOURCE_LECTURE,
        c.applies and c.certificate_holds,
        f"{float(r.exact):.6f} >= {float(r.certified):.6f} >= {float(r.tight_form):.6f} >= {float(r.closed_form):.6f}",
        f">= {bound}", "" if c.applies else f"hypothesis fails: {c.failed_hypothesis}", witness=c)


def check_crossing_lemma(pairs: int = 60, seed: int = 2016, *, factor: int = 2) -> CheckResult:
    """Telgarsky (2016), Lemma 3.1 on random PWL pairs: ``disagree >= (Cr(f) - factor * Cr(g))/2``.

    ``factor=2`` is the lemma; a smaller factor claims more and must fail on
    some pair.  Also checks Cr(g) <= pieces(g) + 1 on every pair.
    """
    rng = random.Random(seed)
    detail, witness = "", None
    for trial in range(pairs):
        f = random_pwl(rng, rng.randint(0, 10), touching=True)
        g = random_pwl(rng, rng.randint(0, 4), touching=trial % 3 == 0)
        chk = crossing_lemma(f, g)
        claimed = Fraction(chk.cr_f - factor * chk.cr_g, 2)
        if chk.disagree < claimed or not chk.crossing_vs_pieces_holds:
            detail, witness = f"f={f!r} g={g!r}: disagree {chk.disagree} < {claimed}", (f, g)
            break
    return CheckResult(f"Lemma 3.1 (factor {factor}) and Cr(g) <= pieces(g) + 1 on {pairs} random PWL pairs",
                       SOURCE_LEMMA, witness is None, f"{pairs} pairs", "no violation", detail, witness=witness)


def zigzag_family(K: int, pieces: int) -> Iterator[PiecewiseLinear]:
    """Every g with ``pieces`` pieces crossing 1/2 once per piece, at the middle of distinct intervals of D^K.

    Vertices lie midway between consecutive crossings; both starting sides.
    The family holds :func:`tight_witness`, so its minimum number of strictly
    wrong triangles is the tight count (enumerated exhaustively by the tests).
    """
    n = 1 << K
    ends = [Fraction(0)] + [Fraction(2 * i + 1, 2 * n) for i in range(n)] + [Fraction(1)]
    for chosen in combinations(range(n + 1), pieces):
        cuts = [(ends[j] + ends[j + 1]) / 2 for j in chosen]
        verts = [Fraction(0)] + [(a + b) / 2 for a, b in zip(cuts, cuts[1:])] + [Fraction(1)]
        for sign in (1, -1):
            values = [HALF + sign * Fraction(1, 4)]
            for k in range(1, len(verts)):
                u, c, x = verts[k - 1], cuts[k - 1], verts[k]
                values.append(HALF - (values[-1] - HALF) * (x - c) / (c - u))
            yield PiecewiseLinear(list(zip(verts, values)))


def check_tight_count(K: int = 3, max_pieces: int = 5, *,
                      formula: Callable[[int, int], int] = lambda n_f, pieces: tight_count(n_f, pieces + 1)) -> CheckResult:
    """The minimum over the zigzag family equals ``formula(N_f, N_g)``, and :func:`tight_witness` attains it.

    The default formula is the tight count floor((N_f - N_g)/2); the lecture's
    ``(N_f - 2 N_g)/2`` is below the minimum from N_g = 3 on, so passed as
    ``formula`` it fails (the tests do that).
    """
    n_f = (1 << K) - 1
    minima, expected, detail = [], [], ""
    for pieces in range(1, max_pieces + 1):
        least = min(side_counts(K, g).wrong_interior_strict for g in zigzag_family(K, pieces))
        minima.append(least)
        expected.append(formula(n_f, pieces))
        attained = side_counts(K, tight_witness(K, pieces)).wrong_interior_strict
        if attained != least and not detail:
            detail = f"tight_witness(K={K}, {pieces}) has {attained} wrong triangles, the family's minimum is {least}"
    ok = minima == expected and not detail
    return CheckResult(f"tight wrong-side count: min over zigzag g, K={K}, N_g = 1..{max_pieces}", SOURCE_TIGHT, ok,
                       str(minima), str(expected), detail, witness=None if ok else minima)


def check_tight_constant(L_values: Iterable[int] = (1, 2, 3, 4, 5), *, constant: Callable[[int], Fraction] | None = None) -> CheckResult:
    """``tight_count(N_f, 2^{2L^2} + 1) * 2^{-K-2} == 3/32 - 2^{-2L^2-4}`` for each L (and >= 1/32)."""
    closed = constant or (lambda L: Fraction(3, 32) - Fraction(1, 1 << (2 * L * L + 4)))
    rows = []
    for L in L_values:
        K = 2 * L * L + 2
        area = tight_count((1 << K) - 1, (1 << (2 * L * L)) + 1) * Fraction(1, 1 << (K + 2))
        rows.append((L, area, closed(L), tight_bound_constant(L)))
    ok = all(a == c == t and a >= Fraction(1, 32) for _, a, c, t in rows)
    bad = [f"L={L}: {a} vs {c}" for L, a, c, t in rows if not (a == c == t)]
    return CheckResult("tight constant 3/32 - 2^{-2L^2-4} under the theorem's hypotheses, L = "
                       + ", ".join(str(r[0]) for r in rows), SOURCE_TIGHT, ok,
                       ", ".join(str(a) for _, a, _, _ in rows), "3/32 - 2^{-2L^2-4}, each >= 1/32",
                       "; ".join(bad))
