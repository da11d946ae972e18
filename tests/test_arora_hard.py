"""Arora et al. (2018), section 3.1: hard functions h_a, compositions, Lemma B.1, Cor. 3.4."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactrelu import propagate
from exactrelu.errors import DomainError, ExactReluError
from exactrelu.theorems.arora.hard import (
    Corollary34Row,
    check_corollary_3_4,
    check_figure2,
    check_lemma_b1,
    check_theorem_3_1,
    composition_network,
    composition_pwl,
    corollary_3_4_table,
    figure2,
    hard_function,
    hard_network,
    maps_onto_pieces,
    pieces_on_r_formula,
    size_lower_bound_holds,
)


def test_figure2_known_answers():
    assert figure2() == (3, 2, 6)
    assert figure2(("1/10", "9/10"), ("3/4",)) == (3, 2, 6)
    assert check_figure2().holds


def test_definition_values():
    h = hard_function(["1/4", "1/2", "3/4"], 2)  # p = 3, M = 2
    assert [h(x) for x in (-5, 0, "1/4", "1/2", "3/4", 2)] == [0, 0, 2, 0, 2, 0]
    assert h.pieces == 5  # p + 2
    assert hard_network(["1/4", "1/2", "3/4"], 2).size == 4  # w = p + 1 units (Cor. A.1)
    for bad in ([], ["1/2", "1/3"], ["0", "1/2"], ["1/2", "1"]):
        with pytest.raises(ExactReluError):
            hard_function(bad)
    with pytest.raises(DomainError):
        hard_function(["1/2"], 0)


def test_tails_on_r():
    # p even: the last piece continues beyond M; p odd (not last): H = 0 beyond M
    assert propagate(composition_network([["1/3", "2/3"], ["1/2"]])).pieces == 6 + 1
    assert propagate(composition_network([["1/2"], ["1/3", "2/3"]])).pieces == 6 + 2
    f = composition_pwl([["1/2"], ["1/3", "2/3"]])
    assert f(2) == 0 and f(100) == 0


simplex = st.integers(1, 3).flatmap(
    lambda p: st.lists(st.integers(1, 23), min_size=p, max_size=p, unique=True).map(
        lambda xs: [Fraction(x, 24) for x in sorted(xs)]))


@settings(max_examples=40, deadline=None)
@given(st.lists(simplex, min_size=1, max_size=3), st.sampled_from([1, 2, "1/3"]))
def test_theorem_3_1_and_lemma_b1_property(a_list, M):
    M = Fraction(M)
    a_list = [[v * M for v in a] for a in a_list]
    net = composition_network(a_list, M)
    expected = 1
    for a in a_list:
        expected *= len(a) + 1
    out = propagate(net, (0, M)).output
    assert out.pieces == expected and maps_onto_pieces(out, M)
    on_r = propagate(net).output
    assert on_r == composition_pwl(a_list, M)
    assert on_r.pieces == pieces_on_r_formula(a_list) <= expected + 2
    assert check_theorem_3_1(a_list, M).holds and check_lemma_b1(a_list, M).holds


def test_corollary_3_4_table():
    rows = corollary_3_4_table()
    assert [(r.k, r.deep_depth, r.deep_size) for r in rows] == [(2, 4, 8), (3, 9, 27), (4, 16, 64)]
    assert [r.pieces for r in rows] == [16, 19683, 4 ** 16]
    assert [r.counted for r in rows] == ["propagated", "propagated", "product of verified factors"]
    assert [r.lemma_d6_min_size for r in rows] == [4, 41, 512]
    assert [r.paper_bound for r in rows] == [3, Fraction(79, 2), 511]
    assert all(isinstance(r.pieces, int) and isinstance(r.paper_bound, Fraction) for r in rows)
    assert check_corollary_3_4(rows).holds
    # a deliberately wrong row fails
    bad = Corollary34Row(3, 9, 27, 19683, "propagated", 39, Fraction(79, 2))
    assert not check_corollary_3_4([bad]).holds
    assert rows[0].to_dict()["paper_bound"] == "3"


def test_size_lower_bound_exact():
    # (1/2) k' w^{k/k'} - 1 with k' = 2, w = 2, k = 4: (1/2) 2 * 4 - 1 = 3
    assert size_lower_bound_holds(3, 2, 2, 4) and not size_lower_bound_holds(2, 2, 2, 4)


def test_checks_fail_on_wrong_input():
    assert not check_figure2((3, 2, 5)).holds
    a_list = [["1/3", "2/3"], ["1/2"]]
    wrong = composition_network([["1/3", "2/3"], ["1/4", "1/2"]])  # 9 pieces, not 6
    assert not check_theorem_3_1(a_list, 1, wrong).holds
    assert not check_lemma_b1(a_list, 1, wrong).holds
    assert check_theorem_3_1(a_list).holds and check_lemma_b1(a_list).holds
    with pytest.raises(ExactReluError):
        check_lemma_b1([["2", "3"]], 1)


def test_theorem_3_2():
    from exactrelu.theorems.arora.hard import check_theorem_3_2

    c = check_theorem_3_2([["1/3", "2/3"]] * 3, 1)
    assert c.holds and "27" in c.value  # exact minimum at one hidden layer: 27 units vs bound 12.5
    assert check_theorem_3_2([["1/3", "2/3"]] * 4, 2).holds
    assert check_theorem_3_2([["1/2"]] * 6, 3).holds
    assert not check_theorem_3_2([["1/3", "2/3"]] * 3, 1, size=12).holds   # 12 < 12.5
    assert check_theorem_3_2([["1/3", "2/3"]] * 3, 1, size=13).holds
    with pytest.raises(ExactReluError):
        check_theorem_3_2([["1/3", "2/3"], ["1/2"]], 1)
    with pytest.raises(ExactReluError):
        check_theorem_3_2([["1/2"]] * 2, 3)
