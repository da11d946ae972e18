"""``exactrelu regions NET --box A B [C D ...] [--plane P0 P1 P2] [--max-regions N] [--json]``."""

from __future__ import annotations

import json
import time

from ._common import load_network_arg, print_table, show_progress

NAME = "regions"
HELP = "Exact activation regions of a network on a box or a 2-D slice: counts, pieces, per-layer bounds."


def add_arguments(parser) -> None:
    parser.add_argument("network", help="network file (.json, .onnx, .pt, .npz, .safetensors)")
    parser.add_argument("--box", nargs="+", metavar="V",
                        help="box as lo1 hi1 lo2 hi2 ... (with --plane: bounds of the slice coordinates; "
                             "default [0, 1]^2 there)")
    parser.add_argument("--plane", nargs=3, metavar="P", help="2-D slice through three points, each 'x1,x2,...'")
    parser.add_argument("--max-regions", type=int, default=None,
                        help="budget on activation regions, checked before memory is spent (default 2^20)")
    parser.add_argument("--regions", action="store_true", help="with --json: list every region")
    parser.add_argument("--plot", metavar="FILE", help="draw a 2-D complex to FILE (.png, .svg or .pdf; needs matplotlib)")
    parser.add_argument("--json", action="store_true",
                        help="print the complex's counts as JSON (format exactrelu-regions; machine-readable)")


def _pairs(values: list[str]):
    from ..errors import DomainError

    if len(values) % 2:
        raise DomainError(f"--box needs an even number of values (lo hi per side), got {len(values)}")
    return [(values[i].strip(), values[i + 1].strip()) for i in range(0, len(values), 2)]


def run(args) -> int:
    from ..bounds import serra_layer_bounds
    from ..errors import DomainError
    from ..polyhedral import DEFAULT_MAX_REGIONS, Plane, regions

    from .._validate import check_int

    max_regions = DEFAULT_MAX_REGIONS if args.max_regions is None else check_int("--max-regions", args.max_regions, 1)
    if args.plot:
        from ..plot import PlotFormatError

        if not str(args.plot).lower().endswith((".png", ".svg", ".pdf")):
            raise PlotFormatError(f"--plot {args.plot!r}: the file name must end in .png, .svg or .pdf")
    net = load_network_arg(args.network)
    if args.plane:
        points = [tuple(p.strip() for p in text.split(",")) for text in args.plane]
        bounds = _pairs(args.box) if args.box else [("0", "1"), ("0", "1")]
        domain: Plane | list[tuple[str, str]] = Plane(points[0], points[1], points[2], bounds=bounds)
        dim = 2
    else:
        if not args.box:
            raise DomainError("give --box lo1 hi1 ... (one pair per input) or --plane P0 P1 P2")
        pairs = _pairs(args.box)
        domain = pairs
        dim = len(pairs)
    start = time.perf_counter()
    cx = regions(net, domain, max_regions=max_regions, progress=show_progress(args))
    seconds = time.perf_counter() - start
    if args.plot:
        if cx.dim != 2:
            raise DomainError(f"--plot draws 2-D complexes; this one is {cx.dim}-D (use --plane for a slice)")
        from ..plot import plot_regions, save

        save(plot_regions(cx, decision_boundary=True), args.plot)
    bounds = serra_layer_bounds(net.widths, dim) if net.widths else ()
    single = net.output_dim == 1
    holds = all(m <= b for m, b in zip(cx.layer_regions, bounds))
    if args.json:
        if args.regions:
            out = cx.to_dict()
        else:
            out = {"format": "exactrelu-regions", "version": 1, "dim": cx.dim, "widths": list(net.widths),
                   "activation_regions": cx.activation_regions, "pieces": cx.pieces if single else None,
                   "num_vertices": cx.num_vertices, "num_edges": cx.num_edges,
                   "layer_regions": list(cx.layer_regions)}
        out["serra_layer_bounds"] = list(bounds)
        out["bounds_hold"] = holds
        out["seconds"] = round(seconds, 4)
        print(json.dumps(out, indent=1))
        return 0 if holds else 1
    print(f"network: widths {net.widths}, input dimension {net.input_dim}; domain: "
          + (f"box {' x '.join(f'[{lo}, {hi}]' for lo, hi in domain)}" if isinstance(domain, list)
             else "plane slice"))
    print(f"activation regions: {cx.activation_regions}")
    if single:
        print(f"pieces: {cx.pieces}")
    print(f"vertices: {cx.num_vertices}, edges: {cx.num_edges}  ({seconds:.3f} s)\n")
    rows = [[str(layer), str(m), str(b), "yes" if m <= b else "NO"]
            for layer, (m, b) in enumerate(zip(cx.layer_regions, bounds), start=1)]
    if rows:
        print_table(rows, ["layer", "regions of layers 1..l", "Serra et al. (2018) Thm 1", "holds"])
    return 0 if holds else 1
