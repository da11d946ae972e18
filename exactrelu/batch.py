"""Exact piece and region counts of many one-input networks of one architecture at once.

:func:`propagate_many` is :func:`exactrelu.propagate` for a batch: the same
counts (``Trace.pieces``, ``Trace.output_pieces``, ``Trace.activation_regions``)
for every network, computed with one set of array operations per layer for
the whole batch instead of a Python loop over the networks.  The kernel
(:mod:`exactrelu._kernels.batch`) carries, on every segment of every net, the
affine function of each unit exactly as integers over a per-net denominator;
a layer is one batched integer matrix product.  Counts are exact: int64 while
a bound computed beforehand proves it safe, and nets whose integers outgrow it
are counted by :func:`exactrelu.propagate` (Python integers) instead.

A batch is a sequence of :class:`~exactrelu.network.ReLUNetwork` or a
:class:`NetBatch` (integer arrays; build one with :meth:`NetBatch.from_integers`
to skip the per-net conversion from Fractions, which costs more than the
counting for small nets).

The counts are those of docs/theory.md §0 (pieces and activation regions along
a line), the quantities bounded by Serra, Tjandraatmadja and Ramalingam
(2018), "Bounding and counting linear regions of deep neural networks",
Theorem 1, and measured at initialisation by Hanin and Rolnick (ICML 2019),
"Complexity of linear regions in deep networks" (docs/theory.md §7) -- the
sweeps over thousands of small networks this module is for.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Sequence

import numpy as np

from ._kernels.batch import count_batch
from ._validate import check_int, parse_domain
from .errors import BudgetExceededError, NetworkFormatError, ShapeError
from .network import ReLUNetwork
from .propagate import DEFAULT_MAX_PIECES, Trace, propagate

__all__ = ["NetBatch", "BatchCounts", "propagate_many", "propagate_mixed", "DEFAULT_BATCH_CELLS",
           "check_against_propagate", "check_serra_batched", "verify_checks"]

#: Networks handed to the kernel at once is ``DEFAULT_BATCH_CELLS // max width`` (16 to 512): small
#: enough that the per-layer arrays stay around a megabyte (cache-sized, and reused by malloc
#: instead of being mapped afresh), large enough that numpy's per-call overhead is shared.
DEFAULT_BATCH_CELLS = 2560
#: Entries the largest array of one kernel call may have (2^24: 128 MiB of int64); a batch
#: that would exceed it is halved, down to single nets (which only ``max_pieces`` bounds).
DEFAULT_BATCH_MAX_CELLS = 1 << 24
#: Integer weights at or above this go to the Python-int path.
_ENTRY_LIMIT = 1 << 52

Layers = list[tuple[np.ndarray, np.ndarray, np.ndarray]]


def _net_integers(net: ReLUNetwork) -> list[tuple[list[int], int]] | None:
    """Each layer of ``net`` as (row-major W entries then b entries, D) over the layer's lcd."""
    result = []
    for weight, bias in net.layers:
        vals = [v for row in weight for v in row]
        vals.extend(bias)
        den = math.lcm(*[v.denominator for v in vals])
        if den == 1:
            ints = [v.numerator for v in vals]
        else:
            ints = [v.numerator * (den // v.denominator) for v in vals]
        if den >= _ENTRY_LIMIT or max(map(abs, ints)) >= _ENTRY_LIMIT:
            return None
        result.append((ints, den))
    return result


class NetBatch:
    """Networks of one architecture as integer arrays: layer l is ``W_l / D_l``, ``b_l / D_l``.

    Parameters
    ----------
    layers : list of (W, b, D)
        ``W`` int array (B, out, in), ``b`` (B, out), ``D`` (B,) positive (or a
        positive int shared by the batch).  ReLU after every layer but the last.
    networks : sequence of ReLUNetwork, optional
        The same networks as objects (kept for the Python-int path and for
        traces); built from the arrays on demand otherwise.

    Raises
    ------
    ShapeError
        Shapes that do not chain, an input dimension other than 1, or D <= 0.
    """

    def __init__(self, layers: Sequence[tuple[Any, Any, Any]], *, networks: Sequence[ReLUNetwork] | None = None,
                 _python_only: np.ndarray | None = None):
        if not layers:
            raise ShapeError("a batch needs at least one (output) layer")
        checked: Layers = []
        size = None
        prev = 1
        for i, layer in enumerate(layers):
            try:
                W, b, D = layer
            except (TypeError, ValueError):
                raise ShapeError(f"layers[{i}] must be a triple (W, b, D)") from None
            W = np.asarray(W)
            b = np.asarray(b)
            if W.ndim != 3 or b.ndim != 2:
                raise ShapeError(f"layers[{i}]: W must be (B, out, in) and b (B, out), got {W.shape}, {b.shape}")
            if size is None:
                size = W.shape[0]
            D = np.broadcast_to(np.asarray(D), (size,)) if np.ndim(D) == 0 else np.asarray(D)
            if W.shape[0] != size or b.shape[0] != size or D.shape != (size,):
                raise ShapeError(f"layers[{i}]: batch sizes differ ({W.shape[0]}, {b.shape[0]}, {D.shape}) from {size}")
            if W.shape[2] != prev or b.shape[1] != W.shape[1] or W.shape[1] < 1:
                raise ShapeError(f"layers[{i}]: W has shape {W.shape[1:]} and b {b.shape[1:]}; expected ({W.shape[1]}, {prev})")
            for name, a in (("W", W), ("b", b), ("D", D)):
                if a.dtype.kind not in "iu" and not (a.dtype == object and all(isinstance(v, int) for v in a.flat)):
                    raise ShapeError(f"layers[{i}]: {name} must hold integers, got dtype {a.dtype}")
            if D.size and int(D.min()) <= 0:
                raise ShapeError(f"layers[{i}]: denominators D must be positive")
            checked.append((W, b, D))
            prev = W.shape[1]
        self._layers = checked
        self.size = int(size or 0)
        self._networks = None if networks is None else list(networks)
        python_only = np.zeros(self.size, dtype=bool) if _python_only is None else _python_only
        # entries too large for the kernel go to the Python-int path
        for W, b, D in checked:
            for a in (W, b, D):
                rows = a.reshape(self.size, -1)
                if a.dtype == object or a.dtype == np.uint64:
                    big = np.array([max((abs(int(v)) for v in row), default=0) >= _ENTRY_LIMIT
                                    for row in rows], dtype=bool)
                elif a.size and (int(a.max()) >= _ENTRY_LIMIT or int(a.min()) <= -_ENTRY_LIMIT):
                    big = np.asarray(((rows >= _ENTRY_LIMIT) | (rows <= -_ENTRY_LIMIT)).any(axis=1))
                else:
                    continue
                python_only = python_only | big
        self._python_only = python_only
        self._int64: Layers = []
        for W, b, D in checked:
            if not python_only.any() and W.dtype == b.dtype == D.dtype == np.int64:
                self._int64.append((W, b, D))  # no copy: the kernel never writes its inputs
                continue
            mask = python_only
            W64 = np.where(mask[:, None, None], 0, W).astype(np.int64)
            b64 = np.where(mask[:, None], 0, b).astype(np.int64)
            D64 = np.where(mask, 1, D).astype(np.int64)
            self._int64.append((W64, b64, D64))

    @classmethod
    def from_integers(cls, layers: Sequence[tuple[Any, Any, Any]]) -> "NetBatch":
        """A batch from integer arrays ``[(W (B,out,in), b (B,out), D (B,) or int), ...]``.

        >>> import numpy as np
        >>> W1 = np.array([[[1], [-1]]] * 3); b1 = np.zeros((3, 2), dtype=int)
        >>> W2 = np.array([[[1, 1]]] * 3); b2 = np.zeros((3, 1), dtype=int)
        >>> NetBatch.from_integers([(W1, b1, 1), (W2, b2, 1)]).widths
        (2,)
        """
        return cls(layers)

    @classmethod
    def from_networks(cls, nets: Sequence[ReLUNetwork]) -> "NetBatch":
        """A batch from networks of one architecture with one input.

        Raises
        ------
        NetworkFormatError
            An item is not a ReLUNetwork.
        ShapeError
            An input dimension other than 1, or an architecture (widths,
            outputs) different from ``nets[0]``'s; the message names the index.
        """
        nets = list(nets)
        for i, net in enumerate(nets):
            if not isinstance(net, ReLUNetwork):
                raise NetworkFormatError(f"nets[{i}] is a {type(net).__name__}, not a ReLUNetwork")
        if not nets:
            raise ShapeError("nets is empty: a batch needs at least one network")
        arch = (nets[0].input_dim, nets[0].widths, nets[0].output_dim)
        if arch[0] != 1:
            raise ShapeError(f"nets[0] takes {arch[0]} inputs; propagate_many needs one input")
        for i, net in enumerate(nets):
            other = (net.input_dim, net.widths, net.output_dim)
            if other != arch:
                raise ShapeError(
                    f"nets[{i}] has architecture {other[0]}-{'-'.join(map(str, other[1]))}-{other[2]}, "
                    f"nets[0] has {arch[0]}-{'-'.join(map(str, arch[1]))}-{arch[2]}: one architecture per batch"
                )
        dims = [(len(W), len(W[0])) for W, _ in nets[0].layers]
        B = len(nets)
        flat = [np.zeros((B, o * i + o), dtype=np.int64) for o, i in dims]
        dens = [np.ones(B, dtype=np.int64) for _ in dims]
        python_only = np.zeros(B, dtype=bool)
        for k, net in enumerate(nets):
            ints = _net_integers(net)
            if ints is None:
                python_only[k] = True
                continue
            for li, (vals, den) in enumerate(ints):
                flat[li][k] = vals
                dens[li][k] = den
        layers = []
        for (o, i), f, d in zip(dims, flat, dens):
            layers.append((f[:, : o * i].reshape(B, o, i), f[:, o * i:], d))
        return cls(layers, networks=nets, _python_only=python_only)

    @property
    def widths(self) -> tuple[int, ...]:
        """Hidden widths shared by the batch."""
        return tuple(W.shape[1] for W, _, _ in self._layers[:-1])

    @property
    def output_dim(self) -> int:
        return int(self._layers[-1][0].shape[1])

    def __len__(self) -> int:
        return self.size

    def network(self, index: int) -> ReLUNetwork:
        """Net ``index`` as a :class:`ReLUNetwork` (exact Fractions)."""
        if self._networks is not None:
            return self._networks[index]
        layers = []
        for W, b, D in self._layers:
            d = int(D[index])
            layers.append(([[Fraction(int(v), d) for v in row] for row in W[index]],
                           [Fraction(int(v), d) for v in b[index]]))
        return ReLUNetwork(layers)


@dataclass(frozen=True)
class BatchCounts:
    """What :func:`propagate_many` returns: exact counts per network, in the batch's order.

    Attributes
    ----------
    output_pieces : numpy.ndarray
        int64 (B, outputs): pieces of every output coordinate on the domain.
    activation_regions : numpy.ndarray
        int64 (B,): maximal sub-intervals with constant activation pattern.
    python_path : numpy.ndarray
        int64 indices of the nets counted by :func:`propagate` (Python integers)
        because their integers outgrew int64.
    traces : tuple of Trace, or None
        ``propagate(net, domain)`` of every net when asked for (``traces=True``).
    layer_regions : numpy.ndarray
        int64 (B, L): activation regions of layers 1..l in column l-1 (what
        ``Trace.layers[l-1].activation_regions`` reports; the quantity
        Serra et al. (2018), Theorem 1 bounds layer by layer).
    """

    output_pieces: np.ndarray
    activation_regions: np.ndarray
    python_path: np.ndarray
    traces: tuple[Trace, ...] | None = None
    layer_regions: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int64))

    @property
    def pieces(self) -> np.ndarray:
        """int64 (B,): pieces of the scalar output (ShapeError for several outputs)."""
        if self.output_pieces.shape[1] != 1:
            raise ShapeError(f"the nets have {self.output_pieces.shape[1]} outputs; use .output_pieces")
        return self.output_pieces[:, 0]

    def __len__(self) -> int:
        return int(self.activation_regions.shape[0])


