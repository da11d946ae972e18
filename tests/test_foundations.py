"""Every foundation line of ``exactrelu verify`` holds, and fails on a deliberately wrong claim.

exactrelu.theorems.foundations states each claim through a parameter (the
expected count, the scale, the bound, the forward pass); here each line is fed
a wrong one, so a line that could never fail would show up.
"""

from __future__ import annotations

from fractions import Fraction

from exactrelu.bounds import serra_bound, telgarsky_bound
from exactrelu.constructions import sawtooth
from exactrelu.theorems import foundations as F
from exactrelu.verify import foundation_checks


def test_every_foundation_line_holds():
    lines = foundation_checks()
    assert len(lines) == 7 and all(line.holds for line in lines), [l for l in lines if not l.holds]


def test_tent_pieces_fails_on_a_wrong_count_or_construction():
    assert not F.check_tent_pieces(range(1, 6), expected=lambda k: 2 ** k + 1).holds
    assert not F.check_tent_pieces(range(1, 6), construction=sawtooth).holds  # the sawtooth has 2^k pieces on R, not on [0, 1]
    assert F.check_tent_pieces(range(1, 6)).holds


def test_tent_values_fail_on_the_shifted_parity():
    assert not F.check_tent_values(5, expected=lambda i: (i + 1) % 2).holds


def test_self_similarity_fails_on_a_wrong_scale():
    assert not F.check_tent_self_similarity(6, scale=16).holds
    assert F.check_tent_self_similarity(6, scale=32).holds


def test_sawtooth_fails_on_a_wrong_count():
    assert not F.check_sawtooth_doubles(range(1, 5), expected=lambda l: 2 ** (l + 1)).holds


def test_waves_fail_on_a_wrong_count():
    assert not F.check_waves(2, expected=lambda i: 2 ** i).holds


def test_random_traces_fail_on_a_wrong_forward_pass_or_bound():
    off = F.check_random_traces(3, forward=lambda net, x: net(x) + Fraction(1, 10 ** 9))
    assert not off.holds and "differs at" in off.detail

    class Violated:
        holds = False
        violations = ("B1 exceeded (injected)",)

    assert not F.check_random_traces(2, bounds=lambda trace: Violated()).holds


def test_serra_below_telgarsky_fails_when_swapped():
    assert not F.check_serra_below_telgarsky(3, 2, smaller=telgarsky_bound, larger=serra_bound).holds
