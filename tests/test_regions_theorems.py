"""The region theorem report lines hold, and each one fails on a deliberately wrong input."""

from __future__ import annotations

import time
from fractions import Fraction as F

import pytest

from exactrelu import ReLUNetwork
from exactrelu.polyhedral import regions
from exactrelu.report import CheckResult
from exactrelu.theorems import regions as T


def test_verify_checks_hold_cite_sources_and_are_fast():
    start = time.perf_counter()
    checks = T.verify_checks()
    elapsed = time.perf_counter() - start
    assert elapsed < 10  # about 1 s on an idle machine; generous for a shared one
    assert len(checks) >= 12
    for c in checks:
        assert isinstance(c, CheckResult)
        assert c.holds, c
        assert c.source and c.value and c.expected
    sources = " ".join(c.source for c in checks)
    for name in ("Zaslavsky", "Serra", "Montufar", "Euler"):
        assert name in sources


def test_zaslavsky_fails_without_general_position():
    rows = [[1, 0], [0, 1], [1, 1]]  # three lines through the origin: 6 regions, not 7
    assert T.check_zaslavsky(rows, [0, 0, 0], [(-1, 1), (-1, 1)]).holds is False
    # and fails when the box misses a vertex of the arrangement
    assert T.check_zaslavsky([[1, 0], [0, 1]], [-5, -5], [(-1, 1), (-1, 1)]).holds is False
    assert T.check_zaslavsky([[1, 0], [0, 1]], [0, 0], [(-1, 1), (-1, 1)]).holds is True


def test_serra_fails_with_a_wrong_input_dimension():
    net = ReLUNetwork([([[i, -1] for i in range(1, 6)], [i * i for i in range(1, 6)]), ([[1] * 5], [0])])
    box = [(-15, 15), (-50, 50)]
    assert T.check_serra(net, box).holds is True  # 16 <= 16 (tight)
    assert T.check_serra(net, box, input_dim=1).holds is False  # the 1-D bound 6 is wrong in 2-D


def test_montufar_construction_reaches_the_bound_and_fails_when_broken():
    assert regions(T.montufar_network(2, (6, 2)), [(0, 1), (0, 1)]).activation_regions == 9 * 4
    assert T.montufar_bound(2, (6, 2)) == 36
    bad_last = ([[F(1), F(0)], [F(1), F(0)]], [F(-2), F(-3)])  # last layer outside the folded square
    assert T.check_montufar((4, 2), T.montufar_network(2, (4, 2), last=bad_last)).holds is False
    with pytest.raises(ValueError):
        T.montufar_network(3, (6, 2))


class _Fake:
    def __init__(self, counts):
        self._counts = counts

    def face_counts(self):
        return self._counts


def test_euler_volume_continuity_and_lines_fail_on_wrong_input():
    assert T.check_euler(_Fake((4, 4, 1)), "square").holds is True
    assert T.check_euler(_Fake((5, 7, 4)), "broken").holds is False
    net = ReLUNetwork([([[1, 1], [1, -1]], [0, F(1, 2)]), ([[1, 2]], [0])])
    box = [(-1, 1), (-1, 1)]
    cx = regions(net, box)
    assert T.check_volumes(cx, F(4), "box").holds is True
    assert T.check_volumes(cx, F(3), "wrong volume").holds is False
    assert T.check_continuity(cx, "ok").holds is True
    broken = regions(net, box)
    r = broken[0]
    (g, c), = r._maps
    r.__dict__["_maps"] = ((g, c + 1),)  # a discontinuous "network"
    assert T.check_continuity(broken, "broken").holds is False
    lines = [((F(-1, 3), F(-1)), (F(1, 5), F(1)))]
    assert T.check_lines(net, cx, lines, "ok").holds is True
    other = ReLUNetwork([([[1, 0]], [0]), ([[1]], [0])])
    assert T.check_lines(other, cx, lines, "wrong network").holds is False
