"""Known exact answers of ``exactrelu.polyhedral.regions`` (issue 10) in 1-D, 2-D, 3-D and 4-D."""

from __future__ import annotations

import json
import random
from fractions import Fraction as F
from itertools import combinations
from math import comb

import pytest

from exactrelu import ReLUNetwork
from exactrelu.constructions import max_network, tent_map
from exactrelu.errors import BudgetExceededError, DomainError, ExactReluError, ShapeError
from exactrelu.linalg import clip_segment
from exactrelu.polyhedral import Plane, Polytope, RegionComplex, Segment, regions
from exactrelu.propagate import propagate

STORES = ("maps", "maps-exact", "columns")


def one_layer(rows, biases, out=None):
    """A one-hidden-layer network with the given unit rows and biases (output = sum of units)."""
    out = out if out is not None else [1] * len(rows)
    return ReLUNetwork([(rows, biases), ([out], [0])])


def all_ways(net, box):
    """regions() with every store and (in 2-D) both splitters; asserts they agree, returns one."""
    runs = []
    methods = ("planar", "cells") if len(box) == 2 else ("auto",)
    for method in methods:
        for store in STORES:
            runs.append(regions(net, box, method=method, store=store))
    first = runs[0]
    sig = _signature(first)
    for other in runs[1:]:
        assert _signature(other) == sig
    return first


def _signature(cx):
    regs = sorted((r.pattern, r.volume, r.gradient, r.offset, tuple(sorted(r.vertices))) for r in cx)
    return (cx.activation_regions, cx.pieces, cx.num_vertices, cx.num_edges, cx.layer_regions, regs)


def box_volume(box):
    v = F(1)
    for lo, hi in box:
        v *= F(hi) - F(lo)
    return v


def check_invariants(net, box, cx):
    """Exact forward pass, patterns, volumes, Euler, continuity on a complex of a box."""
    total = F(0)
    for r in cx:
        assert isinstance(r.volume, F) and r.volume > 0
        assert isinstance(r.offset, F) and all(isinstance(g, F) for g in r.gradient)
        total += r.volume
        p = r.interior_point
        assert all(isinstance(c, F) for c in p)
        acts = net.activations(p)[:-1]
        assert tuple(tuple(v > 0 for v in layer) for layer in acts) == r.pattern
        for x in (p, *r.vertices):
            assert net(x) == sum((g * c for g, c in zip(r.gradient, x)), r.offset)
        assert cx.locate(p) is r
    assert total == box_volume(box)
    counts = cx.face_counts()
    assert sum((-1) ** k * c for k, c in enumerate(counts)) == 1  # Euler(-Poincare) on a ball
    G = cx.graph()
    for a, b, data in G.edges(data=True):
        ra, rb = cx[a], cx[b]
        for v in data["facet"]:
            x = cx.vertices[v]
            fa = sum((g * c for g, c in zip(ra.gradient, x)), ra.offset)
            fb = sum((g * c for g, c in zip(rb.gradient, x)), rb.offset)
            assert fa == fb
        assert data["units"], "every shared facet lies in some unit's zero set"


# ------------------------------------------------------------------------------ 2-D known answers
def test_max_network_four_regions_two_pieces():
    box = [(-1, 1), (-1, 1)]
    cx = all_ways(max_network(), box)
    assert (cx.activation_regions, cx.pieces) == (4, 2)
    assert isinstance(cx.activation_regions, int) and isinstance(cx.pieces, int)
    check_invariants(max_network(), box, cx)


def test_abs_x_plus_abs_y_four_and_four():
    net = one_layer([[1, 0], [-1, 0], [0, 1], [0, -1]], [0, 0, 0, 0])
    box = [(-1, 1), (-2, 3)]
    cx = all_ways(net, box)
    assert (cx.activation_regions, cx.pieces, cx.num_vertices, cx.num_edges) == (4, 4, 9, 12)
    check_invariants(net, box, cx)


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8])
def test_zaslavsky_lines_in_general_position(n):
    # tangent lines of a parabola: y = i x + i^2; lines i, j meet at (-(i+j), -ij), no three concurrent
    rows = [[i, -1] for i in range(1, n + 1)]
    biases = [i * i for i in range(1, n + 1)]
    box = [(-3 * n, 3 * n), (-2 * n * n, 2 * n * n)]
    net = one_layer(rows, biases)
    cx = all_ways(net, box)
    assert cx.activation_regions == sum(comb(n, s) for s in range(3)) == 1 + n + comb(n, 2)
    check_invariants(net, box, cx)