def _budget_error(exc: BudgetExceededError, index: int) -> BudgetExceededError:
    err = BudgetExceededError(budget=exc.budget, layer=exc.layer, required=exc.required, name=exc.name)
    err.add_note(f"in nets[{index}]")
    err.net = index  # type: ignore[attr-defined]
    return err


def propagate_many(
    nets: Sequence[ReLUNetwork] | NetBatch,
    domain: Any = None,
    *,
    max_pieces: int = DEFAULT_MAX_PIECES,
    traces: bool = False,
    batch_size: int | None = None,
) -> BatchCounts:
    """Exact piece and region counts of many one-input networks of one architecture.

    Parameters
    ----------
    nets : sequence of ReLUNetwork, or NetBatch
        Networks with one input and identical widths and output dimension.
    domain : (lo, hi) or None
        As for :func:`exactrelu.propagate`: an interval, a half-line with a
        None end, or None for R.
    max_pieces : int
        Budget on the segments of any network after any layer.
    traces : bool
        Also return ``propagate(net, domain)`` for every net (one Python
        call per net; the counts still come from the batch).
    batch_size : int, optional
        Networks handed to the kernel at once (bounds the working memory);
        default ``DEFAULT_BATCH_CELLS // max width``, between 16 and 512.

    Returns
    -------
    BatchCounts
        ``.pieces`` / ``.output_pieces``, ``.activation_regions``,
        ``.layer_regions`` (int64 arrays); every entry equals what
        ``propagate(nets[i], domain)`` reports.

    Raises
    ------
    ShapeError
        Mixed architectures (the message names the first offending index),
        more than one input, bad ``max_pieces`` / ``batch_size``.
    NetworkFormatError
        An item that is not a ReLUNetwork.
    DomainError
        A reversed or empty domain.
    BudgetExceededError
        Some net would exceed ``max_pieces`` segments (``.net`` is its index).

    Examples
    --------
    >>> from exactrelu.constructions import tent_map
    >>> r = propagate_many([tent_map(k) for k in (3, 3)], (0, 1))
    >>> r.pieces.tolist(), r.activation_regions.tolist()
    ([8, 8], [8, 8])
    """
    check_int("max_pieces", max_pieces, 1)
    if batch_size is not None:
        check_int("batch_size", batch_size, 1)
    lo, hi = parse_domain(domain)
    batch = nets if isinstance(nets, NetBatch) else NetBatch.from_networks(nets)
    if batch_size is None:
        batch_size = min(512, max(16, DEFAULT_BATCH_CELLS // max(batch.widths, default=1)))
    B = batch.size
    out_dim = batch.output_dim
    pieces = np.zeros((B, out_dim), dtype=np.int64)
    regions = np.zeros(B, dtype=np.int64)
    layer_regions = np.zeros((B, len(batch.widths)), dtype=np.int64)
    slow: list[int] = [int(i) for i in np.flatnonzero(batch._python_only)]
    todo = [(start, min(B, start + batch_size)) for start in range(0, B, batch_size)]
    while todo:
        start, stop = todo.pop()
        part = [(W[start:stop], b[start:stop], D[start:stop]) for W, b, D in batch._int64]
        p, r, lr, evicted, over = count_batch(part, lo, hi, max_pieces, max_cells=DEFAULT_BATCH_MAX_CELLS)
        if over is not None:
            k, layer, required = over
            if k < 0:  # the batch as a whole outgrew its memory budget: halve it
                middle = (start + stop) // 2
                todo.extend([(start, middle), (middle, stop)])
                continue
            err = BudgetExceededError(budget=max_pieces, layer=layer, required=required)
            raise _budget_error(err, start + k)
        pieces[start:stop] = p
        regions[start:stop] = r
        layer_regions[start:stop] = lr
        slow.extend(int(start + e) for e in evicted if not batch._python_only[start + e])
    slow = sorted(set(slow))
    trace_list: list[Trace | None] = [None] * B
    for i in slow:
        try:
            t = propagate(batch.network(i), (lo, hi), max_pieces=max_pieces)
        except BudgetExceededError as exc:
            raise _budget_error(exc, i) from None
        pieces[i] = t.output_pieces
        regions[i] = t.activation_regions
        layer_regions[i] = [layer.activation_regions for layer in t.layers]
        trace_list[i] = t
    all_traces = None
    if traces:
        out = []
        for i in range(B):
            known = trace_list[i]
            out.append(known if known is not None else propagate(batch.network(i), (lo, hi), max_pieces=max_pieces))
        all_traces = tuple(out)
    return BatchCounts(pieces, regions, np.array(slow, dtype=np.int64), all_traces, layer_regions)


def propagate_mixed(
    nets: Sequence[ReLUNetwork],
    domain: Any = None,
    *,
    max_pieces: int = DEFAULT_MAX_PIECES,
    traces: bool = False,
) -> BatchCounts:
    """:func:`propagate_many` for networks of several architectures (one batch per architecture).

    The results come back in the order of ``nets``; ``output_pieces`` has as
    many columns as the widest output and ``layer_regions`` as the deepest
    net, the missing entries being -1.

    Examples
    --------
    >>> from exactrelu.constructions import tent_map
    >>> r = propagate_mixed([tent_map(2), tent_map(3), tent_map(2)], (0, 1))
    >>> r.pieces.tolist(), r.layer_regions.tolist()
    ([4, 8, 4], [[2, 4, -1], [2, 4, 8], [2, 4, -1]])
    """
    nets = list(nets)
    for i, net in enumerate(nets):
        if not isinstance(net, ReLUNetwork):
            raise NetworkFormatError(f"nets[{i}] is a {type(net).__name__}, not a ReLUNetwork")
    groups: dict[tuple, list[int]] = {}
    for i, net in enumerate(nets):
        groups.setdefault((net.input_dim, net.widths, net.output_dim), []).append(i)
    B = len(nets)
    width_out = max((net.output_dim for net in nets), default=1)
    depth = max((net.depth for net in nets), default=0)
    pieces = np.full((B, width_out), -1, dtype=np.int64)
    regions = np.zeros(B, dtype=np.int64)
    layer_regions = np.full((B, depth), -1, dtype=np.int64)
    slow: list[int] = []
    trace_list: list[Trace | None] = [None] * B
    for indices in groups.values():
        try:
            part = propagate_many([nets[i] for i in indices], domain, max_pieces=max_pieces, traces=traces)
        except BudgetExceededError as exc:
            raise _budget_error(exc, indices[getattr(exc, "net", 0)]) from None
        except ShapeError as exc:
            raise ShapeError(f"nets[{indices[0]}]: {exc}") from None
        idx = np.array(indices)
        pieces[idx, : part.output_pieces.shape[1]] = part.output_pieces
        regions[idx] = part.activation_regions
        layer_regions[idx, : part.layer_regions.shape[1]] = part.layer_regions
        slow.extend(indices[k] for k in part.python_path.tolist())
        if part.traces is not None:
            for k, t in zip(indices, part.traces):
                trace_list[k] = t
    all_traces = tuple(t for t in trace_list if t is not None) if traces else None
    return BatchCounts(pieces, regions, np.array(sorted(slow), dtype=np.int64), all_traces, layer_regions)


# ------------------------------------------------------------- report lines
def check_against_propagate(count: int = 200, seed: int = 2019, widths: tuple[int, ...] = (8, 8), *,
                            domain: Any = (-2, 2), reference: Any = None) -> Any:
    """``propagate_many`` equals ``propagate`` on ``count`` random exact nets (pieces, regions, per layer).

    ``reference`` (default :func:`exactrelu.propagate`) may be replaced by a
    deliberately wrong counter to see the line fail.
    """
    from .constructions import random_network
    from .report import CheckResult

    ref = reference or (lambda net, dom: propagate(net, dom))
    nets = [random_network(widths, seed=seed + i) for i in range(count)]
    batch = propagate_many(nets, domain)
    witness = None
    for i, net in enumerate(nets):
        trace = ref(net, domain)
        layers = tuple(trace.layers[l].activation_regions for l in range(net.depth))
        got = (int(batch.pieces[i]), int(batch.activation_regions[i]), tuple(int(v) for v in batch.layer_regions[i]))
        if got != (trace.pieces, trace.activation_regions, layers):
            witness = net
            break
    return CheckResult(f"propagate_many == propagate on {count} random 1-{'-'.join(map(str, widths))}-1 nets",
                       "exactrelu (two implementations); docs/theory.md §0", witness is None,
                       f"{count} nets", "equal pieces, regions and per-layer regions",
                       "" if witness is None else f"differs on {witness!r}", witness=witness)


def check_serra_batched(count: int = 400, seed: int = 2018, widths: tuple[int, ...] = (3, 3, 3), *,
                        bound: Any = None) -> Any:
    """Serra et al. (2018), Theorem 1 (n0 = 1) layer by layer on ``count`` random nets, counted in one batch.

    ``bound`` (default :func:`exactrelu.bounds.serra_layer_bounds`) may be replaced
    by a too-small bound to see the line fail.
    """
    from .bounds import serra_layer_bounds
    from .constructions import random_network
    from .report import CheckResult

    bounds = tuple(bound(widths) if bound else serra_layer_bounds(widths))
    nets = [random_network(widths, seed=seed + i) for i in range(count)]
    layer_regions = propagate_many(nets, None).layer_regions
    worst = [int(v) for v in layer_regions.max(axis=0)]
    bad = [i for i, row in enumerate(layer_regions) if any(int(r) > b for r, b in zip(row, bounds))]
    return CheckResult(f"Serra et al. Thm 1 per layer on R, {count} random 1-{'-'.join(map(str, widths))}-1 nets (batched)",
                       "Serra, Tjandraatmadja, Ramalingam (2018), Theorem 1; docs/theory.md §1", not bad,
                       f"most regions per layer {worst}", f"<= {list(bounds)}",
                       "" if not bad else f"{len(bad)} nets exceed it, e.g. {nets[bad[0]]!r}",
                       witness=nets[bad[0]] if bad else None)


def verify_checks() -> list[Any]:
    """The batched propagator's lines of ``exactrelu verify`` (each fails on a wrong reference or bound)."""
    return [check_against_propagate(), check_serra_batched()]
