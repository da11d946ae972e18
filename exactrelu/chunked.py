"""Count the pieces of very deep one-input networks in bounded memory, chunk by chunk.

:func:`count_pieces_chunked` splits a bounded domain ``[lo, hi]`` into
sub-intervals (chunks) with rational ends, counts every chunk independently
with :func:`exactrelu.propagate` (in this process, on local processes, or on a
Dask cluster), and glues the counts back together exactly:

* a border point ``p`` between two chunks is a kink of the output iff the
  output's slopes just left and just right of ``p`` differ, and a border of
  two activation regions iff the activation patterns just left and just right
  of ``p`` differ.  Both one-sided slopes and patterns come from one exact
  forward pass at ``p`` that carries every unit's value and one-sided
  derivative (:func:`one_sided`): a unit is on just right of ``p`` iff
  ``(z, z')`` is lexicographically positive (``z'`` the right derivative);
* so ``pieces = sum(chunk pieces) - #(borders where the slopes agree)`` and
  ``regions = sum(chunk regions) - #(borders where the patterns agree)``: a
  border that is not a kink cut one piece in two, a border at a kink cut
  nothing.

Memory is bounded per chunk: every chunk runs under ``max_pieces`` /
``max_cells`` budgets, and a chunk that would exceed them is split (into
enough parts for the size it reported when it stopped) and counted again, so
the peak memory of a worker is set by the budget, not by the network's depth.
A chunk's result is two integers, so workers ship no traces.

The benchmark case is the tent map of Telgarsky (2016), "Benefits of depth in
neural networks" (COLT), D(x) = 2 relu(x) - 2 relu(2x - 1): D composed k times
has 2^k pieces on [0, 1] (docs/theory.md §2), at depths (k = 30: 10^9 pieces)
no single propagation fits in memory.
"""

from __future__ import annotations

import math
import os
import resource
import sys
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable

from ._cluster import connect
from ._validate import check_int, parse_domain
from .errors import BudgetExceededError, DomainError, ShapeError
from .network import ReLUNetwork
from .propagate import DEFAULT_MAX_CELLS, DEFAULT_MAX_PIECES, propagate
from .rationals import to_rational

__all__ = ["count_pieces_chunked", "ChunkedCount", "one_sided", "chunk_borders", "count_chunk"]

#: Bytes of memory one stored column integer costs propagate at peak (a measured, generous factor).
BYTES_PER_CELL = 48


@dataclass(frozen=True)
class ChunkedCount:
    """The exact counts of :func:`count_pieces_chunked` and how they were obtained.

    Attributes
    ----------
    pieces : int
        Pieces of the (scalar) output on the domain.
    activation_regions : int
        Maximal sub-intervals with a constant activation pattern.
    chunks : int
        Chunks finally counted (after any budget splits).
    kinks_at_borders : int
        Chunk borders that are kinks of the output (counted once).
    splits : int
        Chunks that exceeded the budget and were split.
    seconds : float
        Wall time.
    peak_rss : dict
        Peak resident memory in bytes (``ru_maxrss``) of every process that
        counted a chunk, keyed ``"host:pid"``.
    """

    pieces: int
    activation_regions: int
    chunks: int
    kinks_at_borders: int
    splits: int
    seconds: float
    peak_rss: dict = field(default_factory=dict)


def _max_rss_bytes() -> int:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(rss) if sys.platform == "darwin" else int(rss) * 1024


def count_chunk(net: ReLUNetwork, a: Fraction, b: Fraction, max_pieces: int, max_cells: int):
    """Count one chunk ``[a, b]``: ``("ok", pieces, regions, worker, rss)`` or ``("split", parts, 0, worker, rss)``.

    ``parts`` is how many sub-chunks the chunk should be cut into when it
    would exceed a budget: the size it reached at the layer where it stopped,
    grown by the same geometric rate through the remaining layers (exact for
    the tent map), over the budget, with a margin.

    Runs in a worker; module-level so that it pickles.
    """
    worker = f"{os.uname().nodename}:{os.getpid()}"
    try:
        trace = propagate(net, (a, b), max_pieces=max_pieces, max_cells=max_cells)
        pieces, regions = trace.pieces, trace.activation_regions
        del trace
    except BudgetExceededError as exc:
        hidden = max(1, net.depth)
        layer = min(max(1, int(exc.layer)), hidden)
        rate = max(1.0, float(exc.required)) ** (1.0 / layer)
        estimate = float(exc.required) * rate ** (hidden - layer)
        parts = max(2, min(1 << 16, math.ceil(1.25 * estimate / max(1, int(exc.budget)))))
        return ("split", parts, 0, worker, _max_rss_bytes())
    return ("ok", int(pieces), int(regions), worker, _max_rss_bytes())


