"""Slow, obviously-correct activation regions of a ReLU network on a box (2-D and 3-D).

This is the test oracle of issue 10.  It is written from the definitions only, with
:class:`fractions.Fraction` everywhere and no float anywhere, and shares no code with
``exactrelu.polyhedral``.

Definitions (the conventions the library's region complex must follow)
------------------------------------------------------------------------
* A hidden unit is **on** at ``x`` when its pre-activation is ``> 0`` (else off).
* An **activation region** is the closure of the set of points of the box with one
  activation pattern, for the patterns whose set has positive volume.  Given the
  pattern of layers ``1..l-1`` every unit of layer ``l`` is affine, so each region is a
  convex polytope cut out by half-spaces, and different patterns are different regions.
* The **pattern** of a region is a flat tuple of ``0``/``1``, layer by layer, unit by unit.
  A unit identically zero on a region (dead, or a zero row) is off there.
* The **affine map** of a region: output ``= gradient @ x + offset``; ``gradient`` is a
  tuple of rows (one per output), ``offset`` a tuple (one per output).
* Two regions are **adjacent** when they share a facet of positive ``(n-1)``-measure.
  **Pieces** are the connected components of the graph on regions whose edges join
  adjacent regions with equal affine maps (Arora, Basu, Mianjy, Mukherjee (2018),
  Definition of a continuous piecewise-linear function's pieces, in n dimensions).
* **Vertices** of the complex: every vertex of every region (box corners included).
  **Edges**: the union of all regions' edges, cut at every complex vertex lying on it.
  In 2-D this is the planar graph of the subdivision of the box, box boundary included;
  a vertex there has degree >= 3 or is a box corner, and Euler's relation
  ``V - E + F = 1`` holds with ``F`` the number of regions.

Algorithms
----------
``method="polygon"`` (2-D only): ordered convex Fraction polygons clipped by closed
half-planes (Sutherland and Hodgman (1974), "Reentrant polygon clipping"), area by the
shoelace formula.

``method="polytope"`` (any dimension): a polytope is its inequality list together with its
vertices, each vertex carrying the set of inequalities tight at it.  Two vertices span an
edge iff their common tight inequalities have rank ``n - 1`` (the combinatorial adjacency
test of the double description method, Fukuda and Prodon (1996), Proposition 7).  A cut by
``z >= 0`` keeps the vertices with ``z >= 0`` and adds ``z = 0`` on each edge whose ends
have strictly opposite signs.  Volume by a pulling triangulation of the face lattice read
off the tight sets (each simplex ``|det| / n!``).

Both split the box unit by unit, layer by layer: a region is cut by a unit only when the
unit's affine pre-activation takes both signs at the region's vertices, so every kept
piece has positive volume.

Examples
--------
>>> from exactrelu.network import ReLUNetwork
>>> absxy = ReLUNetwork([([[1, 0], [-1, 0], [0, 1], [0, -1]], [0, 0, 0, 0]),
...                      ([[1, 1, 1, 1]], [0])])
>>> ref = reference_regions(absxy, [(-1, 1), (-1, 1)])
>>> ref.activation_regions, ref.pieces, ref.num_vertices, ref.num_edges
(4, 4, 9, 12)
>>> sorted(r.volume for r in ref.regions)
[Fraction(1, 1), Fraction(1, 1), Fraction(1, 1), Fraction(1, 1)]
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable, Sequence

from ._geometry import (
    Polytope,
    Vec,
    affine_dim,
    box_polytope,
    clip_polygon,
    dot,
    line_key,
    order_ccw,
    plane_key,
    polygon_area,
)

__all__ = [
    "RefRegion",
    "RefComplex",
    "reference_regions",
    "forward_affine",
    "pattern_at",
]

F = Fraction
Matrix = tuple[Vec, ...]


# ------------------------------------------------------------------ results
@dataclass
class RefRegion:
    """One activation region of the reference complex."""

    pattern: tuple[int, ...]
    gradient: Matrix
    offset: Vec
    vertices: tuple[Vec, ...]
    volume: Fraction
    interior_point: Vec
    #: inequalities a.x + c >= 0 whose intersection with the box is the region
    constraints: tuple[tuple[Vec, Fraction], ...]
    #: (plane key, side, vertices) of each facet; the region lies where key.x + c has the
    #: sign ``side`` (+1 or -1)
    facets: tuple[tuple[tuple[Vec, Fraction], int, tuple[Vec, ...]], ...]
    #: index pairs into ``vertices`` of the region's edges
    edges: tuple[tuple[int, int], ...]

    def contains(self, x: Sequence[Any], *, strict: bool = False) -> bool:
        """Is ``x`` in the region (in its interior when ``strict``)?"""
        point = tuple(F(v) for v in x)
        for a, c in self.constraints:
            value = dot(a, point) + c
            if value < 0 or (strict and value == 0):
                return False
        return True

    def value(self, x: Sequence[Any]) -> Vec:
        """The region's affine map at ``x``."""
        point = tuple(F(v) for v in x)
        return tuple(dot(row, point) + off for row, off in zip(self.gradient, self.offset))


