"""``exactrelu count NET.json --domain A B [--chunks N] [--workers N | --scheduler ADDR] [--json]``.

Exact pieces and activation regions of a one-input, one-output network on a
bounded interval, counted chunk by chunk in bounded memory
(:func:`exactrelu.chunked.count_pieces_chunked`): in this process, on local
processes (``--workers``) or on a Dask cluster (``--scheduler``).
"""

from __future__ import annotations

import json
import sys

from ._common import domain_from_args, load_network_arg, print_table, show_progress

NAME = "count"
HELP = ("Count pieces and activation regions of a deep one-input network exactly, chunk by chunk "
        "(bounded memory; local processes or a Dask cluster).")


def add_arguments(parser) -> None:
    parser.add_argument("network", help="network file: exactrelu JSON holding a network, or .onnx, .pt/.pth, .npz, .safetensors")
    parser.add_argument("--domain", nargs=2, metavar=("A", "B"), required=True, help="a bounded interval [A, B]")
    parser.add_argument("--chunks", type=int, default=None, help="initial number of equal chunks (default 4 per worker)")
    parser.add_argument("--workers", type=int, default=None, help="local worker processes (default: this process)")
    parser.add_argument("--scheduler", default=None, help="Dask scheduler address, e.g. tcp://127.0.0.1:8786")
    parser.add_argument("--max-pieces", type=int, default=None, help="budget on the segments of one chunk (chunks over it are split)")
    parser.add_argument("--memory", type=int, default=None, help="bytes one chunk may use (chunks over it are split)")
    parser.add_argument("--json", action="store_true", help="print one JSON object (format exactrelu-count, version 1)")


def run(args) -> int:
    from ..chunked import count_pieces_chunked

    net = load_network_arg(args.network)
    domain = domain_from_args(args.domain)
    bar = None
    progress = None
    if show_progress(args):
        from tqdm import tqdm

        bar = tqdm(desc="count", unit="chunk", leave=False)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

    try:
        result = count_pieces_chunked(net, domain, chunks=args.chunks, workers=args.workers,
                                      scheduler=args.scheduler, max_pieces=args.max_pieces,
                                      memory=args.memory, progress=progress)
    finally:
        if bar is not None:
            bar.close()
    lo, hi = domain if domain is not None else (None, None)
    if args.json:
        print(json.dumps({
            "format": "exactrelu-count", "version": 1,
            "domain": [str(lo), str(hi)], "widths": list(net.widths),
            "pieces": result.pieces, "activation_regions": result.activation_regions,
            "chunks": result.chunks, "splits": result.splits, "kinks_at_borders": result.kinks_at_borders,
            "seconds": round(result.seconds, 3), "peak_rss_bytes": result.peak_rss,
        }, indent=1))
        return 0
    print(f"network: widths {net.widths}, domain [{lo}, {hi}]")
    print(f"pieces: {result.pieces}")
    print(f"activation regions: {result.activation_regions}")
    print(f"chunks: {result.chunks} ({result.splits} split for the budget), "
          f"{result.kinks_at_borders} borders at kinks, {result.seconds:.2f} s\n")
    rows = [[worker, f"{rss / 2**20:.0f} MiB"] for worker, rss in sorted(result.peak_rss.items())]
    print_table(rows, ["worker", "peak memory"], file=sys.stdout)
    return 0
