"""Driver of :func:`regions`: domain -> integer columns -> split unit by unit, layer by layer."""

from __future__ import annotations

from fractions import Fraction
from math import lcm
from typing import Any

import numpy as np

from .._kernels.planar import PlanarSubdivision
from .._kernels.polytope import CellComplex, ColumnStore, _cut_edges
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


class Built:
    """Raw result of :func:`build` (read by :class:`RegionComplex`)."""

    def __init__(self, **kw: Any):
        self.__dict__.update(kw)


def build(prep: Prepared, max_regions: int, progress: bool, method: str) -> Built:
    net: ReLUNetwork = prep.net
    d = net.input_dim
    V = len(prep.vertices)
    dens = [lcm(*(v.denominator for v in x)) for x in prep.vertices]
    X = np.array([[int(x[i] * den) for x, den in zip(prep.vertices, dens)] for i in range(d)], dtype=object)
    w = np.array(dens, dtype=object)
    tight = np.array(prep.tight, dtype=bool).reshape(len(prep.A), V)
    units = net.size
    store = ColumnStore(X, w, tight, units)
    planar = d == 2 and method != "cells"
    struct: PlanarSubdivision | CellComplex
    edges0 = _cut_edges(np.arange(V), store.tight)
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
    for layer, (W, b, D) in enumerate(integer_layers[:-1], start=1):
        store.start_layer(W, b, first=layer == 1)
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
    H = (store.X if not layer_counts else store.rows()).astype(object)
    wv = store.w.astype(object)
    Y = np.array(W, dtype=object) @ H + np.array(b, dtype=object)[:, None] * wv[None, :]
    if planar:
        faces = struct.face_cycles()  # type: ignore[union-attr]
        fa, fb, fe = struct.adjacency()  # type: ignore[union-attr]
        ev0, ev1 = struct.ev0, struct.ev1  # type: ignore[union-attr]
        adjacency = [(int(a), int(c), (int(ev0[e]), int(ev1[e]))) for a, c, e in zip(fa, fb, fe)]
        num_edges = int(ev0.size)
        edge_list = None
    else:
        faces = [v.tolist() for v in struct.regions]  # type: ignore[union-attr]
        adjacency = None
        allE = np.unique(np.sort(np.concatenate(struct.edges), axis=1), axis=0)  # type: ignore[union-attr]
        num_edges = int(allE.shape[0])
        edge_list = allE
    return Built(
        dim=d, net=net, X=store.X.astype(object), w=wv, Y=Y, D_out=D, N=N,
        tight=store.tight[:, :N].copy(), K=store.K, faces=faces,
        pattern=struct.pattern.copy(), adjacency=adjacency, num_edges=num_edges,
        edge_list=edge_list, layer_counts=layer_counts, planar=planar,
    )
