"""Shared oracles and helpers of the foundation's test suite.

The oracles here are independent of the breakpoint propagator: they build every
unit's function with :class:`~exactrelu.PiecewiseLinear` algebra (``*``, ``+``,
``relu``) layer by layer from the weights, and read activation regions off
the signs of those functions between their vertices and zero crossings.

``count_network`` records every random network a test checks; the total is
printed at the end of the run ("random networks checked").
"""

from __future__ import annotations

import random
from fractions import Fraction

from hypothesis import HealthCheck, settings

from exactrelu import PiecewiseLinear, ReLUNetwork

settings.register_profile(
    "exactrelu",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.load_profile("exactrelu")

_NETWORKS_CHECKED = {"count": 0}


def count_network(n: int = 1) -> None:
    """Record that ``n`` random networks were checked."""
    _NETWORKS_CHECKED["count"] += n


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # pragma: no cover
    if _NETWORKS_CHECKED["count"]:
        terminalreporter.write_line(f"random networks checked: {_NETWORKS_CHECKED['count']}")


# ------------------------------------------------------------------- oracles
def oracle_layers(net: ReLUNetwork, domain=None):
    """Every unit's pre-activation as a PiecewiseLinear, built by PWL algebra.

    Returns ``(pre, output)``: ``pre[l][j]`` is unit j of hidden layer l+1,
    ``output`` the list of output coordinates.
    """
    x = PiecewiseLinear.affine(1, 0, domain)
    inputs = [x]
    pre: list[list[PiecewiseLinear]] = []
    for index, (weight, bias) in enumerate(net.layers):
        z = []
        for row, b in zip(weight, bias):
            acc = PiecewiseLinear.affine(0, b, domain)
            for w, h in zip(row, inputs):
                if w != 0:
                    acc = acc + h * w
            z.append(acc)
        if index == len(net.layers) - 1:
            return pre, z
        pre.append(z)
        inputs = [f.relu() for f in z]
    raise AssertionError("unreachable")


def _in_domain(x, domain) -> bool:
    if domain is None:
        return True
    lo, hi = domain
    return (lo is None or x >= lo) and (hi is None or x <= hi)


def oracle_regions(net: ReLUNetwork, domain=None):
    """Activation regions as ``[(lo, hi, pattern)]`` from the oracle functions.

    Between consecutive candidate points (every vertex and zero crossing of
    every unit) no unit changes sign, so the sign at a probe decides the
    pattern of the whole open interval; regions are maximal runs of equal
    patterns (a touching point does not split a region).
    """
    pre, _ = oracle_layers(net, domain)
    units = [f for layer in pre for f in layer]
    lo, hi = (None, None) if domain is None else domain
    lo = None if lo is None else Fraction(lo)
    hi = None if hi is None else Fraction(hi)
    cands = set()
    for f in units:
        cands.update(f.breakpoints)
        cands.update(f.level_crossings(0))
    cuts = sorted(c for c in cands if (lo is None or c > lo) and (hi is None or c < hi))
    ends = [lo, *cuts, hi]
    intervals = []
    for a, b in zip(ends[:-1], ends[1:]):
        if a is None and b is None:
            probe = Fraction(0)
        elif a is None:
            probe = b - 1
        elif b is None:
            probe = a + 1
        else:
            probe = (a + b) / 2
        pattern = []
        for layer in pre:
            pattern.append(tuple(f(probe) > 0 for f in layer))
        intervals.append((a, b, tuple(pattern)))
    merged = [list(intervals[0])]
    for a, b, p in intervals[1:]:
        if p == merged[-1][2]:
            merged[-1][1] = b
        else:
            merged.append([a, b, p])
    return [tuple(m) for m in merged]


def probe_points(breakpoints, domain, rng: random.Random, extra: int = 5):
    """Breakpoints, midpoints, points beyond the ends (unbounded sides) and random rationals."""
    pts = sorted(set(breakpoints))
    lo, hi = (None, None) if domain is None else domain
    lo = None if lo is None else Fraction(lo)
    hi = None if hi is None else Fraction(hi)
    result = list(pts)
    result += [(a + b) / 2 for a, b in zip(pts, pts[1:])]
    if pts:
        if lo is None:
            result += [pts[0] - 1, pts[0] - Fraction(1, 7)]
        if hi is None:
            result += [pts[-1] + 1, pts[-1] + Fraction(1, 7)]
    for _ in range(extra):
        result.append(Fraction(rng.randint(-60, 60), rng.randint(1, 12)))
    if lo is not None and hi is not None:
        for _ in range(extra):
            result.append(lo + (hi - lo) * Fraction(rng.randint(0, 97), 97))
    return [x for x in result if _in_domain(x, (lo, hi))]
