"""The foundation lines of ``exactrelu verify``: known exact answers of docs/theory.md §1-§2.

Each check is a function whose parameters state the claim (the expected
formula, the construction, the bound), with the theorem's value as default,
so a test can hand it a deliberately wrong one and see the line fail: a report
line that cannot fail would prove nothing.

Sources: the tent map and B1 from Risteski's lecture "Benefits of depth"
(CMU 10-707, 2020) after Telgarsky (2016); the sawtooth from the lecture notes
"Approximation with ReLU networks"; the asymmetric waves from Milkert, Hyde,
Laine (arXiv:2311.18022); B2 from Arora et al. (2018), Fig. 4 and Lemma D.5;
B3 from Serra, Tjandraatmadja, Ramalingam (2018), Theorem 1.
"""

from __future__ import annotations

import random
from fractions import Fraction
from itertools import product
from typing import Any, Callable, Iterable, Iterator

from ..bounds import check_bounds, serra_bound, telgarsky_bound
from ..constructions import random_network, sawtooth, tent_map, triangle_wave
from ..network import ReLUNetwork
from ..propagate import propagate
from ..report import CheckResult

__all__ = [
    "check_tent_pieces",
    "check_tent_values",
    "check_tent_self_similarity",
    "check_sawtooth_doubles",
    "check_waves",
    "check_random_traces",
    "check_serra_below_telgarsky",
    "verify_checks",
]

LECTURE = "Risteski, lecture 'Benefits of depth', CMU 10-707 (2020); docs/theory.md §2"


def check_tent_pieces(ks: Iterable[int] = range(1, 17), *,
                      expected: Callable[[int], int] = lambda k: 2 ** k,
                      construction: Callable[[int], ReLUNetwork] = tent_map) -> CheckResult:
    """D^k has ``expected(k)`` pieces on [0, 1] (2^k)."""
    ks = list(ks)
    counts = [propagate(construction(k), (0, 1)).pieces for k in ks]
    want = [expected(k) for k in ks]
    bad = [k for k, c, w in zip(ks, counts, want) if c != w]
    return CheckResult(f"tent map D^k has 2^k pieces on [0,1], k={ks[0]}..{ks[-1]}", LECTURE, not bad,
                       f"{counts[:4]}...{counts[-1]}", "2^k", f"differs at k = {bad}" if bad else "")


def check_tent_values(k: int = 10, *, expected: Callable[[int], int] = lambda i: i % 2) -> CheckResult:
    """D^k(i/2^k) = ``expected(i)`` for every i (i mod 2)."""
    net = tent_map(k)
    bad = [i for i in range(2 ** k + 1) if net(Fraction(i, 2 ** k)) != expected(i)]
    return CheckResult(f"D^{k}(i/2^{k}) = i mod 2 for all i", LECTURE, not bad, f"{2 ** k + 1} points",
                       "i mod 2", f"differs at i = {bad[:5]}" if bad else "")


