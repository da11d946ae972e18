"""Driver of :func:`regions`: domain -> integer columns -> split unit by unit, layer by layer."""

from __future__ import annotations

from fractions import Fraction
from math import lcm
from typing import Any

import numpy as np

from .._kernels.planar import PlanarSubdivision
from .._kernels.mapstore import MapStore
from .._kernels.regionmaps import output_maps
from ._cells import CellComplex, cut_edges
from ._columns import ColumnStore
from ..network import ReLUNetwork
from ._domain import Prepared

__all__ = ["build"]


def _ccw_cycle(verts: list[tuple[Fraction, ...]], edges: list[tuple[int, int]]) -> list[int]:
    adj: dict[int, list[int]] = {i: [] for i in range(len(verts))}
    for a, b in edges:
        adj[a].append(b)
        adj[b].append(a)
    cycle = [0]
    prev, cur = -1, 0
    while True:
        nxt = adj[cur][0] if adj[cur][0] != prev else adj[cur][1]
        if nxt == 0:
            break
        cycle.append(nxt)
        prev, cur = cur, nxt
    area = sum(verts[a][0] * verts[b][1] - verts[b][0] * verts[a][1]
               for a, b in zip(cycle, cycle[1:] + cycle[:1]))
    return cycle if area > 0 else cycle[::-1]


def _once(fn: Any) -> Any:
    cache: list[Any] = []

    def wrapper() -> Any:
        if not cache:
            cache.append(fn())
        return cache[0]

    return wrapper


class Built:
    """Raw result of :func:`build` (read by :class:`RegionComplex`); ``lazy`` attributes are computed on first use."""

    def __init__(self, lazy: dict[str, Any] | None = None, **kw: Any):
        self.__dict__.update(kw)
        self.__dict__["_lazy"] = dict(lazy or {})

    def __getattr__(self, name: str) -> Any:
        lazy = self.__dict__.get("_lazy", {})
        if name in lazy:
            value = lazy.pop(name)()
            self.__dict__[name] = value
            return value
        raise AttributeError(name)


def build(prep: Prepared, max_regions: int, progress: bool, method: str, store_kind: str = "maps",
          max_cells: int = 1 << 28) -> Built:
    net: ReLUNetwork = prep.net
    d = net.input_dim
    V = len(prep.vertices)
    dens = [lcm(*(v.denominator for v in x)) for x in prep.vertices]
    X = np.array([[int(x[i] * den) for x, den in zip(prep.vertices, dens)] for i in range(d)], dtype=object)
    w = np.array(dens, dtype=object)
    tight = np.array(prep.tight, dtype=bool).reshape(len(prep.A), V)
    units = net.size
    store: ColumnStore | MapStore
    if store_kind == "columns":
        store = ColumnStore(X, w, tight, units)
    else:
        lines = None
        if d == 2:  # the domain's constraints a.x <= c as integer lines (a, -c)
            rows = [list(a) + [-c] for a, c in zip(prep.A, prep.b)]
            lines = np.array([[int(v * lcm(*(u.denominator for u in r))) for v in r] for r in rows], dtype=object)
        store = MapStore(X, w, tight, units, use_filter=store_kind != "maps-exact", max_cells=max_cells,
                         lines=lines)
    planar = d == 2 and method != "cells"
    struct: PlanarSubdivision | CellComplex
    edges0 = cut_edges(np.arange(V), store.tight)
    if planar:
        struct = PlanarSubdivision(store, _ccw_cycle(prep.vertices, edges0), units, max_regions)
    else:
        struct = CellComplex(store, np.arange(V), edges0, units, max_regions)
    integer_layers = net.integer_layers()
    layer_counts: list[int] = []
    bar = None
    if progress and units:
        from tqdm import tqdm

        bar = tqdm(total=units, desc="regions", unit="unit", leave=False)
    g = 0
    start = 0
    prev = 0
    for layer, (W, b, D) in enumerate(integer_layers[:-1], start=1):
        first = layer == 1
        pats = None if first else struct.pattern[:, prev:start]
        if isinstance(store, MapStore):
            store.layer = layer
        store.start_layer(W, b, D, first, pats, None if first else struct.anc,
                          struct.vertex_region(store.N))
        struct.anc = np.arange(struct.pattern.shape[0], dtype=np.int64)
        prev, start = start, start + len(W)
        for j in range(len(W)):
            struct.split(j, g, layer)
            g += 1
            if bar is not None:
                bar.update(1)
        layer_counts.append(struct.F if planar else len(struct.regions))  # type: ignore[union-attr]
        store.end_layer(D)
    if bar is not None:
        bar.close()
    W, b, D = integer_layers[-1]
    N = store.N
    has_hidden = bool(layer_counts)

    def exact_w() -> np.ndarray:
        return store.w.astype(object)

    def exact_X() -> np.ndarray:
        return store.X.astype(object)

    def output() -> tuple[np.ndarray, int, tuple[np.ndarray, int] | None]:
        """(Y, scale, maps): outputs at the vertices y = Y / (scale w), and the regions' maps."""
        if isinstance(store, MapStore):
            vr = struct.vertex_region(N)
            M, S = output_maps(integer_layers, struct.pattern, d)
            XW = np.vstack([store.X.astype(object), store.w.astype(object)[None, :]])
            Y = (M[vr].transpose(1, 2, 0) * XW[None, :, :]).sum(axis=1)
            return Y, S, (M, S)
        H = (store.X if not has_hidden else store.rows()).astype(object)
        Y = np.array(W, dtype=object) @ H + np.array(b, dtype=object)[:, None] * exact_w()[None, :]
        return Y, D, None

    if planar:
        sub = struct

        def faces() -> list[list[int]]:
            return sub.face_cycles()  # type: ignore[union-attr]

        def adjacency() -> list[tuple[int, int, tuple[int, ...]]]:
            fa, fb, fe = sub.adjacency()  # type: ignore[union-attr]
            ev0, ev1 = sub.ev0, sub.ev1  # type: ignore[union-attr]
            return [(int(a), int(c), (int(ev0[e]), int(ev1[e]))) for a, c, e in zip(fa, fb, fe)]

        def pairs() -> tuple[np.ndarray, np.ndarray]:
            fa, fb, _ = sub.adjacency()  # type: ignore[union-attr]
            return fa, fb

        num_edges = int(struct.ev0.size)  # type: ignore[union-attr]
        edge_list = None
        faces_fn, adjacency_fn, pairs_fn = _once(faces), _once(adjacency), _once(pairs)
    else:
        regs = struct.regions  # type: ignore[union-attr]
        faces_fn = _once(lambda: [v.tolist() for v in regs])
        adjacency_fn = None
        pairs_fn = None
        allE = np.unique(np.sort(np.concatenate(struct.edges), axis=1), axis=0)  # type: ignore[union-attr]
        num_edges = int(allE.shape[0])
        edge_list = allE
    return Built(
        lazy={"X": exact_X, "w": exact_w},
        dim=d, net=net, output=_once(output), N=N,
        tight=store.tight[:, :N].copy(), K=store.K, faces=faces_fn,
        pattern=struct.pattern.copy(), adjacency=adjacency_fn, adjacency_pairs=pairs_fn, num_edges=num_edges,
        num_regions=int(struct.pattern.shape[0]),
        edge_list=edge_list, layer_counts=layer_counts, planar=planar,
        exact_evaluations=getattr(store, "exact_evaluations", None),
    )