@dataclass
class RefComplex:
    """The reference region complex of a network on a box."""

    dim: int
    box: tuple[tuple[Fraction, Fraction], ...]
    regions: list[RefRegion]
    #: number of regions after layers 1..l (l = 1..L)
    layer_counts: tuple[int, ...]
    adjacency: set[frozenset[int]] = field(default_factory=set)
    #: the hyperplane key (normal, constant) of the facet each adjacent pair shares
    shared_plane: dict[frozenset[int], tuple[Vec, Fraction]] = field(default_factory=dict)
    piece_of: list[int] = field(default_factory=list)
    vertex_set: set[Vec] = field(default_factory=set)
    num_edges: int = 0
    #: keys of the hyperplanes bounding the domain (box faces and extra constraints)
    domain_planes: set[tuple[Vec, Fraction]] = field(default_factory=set)
    domain_volume: Fraction = Fraction(0)

    @property
    def activation_regions(self) -> int:
        return len(self.regions)

    @property
    def pieces(self) -> int:
        if self.dim > 3:
            raise NotImplementedError("pieces need adjacency, implemented for n <= 3")
        return len(set(self.piece_of))

    @property
    def num_vertices(self) -> int:
        return len(self.vertex_set)

    @property
    def volume(self) -> Fraction:
        return sum((r.volume for r in self.regions), F(0))

    def face_counts(self) -> tuple[int, ...]:
        """``(f_0, ..., f_n)``: vertices, edges, ..., regions (n = 1, 2 or 3).

        In 3-D the 2-faces are the positive-area intersections of the facets of adjacent
        regions (one per adjacent pair: inside the box both sides of a facet are regions,
        and nothing else meets the interior of such an intersection) plus the regions'
        facets on the box boundary.
        """
        if self.dim == 1:
            return (self.num_vertices, self.activation_regions)
        if self.dim == 2:
            return (self.num_vertices, self.num_edges, self.activation_regions)
        if self.dim != 3:
            raise NotImplementedError("face counts for n = 2, 3")
        boundary = sum(1 for r in self.regions for key, _, _ in r.facets if key in self.domain_planes)
        return (self.num_vertices, self.num_edges, len(self.adjacency) + boundary,
                self.activation_regions)

    def adjacent_patterns(self) -> set[frozenset[tuple[int, ...]]]:
        """Adjacency as unordered pairs of patterns."""
        return {frozenset(self.regions[i].pattern for i in pair) for pair in self.adjacency}

    def by_pattern(self) -> dict[tuple[int, ...], RefRegion]:
        return {r.pattern: r for r in self.regions}

    def locate(self, x: Sequence[Any]) -> list[RefRegion]:
        """Every region whose closure contains ``x``."""
        return [r for r in self.regions if r.contains(x)]


