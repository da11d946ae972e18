"""Differential tests of ``exactrelu.regions`` (issue 10) against the slow reference.

The reference (tests/reference/regions_ref.py) is written from the definitions with
Fraction polygons (2-D) and tight-set polytopes (3-D) and shares no code with
``exactrelu.polyhedral``.  For every network the two must agree on: the number of
activation regions, the multiset of (pattern, gradient, offset, volume), every region's
vertex set, the number of pieces, the numbers of vertices and edges, the region adjacency
graph (and the units labelling its edges); and the library's regions must pass the exact
forward pass at every interior point and vertex, and ``locate``.

Families: random rationals, small integers in {-2..2} (many concurrences, hyperplanes
through corners), hyperplanes through a common point, through box corners and along faces,
duplicated / opposite / scaled units, dead, zero and always-on units, zero columns and
cancelling output weights (pieces < regions).  The default run checks a few hundred
networks; ``-m slow`` checks 2400 in 2-D and 1200 in 3-D.
"""

from __future__ import annotations

import json
import random
from fractions import Fraction
from typing import Any, Iterable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import count_network
from exactrelu.errors import BudgetExceededError
from exactrelu.network import ReLUNetwork
from exactrelu.polyhedral import regions as exact_regions
from reference.region_families import (
    FAMILIES,
    Box,
    entry_rational,
    entry_small,
    family_small_int,
    plane_case,
    polytope_case,
    random_layers,
    segment_case,
)
from reference.regions_ref import RefComplex, pattern_at, reference_regions



F = Fraction

# a float filter that overflows (inf, NaN) has stopped certifying anything: fail loudly
pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")


# ------------------------------------------------------------------ normalising the library's output
def _flat(obj: Any) -> list[Any]:
    if isinstance(obj, (list, tuple)):
        return [x for item in obj for x in _flat(item)]
    return [obj]


def norm_pattern(pattern: Any) -> tuple[int, ...]:
    """The library's pattern as a flat tuple of 0/1 (layer by layer, unit by unit)."""
    if isinstance(pattern, str):
        return tuple(int(c) for c in pattern if c in "01")
    bits = _flat(pattern)
    assert all(isinstance(b, (bool, int)) and b in (0, 1) for b in bits), pattern
    return tuple(int(b) for b in bits)


def _point(x: Iterable[Any]) -> tuple[Fraction, ...]:
    p = tuple(x)
    assert all(isinstance(c, Fraction) for c in p), f"not exact: {p!r}"
    return p


def _value(gradient: tuple[Fraction, ...], offset: Fraction, x: tuple[Fraction, ...]) -> Fraction:
    return sum((g * v for g, v in zip(gradient, x)), F(0)) + offset


def _region_list(cx: Any) -> list[Any]:
    return list(iter(cx))


