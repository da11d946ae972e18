"""Benchmark chunked exact counting of very deep nets: the tent map D^k on [0, 1] (2^k pieces).

:func:`exactrelu.chunked.count_pieces_chunked` cuts [0, 1] into chunks,
counts each with ``propagate`` in a worker process (a local
``ProcessPoolExecutor`` or a Dask cluster), and glues the counts exactly at the
borders.  For each k this prints the exact count (asserted to be 2^k), the
wall time, the number of chunks (after budget splits) and the peak resident
memory (``ru_maxrss``, read inside every worker) of each worker.

Usage::

    python benchmarks/bench_deep.py --k 26 --workers 2              # 2^26 pieces, chunks of <= 2^22
    python benchmarks/bench_deep.py --k 30 --workers 2              # 2^30 pieces (minutes)
    python benchmarks/bench_deep.py --k 26 --scheduler tcp://127.0.0.1:8786
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time

from exactrelu import tent_map
from exactrelu.chunked import count_pieces_chunked


def run(k: int, chunks: int | None, workers: int, max_pieces: int, memory: int | None, scheduler: str | None):
    kwargs = dict(chunks=chunks, max_pieces=max_pieces, memory=memory)
    if scheduler:
        kwargs["scheduler"] = scheduler
    else:
        kwargs["workers"] = workers
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.perf_counter()
        if sys.stderr.isatty() or now - last[0] > 30:
            last[0] = now
            print(f"  k={k}: {done}/{total} chunks", file=sys.stderr, flush=True)

    start = time.perf_counter()
    r = count_pieces_chunked(tent_map(k), (0, 1), progress=progress, **kwargs)
    seconds = time.perf_counter() - start
    assert r.pieces == 2**k and r.activation_regions == 2**k, (k, r.pieces, r.activation_regions)
    return {
        "k": k, "pieces": r.pieces, "regions": r.activation_regions, "seconds": round(seconds, 2),
        "chunks": r.chunks, "splits": r.splits, "kinks_at_borders": r.kinks_at_borders,
        "peak_rss_gb_per_worker": {w: round(v / 2**30, 3) for w, v in sorted(r.peak_rss.items())},
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--k", type=int, action="append", help="depth (repeatable; default 26)")
    parser.add_argument("--chunks", type=int, default=None, help="initial chunks (default 2^(k-22), at least 4 per worker)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--max-pieces", type=int, default=1 << 22, help="segments one chunk may hold")
    parser.add_argument("--memory", type=int, default=None, help="bytes one chunk may use")
    parser.add_argument("--scheduler", default=None, help="a Dask scheduler address instead of local processes")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    rows = []
    for k in args.k or [26]:
        chunks = args.chunks or max(4 * args.workers, 2 ** max(0, k - 22))
        rows.append(run(k, chunks, args.workers, args.max_pieces, args.memory, args.scheduler))
        if not args.json:
            print(json.dumps(rows[-1]), flush=True)
    meta = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": platform.machine(),
            "workers": args.workers if not args.scheduler else args.scheduler}
    if args.json:
        print(json.dumps({"format": "exactrelu-bench-deep", "version": 1, "meta": meta, "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
