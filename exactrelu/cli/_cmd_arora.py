"""``exactrelu arora SECTION [--json]``: Arora, Basu, Mianjy, Mukherjee (2018), checked exactly.

Sections: pwl (Theorem 2.2), depth (Theorem 2.1), hard (section 3.1, with the
Corollary 3.4 table), zonotopes (section 3.2, with the Fig. 1 counts), erm
(Theorem 4.1 and the gradient-descent witness), all.  Exit 0 if every check
holds, 1 if one fails, 2 on bad input.
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


def run(args) -> int:
    from ..theorems.arora import section_checks
    from ._common import print_table

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