def one_sided(net: ReLUNetwork, x: Any, direction: int):
    """The output's slope and the activation pattern just beside ``x`` (exact).

    Parameters
    ----------
    net : ReLUNetwork
        A network with one input and one output.
    x : rational
    direction : +1 or -1
        +1 for just right of ``x``, -1 for just left.

    Returns
    -------
    (slope, pattern)
        ``slope`` the output's derivative on the piece beside ``x`` (a
        Fraction, d/dx whatever the direction); ``pattern`` a tuple of tuples
        of bool, unit j of hidden layer l+1 on.

    Examples
    --------
    >>> from exactrelu.constructions import tent_map
    >>> one_sided(tent_map(1), "1/2", -1), one_sided(tent_map(1), "1/2", +1)
    ((Fraction(2, 1), ((True, False),)), (Fraction(-2, 1), ((True, True),)))
    """
    if direction not in (1, -1):
        raise ShapeError(f"direction={direction!r} must be +1 or -1")
    values = [to_rational(x, where="x")]
    rates = [Fraction(direction)]  # derivative along the direction of travel
    pattern: list[tuple[bool, ...]] = []
    layers = net.layers
    for index, (weight, bias) in enumerate(layers):
        z = [sum((w * v for w, v in zip(row, values)), start=b) for row, b in zip(weight, bias)]
        dz = [sum((w * r for w, r in zip(row, rates)), start=Fraction(0)) for row in weight]
        if index == len(layers) - 1:
            return dz[0] * direction, tuple(pattern)
        on = tuple(zj > 0 or (zj == 0 and dj > 0) for zj, dj in zip(z, dz))
        pattern.append(on)
        values = [zj if o else Fraction(0) for zj, o in zip(z, on)]
        rates = [dj if o else Fraction(0) for dj, o in zip(dz, on)]
    raise ShapeError("the network has no layers")  # unreachable: ReLUNetwork has >= 1 layer


def chunk_borders(lo: Fraction, hi: Fraction, chunks: int) -> list[Fraction]:
    """``chunks + 1`` equally spaced rational points from ``lo`` to ``hi``.

    >>> chunk_borders(Fraction(0), Fraction(1), 4)
    [Fraction(0, 1), Fraction(1, 4), Fraction(1, 2), Fraction(3, 4), Fraction(1, 1)]
    """
    return [lo + (hi - lo) * Fraction(i, chunks) for i in range(chunks + 1)]


def _submitter(executor: Any, workers: int | None, scheduler: Any):
    """``(submit, close)``: ``submit(fn, *args)`` returns an object with ``.result()``."""
    if scheduler is not None:
        client, own = connect(scheduler)

        def close_client() -> None:
            if own:
                client.close()

        return (lambda fn, *args: client.submit(fn, *args, pure=False)), close_client
    if executor is not None:
        return executor.submit, (lambda: None)
    if workers is not None and workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(max_workers=workers)
        return pool.submit, (lambda: pool.shutdown(wait=True, cancel_futures=True))

    class _Done:
        def __init__(self, value: Any):
            self.value = value

        def result(self) -> Any:
            return self.value

    return (lambda fn, *args: _Done(fn(*args))), (lambda: None)