def compare(net: ReLUNetwork, box: Box, cx: Any = None, ref: RefComplex | None = None,
            rng: random.Random | None = None, method: str = "auto", domain: Any = None,
            constraints: Iterable[tuple[Any, Any]] = ()) -> list[str]:
    """Every disagreement between ``exactrelu.regions(net, domain or box)`` and the reference
    on ``box`` cut by ``constraints`` (half-spaces a.x + c >= 0).  In 4-D and up the
    reference has no adjacency: pieces, face counts and the graph are not compared."""
    constraints = [(tuple(F(v) for v in a), F(c)) for a, c in constraints]
    if cx is None:
        cx = exact_regions(net, box if domain is None else domain, method=method)
    if ref is None:
        ref = reference_regions(net, box, constraints=constraints)
    full = ref.dim <= 3
    rng = rng or random.Random(0)
    problems: list[str] = []

    def bad(msg: str) -> None:
        problems.append(msg)

    regions = _region_list(cx)
    if not isinstance(cx.activation_regions, int) or cx.activation_regions != ref.activation_regions:
        bad(f"activation_regions {cx.activation_regions!r} != reference {ref.activation_regions}")
    if len(regions) != ref.activation_regions:
        bad(f"iteration yields {len(regions)} regions, reference has {ref.activation_regions}")
    if full and (not isinstance(cx.pieces, int) or cx.pieces != ref.pieces):
        bad(f"pieces {cx.pieces!r} != reference {ref.pieces}")
    if cx.num_vertices != ref.num_vertices:
        bad(f"num_vertices {cx.num_vertices!r} != reference {ref.num_vertices}")
    if cx.num_edges != ref.num_edges:
        bad(f"num_edges {cx.num_edges!r} != reference {ref.num_edges}")
    if full and tuple(cx.face_counts()) != ref.face_counts():
        bad(f"face_counts {tuple(cx.face_counts())} != reference {ref.face_counts()}")
    if tuple(cx.layer_regions) != ref.layer_counts:
        bad(f"layer_regions {tuple(cx.layer_regions)} != reference {ref.layer_counts}")

    by_pattern = ref.by_pattern()
    seen: dict[tuple[int, ...], int] = {}
    for index, region in enumerate(regions):
        pattern = norm_pattern(region.pattern)
        if pattern in seen:
            bad(f"pattern {pattern} appears twice (regions {seen[pattern]} and {index})")
            continue
        seen[pattern] = index
        gradient = _point(region.gradient)
        offset = region.offset
        volume = region.volume
        if not isinstance(offset, Fraction) or not isinstance(volume, Fraction):
            bad(f"region {pattern}: offset {offset!r} / volume {volume!r} not Fractions")
        point = _point(region.interior_point)
        vertices = {_point(v) for v in region.vertices}
        # forward pass, independent of the reference geometry
        if pattern_at(net, point) != pattern:
            bad(f"region {pattern}: forward pattern at interior point {point} is {pattern_at(net, point)}")
        if net.forward(point)[0] != _value(gradient, offset, point):
            bad(f"region {pattern}: output at interior point {point} is {net.forward(point)[0]}, "
                f"affine map gives {_value(gradient, offset, point)}")
        for v in vertices:
            if net.forward(v)[0] != _value(gradient, offset, v):
                bad(f"region {pattern}: output at vertex {v} is {net.forward(v)[0]}, "
                    f"affine map gives {_value(gradient, offset, v)}")
        # against the reference
        r = by_pattern.get(pattern)
        if r is None:
            bad(f"region {pattern} is not a region of the reference")
            continue
        if gradient != r.gradient[0] or offset != r.offset[0]:
            bad(f"region {pattern}: affine map {gradient}, {offset} != reference {r.gradient[0]}, {r.offset[0]}")
        if volume != r.volume:
            bad(f"region {pattern}: volume {volume} != reference {r.volume}")
        if vertices != set(r.vertices):
            bad(f"region {pattern}: vertices {sorted(vertices)} != reference {sorted(r.vertices)}")
        if not r.contains(point, strict=True):
            bad(f"region {pattern}: interior point {point} is not in the region's interior")
        located = cx.locate(point)
        if located is None or norm_pattern(_as_region(cx, regions, located).pattern) != pattern:
            bad(f"locate({point}) does not give region {pattern}")
    missing = set(by_pattern) - set(seen)
    if missing:
        bad(f"reference regions missing: {sorted(missing)}")

    # locate at random rational points of the domain
    n = len(box)
    for _ in range(4):
        x = tuple(lo + (hi - lo) * F(rng.randint(0, 97), 97) for lo, hi in box)
        if any(sum((ai * xi for ai, xi in zip(a, x)), c) < 0 for a, c in constraints):
            continue
        located = cx.locate(x)
        if located is None:
            bad(f"locate({x}) found nothing inside the box")
            continue
        region = _as_region(cx, regions, located)
        r = by_pattern.get(norm_pattern(region.pattern))
        if r is None or not r.contains(x):
            bad(f"locate({x}) gives region {norm_pattern(region.pattern)} whose closure misses x")
        elif _value(_point(region.gradient), region.offset, x) != net.forward(x)[0]:
            bad(f"locate({x}): the region's affine map disagrees with the forward pass")
    assert n == ref.dim

    if not full:
        return problems
    if {_point(v) for v in cx.vertices} != ref.vertex_set:
        bad(f"complex vertices differ: extra {sorted({_point(v) for v in cx.vertices} - ref.vertex_set)}, "
            f"missing {sorted(ref.vertex_set - {_point(v) for v in cx.vertices})}")
    # the adjacency graph
    graph = cx.graph()
    if graph.number_of_nodes() != ref.activation_regions:
        bad(f"graph has {graph.number_of_nodes()} nodes, reference {ref.activation_regions} regions")
    node_pattern = {node: norm_pattern(data["region"].pattern) for node, data in graph.nodes(data=True)}
    got_edges = {frozenset((node_pattern[u], node_pattern[v])) for u, v in graph.edges()}
    want_edges = ref.adjacent_patterns()
    if got_edges != want_edges:
        bad(f"graph edges: extra {sorted(map(sorted, got_edges - want_edges))}, "
            f"missing {sorted(map(sorted, want_edges - got_edges))}")
    else:
        problems.extend(_check_edge_units(net, ref, graph, node_pattern))
    return problems


