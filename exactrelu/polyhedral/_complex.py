"""The region complex: regions with exact geometry and maps, counts, graph, point location, JSON."""

from __future__ import annotations

from fractions import Fraction
from functools import cached_property
from typing import Any, Iterable, Iterator, Sequence

import numpy as np

from ..errors import ShapeError
from ..network import ReLUNetwork
from ..rationals import to_rational
from ._domain import Box, Plane, Polytope, Segment
from ..linalg import affine_fit, simplex_volume

__all__ = ["RegionComplex", "Region", "FORMAT", "VERSION"]

FORMAT = "exactrelu-regions"
VERSION = 1

Point = tuple[Fraction, ...]


class Region:
    """One activation region (a convex polytope of the domain) with its exact data.

    Attributes are computed on first access and cached: ``pattern`` (tuple per
    hidden layer of on/off bools), ``vertices`` (exact points; counter-clockwise
    in 2-D), ``interior_point`` (the vertex average: strictly inside),
    ``gradient`` and ``offset`` (the output's exact affine map on the region,
    in the domain's coordinates), ``volume`` (length / area / volume).
    """

    __slots__ = ("complex", "index", "__dict__")

    def __init__(self, cx: "RegionComplex", index: int):
        self.complex = cx
        self.index = index

    @cached_property
    def vertex_ids(self) -> tuple[int, ...]:
        return tuple(self.complex._faces[self.index])

    @cached_property
    def pattern(self) -> tuple[tuple[bool, ...], ...]:
        row = self.complex._pattern[self.index]
        out, k = [], 0
        for m in self.complex.network.widths:
            out.append(tuple(bool(v) for v in row[k:k + m]))
            k += m
        return tuple(out)

    @cached_property
    def vertices(self) -> tuple[Point, ...]:
        pts = self.complex._points
        return tuple(pts[i] for i in self.vertex_ids)

    @cached_property
    def interior_point(self) -> Point:
        vs = self.vertices
        d = len(vs[0])
        return tuple(sum((v[i] for v in vs), Fraction(0)) / len(vs) for i in range(d))

    @cached_property
    def _maps(self) -> tuple[tuple[tuple[Fraction, ...], Fraction], ...]:
        cx = self.complex
        maps = cx._raw.output()[2] if cx._raw.output is not None else None
        if maps is not None:
            M, S = maps
            row = M[self.index]
            return tuple((tuple(Fraction(int(v), S) for v in r[:-1]), Fraction(int(r[-1]), S)) for r in row)
        pts = [cx._points[i] for i in self.vertex_ids]
        return tuple(affine_fit(pts, [cx._values[i][k] for i in self.vertex_ids])
                     for k in range(cx.network.output_dim))

    @property
    def gradient(self) -> tuple[Fraction, ...]:
        """Gradient of the (scalar) output on the region."""
        return self._maps[self.complex._single_output()][0]

    @property
    def offset(self) -> Fraction:
        """Offset of the (scalar) output on the region: f(x) = gradient . x + offset."""
        return self._maps[self.complex._single_output()][1]

    @property
    def affine_maps(self) -> tuple[tuple[tuple[Fraction, ...], Fraction], ...]:
        """(gradient, offset) of every output coordinate."""
        return self._maps

    @cached_property
    def volume(self) -> Fraction:
        cx = self.complex
        vs = self.vertices
        d = cx.dim
        if d == 1:
            return abs(vs[1][0] - vs[0][0])
        if d == 2 and cx._raw.planar:
            s = Fraction(0)
            for a, b in zip(vs, vs[1:] + vs[:1]):
                s += a[0] * b[1] - b[0] * a[1]
            return s / 2
        total = Fraction(0)
        for simplex in cx._triangulate(list(self.vertex_ids), d):
            total += simplex_volume([cx._points[i] for i in simplex])
        return total

    def __repr__(self) -> str:
        return f"<Region {self.index}: {len(self.vertex_ids)} vertices>"


