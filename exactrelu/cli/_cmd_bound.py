"""``exactrelu bound --widths 3,3,3``: the closed-form bounds of an architecture."""

from __future__ import annotations

import json

from ..rationals import format_rational
from ._common import parse_widths, print_table

NAME = "bound"
HELP = "Print the piece/region bounds B1, B3, B4 of an architecture, layer by layer."


def add_arguments(parser) -> None:
    parser.add_argument("--widths", required=True, help="hidden widths, e.g. 3,3,3")
    parser.add_argument("--input-dim", type=int, default=1, help="input dimension for B3 (default 1)")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object (format exactrelu-bound, version 1): every bound an int "
                             "bounding a count; B4's exact rational (2s/k)^k as a string beside it")


def _json_int(value: int) -> int | str:
    """An exact integer for JSON: an int, or its digits as a string beyond 4000 digits (JSON readers refuse more)."""
    text = format_rational(value)
    return value if len(text) <= 4000 else text


#: Most steps (one big-integer product each) the exact B3 sum may take on the command line.
MAX_B3_STEPS = 4_000_000


def _check_b3_work(widths: tuple[int, ...], input_dim: int) -> None:
    """Refuse before computing when Serra et al.'s sum would take hours (``--widths 10000,10000,10000``)."""
    from .._validate import check_int
    from ..errors import BudgetExceededError, ShapeError
    from ._common import MAX_WIDTH

    check_int("--input-dim", input_dim, 1)
    if input_dim > MAX_WIDTH:
        raise ShapeError(f"--input-dim must be at most {MAX_WIDTH}")
    steps, d = 0, input_dim
    for layer, m in enumerate(widths, start=1):
        k = min(d, m) + 1
        steps += k * k  # states (running minima) times terms of the binomial sum, at most
        if steps > MAX_B3_STEPS:
            raise BudgetExceededError(budget=MAX_B3_STEPS, layer=layer, required=steps, name="B3 steps",
                                      unit="big-integer steps of Serra et al.'s exact sum (this command's limit)")
        d = min(d, m)


def run(args) -> int:
    from ..bounds import arora_depth_size_bound, serra_layer_bounds, telgarsky_bound, telgarsky_layer_bounds

    widths = parse_widths(args.widths)
    _check_b3_work(widths, args.input_dim)
    b1 = telgarsky_layer_bounds(widths)
    b3 = serra_layer_bounds(widths, args.input_dim)
    b4 = arora_depth_size_bound(len(widths), sum(widths))
    f, j = format_rational, _json_int  # exact integers of any size (str() stops at 4300 digits)
    if args.json:
        print(json.dumps({
            "format": "exactrelu-bound", "version": 1,
            "widths": list(widths), "input_dim": args.input_dim,
            "telgarsky_B1": j(telgarsky_bound(widths)),
            "serra_B3": j(b3[-1]),
            "arora_B4": j(b4.numerator // b4.denominator),  # pieces are ints: floor((2s/k)^k) bounds them
            "arora_B4_exact": f(b4),
            "layers": [{"layer": b.layer, "B1_pre": j(b.pre), "B1_post": j(b.post), "B1_sum": j(b.combined),
                        "B3_regions": j(r)} for b, r in zip(b1, b3)],
        }, indent=1))
        return 0
    rows = [[str(b.layer), str(m), f(b.pre), f(b.post), f(b.combined), f(r)] for b, m, r in zip(b1, widths, b3)]
    print_table(rows, ["layer", "width", "B1 pre", "B1 post", "B1 sum", "B3 regions"])
    print(f"\nB1 (Telgarsky, pieces on R, input_dim 1): {f(telgarsky_bound(widths))}")
    print(f"B3 (Serra et al. 2018 Thm 1, regions, input_dim {args.input_dim}): {f(b3[-1])}")
    print(f"B4 (Arora et al. 2018 Lemma D.6, (2s/k)^k): {f(b4)}")
    return 0