def _as_region(cx: Any, regions: list[Any], located: Any) -> Any:
    """``locate`` may return a region or its index."""
    if isinstance(located, int):
        return regions[located]
    return located


def _check_edge_units(net: ReLUNetwork, ref: RefComplex, graph: Any,
                      node_pattern: dict[Any, tuple[int, ...]]) -> list[str]:
    """Each graph edge's "units" are (layer 1-based, unit 0-based) pairs whose zero set holds
    the shared facet, and include every such unit whose on/off bit differs across it."""
    from reference.regions_ref import forward_affine

    problems = []
    index_of = {r.pattern: i for i, r in enumerate(ref.regions)}
    widths = net.widths
    starts = [sum(widths[:k]) for k in range(len(widths))]
    for u, v, data in graph.edges(data=True):
        pa, pb = node_pattern[u], node_pattern[v]
        pair = frozenset((index_of[pa], index_of[pb]))
        normal, constant = ref.shared_plane[pair]
        units, _, _ = forward_affine(net, pa)
        allowed, required = set(), set()
        for layer, maps in enumerate(units):
            for j, (grad, off) in enumerate(maps):
                axis = next(i for i, c in enumerate(normal) if c != 0)
                lam = grad[axis]
                if all(g == lam * c for g, c in zip(grad, normal)) and off == lam * constant:
                    allowed.add((layer + 1, j))
                    if pa[starts[layer] + j] != pb[starts[layer] + j]:
                        required.add((layer + 1, j))
        labels = {tuple(x) for x in data.get("units", ())}
        if not required <= labels <= allowed or not labels:
            problems.append(f"edge {pa}-{pb}: units {sorted(labels)}; required {sorted(required)}, "
                            f"allowed {sorted(allowed)}")
    return problems


def run_family(name: str, n: int, count: int, seed: int) -> int:
    rng = random.Random(f"{name}-{n}-{seed}")
    failures = []
    for index in range(count):
        net, box = FAMILIES[name](rng, n)
        ref = reference_regions(net, box)
        problems = compare(net, box, ref=ref, rng=rng)
        if n == 2 and index % 4 == 0:  # the general-dimension splitter on 2-D input too
            problems += [f"method='cells': {p}" for p in compare(net, box, ref=ref, rng=rng, method="cells")]
        count_network()
        if problems:
            failures.append(f"{net!r} on box {box}:\n    " + "\n    ".join(problems[:5]))
            if len(failures) >= 3:
                break
    assert not failures, f"{len(failures)} disagreement(s) in family {name!r} ({n}-D):\n" + "\n".join(failures)
    return count


def run_domains(count: int, seed: int) -> int:
    rng = random.Random(f"domains-{seed}")
    failures = []
    for index in range(count):
        kind = index % 5
        if kind in (0, 1):
            n = 2 + kind
            net, box, constraints, polytope = polytope_case(rng, n)
            problems = compare(net, box, rng=rng, domain=polytope, constraints=constraints)
            label = f"{net!r} on Polytope box {box} cut by {constraints}"
        elif kind == 2:
            inner, composed, bounds, plane = plane_case(rng)
            cx = exact_regions(inner, plane)
            problems = compare(composed, bounds, cx=cx, rng=rng)
            label = f"{inner!r} on {plane!r} (composed {composed!r}, bounds {bounds})"
        elif kind == 3:
            inner, composed, segment = segment_case(rng)
            cx = exact_regions(inner, segment)
            problems = compare(composed, [(F(0), F(1))], cx=cx, rng=rng)
            label = f"{inner!r} on {segment!r} (composed {composed!r})"
        else:  # 4-D boxes: regions, maps, volumes, vertices, forward pass, locate
            net = ReLUNetwork(random_layers(rng, 4, rng.choice([(3,), (4,), (3, 2), (2, 2)]),
                                      rng.choice((entry_small, entry_rational))))
            box = rng.choice([[(F(-1), F(1))] * 4, [(F(0), F(1))] * 4])
            problems = compare(net, box, rng=rng)
            label = f"{net!r} on box {box}"
        count_network()
        if problems:
            failures.append(label + ":\n    " + "\n    ".join(problems[:5]))
            if len(failures) >= 3:
                break
    assert not failures, f"{len(failures)} disagreement(s):\n" + "\n".join(failures)
    return count


# ------------------------------------------------------------------ the reference behind the public API
class _ShimRegion:
    def __init__(self, r: Any) -> None:
        self.pattern = r.pattern
        self.gradient = r.gradient[0]
        self.offset = r.offset[0]
        self.volume = r.volume
        self.vertices = r.vertices
        self.interior_point = r.interior_point


