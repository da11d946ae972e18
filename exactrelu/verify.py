"""The built-in theorem report behind ``exactrelu verify``: an explicit registry of check providers.

Each provider returns a list of :class:`~exactrelu.report.CheckResult`: an
exact measured value, the value or bound the theory predicts, the source, and
whether it holds.  Providers live beside their theorems
(``exactrelu.theorems.telgarsky.verify_checks``, ...) and are listed in
:data:`PROVIDERS`, in report order; this module imports them (downwards),
never the other way round.
"""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Callable, Iterator

from .report import CheckResult

__all__ = ["CheckResult", "run_checks", "foundation_checks", "PROVIDERS", "providers"]


def _telgarsky() -> list[CheckResult]:
    from .theorems import telgarsky

    return telgarsky.verify_checks()


def _milkert() -> list[CheckResult]:
    from .theorems import milkert

    return milkert.verify_checks()


def _regions() -> list[CheckResult]:
    from .theorems import regions

    return regions.verify_checks()


def _arora() -> list[CheckResult]:
    from .theorems import arora

    return arora.verify_checks()


def _batch() -> list[CheckResult]:
    from . import batch

    return batch.verify_checks()


def _search() -> list[CheckResult]:
    from .search import checks

    return checks.verify_checks()


def providers() -> list[tuple[str, Callable[[], list[CheckResult]]]]:
    """``(name, provider)`` pairs in report order (the theorem modules are imported when run)."""
    return [("foundations", foundation_checks), *PROVIDERS]


#: The theorem families' providers, in report order; each is a module's ``verify_checks``.
PROVIDERS: tuple[tuple[str, Callable[[], list[CheckResult]]], ...] = (
    ("telgarsky", _telgarsky),
    ("milkert", _milkert),
    ("batch", _batch),
    ("regions", _regions),
    ("arora", _arora),
    ("search", _search),
)


def run_checks(progress: bool = False) -> list[CheckResult]:
    """Run every provider's checks and return the results in order."""
    found = providers()
    results: list[CheckResult] = []
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(found), desc="verify", unit="family", leave=False)
    for _, provider in found:
        results.extend(provider())
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    return results


def _verify_entry(rng: random.Random, fan_in: int, is_bias: bool) -> Fraction:
    return Fraction(rng.randint(-6, 6), rng.randint(1, 4))


def foundation_checks() -> list[CheckResult]:
    """Known exact answers of docs/theory.md §1-§2 and differential checks."""
    from .bounds import check_bounds, serra_bound, telgarsky_bound
    from .constructions import random_network, sawtooth, tent_map, triangle_wave
    from .propagate import propagate

    results: list[CheckResult] = []
    seed004 = "Risteski, lecture 'Benefits of depth', CMU 10-707 (2020); docs/theory.md §2"

    counts = [propagate(tent_map(k), (0, 1)).pieces for k in range(1, 17)]
    results.append(CheckResult(
        "tent map D^k has 2^k pieces on [0,1], k=1..16", seed004,
        counts == [2 ** k for k in range(1, 17)], f"{counts[:4]}...{counts[-1]}", "2^k"))

    k = 10
    net = tent_map(k)
    values = [net(Fraction(i, 2 ** k)) for i in range(2 ** k + 1)]
    results.append(CheckResult(
        f"D^{k}(i/2^{k}) = i mod 2 for all i", seed004,
        values == [i % 2 for i in range(2 ** k + 1)], f"{len(values)} points", "i mod 2"))

    f = propagate(tent_map(6), (0, 1)).output
    d1 = propagate(tent_map(1), (0, 1)).output
    rng = random.Random(2016)
    xs = [Fraction(rng.randint(0, 999), 997) for _ in range(200)]

    def frac_part(x: Fraction) -> Fraction:
        return x - (x.numerator // x.denominator)

    ok = all(f(x) == d1(frac_part(32 * x)) for x in xs if x <= 1)
    results.append(CheckResult(
        "D^6(x) = D(2^5 x - floor(2^5 x)) on [0,1]", seed004, ok, "200 rational points", "equal"))

    saw = [propagate(sawtooth(l)).pieces for l in range(1, 11)]
    results.append(CheckResult(
        "lecture sawtooth f_l = 2|f_{l-1}| - 2 doubles its pieces on R, l=1..10",
        "lecture notes 'Approximation with ReLU networks'; docs/theory.md §2", saw == [2 ** l for l in range(1, 11)],
        f"{saw[:4]}...{saw[-1]}", "2^l"))

    rng = random.Random(2311)
    ok, detail = True, ""
    for trial in range(5):
        peaks = [Fraction(rng.randint(1, 19), 20) for _ in range(6)]
        for i in range(1, len(peaks) + 1):
            out = propagate(triangle_wave(peaks[:i]), (0, 1)).output
            vals = set(out.values)
            if out.pieces != 2 ** i or vals != {0, 1}:
                ok, detail = False, f"peaks={peaks[:i]} pieces={out.pieces} values={sorted(vals)}"
    results.append(CheckResult(
        "asymmetric waves W_i have 2^{i+1} pieces on [0,1], vertices at 0/1",
        "Milkert, Hyde, Laine, Eq. (5); docs/theory.md §2, §4", ok, "5 random peak sequences, depth <= 6",
        "2^{i+1}", detail))

    rng = random.Random(1)
    ok, detail, n_checked = True, "", 0
    for trial in range(40):
        widths = [rng.randint(1, 4) for _ in range(rng.randint(1, 3))]
        net = random_network(widths, rng=rng, value=_verify_entry)
        for domain in (None, (-3, 3)):
            trace = propagate(net, domain)
            report = check_bounds(trace)
            n_checked += 1
            if not report.holds:
                ok, detail = False, f"{net!r} {report.violations[0]}"
            out = trace.output
            pts = list(out.breakpoints)
            mids = [(a + b) / 2 for a, b in zip(pts, pts[1:])]
            probes = pts + mids + [Fraction(rng.randint(-40, 40), rng.randint(1, 9)) for _ in range(5)]
            lo, hi = trace.domain
            for x in probes:
                if (lo is None or x >= lo) and (hi is None or x <= hi) and out(x) != net(x):
                    ok, detail = False, f"{net!r} differs at x={x}"
    results.append(CheckResult(
        "B1, B2, B3 hold and propagate == forward pass, 40 random nets on R and [-3,3]",
        "docs/theory.md §1 (B1 Risteski, lecture 'Benefits of depth', CMU 10-707 (2020); B2 Arora et al. 2018, Fig. 4; B3 Serra et al. 2018, Thm 1)", ok,
        f"{n_checked} traces", "no violation", detail))

    results.append(CheckResult(
        "B3 <= B1 for all widths in {1..4}^L, L <= 3", "Serra et al. 2018, Thm 1; docs/theory.md §1",
        all(serra_bound(w) <= telgarsky_bound(w) for w in _all_widths(4, 3)),
        "all architectures", "B3 <= B1"))
    return results


def _all_widths(max_width: int, max_depth: int) -> Iterator[tuple[int, ...]]:
    from itertools import product

    for depth in range(1, max_depth + 1):
        yield from product(range(1, max_width + 1), repeat=depth)
