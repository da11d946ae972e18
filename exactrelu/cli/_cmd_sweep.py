"""``exactrelu sweep``: exact region counts over a grid of random networks (Hanin-Rolnick sweeps).

Records go to ``--out`` (JSON lines, resumable: run the same command again
after an interruption and only the missing networks are computed; a finished
file is reloaded without recomputing).  ``--workers N`` uses local processes,
``--scheduler tcp://HOST:PORT`` a Dask cluster.  Exit status 0 when done,
2 on bad input or when every cluster worker is gone (records kept).
"""

from __future__ import annotations

import json
import sys

from ._common import parse_widths, print_table, show_progress

NAME = "sweep"
HELP = ("Count regions exactly over a grid of randomly initialised networks (Hanin and Rolnick's "
        "experiments): resumable JSON-lines records, local processes or a Dask cluster, table/--json/--plot.")


def add_arguments(parser) -> None:
    parser.add_argument("--widths", default="8,16,32", help="hidden widths of the grid (default 8,16,32)")
    parser.add_argument("--depths", default="1,2,4,8", help="depths (hidden layers) of the grid (default 1,2,4,8)")
    parser.add_argument("--input-dims", default="1",
                        help="input dimensions (default 1); n > 1 is cut along lines (or planes) through data-like points")
    parser.add_argument("--inits", default="he_normal",
                        help="initialisations: he_normal, he_uniform, torch_default (torch), "
                             "he_normal_numpy, he_uniform_numpy (numpy stream), grid_uniform (exact rationals)")
    parser.add_argument("--networks", type=int, default=100, help="networks per architecture (default 100)")
    parser.add_argument("--seed", type=int, default=0, help="sweep seed (default 0)")
    parser.add_argument("--bias-std", default="1/1000", help="std of the normal biases (default 1/1000)")
    parser.add_argument("--half-width", default="1", help="1-D input: the line is [-h, h] (default 1)")
    parser.add_argument("--slice", choices=("line", "plane"), default="line", help="count along a line or in a plane")
    parser.add_argument("--distance-points", type=int, default=8, help="random points per net for distances (default 8)")
    parser.add_argument("--unit-size", type=int, default=25, help="networks per work unit (default 25)")
    parser.add_argument("--out", metavar="RECORDS.jsonl", help="records file (resumed if it exists)")
    parser.add_argument("--workers", type=int, default=1, help="local worker processes (default 1: in-process)")
    parser.add_argument("--scheduler", metavar="ADDR", help="Dask scheduler, e.g. tcp://127.0.0.1:8786")
    parser.add_argument("--worker-timeout", type=float, default=60.0,
                        help="seconds without any Dask worker before giving up (exit 2, records kept)")
    parser.add_argument("--plot", metavar="FILE.png", help="write the figure (matplotlib)")
    parser.add_argument("--json", action="store_true", help="machine-readable output, no progress bar")


#: Columns of the text table (short headers: it must fit 80 columns).
_COLUMNS = (
    ("n0", "input_dim"), ("width", "width"), ("depth", "depth"), ("N", "neurons"), ("init", "init"),
    ("nets", "networks"), ("regions", "regions_mean"), ("reg/N", "regions_per_neuron_mean"),
    ("pieces", "pieces_mean"), ("dist*N", "distance_x_neurons_mean"),
    ("2-D regions", "regions_2d_mean"), ("reg/N^2", "regions_per_neuron2_mean"), ("ok", "bounds_hold"),
)


def _ints(text: str, name: str) -> tuple[int, ...]:
    from ..errors import ShapeError

    try:
        return parse_widths(text)
    except ShapeError:
        raise ShapeError(f"--{name}={text!r} must be comma-separated positive ints") from None


def _config(args):
    from ..experiments import SweepConfig

    return SweepConfig(
        widths=_ints(args.widths, "widths"), depths=_ints(args.depths, "depths"),
        input_dims=_ints(args.input_dims, "input-dims"),
        inits=tuple(s.strip() for s in args.inits.split(",") if s.strip()),
        networks=args.networks, seed=args.seed, bias_std=args.bias_std, half_width=args.half_width,
        slice=args.slice, distance_points=args.distance_points, unit_size=args.unit_size,
    )


def run(args) -> int:
    from ..experiments import run_sweep
    from ..experiments.summary import format_table, summarize, to_json_rows

    config = _config(args)
    bar = None
    update = None
    if show_progress(args):
        from tqdm import tqdm

        bar = tqdm(total=config.total, desc="sweep", unit="net", file=sys.stderr, leave=False)

        def update(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

    try:
        result = run_sweep(config, args.out, workers=args.workers, scheduler=args.scheduler,
                           progress=update, worker_timeout=args.worker_timeout)
    finally:
        if bar is not None:
            bar.close()
    rows = summarize(result.records)
    if args.plot:
        from ..experiments.figures import plot_summary

        plot_summary(rows, args.plot)
    if args.json:
        print(json.dumps({
            "format": "exactrelu-sweep-summary", "version": 1, "config": config.to_dict(),
            "records_file": args.out, "engine": result.engine, "computed": result.computed,
            "reused": result.reused, "seconds": round(result.seconds, 3),
            "networks_per_second": round(result.rate, 2), "summary": to_json_rows(rows),
        }, indent=1))
        return 0
    print(f"{len(result.records)} networks: {result.computed} computed, {result.reused} reused; "
          f"{result.seconds:.1f} s {result.engine}" + (f", {result.rate:.1f} nets/s" if result.computed else ""))
    columns = tuple(c for c in _COLUMNS if any(r.get(c[1]) is not None for r in rows))
    print_table(format_table(rows, columns), [h for h, _ in columns])
    print("N neurons; exact means, rounded (--json: exact); ok: all bounds hold")
    if any(c[0] == "dist*N" for c in columns):
        print("dist*N: mean distance to the nearest boundary along the line (in t), times N")
    if args.plot:
        print(f"figure: {args.plot}")
    return 0