class ReferenceShim:
    """The reference complex dressed in the public names of issue 10, so that compare()
    itself is tested (no false alarms, real alarms) independently of the library."""

    def __init__(self, net: ReLUNetwork, box: Box) -> None:
        self.ref = reference_regions(net, box)
        self.regions = [_ShimRegion(r) for r in self.ref.regions]
        self.activation_regions = self.ref.activation_regions
        self.pieces = self.ref.pieces
        self.num_vertices = self.ref.num_vertices
        self.num_edges = self.ref.num_edges
        self.layer_regions = self.ref.layer_counts
        self.vertices = tuple(self.ref.vertex_set)
        self.net = net

    def face_counts(self):
        return self.ref.face_counts()

    def __iter__(self):
        return iter(self.regions)

    def locate(self, x):
        for i, r in enumerate(self.ref.regions):
            if r.contains(x):
                return i
        return None

    def graph(self):
        import networkx as nx

        g = nx.Graph()
        for i, r in enumerate(self.regions):
            g.add_node(i, region=r)
        widths = self.net.widths
        for pair in self.ref.adjacency:
            i, j = sorted(pair)
            pi, pj = self.ref.regions[i].pattern, self.ref.regions[j].pattern
            units = []
            pos = 0
            for layer, width in enumerate(widths):
                for unit in range(width):
                    if pi[pos + unit] != pj[pos + unit]:
                        units.append((layer + 1, unit))
                pos += width
            g.add_edge(i, j, units=tuple(units))
        return g


def test_compare_accepts_the_reference_itself():
    """No false alarms: the reference in the public API's clothes agrees with itself."""
    rng = random.Random(5)
    for name in sorted(set(FAMILIES) - {"wide", "big"}):
        for n in (2, 3):
            for _ in range({2: 2, 3: 1}[n]):
                net, box = FAMILIES[name](rng, n)
                assert compare(net, box, cx=ReferenceShim(net, box)) == [], (name, net, box)


