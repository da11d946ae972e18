"""Arora et al. (2018), Theorem 2.1 constructively: signed sums of maxima -> networks."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactrelu import max_network
from exactrelu.errors import ExactReluError
from exactrelu.theorems.arora.depth import (
    MaxRepresentation,
    check_on_regions,
    check_representation,
    hidden_layers_needed,
    max_affine_network,
)


def test_fig3_and_depths():
    net = max_affine_network([((1, 0), 0), ((0, 1), 0)])
    assert net == max_network()  # Fig. 3 exactly: 4 units, one hidden layer
    assert [hidden_layers_needed(k) for k in range(1, 10)] == [0, 1, 2, 2, 3, 3, 3, 3, 4]
    for k in range(1, 10):
        fs = [((i, -i), i * i) for i in range(k)]
        net = max_affine_network(fs)
        assert net.depth == hidden_layers_needed(k)
        for x in [(-3, 2), (5, Fraction(1, 3)), (0, 0)]:
            assert net(x) == max(w[0] * x[0] + w[1] * x[1] + c for w, c in fs)


def test_bad_input():
    for bad in ([], [(1, [])], [(2, [((1,), 0)])], [(1, [((1,), 0), ((1, 2), 0)])]):
        with pytest.raises(ExactReluError):
            MaxRepresentation(bad)


affine = lambda n: st.tuples(st.tuples(*[st.integers(-3, 3)] * n), st.integers(-4, 4))  # noqa: E731
reps = st.integers(1, 3).flatmap(lambda n: st.lists(
    st.tuples(st.sampled_from([1, -1]), st.lists(affine(n), min_size=1, max_size=n + 1)), min_size=1, max_size=3))


@settings(max_examples=30, deadline=None)
@given(reps)
def test_theorem_2_1_property(terms):
    rep = MaxRepresentation(terms)
    check = check_representation(rep, points=40, lines=5)
    assert check.holds, check
    assert check.witness.depth <= rep.depth_bound()


def test_check_fails_on_wrong_network():
    rep = MaxRepresentation([(1, [((1, 0), 0), ((0, 1), 0), ((-1, -1), 0)])])
    assert check_representation(rep).holds
    wrong = MaxRepresentation([(1, [((1, 0), 0), ((0, 1), 0), ((-1, -1), 1)])]).to_network()
    assert not check_representation(rep, wrong).holds


def test_on_regions_when_available():
    rep = MaxRepresentation([(1, [((1, 0), 0), ((0, 1), 0), ((-1, -1), 0)]), (-1, [((1, 1), 0), ((0, 0), 1)])])
    box = ((-2, 2), (-2, 2))
    assert check_on_regions(rep, box).holds
    wrong = MaxRepresentation([(1, [((1, 0), 0), ((0, 1), 0), ((-1, -1), 1)])]).to_network()
    assert not check_on_regions(rep, box, wrong).holds


def test_on_regions_3d():
    rep = MaxRepresentation([(1, [((1, 0, 0), 0), ((0, 1, 0), 1), ((0, 0, 1), -1), ((1, 1, 1), "1/2")]),
                             (-1, [((2, -1, 0), 0), ((0, 0, 0), 3)])])
    check = check_on_regions(rep, ((-3, 3), (-3, 3), (-3, 3)))
    assert check.holds and check.value.startswith("70 regions")


def test_max_of_inputs_and_pwl_representation():
    from exactrelu import PiecewiseLinear, propagate
    from exactrelu.theorems.arora.depth import max_of_inputs_network, representation_from_pwl

    for k in range(1, 9):
        net = max_of_inputs_network(k)
        assert net.depth == hidden_layers_needed(k)
        x = tuple(Fraction((7 * i) % 5 - 2, i + 1) for i in range(k))
        assert net(x) == max(x)
    f = PiecewiseLinear([(0, 0), (1, 2), (3, 1)], left_slope=1, right_slope=5)
    rep = representation_from_pwl(f)
    assert rep.max_arity == 2 and rep.depth_bound() == 1
    assert rep.on_line((0,), (1,)) == f and propagate(rep.to_network()).output == f
    assert check_representation(rep, points=30, lines=3).holds
    const = representation_from_pwl(PiecewiseLinear.affine(0, 3))
    assert const.max_arity == 1 and const((5,)) == 3