# ------------------------------------------------------------------ the driver
def forward_affine(net: Any, pattern: Sequence[int]) -> tuple[list[list[tuple[Vec, Fraction]]], Matrix, Vec]:
    """Affine maps of every unit and of the output for a fixed flat activation pattern.

    Returns ``(units, gradient, offset)`` with ``units[l][j] = (grad, off)`` the
    pre-activation of unit j of hidden layer l+1 as an affine function of x.
    """
    n = net.input_dim
    cur_a: list[Vec] = [tuple(F(int(i == k)) for k in range(n)) for i in range(n)]
    cur_d: list[Fraction] = [F(0)] * n
    units: list[list[tuple[Vec, Fraction]]] = []
    pos = 0
    layers = net.layers
    for index, (weight, bias) in enumerate(layers):
        maps = []
        for row, b in zip(weight, bias):
            grad = tuple(sum((w * cur_a[i][k] for i, w in enumerate(row)), F(0)) for k in range(n))
            off = sum((w * cur_d[i] for i, w in enumerate(row)), F(0)) + b
            maps.append((grad, off))
        if index == len(layers) - 1:
            return units, tuple(g for g, _ in maps), tuple(o for _, o in maps)
        units.append(maps)
        bits = pattern[pos:pos + len(maps)]
        pos += len(maps)
        zero = tuple(F(0) for _ in range(n))
        cur_a = [g if bit else zero for (g, _), bit in zip(maps, bits)]
        cur_d = [o if bit else F(0) for (_, o), bit in zip(maps, bits)]
    raise AssertionError("unreachable")


def pattern_at(net: Any, x: Sequence[Any]) -> tuple[int, ...]:
    """Flat activation pattern at ``x`` by a Fraction forward pass (on iff > 0)."""
    h = tuple(F(v) for v in x)
    bits: list[int] = []
    for weight, bias in net.layers[:-1]:
        z = tuple(sum((w * v for w, v in zip(row, h)), b) for row, b in zip(weight, bias))
        bits.extend(int(v > 0) for v in z)
        h = tuple(v if v > 0 else F(0) for v in z)
    return tuple(bits)


def _split(net: Any, start: Any, vertices_of: Callable[[Any], Sequence[Vec]],
           cut: Callable[[Any, Vec, Fraction], Any]) -> tuple[list[tuple[Any, tuple[int, ...]]], list[int]]:
    """Split ``start`` by every hidden unit, layer by layer; return (cells, layer counts)."""
    cells: list[tuple[Any, tuple[int, ...]]] = [(start, ())]
    counts = []
    for layer_index in range(len(net.layers) - 1):
        new_cells = []
        for shape, pattern in cells:
            units = _unit_maps(net, pattern, layer_index)
            parts = [(shape, pattern)]
            for g, h in units:
                nxt = []
                for part, bits in parts:
                    z = [dot(g, v) + h for v in vertices_of(part)]
                    if max(z) > 0 and min(z) < 0:
                        neg_g = tuple(-v for v in g)
                        nxt.append((cut(part, g, h), bits + (1,)))
                        nxt.append((cut(part, neg_g, -h), bits + (0,)))
                    else:
                        nxt.append((part, bits + (int(max(z) > 0),)))
                parts = nxt
            new_cells.extend(parts)
        cells = new_cells
        counts.append(len(cells))
    return cells, counts


def _unit_maps(net: Any, pattern: tuple[int, ...], layer_index: int) -> list[tuple[Vec, Fraction]]:
    """Affine pre-activations of layer ``layer_index`` (0-based) given the earlier pattern."""
    padded = tuple(pattern) + (0,) * (sum(len(w) for w, _ in net.layers[:-1]) - len(pattern))
    units, _, _ = forward_affine(net, padded)
    return units[layer_index]


def _to_box(box: Sequence[Sequence[Any]]) -> tuple[tuple[Fraction, Fraction], ...]:
    result = tuple((F(lo), F(hi)) for lo, hi in box)
    if any(lo >= hi for lo, hi in result):
        raise ValueError(f"empty box {box!r}")
    return result


