"""The exact polyhedral complex of a ReLU network's activation regions in R^n.

:func:`regions` subdivides a domain (box, polytope, 2-D slice, segment) into
the network's activation regions, exactly, and returns a
:class:`RegionComplex`.

Algorithm
---------
The 1-D design of :mod:`exactrelu._kernels.lines`, in n-D.  A vertex is an
integer homogeneous column ``(X_1..X_n, w)`` (``x = X / w``); on every region
of the complex of layers 1..l-1, layer l's pre-activations are one exact
integer affine map ``Z = M_R . (X, w)`` (true value ``Z / (S w)``) with
``M_l = W_l diag(p_R) M_{l-1} + S_{l-1} [0 | b_l]``.  Exact maps live as
base-2^16 digit arrays multiplied by exact float64 BLAS products
(:class:`exactrelu._kernels.polytope.Digits`); a layer's float maps come
from one BLAS product, and exact rows only where needed
(:mod:`exactrelu._kernels.mapstore`).  The crossing of a unit's zero set with
the edge from P to Q is ``|Z_Q| P + |Z_P| Q`` reduced by its gcd (in 2-D,
equivalently, the cross product of the two integer lines through it), with
no division.  Signs at vertices are read by a float64 filter with a rigorous
error bound, and every vertex inside the bound is evaluated exactly; in 2-D a
crossing gets certified float coordinates (with a rigorous radius) and its
exact column when something needs it (``store="maps-exact"`` makes every
vertex and sign exact at once; ``store="columns"`` carries ``(X, w,
Z_1..Z_m)`` per vertex, the literal n-D version of the 1-D columns; the tests
check that the three agree).  No float decides a sign, an order or a count.
Within layer l each unit's pre-activation is affine on every region built so
far, so exact vertex signs decide every split.

* 2-D (boxes, polygons, planes): regioncam's planar subdivision split unit by
  unit, vectorised over all faces (:mod:`exactrelu._kernels.planar`).
* n-D: incremental splitting of convex polytopes by exact vertex signs
  (:class:`exactrelu.polyhedral._cells.CellComplex`).  We chose it over an LP
  per region (which needs tolerances or an exact LP solver per split) and over
  Berzins' (2023) edge subdivision (which asserts a generic arrangement): the
  only geometric decision is the sign of an integer, and the one
  combinatorial step, finding the edges of a cut face, uses the exact tight
  sets (constraints and units vanishing at each vertex) with the classical
  adjacency test (two vertices span an edge iff no third vertex is tight on
  every constraint tight at both), which holds for any polytope, simple or
  not, with redundant constraints or not.  Degenerate arrangements
  (concurrent hyperplanes, hyperplanes through vertices, along faces,
  duplicated units) therefore need no special case.
* Segments and 1-input networks are delegated to
  :func:`exactrelu.propagate.propagate`, so the 1-D and n-D counts agree by
  construction.

Conventions (docs/theory.md §0): a unit is on where its pre-activation is
> 0; activation regions are maximal full-dimensional sets of constant pattern;
pieces are connected unions of adjacent regions with one affine map.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from .._validate import check_int
from ..errors import ShapeError
from ..network import ReLUNetwork
from ._build import Built, build
from ._complex import FORMAT, VERSION, Region, RegionComplex
from ._domain import Box, Plane, Polytope, Segment, compose_affine, parse_domain, prepare

__all__ = ["regions", "RegionComplex", "Region", "Box", "Polytope", "Plane", "Segment",
           "DEFAULT_MAX_REGIONS", "DEFAULT_MAX_CELLS", "FORMAT", "VERSION"]

#: Default budget on activation regions (1,048,576).
DEFAULT_MAX_REGIONS = 1 << 20
#: Default budget on stored region-map digits (regions x units x (n+1) x digits; 1 GiB as int32).
DEFAULT_MAX_CELLS = 1 << 28


def regions(net: ReLUNetwork, domain: Any, *, max_regions: int = DEFAULT_MAX_REGIONS,
            progress: bool = False, method: str = "auto", store: str = "maps",
            max_cells: int = DEFAULT_MAX_CELLS) -> RegionComplex:
    """The exact activation regions of ``net`` on ``domain``.

    Parameters
    ----------
    net : ReLUNetwork
        Any input dimension n >= 1.
    domain : Box, Polytope, Plane, Segment, sequence of (lo, hi) pairs, or (A, b)
        A box ``[(lo_1, hi_1), ..., (lo_n, hi_n)]``; a bounded full-dimensional
        polytope ``{x : A x <= b}``; a 2-D slice :class:`Plane` ``(p0, p1, p2)``
        (coordinates (u, v) of ``p0 + u (p1 - p0) + v (p2 - p0)``); a
        :class:`Segment` ``(p0, p1)`` (coordinate t in [0, 1]).
    max_regions : int
        Budget: :class:`~exactrelu.errors.BudgetExceededError` is raised before a
        unit would split the complex into more regions (counted before any
        new vertex is allocated).
    max_cells : int
        Budget on the integers the region maps of one layer take (regions x
        units x (n+1) x base-2^16 digits), checked before they are allocated
        (``BudgetExceededError`` with ``name="max_cells"``).
    progress : bool
        tqdm progress bar over the units (on stderr).
    method : "auto", "planar" or "cells"
        "cells" forces the general-dimension splitter in 2-D (for cross-checks).
    store : "maps", "maps-exact" or "columns"
        How vertex values are kept: integer affine maps per region with a
        certified float filter on signs (default, fastest); the same with
        every sign evaluated exactly; or full integer columns
        ``(X, w, Z_1..Z_m)`` per vertex.  All three are exact and agree (tested).

    Returns
    -------
    RegionComplex

    Examples
    --------
    >>> from exactrelu.constructions import max_network
    >>> cx = regions(max_network(), [(-1, 1), (-1, 1)])
    >>> cx.activation_regions, cx.pieces
    (4, 2)
    >>> r = cx.locate(("1/2", "-1/3"))
    >>> r.gradient, r.offset
    ((Fraction(1, 1), Fraction(0, 1)), Fraction(0, 1))
    """
    if not isinstance(net, ReLUNetwork):
        raise TypeError(f"net must be a ReLUNetwork, got {type(net).__name__}")
    check_int("max_regions", max_regions, 1)
    check_int("max_cells", max_cells, 1)
    if method not in ("auto", "planar", "cells"):
        raise ShapeError(f"method={method!r} must be 'auto', 'planar' or 'cells'")
    if store not in ("maps", "maps-exact", "columns"):
        raise ShapeError(f"store={store!r} must be 'maps', 'maps-exact' or 'columns'")
    dom = parse_domain(domain)
    if isinstance(dom, Segment):
        if len(dom.p0) != net.input_dim:
            raise ShapeError(f"segment points have dimension {len(dom.p0)}, network takes {net.input_dim}")
        work = compose_affine(net, dom.p0, [tuple(b - a for a, b in zip(dom.p0, dom.p1))])
        return RegionComplex(net, dom, _from_trace(work, Fraction(0), Fraction(1), max_regions))
    if isinstance(dom, Box) and dom.dim == 1 and net.input_dim == 1:
        lo, hi = dom.bounds[0]
        return RegionComplex(net, dom, _from_trace(net, lo, hi, max_regions))
    if isinstance(dom, Plane) and len(dom.p0) != net.input_dim:
        raise ShapeError(f"plane points have dimension {len(dom.p0)}, network takes {net.input_dim}")
    prep = prepare(net, dom)
    if prep.net.input_dim == 1:
        verts = sorted(v[0] for v in prep.vertices)
        return RegionComplex(net, dom, _from_trace(prep.net, verts[0], verts[-1], max_regions))
    raw = build(prep, max_regions, progress, method, store, max_cells)
    return RegionComplex(net, dom, raw)


def _from_trace(work: ReLUNetwork, lo: Fraction, hi: Fraction, max_regions: int) -> Built:
    """A 1-D complex from the breakpoint propagator (regions = intervals)."""
    from ..propagate import propagate

    trace = propagate(work, (lo, hi), max_pieces=max_regions)
    intervals = trace.activation_patterns()
    if len(intervals) > max_regions:  # pragma: no cover - propagate's budget fires first
        from ..errors import BudgetExceededError

        raise BudgetExceededError(budget=max_regions, layer=work.depth, required=len(intervals),
                                  name="max_regions", unit="activation regions")
    points: list[Fraction] = [lo] + [b for _, b, _ in intervals[:-1] if b is not None] + [hi]
    units = work.size
    pattern = np.array([[b for layer in p for b in layer] for _, _, p in intervals],
                       dtype=bool).reshape(len(intervals), units)
    tight = np.zeros((2 + units, len(points)), dtype=bool)
    tight[0, -1] = tight[1, 0] = True
    for v, x in enumerate(points):
        acts = [z for layer in work.activations((x,))[:-1] for z in layer]
        tight[2:, v] = [z == 0 for z in acts]
    values = [tuple(work.forward((x,))) for x in points]
    dens = [x.denominator for x in points]
    counts = []
    for layer in range(1, work.depth + 1):
        counts.append(trace.layers[layer - 1].activation_regions)
    return Built(
        dim=1, net=work, X=np.array([[x.numerator for x in points]], dtype=object),
        w=np.array(dens, dtype=object), output=None, N=len(points), tight=tight, K=2,
        faces=lambda: [[i, i + 1] for i in range(len(intervals))], pattern=pattern,
        adjacency=lambda: [(i, i + 1, (i + 1,)) for i in range(len(intervals) - 1)],
        num_edges=len(intervals), edge_list=None, layer_counts=counts, planar=False, values=values,
    )
