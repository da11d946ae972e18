"""``exactrelu check WITNESS.json``: re-check a saved counterexample from scratch.

Exit status: 0 if the witness still violates its claim, 1 if it does not,
2 if the file is malformed (or names an unknown claim).
"""

from __future__ import annotations

import json

NAME = "check"
HELP = "Re-check a saved counterexample (exit 0: still violates its claim, 1: not, 2: malformed file)."


def add_arguments(parser) -> None:
    parser.add_argument("witness", help="witness file written by exactrelu search --out")
    parser.add_argument("--json", action="store_true")


def run(args) -> int:
    from ..search import load_witness

    stored = load_witness(args.witness)  # NetworkFormatError -> exit 2
    fresh = stored.recheck()
    same = {k: str(v) for k, v in fresh.measured.items()} == {k: str(v) for k, v in stored.measured.items()}
    if args.json:
        print(json.dumps({"claim": stored.claim.name, "violates": fresh.violated,
                          "stored": stored.evaluation.to_dict(), "recomputed": fresh.to_dict(),
                          "matches_stored": same}, indent=1))
        return 0 if fresh.violated else 1
    print(f"claim {stored.claim.name}: {stored.claim.statement}")
    print(f"  witness: {stored.witness!r}")
    keys = list(dict.fromkeys([*stored.measured, *fresh.measured]))
    for key in keys:
        print(f"  {key}: recomputed {fresh.measured.get(key, '-')} (stored {stored.measured.get(key, '-')})")
    print(f"  violation: recomputed {fresh.violation} (stored {stored.violation})")
    if not same:
        print("  note: the recomputed quantities differ from the stored ones")
    print("still a counterexample" if fresh.violated else "NOT a counterexample any more")
    return 0 if fresh.violated else 1
