"""``exactrelu pieces NET.json [--domain A B]``: exact pieces and regions against the bounds."""

from __future__ import annotations

import json

from ._common import check_writable, domain_from_args, load_network_arg, print_table, show_progress

NAME = "pieces"
HELP = "Propagate a one-input network exactly; print pieces, activation regions and the bounds per layer."


def add_arguments(parser) -> None:
    parser.add_argument("network", help="network file: any exactrelu JSON file holding one (network, witness, tightness result), "
                                            "or .onnx, .pt/.pth, .npz, .safetensors")
    parser.add_argument("--domain", nargs=2, metavar=("A", "B"), help="interval (inf/-inf allowed); default R")
    parser.add_argument("--max-pieces", type=int, default=None, help="budget on segments per layer (a positive int)")
    parser.add_argument("--plot", metavar="FILE", help="also draw the output function, pieces coloured and kinks "
                        "marked (.png, .svg or .pdf; needs matplotlib)")
    parser.add_argument("--layers", action="store_true",
                        help="with --plot: draw every unit's pre- and post-activation, layer by layer, and the output")
    parser.add_argument("--json", action="store_true", help="print one JSON object (format exactrelu-pieces, version 1)")


def run(args) -> int:
    from .._validate import check_int
    from ..bounds import check_bounds
    from ..propagate import DEFAULT_MAX_PIECES, propagate

    if args.max_pieces is not None:  # 0 is an error, not "the default"
        check_int("--max-pieces", args.max_pieces, 1)
    domain = domain_from_args(args.domain)
    net = load_network_arg(args.network)
    max_pieces = DEFAULT_MAX_PIECES if args.max_pieces is None else args.max_pieces
    if args.layers and not args.plot:
        from ..errors import ShapeError

        raise ShapeError("--layers goes with --plot FILE")
    if args.plot:
        check_writable(args.plot, "--plot")
        if not args.plot.lower().endswith((".png", ".svg", ".pdf")):
            from ..errors import ShapeError

            raise ShapeError(f"--plot={args.plot}: the name must end in .png, .svg or .pdf")
    trace = propagate(net, domain, max_pieces=max_pieces, progress=show_progress(args))
    if args.plot:
        _plot(args, net, trace, domain)
    report = check_bounds(trace)
    lo, hi = trace.domain
    dom = f"[{'-inf' if lo is None else lo}, {'+inf' if hi is None else hi}]"
    if args.json:
        print(json.dumps({
            "format": "exactrelu-pieces", "version": 1,
            "domain": [None if lo is None else str(lo), None if hi is None else str(hi)],
            "widths": list(net.widths),
            "output_pieces": list(trace.output_pieces),
            "activation_regions": trace.activation_regions,
            "bounds_hold": report.holds,
            "checks": [{"name": c.name, "layer": c.layer, "bound": c.bound, "measured": c.measured,
                        "holds": c.holds, "tight": c.tight, "source": c.source} for c in report.checks],
        }, indent=1))
        return 0 if report.holds else 1
    print(f"network: widths {net.widths}, domain {dom}")
    print(f"output pieces: {', '.join(map(str, trace.output_pieces))}")
    print(f"activation regions: {trace.activation_regions}\n")
    rows = [[("out" if c.layer is None else str(c.layer)), c.name, str(c.measured), str(c.bound),
             "yes" if c.holds else "NO", "tight" if c.tight else ""]
            for c in report.checks if "(unit" not in c.name]
    print_table(rows, ["layer", "check", "measured", "bound", "holds", ""])
    per_unit = [c for c in report.checks if "(unit" in c.name]
    bad = [c for c in per_unit if not c.holds]
    print(f"\nper-unit B2 checks: {len(per_unit) - len(bad)}/{len(per_unit)} hold")
    return 0 if report.holds else 1


def _plot(args, net, trace, domain) -> None:
    """``--plot FILE``: the output (or with ``--layers`` every unit) drawn from the exact trace."""
    from ..plot import plot_function, plot_layers, save

    if net.output_dim != 1:
        from ..errors import ShapeError

        raise ShapeError(f"--plot draws one output; the network has {net.output_dim}")
    save(plot_layers(net, domain) if args.layers else plot_function(trace), args.plot)