def test_compare_detects_wrong_complexes():
    """compare() fails on the complex of a nearby network, on a wrong piece count, on a
    wrong vertex count, on a wrong graph label and on a wrong offset."""
    sq = [(F(-1), F(1))] * 2
    net = ReLUNetwork([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    nearby = ReLUNetwork([([[1, 0], [0, 1]], [0, F(1, 2)]), ([[1, 1]], [0])])
    assert compare(net, sq, cx=ReferenceShim(nearby, sq)) != []
    merged = ReLUNetwork([([[1, 0], [0, 1]], [0, 0]), ([[1, 0]], [0])])  # same regions, 2 pieces
    problems = compare(net, sq, cx=ReferenceShim(merged, sq))
    assert any("pieces" in p for p in problems) and any("affine map" in p for p in problems)
    shim = ReferenceShim(net, sq)
    shim.num_vertices += 1
    assert any("num_vertices" in p for p in compare(net, sq, cx=shim))
    shim = ReferenceShim(net, sq)
    shim.regions[0].offset += 1
    assert any("output at" in p for p in compare(net, sq, cx=shim))
    shim = ReferenceShim(net, sq)
    graph = shim.graph()
    u, v = next(iter(graph.edges()))
    graph.edges[u, v]["units"] = ((2, 0),)
    shim.graph = lambda: graph  # type: ignore[method-assign]
    assert any("units" in p for p in compare(net, sq, cx=shim))


# ------------------------------------------------------------------ the tests
DEFAULT_COUNT = {2: 20, 3: 8}
HEAVY = {"wide": 5, "big": 2, "float32": 2}  # default count divided by this


@pytest.mark.parametrize("name", sorted(FAMILIES))
@pytest.mark.parametrize("n", [2, 3])
def test_differential_families(name, n):
    run_family(name, n, DEFAULT_COUNT[n] // HEAVY.get(name, 1), seed=0)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(FAMILIES))
@pytest.mark.parametrize("n", [2, 3])
def test_differential_families_slow(name, n):
    run_family(name, n, {2: 250, 3: 120}[n] // (3 if name == "wide" else 1), seed=1)


def test_differential_polytope_plane_and_4d_domains():
    run_domains(50, seed=0)


@pytest.mark.slow
def test_differential_polytope_plane_and_4d_domains_slow():
    run_domains(750, seed=1)


@settings(max_examples=40)
@given(st.data())
def test_hypothesis_differential(data):
    n = data.draw(st.sampled_from([2, 3]))
    widths = data.draw(st.sampled_from([(2,), (3,), (2, 2), (3, 2)]))
    ent = st.one_of(st.integers(-2, 2).map(F), st.fractions(min_value=-3, max_value=3, max_denominator=3))
    layers = []
    fan_in = n
    for width in [*widths, 1]:
        w = data.draw(st.lists(st.lists(ent, min_size=fan_in, max_size=fan_in), min_size=width, max_size=width))
        b = data.draw(st.lists(ent, min_size=width, max_size=width))
        layers.append((w, b))
        fan_in = width
    net = ReLUNetwork(layers)
    box = data.draw(st.sampled_from([[(F(-1), F(1))] * n, [(F(0), F(1))] * n]))
    problems = compare(net, box)
    count_network()
    assert not problems, f"{net!r} on {box}: " + "; ".join(problems[:5])


def test_known_degenerate_examples():
    """Hand-picked degenerate cases (2-D and 3-D), each compared in full."""
    sq = [(F(-1), F(1))] * 2
    cube = [(F(-1), F(1))] * 3
    cases = [
        # 5 lines through the origin
        (ReLUNetwork([([[1, 0], [0, 1], [1, 1], [1, -1], [1, 2]], [0] * 5), ([[1, -1, 1, 2, -1]], [0])]), sq),
        # max{x1, x2} and |x| + |y|
        (ReLUNetwork([([[1, -1], [0, 1], [0, -1]], [0, 0, 0]), ([[1, 1, -1]], [0])]), sq),
        (ReLUNetwork([([[1, 0], [-1, 0], [0, 1], [0, -1]], [0] * 4), ([[1, 1, 1, 1]], [0])]), sq),
        # lines through corners and along faces, a dead and an always-on unit
        (ReLUNetwork([([[1, 1], [1, -1], [1, 0], [0, 0], [0, 0]], [0, 0, 1, -1, 1]),
                      ([[1, 2, 3, 4, 5]], [0])]), sq),
        # second-layer bent line through a first-layer crossing
        (ReLUNetwork([([[1, 0], [0, 1]], [0, 0]), ([[1, -1], [1, 1]], [0, 0]), ([[1, 1]], [0])]), sq),
        # 3-D: coordinate planes plus x+y+z = 0 and a plane through an edge of the cube
        (ReLUNetwork([([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1], [1, 1, 0]], [0, 0, 0, 0, -2]),
                      ([[1, -1, 2, 1, 1]], [0])]), cube),
        # 3-D: duplicated and opposite units, two layers
        (ReLUNetwork([([[1, 1, 0], [2, 2, 0], [-1, -1, 0], [0, 1, 1]], [0, 0, 0, 1]),
                      ([[1, 1, 1, 1], [1, -1, 0, 0]], [0, 0]), ([[1, 1]], [0])]), cube),
    ]
    for net, box in cases:
        problems = compare(net, box)
        count_network()
        assert not problems, f"{net!r} on {box}: " + "; ".join(problems[:5])


def test_compare_detects_disagreements():
    """compare() must fail when the library's complex belongs to another network."""
    sq = [(F(-1), F(1))] * 2
    net = ReLUNetwork([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    nearby = ReLUNetwork([([[1, 0], [0, 1]], [0, F(1, 2)]), ([[1, 1]], [0])])
    assert compare(net, sq) == []
    assert compare(net, sq, cx=exact_regions(nearby, sq)) != []
    merged = ReLUNetwork([([[1, 0], [0, 1]], [0, 0]), ([[1, 0]], [0])])  # same regions, 2 pieces
    problems = compare(net, sq, cx=exact_regions(merged, sq))
    assert any("pieces" in p for p in problems) and any("affine map" in p for p in problems)


def test_budget_max_regions():
    """max_regions = the exact count passes; one less raises the typed budget error."""
    rng = random.Random(11)
    for n in (2, 3):
        for _ in range(10):
            net, box = family_small_int(rng, n)
            count = reference_regions(net, box).activation_regions
            assert exact_regions(net, box, max_regions=count).activation_regions == count
            if count > 1:
                with pytest.raises(BudgetExceededError):
                    exact_regions(net, box, max_regions=count - 1)


def test_to_dict_is_json():
    sq = [(F(-1), F(1))] * 2
    net = ReLUNetwork([([[1, -1], [0, 1], [0, -1]], [0, 0, 0]), ([[1, 1, -1]], [0])])
    cx = exact_regions(net, sq)
    text = json.dumps(cx.to_dict())
    assert "4" in text and cx.activation_regions == 4 and cx.pieces == 2