def count_pieces_chunked(
    net: ReLUNetwork,
    domain: Any,
    *,
    chunks: int | None = None,
    memory: int | None = None,
    max_pieces: int | None = None,
    executor: Any = None,
    workers: int | None = None,
    scheduler: Any = None,
    progress: Callable[[int, int], None] | None = None,
) -> ChunkedCount:
    """Exact pieces and activation regions of a one-input, one-output net, chunk by chunk.

    Parameters
    ----------
    net : ReLUNetwork
        One input, one output.
    domain : (lo, hi)
        A bounded interval.
    chunks : int, optional
        Initial number of equal chunks (default: ``4 * workers``, or 1).
        Chunks that exceed the budget are split further.
    memory : int, optional
        Bytes a chunk may use (sets ``max_cells``; default propagate's, about 2 GiB).
    max_pieces : int, optional
        Budget on the segments of one chunk (default propagate's, 4,194,304).
    executor : concurrent.futures.Executor, optional
        Where chunks run (anything with ``submit(fn, *args) -> future``).
    workers : int, optional
        Run on a local ``ProcessPoolExecutor`` with this many processes.
    scheduler : str or distributed.Client, optional
        A Dask scheduler address (``"tcp://host:8786"``) or a connected Client.
    progress : callable, optional
        Called as ``progress(done, total)`` after every chunk.

    Returns
    -------
    ChunkedCount

    Raises
    ------
    DomainError
        An unbounded, empty or reversed domain.
    ShapeError
        More than one input or output, or bad ``chunks``/``workers``/budgets.

    Examples
    --------
    >>> from exactrelu.constructions import tent_map
    >>> r = count_pieces_chunked(tent_map(6), (0, 1), chunks=3)
    >>> r.pieces, r.activation_regions, r.chunks
    (64, 64, 3)
    """
    start_time = time.perf_counter()
    if not isinstance(net, ReLUNetwork):
        raise ShapeError(f"net must be a ReLUNetwork, got {type(net).__name__}")
    if net.input_dim != 1 or net.output_dim != 1:
        raise ShapeError(f"count_pieces_chunked needs one input and one output, the net has "
                         f"{net.input_dim} and {net.output_dim}")
    lo, hi = parse_domain(domain)
    if lo is None or hi is None:
        raise DomainError(f"domain={domain!r} must be a bounded interval (lo, hi) to be cut into chunks")
    if workers is not None:
        check_int("workers", workers, 1)
    if sum(x is not None for x in (executor, scheduler)) + (workers is not None and workers > 1) > 1:
        raise ShapeError("give at most one of executor=, workers= (> 1) and scheduler=")
    n_chunks = check_int("chunks", chunks, 1) if chunks is not None else 4 * (workers or 1)
    budget = DEFAULT_MAX_PIECES if max_pieces is None else check_int("max_pieces", max_pieces, 1)
    cells = DEFAULT_MAX_CELLS if memory is None else max(1, check_int("memory", memory, 1) // BYTES_PER_CELL)
    submit, close = _submitter(executor, workers, scheduler)
    borders = chunk_borders(lo, hi, n_chunks)
    pending = [(a, b) for a, b in zip(borders[:-1], borders[1:])]
    done: dict[tuple[Fraction, Fraction], tuple[int, int]] = {}
    peak: dict[str, int] = {}
    splits = 0
    try:
        while pending:
            futures = [((a, b), submit(count_chunk, net, a, b, budget, cells)) for a, b in pending]
            pending = []
            for k, ((a, b), future) in enumerate(futures):
                status, x, y, worker, rss = future.result()
                peak[worker] = max(peak.get(worker, 0), rss)
                if status == "ok":
                    done[(a, b)] = (x, y)
                    if progress is not None:
                        progress(len(done), len(done) + len(pending) + len(futures) - k - 1)
                    continue
                # too big for the budget: cut it into the parts its worker estimated (at least two)
                splits += 1
                sub = chunk_borders(a, b, x)
                pending.extend(zip(sub[:-1], sub[1:]))
    finally:
        close()
    intervals = sorted(done)
    pieces = sum(done[c][0] for c in intervals)
    regions = sum(done[c][1] for c in intervals)
    kinks = 0
    for (_, p), _next in zip(intervals[:-1], intervals[1:]):
        left_slope, left_pattern = one_sided(net, p, -1)
        right_slope, right_pattern = one_sided(net, p, +1)
        if left_slope == right_slope:
            pieces -= 1
        else:
            kinks += 1
        if left_pattern == right_pattern:
            regions -= 1
    return ChunkedCount(
        pieces=pieces,
        activation_regions=regions,
        chunks=len(intervals),
        kinks_at_borders=kinks,
        splits=splits,
        seconds=time.perf_counter() - start_time,
        peak_rss=peak,
    )
