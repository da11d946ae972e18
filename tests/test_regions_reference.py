"""The slow region reference (tests/reference/regions_ref.py) on hand-computed answers.

The reference is the oracle of the differential tests of ``exactrelu.regions``
(tests/test_regions_differential.py), so it is itself checked here: known counts
(k concurrent lines, parallel lines, Zaslavsky's count for lines and planes in general
position, Arora et al.'s max and |x|+|y|, the tent map strips, dead, duplicated and
always-on units, hyperplanes through corners and along faces), its two independent
geometries (ordered polygons vs. tight-set polytopes) against each other, prisms over
2-D complexes against the 3-D computation, Euler's relation, volumes, and the exact
forward pass at every interior point and vertex.
"""

from __future__ import annotations

import itertools
import random
from fractions import Fraction
from math import comb
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactrelu.network import ReLUNetwork
from reference.regions_ref import RefComplex, pattern_at, reference_regions

F = Fraction
SQUARE = [(-1, 1), (-1, 1)]
CUBE = [(-1, 1), (-1, 1), (-1, 1)]


def one_layer(rows, biases, out=None) -> ReLUNetwork:
    out = [1] * len(rows) if out is None else out
    return ReLUNetwork([(rows, biases), ([out], [0])])


def structure(cx: RefComplex):
    """Everything a complex says, in a comparable form."""
    return (
        cx.activation_regions,
        cx.pieces,
        cx.num_vertices,
        cx.num_edges,
        cx.layer_counts,
        sorted((r.pattern, r.gradient, r.offset, r.volume, frozenset(r.vertices)) for r in cx.regions),
        cx.adjacent_patterns(),
        sorted(sorted(cx.regions[i].pattern for i in range(len(cx.regions)) if cx.piece_of[i] == p)
               for p in set(cx.piece_of)),
    )


def check_invariants(net: ReLUNetwork, cx: RefComplex) -> None:
    """Volumes, Euler (2-D), types, forward pass at interior points and vertices."""
    box_volume = F(1)
    for lo, hi in cx.box:
        box_volume *= hi - lo
    assert cx.volume == cx.domain_volume and 0 < cx.domain_volume <= box_volume
    assert len({r.pattern for r in cx.regions}) == len(cx.regions)
    assert isinstance(cx.activation_regions, int) and isinstance(cx.pieces, int)
    assert 1 <= cx.pieces <= cx.activation_regions
    if cx.dim == 2:
        assert cx.num_vertices - cx.num_edges + cx.activation_regions == 1
    f = cx.face_counts()
    assert sum((-1) ** k * fk for k, fk in enumerate(f)) == 1  # Euler-Poincare for a ball
    for r in cx.regions:
        assert isinstance(r.volume, Fraction) and r.volume > 0
        assert all(isinstance(v, Fraction) for v in r.interior_point)
        assert r.contains(r.interior_point, strict=True)
        assert pattern_at(net, r.interior_point) == r.pattern
        assert net.forward(r.interior_point) == r.value(r.interior_point)
        for v in r.vertices:
            assert all(isinstance(c, Fraction) for c in v)
            assert net.forward(v) == r.value(v)
            assert r.contains(v)
            assert not r.contains(v, strict=True)


def random_net(rng: random.Random, n: int, widths, *, small_ints: bool = False) -> ReLUNetwork:
    def entry():
        if small_ints:
            return rng.randint(-2, 2)
        return F(rng.randint(-9, 9), rng.randint(1, 4))

    layers = []
    fan_in = n
    for width in [*widths, 1]:
        layers.append(([[entry() for _ in range(fan_in)] for _ in range(width)],
                       [entry() for _ in range(width)]))
        fan_in = width
    return ReLUNetwork(layers)