@pytest.mark.parametrize("k", [1, 2, 3, 6, 10])
def test_k_lines_through_one_point_give_2k_regions(k):
    p, q = F(1, 3), F(-1, 5)
    rows, biases = [], []
    for i in range(k):
        a, b = F(i + 1), F(k - 2 * i, 3) + F(1, 7)  # pairwise non-parallel directions
        rows.append([a, b])
        biases.append(-(a * p + b * q))
    net = one_layer(rows, biases)
    box = [(-1, 1), (-1, 1)]
    cx = all_ways(net, box)
    assert cx.activation_regions == 2 * k
    check_invariants(net, box, cx)


def test_parallel_lines():
    net = one_layer([[1, 2]] * 1 + [[2, 4], [-1, -2], [3, 6]], [0, F(1, 2), F(1, 3), -2])
    box = [(-1, 1), (-1, 1)]
    cx = all_ways(net, box)
    # x + 2y = 0, -1/4, 1/3, 2/3: four distinct parallel lines crossing the box
    assert cx.activation_regions == 5
    check_invariants(net, box, cx)


def test_line_along_a_face_through_a_corner_and_a_diagonal():
    box = [(-1, 1), (-1, 1)]
    assert all_ways(one_layer([[1, 0]], [-1]), box).activation_regions == 1  # x = 1: a face
    assert all_ways(one_layer([[1, 1]], [-2]), box).activation_regions == 1  # x + y = 2: a corner
    cx = all_ways(one_layer([[1, -1]], [0]), box)  # x = y: through two corners
    assert cx.activation_regions == 2 and cx.num_vertices == 4 and cx.num_edges == 5
    cx = all_ways(one_layer([[1, 0], [1, -1], [1, 1]], [0, 0, 0]), box)  # through a vertex of the others
    assert cx.activation_regions == 6


def test_duplicated_dead_always_on_and_zero_units():
    box = [(-1, 1), (-1, 1)]
    one = all_ways(one_layer([[1, 2]], [F(1, 3)]), box)
    dup = all_ways(one_layer([[1, 2], [1, 2], [2, 4]], [F(1, 3), F(1, 3), F(2, 3)]), box)
    assert one.activation_regions == dup.activation_regions == 2
    (edge,) = [data["units"] for _, _, data in dup.graph().edges(data=True)]
    assert edge == ((1, 0), (1, 1), (1, 2))  # all three duplicated units hold the shared facet
    dead = all_ways(one_layer([[0, 0], [1, 0]], [-1, 5]), box)  # dead unit, always-on unit
    assert dead.activation_regions == 1
    (r,) = list(dead)
    assert r.pattern == ((False, True),)
    zero = all_ways(one_layer([[0, 0]], [0]), box)
    assert zero.activation_regions == 1 and list(zero)[0].pattern == ((False,),)
    # opposite units: one line, two regions, pieces 1 if the output is linear (relu(z) - relu(-z) = z)
    lin = all_ways(one_layer([[1, 1], [-1, -1]], [0, 0], out=[1, -1]), box)
    assert lin.activation_regions == 2 and lin.pieces == 1


def test_second_layer_unit_dead_on_a_region_and_hyperplanes_through_vertices():
    # layer 2: relu(h1 - h2) with h1 = relu(x), h2 = relu(y): bent line through the origin
    net = ReLUNetwork([([[1, 0], [0, 1]], [0, 0]), ([[1, -1], [-1, 1]], [0, 0]), ([[1, 1]], [0])])
    box = [(-1, 1), (-1, 1)]
    cx = all_ways(net, box)
    check_invariants(net, box, cx)
    # quadrant x<0,y<0: both off; others split by x = y only where both on
    assert cx.activation_regions == 5


@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_tent_map_on_one_coordinate_gives_2_to_the_k_strips(k):
    t = tent_map(k)
    (W, b), *rest = t.layers
    net = ReLUNetwork([([[row[0], 0] for row in W], b), *rest])
    box = [(0, 1), (F(-1, 2), F(3, 2))]
    cx = all_ways(net, box)
    trace = propagate(t, (0, 1))
    assert cx.activation_regions == trace.activation_regions
    assert cx.pieces == 2 ** k == trace.pieces
    assert all(len(r.vertices) == 4 for r in cx)  # strips
    check_invariants(net, box, cx)


