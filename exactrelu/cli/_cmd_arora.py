"""``exactrelu arora SECTION [--json]``: Arora, Basu, Mianjy, Mukherjee (2018), checked exactly.

Sections: pwl (Theorem 2.2), depth (Theorem 2.1), hard (section 3.1, with the
Corollary 3.4 table), zonotopes (section 3.2, with the Fig. 1 counts), erm
(Theorem 4.1 and the gradient-descent witness), all.  Exit 0 if every check
holds, 1 if one fails, 2 on bad input.

``exactrelu arora erm --x 0,1,2,3 --y 0,1,0,1 --width 2 [--loss l1] [--bias]`` trains a
one-hidden-layer network on your data to the exact global optimum (vectors: ``--x "0 0;1 0"``).
"""

from __future__ import annotations

import json

NAME = "arora"
HELP = "Check Arora, Basu, Mianjy, Mukherjee (2018) exactly: PWL <-> networks, hard functions, zonotopes, exact ERM."

_SECTIONS = ("pwl", "depth", "hard", "zonotopes", "erm", "all")


def add_arguments(parser) -> None:
    parser.add_argument("section", nargs="?", default="all", choices=_SECTIONS,
                        help="which part of the paper (default: all)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    erm = parser.add_argument_group("exact ERM on your data (section erm)")
    erm.add_argument("--x", metavar="X1,X2,...", help="inputs: rationals, or vectors joined by ';' (e.g. '0 0;1 0'); write --x=-1,0,1 when the first is negative")
    erm.add_argument("--y", metavar="Y1,Y2,...", help="targets (labels +-1 for --loss hinge)")
    erm.add_argument("--width", type=int, default=2, help="hidden units (default 2)")
    erm.add_argument("--loss", default="squared", choices=("squared", "l1", "hinge"))
    erm.add_argument("--bias", action="store_true", help="free output bias")
    erm.add_argument("--save", metavar="NET.json", help="write the optimal network")


def _extras(section: str) -> dict:
    extras: dict = {}
    if section in ("hard", "all"):
        from ..theorems.arora.hard import corollary_3_4_table

        extras["corollary_3_4"] = [row.to_dict() for row in corollary_3_4_table()]
    if section in ("zonotopes", "all"):
        from ..theorems.arora.zonotopes import FIGURE1, paper_piece_count, vertex_count, zonotope_pieces_formula

        extras["figure1"] = [{"function": label, "vertices": vertex_count(g),
                              "exact_pieces": zonotope_pieces_formula(a, g), "stated_pieces": paper_piece_count(a, g)}
                             for label, a, g in FIGURE1]
    if section in ("erm", "all"):
        from ..theorems.arora.erm import GD_DATA, gd_witness

        w = gd_witness()
        extras["gd_witness"] = {"data": {"x": [str(v) for v in GD_DATA[0]], "y": [str(v) for v in GD_DATA[1]]},
                                "optimum": str(w.optimum), "gd_loss": str(w.gd_loss), "floor": str(w.floor),
                                "dead_units": list(w.dead_units), "refuted": w.refuted,
                                "final_network": w.final.to_dict()}
    return extras


def _parse_points(text: str) -> list:
    if ";" in text:
        return [[part for part in chunk.replace(",", " ").split()] for chunk in text.split(";") if chunk.strip()]
    return [part for part in text.replace(",", " ").split()]


def _run_erm(args) -> int:
    from ..errors import ShapeError
    from ..theorems.arora.erm import erm

    if not args.x or not args.y:
        raise ShapeError("--x and --y are both needed for exact ERM on your data")
    xs, ys = _parse_points(args.x), _parse_points(args.y)
    result = erm(xs, ys, args.width, loss=args.loss, output_bias=args.bias)
    if args.save:
        result.network.save(args.save)
    if args.json:
        print(json.dumps({"format": "exactrelu-arora", "version": 1, "section": "erm-data", **result.to_dict()},
                         indent=1))
    else:
        print(f"exact global optimum ({args.loss}, sum over {len(xs)} points, width {args.width}"
              f"{', output bias' if args.bias else ''}): {result.optimum}  (~{float(result.optimum):.6g})")
        print(f"certified (KKT / LP duality per program, loss of the network recomputed): {result.certified}")
        print(f"convex programs solved: {result.programs} (paper's 2^w D^(nw): {result.paper_programs})")
        print(f"optimal network: {result.network!r}")
    return 0 if result.certified else 1


def run(args) -> int:
    from ..theorems.arora import section_checks
    from ._common import print_table

    if args.x is not None or args.y is not None:
        if args.section not in ("erm", "all"):
            from ..errors import ShapeError

            raise ShapeError("--x/--y belong to the erm section")
        return _run_erm(args)

    results = section_checks(args.section)
    extras = _extras(args.section)
    failed = [r for r in results if not r.holds]
    if args.json:
        data = {"format": "exactrelu-arora", "version": 1, "section": args.section,
                "passed": len(results) - len(failed), "failed": len(failed),
                "checks": [r.to_dict() for r in results], **extras}
        print(json.dumps(data, indent=1))
        return 1 if failed else 0
    rows = [["PASS" if r.holds else "FAIL", r.name, r.value, r.expected] for r in results]
    print_table(rows, ["status", "check", "measured (exact)", "expected"])
    if "corollary_3_4" in extras:
        print("\nCorollary 3.4 (w = k, k^2 hidden layers):")
        print_table([[str(r["k"]), str(r["deep_depth"]), str(r["deep_size"]), str(r["pieces_on_[0,M]"]),
                      r["counted"], str(r["lemma_D6_min_size"]), r["paper_bound"]] for r in extras["corollary_3_4"]],
                    ["k", "depth", "size", "pieces on [0,1]", "counted", "Lemma D.6 min size", "(1/2)k^(k+1)-1"])
    if "figure1" in extras:
        print("\nFig. 1 (pieces on R^2):")
        print_table([[r["function"], str(r["vertices"]), str(r["exact_pieces"]), str(r["stated_pieces"])]
                     for r in extras["figure1"]], ["function", "zonotope vertices", "exact pieces", "stated count"])
    if "gd_witness" in extras:
        g = extras["gd_witness"]
        print(f"\nGD witness: |x| at x = -1, 0, 1, width 2: exact optimum {g['optimum']}, GD from PyTorch-default "
              f"init ends at {float(__import__('fractions').Fraction(g['gd_loss'])):.6f} >= {g['floor']} "
              f"(dead unit {g['dead_units']}): refuted = {g['refuted']}")
    for r in failed:
        if r.detail:
            print(f"\nFAIL {r.name}: {r.detail}")
    print(f"\n{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0
