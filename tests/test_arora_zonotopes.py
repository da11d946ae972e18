"""Arora et al. (2018), section 3.2: Lemma 3.7, Theorem 3.6, Theorem 3.9 and Fig. 1, exactly."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactrelu.errors import ExactReluError
from exactrelu.theorems.arora.zonotopes import (
    FIGURE1,
    check_figure1_formula,
    check_lemma_3_7,
    check_theorem_3_6,
    check_theorem_3_9,
    paper_piece_count,
    pieces_on_regions,
    support_function,
    support_function_network,
    vertex_bound,
    vertex_count,
    vertex_count_hull_2d,
    vertex_count_whitney,
    zonotope_function_network,
    zonotope_pieces_formula,
)

C = (("1/4", "1/2"), ("-1/2", 0), (0, "-1/4"), ("-1/4", "-1/4"))


def test_support_function_network():
    net = support_function_network(C)
    assert net.depth == 1 and net.size == 8
    for r in [(1, 0), (0, 1), ("-3/2", "7/5"), (0, 0)]:
        assert net(r) == support_function(C, r)
    assert isinstance(net((1, 2)), Fraction)
    assert check_lemma_3_7(C).holds
    assert not check_lemma_3_7(C, support_function_network(C[:3])).holds


def test_vertex_counts_known_answers():
    assert vertex_count(C) == 8 == vertex_bound(4, 2) == vertex_count_hull_2d(C)
    assert vertex_count([(0, 1), (1, 0)]) == 4
    # degenerate: parallel generators give fewer vertices than Theorem 3.6's bound
    degenerate = [(1, 0), (2, 0), (0, 1)]
    assert vertex_count(degenerate) == 4 < vertex_bound(3, 2) == 6
    assert vertex_count_whitney(degenerate) == 4 == vertex_count_hull_2d(degenerate)
    assert check_theorem_3_6(degenerate, expect_equality=False).holds
    assert not check_theorem_3_6(degenerate, expect_equality=True).holds
    # R^3: 5 generic generators reach 2 (1 + 4 + 6) = 22; four coplanar ones do not
    generic = [(1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 1, 1), (1, 2, 5)]
    assert vertex_count(generic) == 22 == vertex_bound(5, 3) == vertex_count_whitney(generic)
    coplanar = [(1, 0, 0), (0, 1, 0), (1, 1, 0), (1, -1, 0), (0, 0, 1)]
    assert vertex_count(coplanar) == vertex_count_whitney(coplanar) == 16 < 22
    # zero generators are ignored; a single segment has 2 vertices
    assert vertex_count([(0, 0), (3, 1)]) == 2 and vertex_count([(0, 0)]) == 1
    assert isinstance(vertex_count(C), int)
    with pytest.raises(ExactReluError):
        vertex_count([(1, 0), (1, 0, 0)])
    with pytest.raises(ExactReluError):
        vertex_count([])


gens2 = st.lists(st.tuples(st.integers(-3, 3), st.integers(-3, 3)), min_size=1, max_size=7)
gens3 = st.lists(st.tuples(st.integers(-2, 2), st.integers(-2, 2), st.integers(-2, 2)), min_size=1, max_size=6)


@settings(max_examples=60, deadline=None)
@given(gens2)
def test_vertex_count_methods_agree_2d(gens):
    v = vertex_count(gens)
    assert v == vertex_count_whitney(gens) == vertex_count_hull_2d(gens)
    nonzero = [g for g in gens if any(g)]
    if nonzero:
        assert v <= vertex_bound(len(nonzero), 2)


@settings(max_examples=40, deadline=None)
@given(gens3)
def test_vertex_count_methods_agree_3d(gens):
    v = vertex_count(gens)
    assert v == vertex_count_whitney(gens)
    assert check_theorem_3_6(gens).holds or not any(any(g) for g in gens)


def test_figure1_counts_and_finding():
    exact = [zonotope_pieces_formula(a, g) for _, a, g in FIGURE1]
    stated = [paper_piece_count(a, g) for _, a, g in FIGURE1]
    assert exact == [17, 33, 65] and stated == [8, 16, 32]
    assert check_figure1_formula().holds and not check_figure1_formula((8, 16, 32)).holds
    for _, a, g in FIGURE1:
        assert check_theorem_3_9(a, g).holds
    net = zonotope_function_network(FIGURE1[0][1], FIGURE1[0][2])
    assert net((0, 0)) == 0 and net(("1/4", 0)) == 1 and net((5, 5)) == 0   # H(|x| + |y|)
    wrong = zonotope_function_network((("1/2",),), FIGURE1[0][2])
    assert not check_theorem_3_9(FIGURE1[0][1], FIGURE1[0][2], net=wrong).holds


def test_pieces_on_region_complex():
    from exactrelu.polyhedral import regions

    box = ((-4, 4), (-4, 4))
    for (_, a, g), expected in zip(FIGURE1, (17, 33, 65)):
        net = zonotope_function_network(a, g)
        assert pieces_on_regions(net, box) == expected == regions(net, box).pieces
    # pieces of the support function = vertices of the zonotope (Theorem 3.6 on the region complex)
    for gens in (C, [(1, 0), (2, 0), (0, 1)], [(1, 2), (3, -1), (0, 1), (1, 1), (2, 5)]):
        assert pieces_on_regions(support_function_network(gens), box) == vertex_count(gens)
    # a generic 3-D zonotope: pieces on a box around 0 = 22 vertices
    gens3 = [(1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 1, 1), (1, 2, 5)]
    assert pieces_on_regions(support_function_network(gens3), ((-1, 1), (-1, 1), (-1, 1))) == 22


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(st.integers(-3, 3), st.integers(-3, 3)), min_size=2, max_size=4).filter(
    lambda g: any(a * d - b * c for (a, b) in g for (c, d) in g)),  # spanning R^2
    st.lists(st.lists(st.integers(1, 11), min_size=1, max_size=2, unique=True), min_size=1, max_size=2))
def test_piece_formula_on_region_complex(gens, raw_a):
    """The exact formula of the module docstring == pieces counted on the 2-D region complex."""
    from fractions import Fraction as F

    a_list = [[F(v, 12) for v in sorted(a)] for a in raw_a]
    net = zonotope_function_network(a_list, gens)
    # integer generators with a nonzero 2x2 minor: |r|_inf <= 6 gamma_Z(r), so {gamma_Z <= 1} is inside the box
    box = ((-40, 40), (-40, 40))
    assert pieces_on_regions(net, box) == zonotope_pieces_formula(a_list, gens)


def test_zonotope_family_in_3d_on_region_complex():
    from exactrelu.polyhedral import regions

    gens3 = [(1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 1, 1)]  # V = 2 (1 + 3 + 3) = 14
    box = ((-2, 2), (-2, 2), (-2, 2))
    for a_list, expected in (([["1/2"]], 28), ([["1/2"], ["1/2"]], 57)):
        net = zonotope_function_network(a_list, gens3)
        assert pieces_on_regions(net, box) == expected == zonotope_pieces_formula(a_list, gens3)
        assert regions(net, box).pieces == expected
        assert paper_piece_count(a_list, gens3) == expected // 2  # 14, 28: half (and the zero piece)