def check_tent_self_similarity(k: int = 6, *, scale: int | None = None, points: int = 200, seed: int = 2016) -> CheckResult:
    """D^k(x) = D(s x - floor(s x)) on [0, 1] with ``s = 2^{k-1}`` (``scale`` overrides s)."""
    s = 2 ** (k - 1) if scale is None else scale
    f = propagate(tent_map(k), (0, 1)).output
    d1 = propagate(tent_map(1), (0, 1)).output
    rng = random.Random(seed)
    xs = [Fraction(rng.randint(0, 996), 997) for _ in range(points)]
    bad = [x for x in xs if f(x) != d1(s * x - (s * x).numerator // (s * x).denominator)]
    return CheckResult(f"D^{k}(x) = D(2^{k - 1} x - floor(2^{k - 1} x)) on [0,1]", LECTURE, not bad,
                       f"{points} rational points", "equal", f"differs at x = {bad[0]}" if bad else "")


def check_sawtooth_doubles(ls: Iterable[int] = range(1, 11), *,
                           expected: Callable[[int], int] = lambda l: 2 ** l) -> CheckResult:
    """The lecture sawtooth f_l = 2|f_{l-1}| - 2 has ``expected(l)`` pieces on R (2^l)."""
    ls = list(ls)
    counts = [propagate(sawtooth(l)).pieces for l in ls]
    bad = [l for l, c in zip(ls, counts) if c != expected(l)]
    return CheckResult(f"lecture sawtooth f_l = 2|f_{{l-1}}| - 2 doubles its pieces on R, l={ls[0]}..{ls[-1]}",
                       "lecture notes 'Approximation with ReLU networks'; docs/theory.md §2", not bad,
                       f"{counts[:4]}...{counts[-1]}", "2^l", f"differs at l = {bad}" if bad else "")


def check_waves(sequences: int = 5, seed: int = 2311, *,
                expected: Callable[[int], int] = lambda i: 2 ** (i + 1)) -> CheckResult:
    """W_i = T_{a_i} o ... o T_{a_0} has ``expected(i)`` pieces on [0, 1] (2^{i+1}), vertices valued 0 or 1."""
    rng = random.Random(seed)
    detail = ""
    for _ in range(sequences):
        peaks = [Fraction(rng.randint(1, 19), 20) for _ in range(6)]
        for i in range(len(peaks)):
            out = propagate(triangle_wave(peaks[: i + 1]), (0, 1)).output
            if out.pieces != expected(i) or set(out.values) != {0, 1}:
                detail = f"peaks={peaks[: i + 1]}: pieces={out.pieces}, values={sorted(set(out.values))}"
                break
        if detail:
            break
    return CheckResult("asymmetric waves W_i have 2^{i+1} pieces on [0,1], vertices at 0/1",
                       "Milkert, Hyde, Laine (arXiv:2311.18022), Sec. 3; docs/theory.md §2", not detail,
                       f"{sequences} random peak sequences, depth <= 6", "2^{i+1}", detail)


def _entry(rng: random.Random, fan_in: int, is_bias: bool) -> Fraction:
    return Fraction(rng.randint(-6, 6), rng.randint(1, 4))


def check_random_traces(count: int = 40, seed: int = 1, *,
                        bounds: Callable[[Any], Any] = check_bounds,
                        forward: Callable[[ReLUNetwork, Fraction], Any] | None = None) -> CheckResult:
    """B1, B2, B3 hold on ``count`` random nets on R and [-3, 3], and the propagated output equals the forward pass.

    ``bounds`` (default :func:`exactrelu.bounds.check_bounds`) and ``forward``
    (default the network's exact forward pass) may be replaced by wrong ones.
    """
    evaluate = forward or (lambda net, x: net(x))
    rng = random.Random(seed)
    detail, n_checked = "", 0
    for _ in range(count):
        widths = [rng.randint(1, 4) for _ in range(rng.randint(1, 3))]
        net = random_network(widths, rng=rng, value=_entry)
        for domain in (None, (-3, 3)):
            trace = propagate(net, domain)
            n_checked += 1
            report = bounds(trace)
            if not report.holds and not detail:
                detail = f"{net!r}: {report.violations[0] if getattr(report, 'violations', None) else report}"
            out = trace.output
            pts = list(out.breakpoints)
            probes = pts + [(a + b) / 2 for a, b in zip(pts, pts[1:])]
            probes += [Fraction(rng.randint(-40, 40), rng.randint(1, 9)) for _ in range(5)]
            lo, hi = trace.domain
            for x in probes:
                if (lo is None or x >= lo) and (hi is None or x <= hi) and out(x) != evaluate(net, x) and not detail:
                    detail = f"{net!r} differs at x={x}"
    return CheckResult(
        f"B1, B2, B3 hold and propagate == forward pass, {count} random nets on R and [-3,3]",
        "docs/theory.md §1 (B1 Risteski's lecture; B2 Arora et al. 2018, Fig. 4; B3 Serra et al. 2018, Thm 1)",
        not detail, f"{n_checked} traces", "no violation", detail)


def _all_widths(max_width: int, max_depth: int) -> Iterator[tuple[int, ...]]:
    for depth in range(1, max_depth + 1):
        yield from product(range(1, max_width + 1), repeat=depth)


def check_serra_below_telgarsky(max_width: int = 4, max_depth: int = 3, *,
                                smaller: Callable[[tuple[int, ...]], int] = serra_bound,
                                larger: Callable[[tuple[int, ...]], int] = telgarsky_bound) -> CheckResult:
    """B3 <= B1 for every architecture in {1..max_width}^L, L <= max_depth (``smaller <= larger``)."""
    bad = [w for w in _all_widths(max_width, max_depth) if smaller(w) > larger(w)]
    return CheckResult(f"B3 <= B1 for all widths in {{1..{max_width}}}^L, L <= {max_depth}",
                       "Serra et al. 2018, Thm 1; docs/theory.md §1", not bad, "all architectures", "B3 <= B1",
                       f"fails at widths {bad[0]}" if bad else "")


def verify_checks() -> list[CheckResult]:
    """The foundation lines, in report order."""
    return [check_tent_pieces(), check_tent_values(), check_tent_self_similarity(), check_sawtooth_doubles(),
            check_waves(), check_random_traces(), check_serra_below_telgarsky()]