class RegionComplex:
    """The polyhedral complex of a ReLU network's activation regions on a domain (exact).

    Built by :func:`exactrelu.polyhedral.regions`.  Iterating yields
    :class:`Region` objects; ``len`` is the number of activation regions.
    """

    def __init__(self, network: ReLUNetwork, domain: Any, raw: Any):
        self.network = network  # the original network
        self.domain = domain
        self._raw = raw
        self.dim = raw.dim
        self._pattern = raw.pattern

    @cached_property
    def _faces(self) -> list[list[int]]:
        return self._raw.faces()

    # ------------------------------------------------------------------ counts
    @property
    def activation_regions(self) -> int:
        """Number of activation regions (maximal sets of constant on/off pattern)."""
        return int(self._pattern.shape[0])

    def __len__(self) -> int:
        return self.activation_regions

    @property
    def num_vertices(self) -> int:
        return int(self._raw.N)

    @property
    def num_edges(self) -> int:
        return int(self._raw.num_edges)

    @property
    def layer_regions(self) -> tuple[int, ...]:
        """Activation regions of layers 1..l on the domain, for l = 1..L."""
        return tuple(self._raw.layer_counts)

    # ------------------------------------------------------------------ regions
    @cached_property
    def _regions(self) -> tuple[Region, ...]:
        return tuple(Region(self, i) for i in range(self.activation_regions))

    def __iter__(self) -> Iterator[Region]:
        return iter(self._regions)

    def __getitem__(self, index: int) -> Region:
        return self._regions[index]

    @property
    def regions(self) -> tuple[Region, ...]:
        return self._regions

    @cached_property
    def _points(self) -> list[Point]:
        raw = self._raw
        X, w = raw.X, raw.w
        return [tuple(Fraction(int(X[i, v]), int(w[v])) for i in range(raw.dim)) for v in range(raw.N)]

    @cached_property
    def _values(self) -> list[tuple[Fraction, ...]]:
        raw = self._raw
        if getattr(raw, "values", None) is not None:
            return raw.values
        Y, D, _ = raw.output()
        w = raw.w
        return [tuple(Fraction(int(Y[k, v]), int(w[v]) * D) for k in range(Y.shape[0])) for v in range(raw.N)]

    @property
    def vertices(self) -> list[Point]:
        """Every vertex of the complex (exact), indexed by vertex id."""
        return self._points

    def _single_output(self) -> int:
        if self.network.output_dim != 1:
            raise ShapeError(f"the network has {self.network.output_dim} outputs; use Region.affine_maps")
        return 0

    # --------------------------------------------------------------- n-D faces
    def _facets_of(self, ids: list[int]) -> list[list[int]]:
        """Facets of the face with vertex set ``ids`` (maximal proper tight subsets)."""
        T = self._raw.tight[:, ids]
        subsets = set()
        for row in T:
            if row.any() and not row.all():
                subsets.add(frozenset(i for i, t in zip(ids, row) if t))
        facets = [s for s in subsets if not any(s < o for o in subsets)]
        return [sorted(f) for f in facets]

    def _triangulate(self, ids: list[int], k: int) -> list[list[int]]:
        """A pulling triangulation of the k-dimensional face with vertex set ``ids``."""
        if len(ids) == k + 1:
            return [ids]
        apex = ids[0]
        out = []
        for facet in self._facets_of(ids):
            if apex in facet:
                continue
            for simplex in self._triangulate(facet, k - 1):
                out.append(simplex + [apex])
        return out

    def face_counts(self) -> tuple[int, ...]:
        """(f_0, ..., f_d): faces of every dimension of the complex (d-faces = regions)."""
        d = self.dim
        levels: list[set[frozenset[int]]] = [set() for _ in range(d + 1)]
        frontier = {frozenset(f) for f in self._faces}
        levels[d] = frontier
        for k in range(d - 1, 0, -1):
            nxt: set[frozenset[int]] = set()
            for face in frontier:
                for facet in self._facets_of(sorted(face)):
                    nxt.add(frozenset(facet))
            levels[k] = nxt
            frontier = nxt
        counts = [self.num_vertices] + [len(s) for s in levels[1:]]
        if d >= 2:
            counts[1] = self.num_edges
        return tuple(counts)

    # --------------------------------------------------------------- adjacency
    @cached_property
    def _adjacency(self) -> list[tuple[int, int, tuple[int, ...]]]:
        raw = self._raw
        if raw.adjacency is not None:
            return raw.adjacency()
        owner: dict[frozenset[int], list[int]] = {}
        for r, ids in enumerate(self._faces):
            for facet in self._facets_of(list(ids)):
                owner.setdefault(frozenset(facet), []).append(r)
        return [(rs[0], rs[1], tuple(sorted(f))) for f, rs in owner.items() if len(rs) == 2]

    def _facet_units(self, facet: Sequence[int]) -> tuple[tuple[int, int], ...]:
        raw = self._raw
        rows = raw.tight[raw.K:, list(facet)].all(axis=1)
        out = []
        k = 0
        for layer, m in enumerate(self.network.widths, start=1):
            for j in range(m):
                if rows[k]:
                    out.append((layer, j))
                k += 1
        return tuple(out)

    def graph(self):
        """The region adjacency graph as a ``networkx.Graph``.

        Nodes are region indices with attribute ``"region"``; an edge joins two
        regions sharing a facet, with attribute ``"units"``: every
        ``(layer, unit)`` (layer 1-based, unit 0-based) whose zero set holds
        the facet (several when units are duplicated).
        """
        import networkx as nx

        G = nx.Graph()
        for r in self._regions:
            G.add_node(r.index, region=r)
        for a, b, facet in self._adjacency:
            G.add_edge(a, b, units=self._facet_units(facet), facet=tuple(facet))
        return G

    @cached_property
    def pieces(self) -> int:
        """Connected unions of adjacent regions on which the output is one affine map."""
        parent = list(range(self.activation_regions))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        raw = self._raw
        pairs = raw.adjacency_pairs() if getattr(raw, "adjacency_pairs", None) is not None else None
        maps = raw.output()[2] if raw.output is not None else None
        if pairs is not None and maps is not None:
            # integer maps with one common scale: equal maps iff equal integer rows
            M = maps[0].reshape(maps[0].shape[0], -1)
            fa, fb = pairs
            same = (M[fa] == M[fb]).all(axis=1) if fa.size else np.zeros(0, dtype=bool)
            merges: Iterable[tuple[int, int]] = zip(fa[same].tolist(), fb[same].tolist())
        else:
            regs = self._regions
            merges = ((a, b) for a, b, _ in self._adjacency if regs[a]._maps == regs[b]._maps)
        for a, b in merges:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[ra] = rb
        return len({find(i) for i in range(len(parent))})

    # --------------------------------------------------------------- location
    def _working_net(self) -> ReLUNetwork:
        return self._raw.net

    def _contains(self, x: Point) -> bool:
        dom = self.domain
        if isinstance(dom, Box):
            return all(lo <= v <= hi for v, (lo, hi) in zip(x, dom.bounds))
        if isinstance(dom, Plane):
            return all(lo <= v <= hi for v, (lo, hi) in zip(x, dom.bounds.bounds))
        if isinstance(dom, Segment):
            return 0 <= x[0] <= 1
        assert isinstance(dom, Polytope)
        return all(sum((a * v for a, v in zip(row, x)), Fraction(0)) <= c for row, c in zip(dom.A, dom.b))

    @cached_property
    def _by_pattern(self) -> dict[bytes, int]:
        return {self._pattern[i].tobytes(): i for i in range(len(self._faces))}

    def locate(self, x: Any) -> Region | None:
        """The region containing ``x`` (domain coordinates), or None outside the domain.

        A point on a boundary belongs to the region whose pattern it has
        (units are on where the pre-activation is > 0); at the rare boundary
        points whose pattern is no region's, a region whose closure holds x.
        """
        point = tuple(to_rational(v, where=f"x[{i}]") for i, v in enumerate(
            x if not isinstance(x, (str, int, Fraction)) else (x,)))
        if len(point) != self.dim:
            raise ShapeError(f"x has dimension {len(point)}, the complex lives in dimension {self.dim}")
        if not self._contains(point):
            return None
        net = self._working_net()
        acts = net.activations(point)[:-1]
        bits = np.array([v > 0 for layer in acts for v in layer], dtype=bool)
        hit = self._by_pattern.get(bits.tobytes())
        if hit is not None:
            return self._regions[hit]
        weak = [v for layer in acts for v in layer]
        for i in range(len(self._faces)):
            if self._closure_holds(self._pattern[i], point):
                return self._regions[i]
        return None  # pragma: no cover - every point of the domain lies in some closure

    def _closure_holds(self, pattern: np.ndarray, x: Point) -> bool:
        """x satisfies the region's constraints with the pattern held fixed (weakly)."""
        h: Sequence[Fraction] = x
        k = 0
        for W, b in self._working_net().layers[:-1]:
            z = [sum((wv * hv for wv, hv in zip(row, h)), bb) for row, bb in zip(W, b)]
            nh = []
            for v in z:
                on = bool(pattern[k])
                if (on and v < 0) or (not on and v > 0):
                    return False
                nh.append(v if on else Fraction(0))
                k += 1
            h = nh
        return True

    # ------------------------------------------------------------------ output
    def domain_volume(self) -> Fraction:
        return sum((r.volume for r in self._regions), Fraction(0))

    def to_dict(self) -> dict:
        """JSON-ready dict (rationals as strings), format ``exactrelu-regions`` version 1."""
        single = self.network.output_dim == 1
        regions = []
        for r in self._regions:
            entry: dict[str, Any] = {
                "pattern": ["".join("1" if b else "0" for b in layer) for layer in r.pattern],
                "vertices": list(r.vertex_ids),
                "interior_point": [str(v) for v in r.interior_point],
                "volume": str(r.volume),
            }
            if single:
                entry["gradient"] = [str(v) for v in r.gradient]
                entry["offset"] = str(r.offset)
            regions.append(entry)
        G = self.graph()
        return {
            "format": FORMAT,
            "version": VERSION,
            "dim": self.dim,
            "domain": _domain_dict(self.domain),
            "widths": list(self.network.widths),
            "activation_regions": self.activation_regions,
            "pieces": self.pieces if single else None,
            "num_vertices": self.num_vertices,
            "num_edges": self.num_edges,
            "layer_regions": list(self.layer_regions),
            "vertices": [[str(v) for v in p] for p in self._points],
            "regions": regions,
            "adjacency": [{"regions": [a, b], "units": [list(u) for u in data["units"]]}
                          for a, b, data in G.edges(data=True)],
        }

    def __repr__(self) -> str:
        return (f"<RegionComplex dim={self.dim} regions={self.activation_regions} "
                f"vertices={self.num_vertices} edges={self.num_edges}>")

    def _repr_png_(self) -> bytes | None:
        """Jupyter: a picture of a 2-D complex (None without matplotlib or in other dimensions)."""
        from ..plot.notebook import regions_png

        return regions_png(self)

    def _repr_svg_(self) -> str | None:
        """Jupyter: an SVG picture of a 2-D complex (None without matplotlib or in other dimensions)."""
        from ..plot.notebook import regions_svg

        return regions_svg(self)


def _domain_dict(dom: Any) -> dict:
    if isinstance(dom, Box):
        return {"box": [[str(lo), str(hi)] for lo, hi in dom.bounds]}
    if isinstance(dom, Polytope):
        return {"polytope": {"A": [[str(v) for v in r] for r in dom.A], "b": [str(v) for v in dom.b]}}
    if isinstance(dom, Plane):
        return {"plane": [[str(v) for v in p] for p in (dom.p0, dom.p1, dom.p2)],
                "bounds": [[str(lo), str(hi)] for lo, hi in dom.bounds.bounds]}
    assert isinstance(dom, Segment)
    return {"segment": [[str(v) for v in p] for p in (dom.p0, dom.p1)]}
