"""The exact breakpoint propagator for networks with one input.

:func:`propagate` tracks every unit's piecewise-linear function layer by layer
on an interval, a half-line or R, inserting each unit's zero crossings exactly
(docs/theory.md §1).  The hot path works on integer columns (see
:mod:`exactrelu._kernels.lines`): a layer is one integer matrix product, a crossing
of unit j inside segment (P_i, P_{i+1}) is the column
``|Z_{j,i+1}| P_i + |Z_{j,i}| P_{i+1}`` (no division), and only crossings that
fall into the same segment ever need an exact comparison.
:func:`propagate_float64` runs the same algorithm in float64, for benchmarks and
for the tests that show where floats go wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import Any, NamedTuple

import numpy as np

from ._kernels import crossings as C
from ._kernels import lines as K
from .errors import BudgetExceededError, ShapeError
from .network import ReLUNetwork
from ._validate import check_int, parse_domain
from .pwl import PiecewiseLinear

__all__ = [
    "propagate",
    "propagate_float64",
    "Trace",
    "LayerTrace",
    "OutputColumns",
    "FloatTrace",
    "DEFAULT_MAX_PIECES",
    "DEFAULT_MAX_CELLS",
    "DEFAULT_MAX_WORK",
]

#: Default budget: activation segments a single layer may have (4,194,304).
DEFAULT_MAX_PIECES = 1 << 22
#: Default budget on columns x (width + 2) integers of one layer (about 2 GiB as int64).
DEFAULT_MAX_CELLS = 1 << 28
#: Default budget on the multiply-adds of one layer's integer matrix product (width x previous width x columns).
DEFAULT_MAX_WORK = 1 << 33
#: Crossings ordered at once when a layer's crossings must be counted in blocks.
_CROSSING_BLOCK = 1 << 20


@dataclass(frozen=True)
class _Layer:
    """Raw data of one hidden layer: columns (X, w) and pre-activations Z = D * w * z."""

    X: np.ndarray
    w: np.ndarray
    Z: np.ndarray
    D: int
    positions: np.ndarray  # where the previous layer's columns went in this layer's columns
    regions: int  # activation regions of layers 1..l on the domain


def _initial_columns(lo: Fraction | None, hi: Fraction | None):
    xs: list[tuple[int, int]] = []
    xs.append((-1, 0) if lo is None else (lo.numerator, lo.denominator))
    if lo is None and hi is None:
        xs.append((0, 1))  # a finite anchor: two points at infinity span no finite point
    xs.append((1, 0) if hi is None else (hi.numerator, hi.denominator))
    X = np.array([p[0] for p in xs], dtype=object)
    w = np.array([p[1] for p in xs], dtype=object)
    return X, w


def _affine(w_int, b_int, D: int, H, X, w, exact: bool):
    """One affine layer on the columns: ``Z = W_int H + b_int w`` (true values z = Z / (D w)).

    Returns ``(Z, H, X, w, D_eff)`` with the columns cast to the dtype the
    product needs; the float twin uses W / D directly and ``D_eff = 1``.
    """
    if exact:
        Wm, bm = np.asarray(w_int), np.asarray(b_int)
        bound = K.max_abs(Wm) * K.max_abs(H) * Wm.shape[1] + K.max_abs(bm) * K.max_abs(w) + 1
        Wm, bm = K.choose(bound, Wm, bm)
        H, X, w = K.choose(bound, H, X, w)
        D_eff = D
    else:
        # Python int / int is correctly rounded: each weight is the float nearest to W_int / D
        Wm = (np.asarray(w_int).astype(object) / D).astype(np.float64)
        bm = (np.asarray(b_int).astype(object) / D).astype(np.float64)
        D_eff = 1
    return Wm @ H + bm[:, None] * w[None, :], H, X, w, D_eff


def _budget_error(budget: int, layer: int, required: int, *, at_least: bool = False, name: str = "max_pieces",
                  unit: str = "activation segments", where: str = "hidden layer") -> BudgetExceededError:
    """A BudgetExceededError whose message also names the command-line flag."""
    err = BudgetExceededError(budget=budget, layer=layer, required=required, name=name, unit=unit)
    need = f"at least {required}" if at_least else str(required)
    flag = " (command line: --max-pieces)" if name == "max_pieces" else ""
    err.args = (f"{name}={budget} exceeded at {where} {layer}: it needs {need} {unit}; "
                f"pass a larger {name}{flag} to continue",)
    return err


def _integer_layer(W, b) -> tuple[np.ndarray, np.ndarray, int]:
    """``(W_int, b_int, D)`` as numpy arrays with ``W = W_int / D``, ``b = b_int / D``, D the least common denominator.

    One pass over the Fractions in C-level iteration (``map`` of attribute
    getters), then numpy; int64 when every entry fits, Python ints otherwise.
    """
    from itertools import chain
    from math import lcm
    from operator import attrgetter

    rows, cols = len(W), len(W[0]) if W else 0
    entries = list(chain(chain.from_iterable(W), b))
    nums = np.fromiter(map(attrgetter("numerator"), entries), dtype=object, count=len(entries))
    dens = np.fromiter(map(attrgetter("denominator"), entries), dtype=object, count=len(entries))
    distinct = set(dens.tolist())
    D = lcm(*distinct) if distinct else 1
    ints = nums if D == 1 else nums * (D // dens)
    (ints,) = K.shrink(ints)
    return ints[: rows * cols].reshape(rows, cols), ints[rows * cols:], D


def _entry_weight(bound: int) -> int:
    """int64 cells one stored entry costs: 1 below the int64 limit, a Python int's bytes / 8 above."""
    if bound < K.INT64_LIMIT:
        return 1
    return -(-(8 + 28 + 4 * (bound.bit_length() // 30 + 1)) // 8)


def _check_product(index: int, out_width: int, in_width: int, n: int, max_cells: int, max_work: int,
                   where: str, weight: int = 1) -> None:
    """Budgets of one layer's product, from its shape and entry size alone (before any memory is spent)."""
    cells = n * (out_width + in_width + 2) * weight
    if cells > max_cells:
        raise _budget_error(max_cells, index, cells, name="max_cells", where=where,
                            unit="int64-sized integers of column storage (columns x (widths + 2) and temporaries; a Python int counts its bytes / 8)")
    work = out_width * in_width * n
    if work > max_work:
        raise _budget_error(max_work, index, work, name="max_work", where=where,
                            unit="multiply-adds in the layer's matrix product (width x previous width x columns)")


def _product_weight(w_int: np.ndarray, b_int: np.ndarray, H: np.ndarray, w: np.ndarray) -> int:
    """The entry weight of ``Z = W_int H + b_int w`` from the bound :func:`_affine` will use."""
    return _entry_weight(K.max_abs(w_int) * K.max_abs(H) * H.shape[0] + K.max_abs(b_int) * K.max_abs(w) + 1)


def _crossings(Z: np.ndarray, index: int, max_pieces: int, exact: bool):
    """Every unit's strict zero crossings, sorted by position, coinciding ones once.

    Returns ``(segs, units, alpha, beta)`` (crossing k lies in segment
    ``segs[k]`` at ``alpha P_s + beta P_{s+1}``).  The count is checked against
    ``max_pieces`` before the crossings are listed: first from the number of
    segments that hold a crossing (a lower bound), then block by block of
    segments while the crossings are ordered, so memory stays proportional to
    the budget, not to the crossings.
    """
    n = Z.shape[1]
    S = K.sign(Z)
    mask = (S[:, :-1] * S[:, 1:]) < 0
    del S
    per_seg = np.count_nonzero(mask, axis=0)
    upper = int(per_seg.sum())
    empty = np.zeros(0, dtype=np.int64)
    if upper == 0:
        return empty, empty, Z[:0, 0], Z[:0, 0]
    nonempty = int(np.count_nonzero(per_seg))
    if n - 1 + nonempty > max_pieces:
        raise _budget_error(max_pieces, index, n - 1 + nonempty, at_least=nonempty < upper)
    order = C.order_exact if exact else C.order_float
    if n - 1 + upper <= max_pieces or upper <= _CROSSING_BLOCK:
        blocks = [(0, n - 1)]
    else:
        cum = np.cumsum(per_seg)
        cuts = np.searchsorted(cum, np.arange(_CROSSING_BLOCK, upper, _CROSSING_BLOCK), side="right")
        edges = [0, *sorted(set(int(c) for c in cuts) - {0, n - 1}), n - 1]
        blocks = list(zip(edges[:-1], edges[1:]))
    parts = []
    total = 0
    for s0, s1 in blocks:
        units, segs = np.nonzero(mask[:, s0:s1])
        segs = segs + s0
        alpha = np.abs(Z[units, segs + 1])
        beta = np.abs(Z[units, segs])
        kept = order(segs, alpha, beta)
        parts.append((segs[kept], units[kept], alpha[kept], beta[kept]))
        total += kept.size
        rest = int(np.count_nonzero(per_seg[s1:])) if s1 < n - 1 else 0
        if n - 1 + total + rest > max_pieces:
            raise _budget_error(max_pieces, index, n - 1 + total + rest, at_least=s1 < n - 1)
    if len(parts) == 1:
        return parts[0]
    return tuple(np.concatenate([p[k] for p in parts]) for k in range(4))


def _run(net: ReLUNetwork, domain: Any, max_pieces: int, exact: bool, progress: bool = False,
         max_cells: int = DEFAULT_MAX_CELLS, max_work: int = DEFAULT_MAX_WORK):
    if not isinstance(net, ReLUNetwork):
        raise TypeError(f"net must be a ReLUNetwork, got {type(net).__name__}")
    if net.input_dim != 1:
        raise ShapeError(f"propagate needs a network with one input, this one takes {net.input_dim}")
    for name, value in (("max_pieces", max_pieces), ("max_cells", max_cells), ("max_work", max_work)):
        check_int(name, value, 1)
    lo, hi = parse_domain(domain)
    X, w = _initial_columns(lo, hi)
    if exact:
        X, w = K.choose(max(K.max_abs(X), K.max_abs(w)), X, w)
    else:
        X, w = X.astype(np.float64), w.astype(np.float64)
        finite = w > 0
        X[finite] /= w[finite]
        w[finite] = 1.0
    H = X[None, :].copy()
    layers: list[_Layer] = []
    change = np.zeros(X.shape[0], dtype=bool)
    all_layers = net.layers
    hidden = list(enumerate(all_layers[:-1], start=1))
    if progress and hidden:
        from tqdm import tqdm

        hidden = tqdm(hidden, desc="propagate", unit="layer", leave=False)
    for index, (W_layer, b_layer) in hidden:
        n = X.shape[0]
        _check_product(index, len(W_layer), H.shape[0], n, max_cells, max_work, "hidden layer")  # shape only
        w_int, b_int, D = _integer_layer(W_layer, b_layer)
        if exact:  # and with the size of the entries
            _check_product(index, len(W_layer), H.shape[0], n, max_cells, max_work, "hidden layer",
                           _product_weight(w_int, b_int, H, w))
        Z, H, X, w, D_eff = _affine(w_int, b_int, D, H, X, w, exact)
        segs, crossing_units, alpha, beta = _crossings(Z, index, max_pieces, exact)
        c = segs.size
        if n - 1 + c > max_pieces:
            raise _budget_error(max_pieces, index, n - 1 + c)
        cells = (n + c) * (Z.shape[0] + H.shape[0] + 2) + 4 * c * Z.shape[0]  # columns + temporaries
        if c and exact:
            step = max(K.max_abs(alpha), K.max_abs(beta))
            cells *= _entry_weight(2 * step * max(K.max_abs(Z), K.max_abs(X), K.max_abs(w)) + 1)
        if cells > max_cells:
            raise _budget_error(max_cells, index, cells, name="max_cells",
                                unit="int64-sized integers of column storage (columns x (widths + 2) and temporaries; a Python int counts its bytes / 8)")
        if c:
            X0, X1, w0, w1 = X[segs], X[segs + 1], w[segs], w[segs + 1]
            Z0, Z1 = Z[:, segs], Z[:, segs + 1]
            if exact:
                g = np.gcd(alpha, beta)  # a common factor of the weights: same point, smaller numbers
                alpha, beta = alpha // g, beta // g
                bound = 2 * max(K.max_abs(alpha), K.max_abs(beta)) * max(
                    K.max_abs(Z0), K.max_abs(Z1), K.max_abs(X0), K.max_abs(X1), K.max_abs(w0), K.max_abs(w1)) + 1
                alpha, beta, X0, X1, w0, w1, Z0, Z1 = K.choose(bound, alpha, beta, X0, X1, w0, w1, Z0, Z1)
            newX = alpha * X0 + beta * X1
            neww = alpha * w0 + beta * w1
            newZ = alpha * Z0 + beta * Z1
            del X0, X1, w0, w1, Z0, Z1
            if exact:
                # (X, Z, w) is all a layer keeps (its input H is not stored), so its gcd may divide
                K.reduce_columns(newX, newZ, neww)
                newX, newZ, neww = K.shrink(newX, newZ, neww)
            else:
                fin = neww > 0
                scale = np.where(fin, neww, np.maximum(np.abs(newX), 1e-300))
                newX, neww = newX / scale, neww / scale
                newZ = newZ / scale
            # merge: crossing k (sorted) goes after old column segs[k]
            total = n + c
            new_pos = segs + 1 + np.arange(c)
            old_pos = np.arange(n) + np.searchsorted(segs, np.arange(n), side="left")
            mergedX = np.empty(total, dtype=X.dtype if X.dtype == newX.dtype else object)
            mergedw = np.empty(total, dtype=mergedX.dtype)
            mergedZ = np.empty((Z.shape[0], total), dtype=mergedX.dtype)
            mergedX[old_pos], mergedX[new_pos] = X, newX
            mergedw[old_pos], mergedw[new_pos] = w, neww
            mergedZ[:, old_pos], mergedZ[:, new_pos] = Z, newZ
            mergedZ[crossing_units, new_pos] = 0  # exact already; pins the float twin too
            X, w, Z = mergedX, mergedw, mergedZ
        else:
            old_pos = np.arange(n)
        # activation-pattern changes (cumulative over layers 1..index)
        new_change = np.zeros(X.shape[0], dtype=bool)
        new_change[old_pos] = change
        if X.shape[0] > 2:
            pattern = K.on_pattern(Z)
            new_change[1:-1] |= (pattern[:, 1:] != pattern[:, :-1]).any(axis=0)
        change = new_change
        layers.append(_Layer(X, w, Z, D_eff, old_pos, int(change[1:-1].sum()) + 1))
        # the next layer's input: x = D X / (D w), h = relu(Z) / (D w)
        Hn = Z * (Z > 0)
        if exact:
            if D_eff != 1:
                bound = max(K.max_abs(X), K.max_abs(w)) * D_eff + 1
                X, w, H = K.choose(bound, X, w, Hn)
                X, w = X * D_eff, w * D_eff
                K.reduce_columns(X, H, w)
            else:
                H = Hn
            X, H, w = K.shrink(X, H, w)
        else:
            H = Hn
    W_out, b_out = all_layers[-1]
    _check_product(len(all_layers), len(W_out), H.shape[0], X.shape[0], max_cells, max_work, "output layer")
    out_int = _integer_layer(W_out, b_out)
    _check_product(len(all_layers), len(W_out), H.shape[0], X.shape[0], max_cells, max_work, "output layer",
                   _product_weight(out_int[0], out_int[1], H, w) if exact else 1)
    Y, H, X, w, D_out = _affine(*out_int, H, X, w, exact)
    return (lo, hi), layers, (X, w, Y, D_out), change


def _scaled(X: np.ndarray, Y: np.ndarray, w: np.ndarray, D: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Columns with ``y = Y / (D w)`` rewritten as ``(D X, Y, D w)``, so that ``y = Y / w``."""
    if D == 1:
        return X, Y, w
    bound = max(K.max_abs(X), K.max_abs(w)) * D + 1
    X, w, Y = K.choose(bound, X, w, Y)
    return X * D, Y, w * D


def _columns_to_pwl(X: np.ndarray, Y: np.ndarray, w: np.ndarray, scale: int) -> PiecewiseLinear:
    """The function through the columns (x = X/w, y = Y/(scale*w)), canonical, with no Fractions."""
    return PiecewiseLinear.from_columns(*_scaled(X, Y, w, scale), check=False)


class OutputColumns(NamedTuple):
    """The exact integer columns of a trace's outputs, in the kernel convention.

    Column ``i`` is the point ``x_i = X[i] / w[i]`` of the final partition with
    output values ``y_{k,i} = Y[k, i] / w[i]`` (``Y`` has shape
    ``(outputs, n)``); columns are in increasing order of x.  ``w[i] > 0`` for
    finite points; ``w[i] == 0`` marks a point at infinity (first column: -inf,
    last column: +inf), where ``(X[i], Y[k, i])`` is the direction of travel,
    so the slope of output k on that ray is ``Y[k, i] / X[i]``.  Columns need
    not be reduced and may include non-kink points (a column where some other
    unit or output bends).  Entries are int64 numpy arrays when every entry
    fits, object arrays of Python ints otherwise; the arrays are read-only.

    Examples
    --------
    >>> from exactrelu.constructions import tent_map
    >>> cols = propagate(tent_map(1), (0, 1)).output_columns
    >>> [f"{int(x)}/{int(d)}" for x, d in zip(cols.X, cols.w)], cols.Y.shape
    (['0/1', '1/2', '1/1'], (1, 3))
    >>> [f"{int(y)}/{int(d)}" for y, d in zip(cols.Y[0], cols.w)]  # D(0), D(1/2), D(1)
    ['0/1', '2/2', '0/1']
    """

    X: np.ndarray
    Y: np.ndarray
    w: np.ndarray


class LayerTrace:
    """One hidden layer of a :class:`Trace` (1-based ``index``).

    Functions are materialised on demand; counts come from the integer columns.
    """

    def __init__(self, index: int, raw: _Layer):
        self.index = index
        self._raw = raw

    @property
    def width(self) -> int:
        return self._raw.Z.shape[0]

    @property
    def num_columns(self) -> int:
        """Breakpoint columns after this layer (including domain ends)."""
        return self._raw.X.shape[0]

    @property
    def activation_regions(self) -> int:
        """Activation regions of layers 1..index on the domain."""
        return self._raw.regions

    def pre(self, unit: int) -> PiecewiseLinear:
        """Pre-activation of ``unit`` (0-based) as an exact function."""
        r = self._raw
        return _columns_to_pwl(r.X, r.Z[unit], r.w, r.D)

    def post(self, unit: int) -> PiecewiseLinear:
        """Post-activation relu(pre) of ``unit``."""
        r = self._raw
        z = r.Z[unit]
        return _columns_to_pwl(r.X, z * (z > 0), r.w, r.D)

    @cached_property
    def pre_pieces(self) -> tuple[int, ...]:
        """Pieces of every unit's pre-activation."""
        r = self._raw
        return tuple(K.count_kinks(r.X, r.Z[j], r.w) + 1 for j in range(self.width))

    @cached_property
    def post_pieces(self) -> tuple[int, ...]:
        """Pieces of every unit's post-activation."""
        r = self._raw
        return tuple(
            K.count_kinks(r.X, r.Z[j] * (r.Z[j] > 0), r.w) + 1 for j in range(self.width)
        )

    @cached_property
    def sign_changes(self) -> tuple[int, ...]:
        """Strict sign changes of every unit's pre-activation (its zero crossings)."""
        r = self._raw
        S = K.sign(r.Z)
        counts = []
        for row in S:
            nz = row[row != 0]
            counts.append(int(np.count_nonzero(nz[1:] != nz[:-1])))
        return tuple(counts)

    def __repr__(self) -> str:
        return (
            f"<LayerTrace {self.index}: width={self.width}, columns={self.num_columns}, "
            f"regions={self.activation_regions}>"
        )


class Trace:
    """The result of :func:`propagate`: every unit's exact function on the domain.

    Attributes
    ----------
    network : ReLUNetwork
    domain : (lo, hi)
        None marks an infinite end.
    layers : tuple of LayerTrace
        One per hidden layer.
    """

    def __init__(self, network: ReLUNetwork, domain, layers, out, change):
        self.network = network
        self.domain = domain
        self.layers = tuple(LayerTrace(i, r) for i, r in enumerate(layers, start=1))
        self._out = out
        self._change = change

    @property
    def activation_regions(self) -> int:
        """Maximal sub-intervals of the domain with constant on/off pattern of every unit."""
        return int(self._change[1:-1].sum()) + 1

    @cached_property
    def output_pieces(self) -> tuple[int, ...]:
        """Pieces of every output coordinate (computed from integer columns)."""
        X, w, Y, _ = self._out
        return tuple(K.count_kinks(X, Y[k], w) + 1 for k in range(Y.shape[0]))

    @property
    def pieces(self) -> int:
        """Pieces of the (scalar) output on the domain."""
        return self.output_pieces[self._single_output()]

    def _single_output(self) -> int:
        if self._out[2].shape[0] != 1:
            raise ShapeError(
                f"the network has {self._out[2].shape[0]} outputs; use .outputs or .output_pieces"
            )
        return 0

    @cached_property
    def output_columns(self) -> OutputColumns:
        """The outputs' exact integer columns (see :class:`OutputColumns`): ``y = Y / w``."""
        X, w, Y, D = self._out
        X, Y, w = _scaled(X, Y, w, D)
        if D == 1:
            X, w, Y = X.copy(), w.copy(), Y.copy()
        for a in (X, w, Y):
            a.flags.writeable = False
        return OutputColumns(X, Y, w)

    @cached_property
    def outputs(self) -> tuple[PiecewiseLinear, ...]:
        """Every output coordinate as an exact function."""
        X, Y, w = self.output_columns
        return tuple(PiecewiseLinear.from_columns(X, Y[k], w, check=False) for k in range(Y.shape[0]))

    @property
    def output(self) -> PiecewiseLinear:
        """The (scalar) output as an exact :class:`PiecewiseLinear`."""
        return self.outputs[self._single_output()]

    @cached_property
    def breakpoints(self) -> tuple[Fraction, ...]:
        """Interior points where the activation pattern changes, increasing."""
        X, w, _, _ = self._out
        idx = np.nonzero(self._change)[0]
        return tuple(Fraction(int(X[i]), int(w[i])) for i in idx)

    @property
    def num_columns(self) -> int:
        """Columns of the final partition (domain ends, breakpoints, sample anchor)."""
        return self._out[0].shape[0]

    def activation_patterns(self) -> list[tuple[Fraction | None, Fraction | None, tuple[tuple[bool, ...], ...]]]:
        """Every activation region as ``(lo, hi, pattern)``; pattern[l][j] is unit j of layer l+1 on."""
        X, w, _, _ = self._out
        n = X.shape[0]
        # position of each layer's columns inside the final columns
        positions: list[np.ndarray] = [np.arange(0)] * len(self.layers)
        pos = np.arange(n)
        for li in range(len(self.layers) - 1, -1, -1):
            positions[li] = pos
            pos = pos[self.layers[li]._raw.positions]
        per_layer = []
        for li, layer in enumerate(self.layers):
            pat = K.on_pattern(layer._raw.Z)  # over layer segments
            seg_of_final = np.searchsorted(positions[li], np.arange(n - 1), side="right") - 1
            per_layer.append(pat[:, seg_of_final])
        cuts = [0] + [int(i) for i in np.nonzero(self._change)[0]] + [n - 1]

        def point(i: int) -> Fraction | None:
            return None if w[i] == 0 else Fraction(int(X[i]), int(w[i]))

        result = []
        for a, b in zip(cuts[:-1], cuts[1:]):
            pattern = tuple(tuple(bool(v) for v in p[:, a]) for p in per_layer)
            result.append((point(a), point(b), pattern))
        return result

    def __repr__(self) -> str:
        lo, hi = self.domain
        return (
            f"<Trace widths={self.network.widths} domain=({lo}, {hi}) "
            f"output_pieces={self.output_pieces} regions={self.activation_regions}>"
        )


def propagate(
    net: ReLUNetwork,
    domain: Any = None,
    *,
    max_pieces: int = DEFAULT_MAX_PIECES,
    max_cells: int = DEFAULT_MAX_CELLS,
    max_work: int = DEFAULT_MAX_WORK,
    progress: bool = False,
) -> Trace:
    """Propagate exact breakpoints of a one-input network through every layer.

    Parameters
    ----------
    net : ReLUNetwork
        A network with ``input_dim == 1``.
    domain : (lo, hi) or None
        A closed interval; ``None`` for R; ``(lo, None)`` or ``(None, hi)`` for half-lines.
    max_pieces : int
        Budget on the activation segments of any layer (command line: ``--max-pieces``).
        A layer's crossings are counted per segment before they are listed,
        and listed block by block, so the error comes before the memory is spent.
    max_cells : int
        Budget on the integers one layer stores: columns x (width + previous width + 2).
        Guards memory for wide layers (default about 2 GiB of int64).
    max_work : int
        Budget on the multiply-adds of one layer's matrix product
        (width x previous width x columns), checked before the product
        (default 2^33: seconds of int64 arithmetic).
    progress : bool
        Show a progress bar over the layers (tqdm, on stderr).

    Returns
    -------
    Trace

    Raises
    ------
    BudgetExceededError
        Before a layer would exceed ``max_pieces`` segments, ``max_cells``
        stored integers or ``max_work`` multiply-adds (the error names the
        budget, the layer, and for ``max_pieces`` the flag ``--max-pieces``).
    DomainError, ShapeError

    Examples
    --------
    >>> from exactrelu.constructions import tent_map
    >>> t = propagate(tent_map(3), (0, 1))
    >>> t.output.pieces, t.output("1/8")
    (8, Fraction(1, 1))
    """
    domain_pair, layers, out, change = _run(
        net, domain, max_pieces, exact=True, progress=progress, max_cells=max_cells, max_work=max_work
    )
    return Trace(net, domain_pair, layers, out, change)


@dataclass(frozen=True)
class FloatTrace:
    """What the float64 twin reports (counts only; floats decide them, so they may be wrong)."""

    output_pieces: int
    activation_regions: int
    num_columns: int


def propagate_float64(
    net: ReLUNetwork, domain: Any = None, *, max_pieces: int = DEFAULT_MAX_PIECES,
    max_cells: int = DEFAULT_MAX_CELLS, max_work: int = DEFAULT_MAX_WORK,
) -> FloatTrace:
    """The same algorithm as :func:`propagate` in float64 (for benchmarks and comparisons).

    Signs, orders and collinearity are decided by floats, so the counts can be
    wrong; nothing in exactrelu relies on them.
    """
    domain_pair, layers, (X, w, Y, _), change = _run(net, domain, max_pieces, exact=False, max_cells=max_cells,
                                                     max_work=max_work)
    return FloatTrace(
        output_pieces=K.count_kinks(X, Y[0], w) + 1,
        activation_regions=int(change[1:-1].sum()) + 1,
        num_columns=X.shape[0],
    )