# ------------------------------------------------------------------------------ 1-D, 3-D, 4-D
def test_one_input_box_and_segment_delegate_to_propagate():
    t = tent_map(3)
    cx = regions(t, [(0, 1)])
    trace = propagate(t, (0, 1))
    assert (cx.activation_regions, cx.pieces) == (trace.activation_regions, trace.pieces)
    assert sum(r.volume for r in cx) == 1
    net = max_network()
    seg = regions(net, Segment((-1, 1), (1, -1)))
    assert seg.activation_regions == 2 and seg.pieces == 2
    assert seg.dim == 1
    assert [r.vertices[0][0] for r in seg] == [0, F(1, 2)]


def _random_planes(rng, n, d):
    rows = [[F(rng.randint(-9, 9), rng.randint(1, 5)) for _ in range(d)] for _ in range(n)]
    biases = [F(rng.randint(-9, 9), rng.randint(1, 5)) for _ in range(n)]
    return rows, biases


def _solve(A, b):
    from exactrelu.linalg import solve

    return solve(A, b)


@pytest.mark.parametrize("d,n", [(3, 4), (3, 6), (4, 5)])
def test_zaslavsky_in_higher_dimension(d, n):
    rng = random.Random(d * 100 + n)
    rows, biases = _random_planes(rng, n, d)
    points = []
    for idx in combinations(range(n), d):
        x = _solve([rows[i] for i in idx], [-biases[i] for i in idx])
        assert x is not None
        points.append(x)
    r = max(abs(c) for p in points for c in p) + 1
    box = [(-r, r)] * d
    net = one_layer(rows, biases)
    cx = all_ways(net, box)
    assert cx.activation_regions == sum(comb(n, s) for s in range(d + 1))
    check_invariants(net, box, cx)


def test_three_planes_through_a_line_and_four_through_a_point_in_3d():
    box = [(-1, 1)] * 3
    pencil = one_layer([[1, 0, 0], [0, 1, 0], [1, 1, 0], [1, -2, 0]], [0, 0, 0, 0])  # all contain the z axis
    cx = all_ways(pencil, box)
    assert cx.activation_regions == 8
    check_invariants(pencil, box, cx)
    star = one_layer([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]], [0, 0, 0, 0])  # through the origin
    cx = all_ways(star, box)
    assert cx.activation_regions == 14  # central arrangement of 4 generic planes: 2 (1 + 3 + 3)
    check_invariants(star, box, cx)