def reference_regions(net: Any, box: Sequence[Sequence[Any]], *, method: str = "auto",
                      constraints: Sequence[tuple[Sequence[Any], Any]] = ()) -> RefComplex:
    """The activation regions of ``net`` on ``box`` (cut by ``constraints``), exactly and slowly.

    Parameters
    ----------
    net : exactrelu.network.ReLUNetwork
        Any network; only ``.layers`` and ``.input_dim`` are used.
    box : sequence of (lo, hi)
        One rational pair per input coordinate.
    method : {"auto", "polygon", "polytope"}
        ``"polygon"`` (2-D only) or ``"polytope"`` (any dimension); ``"auto"`` takes
        ``"polygon"`` in 2-D.
    constraints : sequence of (a, c)
        Extra half-spaces ``a.x + c >= 0``: the domain is the box intersected with them
        (a bounded full-dimensional polytope).  Adjacency, pieces and face counts need
        n <= 3; in 4-D and up only regions, vertices, edges and volumes are computed.
    """
    bx = _to_box(box)
    extra = [(tuple(F(v) for v in a), F(c)) for a, c in constraints]
    n = len(bx)
    if n != net.input_dim:
        raise ValueError(f"box has dimension {n}, network takes {net.input_dim}")
    if method == "auto":
        method = "polygon" if n == 2 else "polytope"
    if method == "polygon":
        if n != 2:
            raise ValueError("method='polygon' is 2-D only")
        (x0, x1), (y0, y1) = bx
        square: list[Vec] = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
        for a, c in extra:
            square = clip_polygon(square, a, c)
            if not square:
                raise ValueError("the domain has no interior")
        domain_volume = polygon_area(square)
        cells, counts = _split(net, square, lambda p: p, clip_polygon)
        regions = [_polygon_region(net, poly, pattern) for poly, pattern in cells]
    elif method == "polytope":
        start = box_polytope(bx)
        for a, c in extra:
            z = [dot(a, v) + c for v in start.vertices]
            if max(z) <= 0:
                raise ValueError("the domain has no interior")
            if min(z) < 0:
                start = start.cut(a, c)
        domain_volume = start.volume()
        cells, counts = _split(net, start, lambda p: p.vertices, lambda p, g, h: p.cut(g, h))
        regions = [_polytope_region(net, poly, pattern) for poly, pattern in cells]
    else:
        raise ValueError(f"unknown method {method!r}")
    if not counts:  # no hidden layer: the box is one region
        counts = [len(regions)]
    complex_ = RefComplex(n, bx, regions, tuple(counts))
    complex_.domain_volume = domain_volume
    complex_.domain_planes = {
        plane_key(tuple(F(int(k == i)) for k in range(n)), -bound) for i, pair in enumerate(bx) for bound in pair
    } | {plane_key(a, c) for a, c in extra if any(a)}
    _finish(complex_)
    return complex_


def _side(a: Vec) -> int:
    return 1 if next(v for v in a if v != 0) > 0 else -1


def _polygon_region(net: Any, poly: list[Vec], pattern: tuple[int, ...]) -> RefRegion:
    _, gradient, offset = forward_affine(net, pattern)
    area = polygon_area(poly)
    assert area > 0, (poly, pattern)
    m = len(poly)
    constraints = []
    facets = []
    for i in range(m):
        p, q = poly[i], poly[(i + 1) % m]
        a = (p[1] - q[1], q[0] - p[0])  # inward normal for ccw order
        c = -dot(a, p)
        constraints.append((a, c))
        facets.append((plane_key(a, c), _side(a), (p, q)))
    centre = tuple(sum((v[k] for v in poly), F(0)) / m for k in range(2))
    return RefRegion(pattern, gradient, offset, tuple(poly), area, centre, tuple(constraints),
                     tuple(facets), tuple((i, (i + 1) % m) for i in range(m)))


def _polytope_region(net: Any, poly: Polytope, pattern: tuple[int, ...]) -> RefRegion:
    _, gradient, offset = forward_affine(net, pattern)
    vol = poly.volume()
    assert vol > 0, (poly, pattern)
    n = poly.dim
    verts = poly.vertices
    assert len(set(verts)) == len(verts)
    facets = []
    for j, vs in poly.facets():
        a, c = poly.constraints[j]
        facets.append((plane_key(a, c), _side(a), tuple(verts[i] for i in sorted(vs))))
    centre = tuple(sum((v[k] for v in verts), F(0)) / len(verts) for k in range(n))
    return RefRegion(pattern, gradient, offset, tuple(verts), vol, centre, tuple(poly.constraints),
                     tuple(facets), tuple(poly.edges()))


# ------------------------------------------------------------------ adjacency, pieces, V, E
_Projected = tuple[frozenset[Vec], Vec, Vec, list[Vec]]


