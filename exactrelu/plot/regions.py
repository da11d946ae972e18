"""Pictures of a 2-D region complex: regions coloured by activation pattern, edges by layer.

Polygons are drawn from the regions' exact vertices (ordered around the exact
interior point); which edges exist, and which layer's hyperplane each lies on,
come from the exact region adjacency graph.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

from ._style import LAYER_COLOURS, new_axes, pattern_colour

__all__ = ["plot_regions", "region_polygon"]


def region_polygon(region: Any) -> list[tuple[float, float]]:
    """The region's vertices as floats, in counter-clockwise order around its interior point."""
    cx, cy = (float(c) for c in region.interior_point)
    pts = [(float(v[0]), float(v[1])) for v in region.vertices]
    return sorted(pts, key=lambda p: math.atan2(p[1] - cy, p[0] - cx))


def _shared_segment(a: Any, b: Any) -> list[tuple[float, float]] | None:
    common = set(map(tuple, a.vertices)) & set(map(tuple, b.vertices))
    if len(common) < 2:
        return None
    pts = sorted(common)
    return [(float(pts[0][0]), float(pts[0][1])), (float(pts[-1][0]), float(pts[-1][1]))]


def _decision_segment(region: Any) -> list[tuple[float, float]] | None:
    """Where the output's affine map is 0 inside a region, or None (the sign is decided exactly)."""
    (g1, g2), c = region.gradient, region.offset
    values = [g1 * v[0] + g2 * v[1] + c for v in region.vertices]
    if all(v > 0 for v in values) or all(v < 0 for v in values):
        return None
    poly = [tuple(v) for v in region.vertices]
    cx, cy = region.interior_point
    poly.sort(key=lambda p: math.atan2(float(p[1] - cy), float(p[0] - cx)))
    vals = [g1 * p[0] + g2 * p[1] + c for p in poly]
    points = []
    for i in range(len(poly)):
        p, q = poly[i], poly[(i + 1) % len(poly)]
        vp, vq = vals[i], vals[(i + 1) % len(poly)]
        if vp == 0:
            points.append(p)
        elif (vp < 0 < vq) or (vq < 0 < vp):
            t = vp / (vp - vq)
            points.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
    unique = sorted(set(points))
    if len(unique) < 2:
        return None
    return [(float(unique[0][0]), float(unique[0][1])), (float(unique[-1][0]), float(unique[-1][1]))]


def plot_regions(
    complex_: Any,
    ax: Any = None,
    *,
    edges: bool = True,
    decision_boundary: bool = False,
    points: Sequence[Sequence[Any]] | None = None,
    labels: Sequence[Any] | None = None,
) -> Any:
    """Draw a 2-D region complex (``exactrelu.regions`` on a box or a plane).

    Parameters
    ----------
    complex_ : RegionComplex
        Of a 2-D domain (a box in R^2 or a 2-D slice, drawn in its own coordinates).
    edges : bool
        Draw every shared facet, coloured by the layer of the unit whose
        hyperplane separates the two regions (one ``LineCollection`` per layer,
        labelled ``"layer l"``).
    decision_boundary : bool
        Draw the zero set of the output (label ``"decision boundary"``).
    points, labels : optional
        Data points to scatter on top, coloured by label.

    Returns
    -------
    The Axes.  The regions are one ``PolyCollection`` labelled ``"regions"``
    with one polygon per activation region; the edge collections hold one
    segment per edge of ``complex_.graph()``.
    """
    from matplotlib.collections import LineCollection, PolyCollection

    regions = list(complex_)
    ax = new_axes(ax)
    polys = [region_polygon(r) for r in regions]
    ax.add_collection(PolyCollection(polys, facecolors=[pattern_colour(r.pattern) for r in regions],
                                     edgecolors="none", label="regions"))
    if edges:
        graph = complex_.graph()
        by_layer: dict[int, list[list[tuple[float, float]]]] = {}
        for a, b, data in graph.edges(data=True):
            seg = _shared_segment(graph.nodes[a]["region"], graph.nodes[b]["region"])
            if seg is None:
                continue
            layer = _edge_layer(data)
            by_layer.setdefault(layer, []).append(seg)
        for layer in sorted(by_layer):
            ax.add_collection(LineCollection(by_layer[layer], colors=LAYER_COLOURS[(layer - 1) % len(LAYER_COLOURS)],
                                             linewidths=0.7, label=f"layer {layer}"))
    if decision_boundary:
        segs = [s for s in (_decision_segment(r) for r in regions) if s is not None]
        ax.add_collection(LineCollection(segs, colors="black", linewidths=1.6, label="decision boundary"))
    if points is not None:
        xs = [float(p[0]) for p in points]
        ys = [float(p[1]) for p in points]
        ax.scatter(xs, ys, c=None if labels is None else [float(v) for v in labels], s=12, cmap="coolwarm",
                   edgecolors="black", linewidths=0.4, zorder=4, label="data")
    if edges and any(str(c.get_label()).startswith("layer") for c in ax.collections):
        ax.legend(handles=[c for c in ax.collections if str(c.get_label()).startswith("layer")],
                  fontsize=7, loc="upper right", framealpha=0.85)
    ax.autoscale_view()
    ax.set_aspect("equal")
    ax.set_title(f"{complex_.activation_regions} activation regions, {complex_.pieces} pieces", fontsize=9)
    return ax


def _edge_layer(data: dict) -> int:
    """The (1-based) layer of the unit(s) labelling a graph edge (the lowest, for duplicated units)."""
    units = data["units"]
    return min(int(layer) for layer, _unit in units)