def test_polytope_domain_and_plane_slice():
    net = one_layer([[1, 0], [0, 1]], [0, 0])
    tri = Polytope([[-1, 0], [0, -1], [1, 1]], [1, 1, 1])  # x >= -1, y >= -1, x + y <= 1
    cx = regions(net, tri)
    assert cx.activation_regions == 4 and sum(r.volume for r in cx) == F(9, 2)  # triangle (-1,-1), (2,-1), (-1,2)
    assert regions(net, ([[-1, 0], [0, -1], [1, 1]], [1, 1, 1])).activation_regions == 4
    net3 = one_layer([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [0, 0, 0])
    plane = Plane((0, 0, 0), (1, 0, 0), (0, 1, 0), bounds=((-1, 1), (-1, 1)))
    cx = regions(net3, plane)
    assert cx.activation_regions == 4 and cx.dim == 2
    assert plane.embed((F(1, 2), F(1, 3))) == (F(1, 2), F(1, 3), 0)
    for r in cx:
        assert net3(plane.embed(r.interior_point)) == sum(
            (g * c for g, c in zip(r.gradient, r.interior_point)), r.offset)


# ------------------------------------------------------------------------------ complex API
def test_graph_locate_layer_counts_and_json():
    net = ReLUNetwork([([[1, 1], [1, -1], [0, 1]], [0, F(1, 2), F(-1, 3)]),
                       ([[1, -1, 2], [-1, 1, 1]], [F(1, 4), 0]), ([[1, 2]], [0])])
    box = [(-1, 1), (-1, 1)]
    cx = all_ways(net, box)
    assert isinstance(cx, RegionComplex)
    assert cx.layer_regions[0] == all_ways(ReLUNetwork(net.layers[:1] + ((((1, 1, 1),), (0,)),)), box).activation_regions
    assert cx.layer_regions[-1] == cx.activation_regions
    G = cx.graph()
    assert G.number_of_nodes() == cx.activation_regions
    for _, data in G.nodes(data=True):
        assert data["region"].index in G
    assert cx.locate((5, 0)) is None
    assert cx.locate((1, 1)) is not None
    d = cx.to_dict()
    assert d["format"] == "exactrelu-regions" and d["version"] == 1
    text = json.dumps(d)
    back = json.loads(text)
    assert back["activation_regions"] == cx.activation_regions
    assert all(isinstance(v, str) for p in back["vertices"] for v in p)
    assert len(back["adjacency"]) == G.number_of_edges()


def test_restriction_to_lines_agrees_with_propagate():
    rng = random.Random(5)
    net = ReLUNetwork([([[1, 2], [-1, 1], [2, -1]], [0, F(1, 3), F(-1, 2)]),
                       ([[1, -1, 1], [1, 1, -1]], [F(1, 5), 0]), ([[1, -2]], [0])])
    box = [(-1, 1), (-1, 1)]
    cx = regions(net, box)
    for _ in range(10):
        p = (F(rng.randint(-50, 50), 50), F(-1))
        q = (F(rng.randint(-50, 50), 50), F(1))
        hits = []
        for r in cx:
            iv = clip_segment(r.vertices, p, q)
            if iv is not None:
                hits.append((iv, r))
        hits.sort(key=lambda h: h[0])
        seg = regions(net, Segment(p, q))
        assert len(hits) == seg.activation_regions
        d = (q[0] - p[0], q[1] - p[1])
        slopes = [sum(g * c for g, c in zip(r.gradient, d)) for _, r in hits]
        pieces = 1 + sum(1 for a, b in zip(slopes, slopes[1:]) if a != b)
        assert pieces == seg.pieces


def test_bad_input_raises_typed_errors():
    net = max_network()
    for bad in ([(1, 0), (0, 1)], [(0, 1)], "box", None, [(0, 1, 2), (0, 1)], [("a", 1), (0, 1)]):
        with pytest.raises(ExactReluError) as info:
            regions(net, bad)
        assert isinstance(info.value, ValueError)
    with pytest.raises(ShapeError):
        regions(net, [(0, 1)] * 3)
    with pytest.raises(ShapeError):
        regions(net, [(0, 1)] * 2, max_regions=0)
    with pytest.raises(ShapeError):
        regions(net, [(0, 1)] * 2, method="fast")
    with pytest.raises(DomainError):
        regions(net, Polytope([[1, 0], [0, 1]], [1, 1]))  # unbounded
    with pytest.raises(DomainError):
        regions(net, Polytope([[1, 0], [-1, 0], [0, 1], [0, -1]], [0, -1, 1, 1]))  # empty
    with pytest.raises(DomainError):
        regions(net, Plane((0, 0), (1, 1), (2, 2)))
    with pytest.raises(TypeError):
        regions("net", [(0, 1)])  # type: ignore[arg-type]


def test_budget_raises_before_work():
    net = one_layer([[i, -1] for i in range(1, 9)], [i * i for i in range(1, 9)])
    box = [(-24, 24), (-128, 128)]
    assert regions(net, box, max_regions=37).activation_regions == 37
    for method in ("planar", "cells"):
        with pytest.raises(BudgetExceededError) as info:
            regions(net, box, max_regions=36, method=method)
        assert info.value.budget == 36 and info.value.layer == 1


def test_locate_at_a_boundary_point_whose_pattern_is_no_region():
    # layer 2 computes |x|: zero on x = 0 although it is on in both regions
    net = ReLUNetwork([([[1, 0], [-1, 0]], [0, 0]), ([[1, 1]], [0]), ([[1]], [0])])
    cx = regions(net, [(-1, 1), (-1, 1)])
    assert cx.activation_regions == 2
    r = cx.locate((0, F(1, 2)))
    assert r is not None and r.pattern[1] == (True,)
    assert net((0, F(1, 2))) == sum((g * c for g, c in zip(r.gradient, (0, F(1, 2)))), r.offset)


def test_max_cells_budget_on_region_maps():
    net = ReLUNetwork([([[1, 2], [-1, 1], [2, -1]], [0, F(1, 3), F(-1, 2)]),
                       ([[1, -1, 1], [1, 1, -1]], [F(1, 5), 0]), ([[1, -2]], [0])])
    box = [(-1, 1), (-1, 1)]
    count = regions(net, box).activation_regions
    assert count > 1
    # each budget error states the count it needed; raising the budget to it gets past that point
    budget, seen = 10, []
    while True:
        try:
            cx = regions(net, box, max_cells=budget)
            break
        except BudgetExceededError as err:
            assert err.name == "max_cells" and err.required > budget
            seen.append((err.layer, err.required))
            budget = err.required
    assert cx.activation_regions == count
    assert seen and seen[0][0] == 1 and [layer for layer, _ in seen] == sorted(layer for layer, _ in seen)
    with pytest.raises(ShapeError):
        regions(net, box, max_cells=0)


def test_progress_bar_runs(capsys):
    cx = regions(max_network(), [(-1, 1), (-1, 1)], progress=True)
    assert cx.activation_regions == 4
