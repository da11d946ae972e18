"""``exactrelu bound --widths 3,3,3``: the closed-form bounds of an architecture."""

from __future__ import annotations

import json

from ._common import parse_widths, print_table

NAME = "bound"
HELP = "Print the piece/region bounds B1, B3, B4 of an architecture, layer by layer."


def add_arguments(parser) -> None:
    parser.add_argument("--widths", required=True, help="hidden widths, e.g. 3,3,3")
    parser.add_argument("--input-dim", type=int, default=1, help="input dimension for B3 (default 1)")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object (format exactrelu-bound, version 1): every bound an int "
                             "bounding a count; B4's exact rational (2s/k)^k as a string beside it")


def run(args) -> int:
    from ..bounds import arora_depth_size_bound, serra_layer_bounds, telgarsky_bound, telgarsky_layer_bounds

    widths = parse_widths(args.widths)
    b1 = telgarsky_layer_bounds(widths)
    b3 = serra_layer_bounds(widths, args.input_dim)
    b4 = arora_depth_size_bound(len(widths), sum(widths))
    if args.json:
        print(json.dumps({
            "format": "exactrelu-bound", "version": 1,
            "widths": list(widths), "input_dim": args.input_dim,
            "telgarsky_B1": telgarsky_bound(widths),
            "serra_B3": b3[-1],
            "arora_B4": b4.numerator // b4.denominator,  # pieces are ints: floor((2s/k)^k) bounds them
            "arora_B4_exact": str(b4),
            "layers": [{"layer": b.layer, "B1_pre": b.pre, "B1_post": b.post, "B1_sum": b.combined, "B3_regions": r}
                       for b, r in zip(b1, b3)],
        }, indent=1))
        return 0
    rows = [[str(b.layer), str(m), str(b.pre), str(b.post), str(b.combined), str(r)]
            for b, m, r in zip(b1, widths, b3)]
    print_table(rows, ["layer", "width", "B1 pre", "B1 post", "B1 sum", "B3 regions"])
    print(f"\nB1 (Telgarsky, pieces on R, input_dim 1): {telgarsky_bound(widths)}")
    print(f"B3 (Serra et al. 2018 Thm 1, regions, input_dim {args.input_dim}): {b3[-1]}")
    print(f"B4 (Arora et al. 2018 Lemma D.6, (2s/k)^k): {b4}")
    return 0