# ------------------------------------------------------------------ known answers, 2-D
@pytest.mark.parametrize("method", ["polygon", "polytope"])
@pytest.mark.parametrize("k", [1, 2, 3, 5, 8])
def test_k_lines_through_one_point_give_2k(k, method):
    rows = [[1, 0]] + [[j, 1] for j in range(-(k // 2), k - k // 2) if j != 0]
    assert len(rows) == k  # k distinct directions
    # concurrent at (1/3, -1/5), inside the square
    px, py = F(1, 3), F(-1, 5)
    biases = [-(F(a) * px + F(b) * py) for a, b in rows]
    net = one_layer(rows, biases)
    cx = reference_regions(net, SQUARE, method=method)
    assert cx.activation_regions == 2 * k
    check_invariants(net, cx)


@pytest.mark.parametrize("method", ["polygon", "polytope"])
@pytest.mark.parametrize("k", [1, 2, 4, 7])
def test_parallel_lines_give_k_plus_1(k, method):
    rows = [[1, 2]] * k
    biases = [F(2 * j + 1, k + 1) * 3 - 3 + F(1, 7) for j in range(k)]  # offsets inside (-3, 3)
    net = one_layer(rows, biases)
    cx = reference_regions(net, SQUARE, method=method)
    assert cx.activation_regions == k + 1
    # strips: V = 4 + 2k, E = 4 + 3k (each line adds one edge and splits two sides)
    assert (cx.num_vertices, cx.num_edges) == (4 + 2 * k, 4 + 3 * k)
    check_invariants(net, cx)


def _line_intersection(l1, l2):
    (a1, b1, c1), (a2, b2, c2) = l1, l2
    det = a1 * b2 - a2 * b1
    if det == 0:
        return None
    return ((-c1 * b2 + c2 * b1) / det, (-a1 * c2 + a2 * c1) / det)


def test_zaslavsky_lines_in_general_position():
    """Regions of lines in general position in a box: 1 + L + I (L lines meeting the
    interior, I crossings strictly inside); all crossings inside gives sum_{s<=2} C(k, s)
    (Zaslavsky (1975), Theorem A)."""
    rng = random.Random(10)
    checked = full = 0
    while checked < 40:
        k = rng.randint(1, 7)
        lines = [(F(rng.randint(-9, 9), rng.randint(1, 5)), F(rng.randint(-9, 9), rng.randint(1, 5)),
                  F(rng.randint(-9, 9), rng.randint(1, 9))) for _ in range(k)]
        if any(a == 0 and b == 0 for a, b, _ in lines):
            continue
        points = [_line_intersection(l1, l2) for l1, l2 in itertools.combinations(lines, 2)]
        if any(p is None for p in points) or len(set(points)) < len(points):
            continue  # parallel or concurrent: not general position
        inside = [p for p in points if all(-1 <= c <= 1 for c in p)]
        if any(any(abs(c) == 1 for c in p) for p in inside):
            continue  # a crossing on the boundary
        net = one_layer([[a, b] for a, b, _ in lines], [c for _, _, c in lines])
        # a line meets the open square iff its values at the corners take both signs
        crossing = sum(1 for a, b, c in lines
                       if len({(a * x + b * y + c > 0) - (a * x + b * y + c < 0)
                               for x in (-1, 1) for y in (-1, 1)} - {0}) == 2)
        cx = reference_regions(net, SQUARE)
        assert cx.activation_regions == 1 + crossing + len(inside)
        if len(inside) == comb(k, 2) and crossing == k:
            full += 1
            assert cx.activation_regions == sum(comb(k, s) for s in range(3))
        check_invariants(net, cx)
        checked += 1
    assert full >= 3


def test_max_and_abs_nets():
    """Arora, Basu, Mianjy, Mukherjee (2018): max{x1, x2} = relu(x1 - x2) + relu(x2) - relu(-x2)
    has 4 activation regions and 2 pieces; |x| + |y| has 4 of each."""
    mx = ReLUNetwork([([[1, -1], [0, 1], [0, -1]], [0, 0, 0]), ([[1, 1, -1]], [0])])
    absxy = one_layer([[1, 0], [-1, 0], [0, 1], [0, -1]], [0, 0, 0, 0])
    for method in ("polygon", "polytope"):
        a = reference_regions(mx, SQUARE, method=method)
        assert (a.activation_regions, a.pieces, a.num_vertices, a.num_edges) == (4, 2, 7, 10)
        grads = {r.pattern: r.gradient for r in a.regions}
        assert grads == {(1, 1, 0): ((1, 0),), (1, 0, 1): ((1, 0),), (0, 1, 0): ((0, 1),),
                         (0, 0, 1): ((0, 1),)}
        b = reference_regions(absxy, SQUARE, method=method)
        assert (b.activation_regions, b.pieces, b.num_vertices, b.num_edges) == (4, 4, 9, 12)
        check_invariants(mx, a)
        check_invariants(absxy, b)


def test_bent_line_hand_computed():
    """u1 = relu(x), u2 = relu(y + 1) (on in the open square), output relu(u1 - u2 + 1) =
    relu(relu(x) - y): the left half is split by y = 0, the right half by y = x."""
    net = ReLUNetwork([([[1, 0], [0, 1]], [0, 1]), ([[1, -1]], [1]), ([[1]], [0])])
    cx = reference_regions(net, SQUARE)
    got = {r.pattern: (r.volume, r.gradient, r.offset) for r in cx.regions}
    assert got == {
        (0, 1, 0): (1, ((0, 0),), (0,)),
        (0, 1, 1): (1, ((0, -1),), (0,)),
        (1, 1, 0): (F(1, 2), ((0, 0),), (0,)),
        (1, 1, 1): (F(3, 2), ((1, -1),), (0,)),
    }
    assert (cx.num_vertices, cx.num_edges, cx.pieces, cx.layer_counts) == (8, 11, 3, (2, 4))
    check_invariants(net, cx)


@pytest.mark.parametrize("k", [1, 2, 3, 4, 5])
def test_tent_map_strips(k):
    """The tent map t(x) = 2 relu(x) - 4 relu(x - 1/2) on the first coordinate, composed
    k times, cuts [0,1]^2 into 2^k strips of width 2^-k (Telgarsky (2016), Lemma 3.1)."""
    layers: list[Any] = [([[1, 0], [1, 0]], [0, F(-1, 2)])]
    layers += [([[2, -4], [2, -4]], [0, F(-1, 2)])] * (k - 1)
    layers += [([[2, -4]], [0])]
    net = ReLUNetwork(layers)
    for method in ("polygon", "polytope"):
        cx = reference_regions(net, [(0, 1), (0, 1)], method=method)
        assert cx.activation_regions == 2 ** k and cx.pieces == 2 ** k
        assert {r.volume for r in cx.regions} == {F(1, 2 ** k)}
        assert {abs(r.gradient[0][0]) for r in cx.regions} == {2 ** k}
        assert {r.gradient[0][1] for r in cx.regions} == {0}
        check_invariants(net, cx)


def test_dead_duplicated_always_on_units():
    base_rows = [[1, 0], [-1, 0], [0, 1], [0, -1]]
    base = reference_regions(one_layer(base_rows, [0] * 4), SQUARE)
    variants = {
        "dead zero row": ([[0, 0]], [-1], 0),
        "zero row zero bias": ([[0, 0]], [0], 0),
        "dead on the box": ([[1, 1]], [-3], 0),
        "always on zero row": ([[0, 0]], [1], 1),
        "always on on the box": ([[1, 1]], [5], 1),
        "duplicate": ([[1, 0]], [0], None),
        "scaled duplicate": ([[3, 0]], [0], None),
    }
    for name, (rows, biases, bit) in variants.items():
        net = one_layer(base_rows + rows, [0] * 4 + biases)
        cx = reference_regions(net, SQUARE)
        assert cx.activation_regions == 4, name
        assert cx.num_vertices == base.num_vertices and cx.num_edges == base.num_edges, name
        for r in cx.regions:
            expected = r.pattern[0] if bit is None else bit
            assert r.pattern[4] == expected, name
        check_invariants(net, cx)
    # a unit opposite to an existing one cuts along the same line: no new region
    net = one_layer([[1, 0], [-1, 0]], [F(1, 3), F(-1, 3)])
    cx = reference_regions(net, SQUARE)
    assert cx.activation_regions == 2 and {r.pattern for r in cx.regions} == {(1, 0), (0, 1)}


def test_lines_through_corners_and_along_faces():
    cases = {
        # (rows, biases): (regions, V, E)
        "touches a corner": ([[1, 1]], [-2], (1, 4, 4)),
        "diagonal through two corners": ([[1, 1]], [0], (2, 4, 5)),
        "along the face x = -1 (on)": ([[1, 0]], [1], (1, 4, 4)),
        "along the face x = 1 (off)": ([[1, 0]], [-1], (1, 4, 4)),
        "both diagonals": ([[1, 1], [1, -1]], [0, 0], (4, 5, 8)),
        "diagonal and a line along a face": ([[1, 1], [0, 1]], [0, 1], (2, 4, 5)),
        "through one corner into the interior": ([[1, -2]], [-1], (2, 5, 6)),
        "three lines through a corner": ([[1, -2], [1, -1], [2, -1]], [-1, 0, 1], (4, 6, 9)),
    }
    for name, (rows, biases, expected) in cases.items():
        net = one_layer(rows, biases)
        for method in ("polygon", "polytope"):
            cx = reference_regions(net, SQUARE, method=method)
            assert (cx.activation_regions, cx.num_vertices, cx.num_edges) == expected, (name, method)
            check_invariants(net, cx)


# ------------------------------------------------------------------ known answers, 3-D
def test_3d_known_counts():
    planes = one_layer([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [0, 0, 0])
    cx = reference_regions(planes, CUBE)
    assert cx.activation_regions == 8 and {r.volume for r in cx.regions} == {1}
    assert (cx.num_vertices, cx.num_edges) == (27, 54)
    assert cx.face_counts() == (27, 54, 36, 8)
    check_invariants(planes, cx)
    # k planes through the x3 axis: 2k wedges
    for k in (1, 2, 3, 5):
        rows = [[1, 0, 0]] + [[j, 1, 0] for j in range(-(k // 2), k - k // 2) if j != 0][: k - 1]
        net = one_layer(rows, [0] * k)
        cx = reference_regions(net, CUBE)
        assert cx.activation_regions == 2 * k
        check_invariants(net, cx)
    # octants plus x+y+z=0 (misses the two octants of constant sign)
    net = one_layer([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]], [0, 0, 0, 0])
    cx = reference_regions(net, CUBE)
    assert cx.activation_regions == 14
    check_invariants(net, cx)
    # faces and corners
    for rows, biases, count in [([[1, 0, 0]], [1], 1), ([[1, 1, 1]], [-3], 1), ([[1, 1, 1]], [3], 1),
                                ([[1, 1, 0]], [0], 2), ([[1, 1, 1]], [-1], 2), ([[0, 0, 0]], [0], 1)]:
        net = one_layer(rows, biases)
        cx = reference_regions(net, CUBE)
        assert cx.activation_regions == count, (rows, biases)
        check_invariants(net, cx)


def test_3d_plane_through_corner_volume():
    # x+y+z = c on [0,1]^3: through three corners (c = 1, 2) or six edge midpoints (c = 3/2)
    for c, on, off in [(1, F(5, 6), F(1, 6)), (2, F(1, 6), F(5, 6)), (F(3, 2), F(1, 2), F(1, 2))]:
        net = one_layer([[1, 1, 1]], [-c])
        cx = reference_regions(net, [(0, 1)] * 3)
        assert {r.pattern: r.volume for r in cx.regions} == {(1,): on, (0,): off}
        check_invariants(net, cx)
    cx = reference_regions(one_layer([[1, 1, 1]], [-1]), [(0, 1)] * 3)
    assert cx.num_vertices == 8 and cx.num_edges == 12 + 3


def test_zaslavsky_planes_in_general_position():
    """k planes in general position with every triple point inside the box:
    sum_{s<=3} C(k, s) regions (Zaslavsky (1975))."""
    rng = random.Random(30)
    checked = 0
    while checked < 6:
        k = rng.randint(3, 6)
        rows = [[F(rng.randint(-5, 5), rng.randint(1, 3)) for _ in range(3)] for _ in range(k)]
        biases = [F(rng.randint(-3, 3), rng.randint(1, 5)) for _ in range(k)]
        triples = []
        ok = True
        for idx in itertools.combinations(range(k), 3):
            m = [rows[i] for i in idx]
            det = (m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
                   - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                   + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]))
            if det == 0:
                ok = False
                break
            # Cramer
            rhs = [-biases[i] for i in idx]
            point = []
            for col in range(3):
                mc = [list(r) for r in m]
                for r in range(3):
                    mc[r][col] = rhs[r]
                d = (mc[0][0] * (mc[1][1] * mc[2][2] - mc[1][2] * mc[2][1])
                     - mc[0][1] * (mc[1][0] * mc[2][2] - mc[1][2] * mc[2][0])
                     + mc[0][2] * (mc[1][0] * mc[2][1] - mc[1][1] * mc[2][0]))
                point.append(d / det)
            triples.append(tuple(point))
        if not ok or len(set(triples)) < len(triples):
            continue
        bound = max(abs(c) for p in triples for c in p) + 1
        box = [(-bound, bound)] * 3
        net = one_layer(rows, biases)
        cx = reference_regions(net, box)
        assert cx.activation_regions == sum(comb(k, s) for s in range(4))
        check_invariants(net, cx)
        checked += 1


# ------------------------------------------------------------------ polytope domains, 4-D
def test_polytope_domain_hand_computed():
    """|x| + |y| on the square cut by x + y <= 1 (area 7/2): the first quadrant keeps 1/2."""
    net = one_layer([[1, 0], [-1, 0], [0, 1], [0, -1]], [0, 0, 0, 0])
    for method in ("polygon", "polytope"):
        cx = reference_regions(net, SQUARE, method=method, constraints=[((-1, -1), 1)])
        assert cx.domain_volume == F(7, 2)
        assert sorted(r.volume for r in cx.regions) == [F(1, 2), 1, 1, 1]
        # pentagon (-1,-1), (1,-1), (1,0), (0,1), (-1,1); axis points (-1,0), (0,-1); origin.
        # Edges: 5 sides, two of them split, plus 4 half-axes
        assert (cx.num_vertices, cx.num_edges, cx.activation_regions) == (8, 11, 4)
        check_invariants(net, cx)
    with pytest.raises(ValueError):
        reference_regions(net, SQUARE, constraints=[((1, 1), -2)])  # only the corner (1, 1)


def test_polytope_domains_both_geometries_agree():
    rng = random.Random(6)
    for trial in range(30):
        net = random_net(rng, 2, rng.choice([(3,), (3, 2)]), small_ints=trial % 2 == 0)
        constraints = []
        for _ in range(rng.randint(1, 3)):
            a = (F(rng.randint(-2, 2)), F(rng.randint(-2, 2)))
            if a == (0, 0):
                continue
            constraints.append((a, F(rng.randint(0, 4), rng.randint(1, 2))))  # keeps the origin
        by_polygon = reference_regions(net, SQUARE, method="polygon", constraints=constraints)
        by_polytope = reference_regions(net, SQUARE, method="polytope", constraints=constraints)
        assert structure(by_polygon) == structure(by_polytope), (net, constraints)
        check_invariants(net, by_polygon)


def test_4d_coordinate_hyperplanes_and_a_diagonal():
    net = one_layer([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], [0] * 4)
    cx = reference_regions(net, [(-1, 1)] * 4)
    assert cx.activation_regions == 16 and {r.volume for r in cx.regions} == {1}
    assert cx.num_vertices == 81
    net = one_layer([[1, 1, 1, 1]], [-2])  # x1+..+x4 >= 2 on [0,1]^4: volume 1/2 by symmetry
    cx = reference_regions(net, [(0, 1)] * 4)
    assert {r.pattern: r.volume for r in cx.regions} == {(1,): F(1, 2), (0,): F(1, 2)}
    net = one_layer([[1, 1, 1, 1]], [-1])  # the corner simplex x1+..+x4 <= 1 has volume 1/24
    cx = reference_regions(net, [(0, 1)] * 4)
    assert {r.pattern: r.volume for r in cx.regions} == {(1,): F(23, 24), (0,): F(1, 24)}
    for r in cx.regions:
        assert pattern_at(net, r.interior_point) == r.pattern
        assert all(net.forward(v) == r.value(v) for v in r.vertices)
    with pytest.raises(NotImplementedError):
        cx.pieces


# ------------------------------------------------------------------ the reference against itself
def test_polygon_and_polytope_geometries_agree():
    rng = random.Random(2)
    for trial in range(60):
        widths = rng.choice([(3,), (4,), (3, 2), (2, 3), (3, 2, 2)])
        net = random_net(rng, 2, widths, small_ints=trial % 2 == 0)
        a = reference_regions(net, SQUARE, method="polygon")
        b = reference_regions(net, SQUARE, method="polytope")
        assert structure(a) == structure(b), net
        check_invariants(net, a)


def test_prism_over_2d_complex():
    """A net ignoring x3: the 3-D complex is the prism over the 2-D one
    (V3 = 2 V2, E3 = 2 E2 + V2, volumes = areas times height)."""
    rng = random.Random(3)
    for trial in range(15):
        widths = rng.choice([(3,), (3, 2), (2, 2, 2)])
        net2 = random_net(rng, 2, widths, small_ints=trial % 2 == 0)
        layers: list[Any] = [([[*row, 0] for row in net2.layers[0][0]], net2.layers[0][1]),
                             *net2.layers[1:]]
        net3 = ReLUNetwork(layers)
        a = reference_regions(net2, SQUARE)
        b = reference_regions(net3, [(-1, 1), (-1, 1), (0, 3)])
        assert a.activation_regions == b.activation_regions and a.pieces == b.pieces
        assert {r.pattern: 3 * r.volume for r in a.regions} == {r.pattern: r.volume for r in b.regions}
        assert b.num_vertices == 2 * a.num_vertices
        assert b.num_edges == 2 * a.num_edges + a.num_vertices
        assert b.adjacent_patterns() == a.adjacent_patterns()
        check_invariants(net3, b)


@settings(max_examples=40)
@given(st.data())
def test_hypothesis_reference_invariants(data):
    widths = data.draw(st.sampled_from([(2,), (3,), (2, 2), (3, 2)]))
    ent = st.fractions(min_value=-3, max_value=3, max_denominator=3)
    layers = []
    fan_in = 2
    for width in [*widths, 1]:
        w = data.draw(st.lists(st.lists(ent, min_size=fan_in, max_size=fan_in), min_size=width, max_size=width))
        b = data.draw(st.lists(ent, min_size=width, max_size=width))
        layers.append((w, b))
        fan_in = width
    net = ReLUNetwork(layers)
    a = reference_regions(net, SQUARE, method="polygon")
    b = reference_regions(net, SQUARE, method="polytope")
    assert structure(a) == structure(b)
    check_invariants(net, a)


def test_checks_can_fail():
    """The invariant checks reject a complex of another network, and structure() tells apart
    complexes that differ only in one bias."""
    net = one_layer([[1, 0], [0, 1]], [0, 0])
    other = one_layer([[1, 0], [0, 1]], [0, F(1, 2)])
    cx_other = reference_regions(other, SQUARE)
    with pytest.raises(AssertionError):
        check_invariants(net, cx_other)
    assert structure(reference_regions(net, SQUARE)) != structure(cx_other)
    with pytest.raises(ValueError):
        reference_regions(net, [(1, 1), (0, 1)])
    with pytest.raises(ValueError):
        reference_regions(net, CUBE)


# ------------------------------------------------------------------ 3-D against 2-D slices
def _slice_net(net: ReLUNetwork, t: Fraction) -> ReLUNetwork:
    """The network restricted to the plane x3 = t, as a network of (x1, x2)."""
    (weight, bias), *rest = net.layers
    first = ([row[:2] for row in weight], [b + row[2] * t for row, b in zip(weight, bias)])
    return ReLUNetwork([first, *rest])


def _slice_check(net: ReLUNetwork, box) -> None:
    """Volumes by Cavalieri: a region's cross-section area at height x3 = t is a quadratic
    polynomial of t between consecutive vertex heights, so Milne's rule (nodes at 1/4, 1/2,
    3/4 of each interval, exact for cubics) integrates it exactly.  The areas come from the
    2-D polygon reference on the restricted network, a computation independent of the 3-D
    tight-set polytopes; adjacency across non-horizontal facets is read off the slices."""
    cx = reference_regions(net, box)
    heights = sorted({v[2] for v in cx.vertex_set})
    volume: dict[tuple[int, ...], Fraction] = {}
    slice_adjacency: set[frozenset[tuple[int, ...]]] = set()
    for t0, t1 in zip(heights, heights[1:]):
        h = t1 - t0
        areas = []
        for s in (F(1, 4), F(1, 2), F(3, 4)):
            sl = reference_regions(_slice_net(net, t0 + s * h), box[:2])
            areas.append({r.pattern: r.volume for r in sl.regions})
            slice_adjacency |= sl.adjacent_patterns()
        for p in set().union(*areas):
            a1, a2, a3 = (a.get(p, F(0)) for a in areas)
            volume[p] = volume.get(p, F(0)) + h / 3 * (2 * a1 - a2 + 2 * a3)
    assert {p: v for p, v in volume.items() if v} == {r.pattern: r.volume for r in cx.regions}
    non_horizontal = {frozenset(cx.regions[i].pattern for i in pair)
                      for pair, (normal, _) in cx.shared_plane.items() if normal[:2] != (0, 0)}
    assert slice_adjacency == non_horizontal


def test_3d_volumes_and_adjacency_from_2d_slices():
    rng = random.Random(4)
    for trial in range(12):
        widths = rng.choice([(3,), (4,), (3, 2), (2, 2, 2)])
        net = random_net(rng, 3, widths, small_ints=trial % 2 == 0)
        _slice_check(net, CUBE)
    # degenerate: a horizontal hyperplane (x3 = 1/2), planes through an edge and a corner
    net = one_layer([[0, 0, 1], [1, 1, 0], [1, 1, 1], [1, -1, 2]], [F(-1, 2), 0, -3, 0])
    _slice_check(net, CUBE)