def _project_facet(n: int, key: tuple[Vec, Fraction], verts: Sequence[Vec]) -> _Projected:
    """A facet's vertex set, and its bounding box and (ccw) vertices after dropping one
    coordinate whose normal entry is non-zero (an affine bijection of the hyperplane)."""
    axis = next(i for i, v in enumerate(key[0]) if v != 0)
    keep = [i for i in range(n) if i != axis]
    pts = [tuple(p[i] for i in keep) for p in verts]
    lows = tuple(min(p[k] for p in pts) for k in range(n - 1))
    highs = tuple(max(p[k] for p in pts) for k in range(n - 1))
    return frozenset(verts), lows, highs, order_ccw(pts) if n == 3 else pts


def _facets_overlap(n: int, fa: _Projected, fb: _Projected) -> bool:
    """Do two facets on the same hyperplane meet in positive (n-1)-measure?"""
    va, la, ha, pa = fa
    vb, lb, hb, pb = fb
    for k in range(n - 1):  # bounding boxes (in 2-D this is the whole test)
        if max(la[k], lb[k]) >= min(ha[k], hb[k]):
            return False
    if n <= 2:
        return True
    if n != 3:
        raise NotImplementedError("adjacency is implemented for n <= 3")
    common = va & vb
    if len(common) >= 3 and affine_dim(sorted(common)) == 2:
        return True  # a common triangle
    poly = pa
    m = len(pb)
    for i in range(m):
        p, q = pb[i], pb[(i + 1) % m]
        g = (p[1] - q[1], q[0] - p[0])
        poly = clip_polygon(poly, g, -dot(g, p))
        if not poly:
            return False
    return polygon_area(poly) > 0


def _finish(cx: RefComplex) -> None:
    """Adjacency, pieces (union-find), complex vertices and edges."""
    n = cx.dim
    by_plane: dict[tuple[Vec, Fraction], tuple[list[tuple[int, _Projected]], ...]] = {}
    for index, region in enumerate(cx.regions):
        for key, side, verts in region.facets:
            entry = (index, _project_facet(n, key, verts))
            by_plane.setdefault(key, ([], []))[side > 0].append(entry)
    adjacency: set[frozenset[int]] = set()
    for key, (below, above) in (by_plane.items() if n <= 3 else ()):
        # regions on one side of a hyperplane have disjoint interiors: only pairs across it
        for (i, fa), (j, fb) in itertools.product(below, above):
            if frozenset((i, j)) not in adjacency and _facets_overlap(n, fa, fb):
                adjacency.add(frozenset((i, j)))
                cx.shared_plane[frozenset((i, j))] = key
    cx.adjacency = adjacency
    parent = list(range(len(cx.regions)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for pair in adjacency:
        i, j = sorted(pair)
        ri, rj = cx.regions[i], cx.regions[j]
        if ri.gradient == rj.gradient and ri.offset == rj.offset:
            parent[find(i)] = find(j)
    cx.piece_of = [find(i) for i in range(len(cx.regions))]

    vertex_set: set[Vec] = set()
    for region in cx.regions:
        vertex_set.update(region.vertices)
    cx.vertex_set = vertex_set
    # edges: group every region edge by its line, merge, cut at the vertices on the line
    by_line: dict[tuple[Vec, Vec, int], list[tuple[Fraction, Fraction]]] = {}
    for region in cx.regions:
        for i, j in region.edges:
            p, q = region.vertices[i], region.vertices[j]
            line = line_key(p, q)
            axis = line[2]
            by_line.setdefault(line, []).append((min(p[axis], q[axis]), max(p[axis], q[axis])))
    edges = 0
    for (direction, base, axis), intervals in by_line.items():
        lowest = min(lo for lo, _ in intervals)
        highest = max(hi for _, hi in intervals)
        on_line = sorted(
            v[axis] for v in vertex_set
            if lowest <= v[axis] <= highest
            and all(v[k] == base[k] + v[axis] * direction[k] for k in range(n) if k != axis)
        )
        intervals.sort()
        merged: list[list[Fraction]] = []
        for lo, hi in intervals:
            if merged and lo <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        for lo, hi in merged:
            edges += sum(1 for t in on_line if lo <= t <= hi) - 1
    cx.num_edges = edges
