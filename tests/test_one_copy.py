"""One implementation of each idea (issue 8, section 2): the shared pieces are really shared.

Each test checks that the former copies now go through the one implementation
(same objects, same classes), and that the shared piece gives what the copies
gave (same numbers for the same seed).
"""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from exactrelu import formats, rationals, report
from exactrelu.bounds import BoundCheck
from exactrelu.constructions import random_network, triangle, triangle_pwl
from exactrelu.errors import DomainError, ShapeError
from exactrelu.search import Evaluation, NetworkSpace, PairSpace, PiecewiseLinearSpace, engine, parallel, tightness
from exactrelu.theorems import telgarsky


def test_one_check_result_family():
    for cls in (BoundCheck, Evaluation, telgarsky.LemmaCheck, telgarsky.TheoremCheck):
        assert issubclass(cls, report.CheckResult)
    c = BoundCheck("x", 1, bound=5, measured=6, source="s")
    assert (c.holds, c.value, c.expected, c.tight) == (False, "6", "<= 5", False)
    e = Evaluation(Fraction(-1), {"pieces": 3})
    assert e.holds and not e.violated and e.to_dict() == {"violation": "-1", "measured": {"pieces": "3"}}
    lemma = telgarsky.LemmaCheck(2, 9, 4, 3)  # bound (9 - 8)/2 = 1/2
    assert lemma.holds and lemma.bound == Fraction(1, 2) and lemma.value == "2"
    assert not telgarsky.LemmaCheck(0, 9, 4, 3).holds
    assert report.compare("n", "s", 3, "<=", 2).holds is False
    with pytest.raises(ValueError):
        report.compare("n", "s", 3, "~", 2)


def test_one_random_network_generator():
    space = NetworkSpace((3, 2), max_numerator=5, max_denominator=3)
    a = space.draw(random.Random(7))
    b = random_network((3, 2), rng=random.Random(7), max_numerator=5, max_denominator=3)
    assert a == b
    assert random_network((2,), seed=3) == random_network((2,), seed=3) != random_network((2,), seed=4)
    with pytest.raises(ShapeError):
        random_network(())


def test_one_work_unit_and_one_hill_climber():
    units = tightness._tight_plan((3, 3), 500, 0, True)  # the tightness plan uses the shared Unit
    assert units and all(type(u) is parallel.Unit for u in units)
    assert all(type(u) is parallel.Unit for u in parallel.plan(0, 600, engine.STRATEGIES))
    assert tightness.hill_climb is engine.hill_climb

    # the climber: accepts sideways moves, restarts after `patience`, counts every score
    best, score, used = engine.hill_climb(0, 0, mutate=lambda x: x + 1, score=lambda x: min(x, 5),
                                          restart=lambda b: b, budget=50, patience=3, done=lambda s: s >= 5)
    assert (best, score) == (5, 5) and used == 5


def test_pair_space_is_a_pwl_space():
    assert issubclass(PairSpace, PiecewiseLinearSpace)
    pair = PairSpace(max_pieces=3)
    f, g = pair.draw(random.Random(1))
    single = PiecewiseLinearSpace(max_pieces=3)
    rng = random.Random(1)
    assert (f, g) == (single.draw(rng), single.draw(rng))
    assert pair.describe()["kind"] == "pwl_pair" and pair.describe()["max_pieces"] == 3


def test_one_triangle_map_and_one_peak_check():
    for a in ("1/3", "1/2", "5/7"):
        net, f = triangle(a), triangle_pwl(a)
        for x in (Fraction(0), Fraction(1, 5), Fraction(a), Fraction(9, 10), Fraction(1)):
            assert net(x) == f(x)
    for bad in (0, 1, "3/2"):
        with pytest.raises(DomainError):
            triangle(bad)
        with pytest.raises(DomainError):
            triangle_pwl(bad)


def test_one_rational_format_and_one_envelope():
    assert rationals.rational_repr(Fraction(-2, 7)) == "'-2/7'" and rationals.rational_repr(Fraction(4)) == "4"
    net = random_network((2,), seed=1)
    assert repr(net).count("'") % 2 == 0 and eval(repr(net), {"ReLUNetwork": type(net)}) == net
    assert formats.kind_of(net.to_dict()) == "network"


def test_verify_registry_is_explicit_and_complete():
    from exactrelu import verify

    names = [name for name, _ in verify.providers()]
    assert names == ["foundations", "telgarsky", "milkert", "batch", "regions", "arora", "search"]
    assert all(callable(p) for _, p in verify.providers())


def test_the_symbolic_triangle_map_is_the_network_one():
    """milkert's sympy T_a (symbolic a, needed for the derivations) agrees with constructions.triangle at rational a."""
    from fractions import Fraction

    import sympy as sp

    from exactrelu.constructions import triangle
    from exactrelu.theorems.milkert._tools import X, triangle as symbolic_triangle

    for a in (Fraction(1, 2), Fraction(1, 3), Fraction(5, 7), Fraction(1, 97)):
        expr = symbolic_triangle(sp.Rational(a.numerator, a.denominator))
        net = triangle(a)
        for x in (Fraction(0), a / 2, a, (1 + a) / 2, Fraction(1), Fraction(2, 9)):
            assert sp.Rational(str(net(x))) == expr.subs(X, sp.Rational(x.numerator, x.denominator))
