"""``exactrelu check FILE.json``: re-check a saved counterexample or tightness result from scratch.

Exit status: 0 if the witness still violates its claim (a tightness file:
its network still reaches the stored piece count), 1 if it does not, 2 if the
file is malformed (or names a claim that cannot be found).
"""

from __future__ import annotations

import json

NAME = "check"
HELP = ("Re-check a saved counterexample or tightness result (exit 0: still holds, 1: not, "
        "2: malformed file).")


def add_arguments(parser) -> None:
    parser.add_argument("witness", help="witness file (exactrelu search --out) or tightness file "
                                        "(exactrelu search --tightness --out)")
    parser.add_argument("--claim", metavar="MODULE:FUNCTION",
                        help="the claim's measuring function (or Claim object), for a claim of your own "
                             "that the file does not reference importably")
    parser.add_argument("--json", action="store_true", help="machine-readable output (format exactrelu-check)")


def _tightness(args, data) -> int:
    from ..search.tightness import recheck_tightness

    r = recheck_tightness(data)
    if args.json:
        print(json.dumps({"format": "exactrelu-check", "version": 1, "kind": "tightness", "holds": r.holds,
                          "widths": list(r.widths), "stored": {"pieces": r.stored_pieces, "regions": r.stored_regions},
                          "recomputed": {"pieces": r.pieces, "regions": r.regions},
                          "upper_bound": r.upper_bound}, indent=1))
        return 0 if r.holds else 1
    print(f"tightness result for widths {r.widths}: {r.network!r}")
    print(f"  widths of the network: {r.network.widths}")
    print(f"  pieces on R: recomputed {r.pieces} (stored {r.stored_pieces}); upper bound {r.upper_bound}")
    print(f"  activation regions: recomputed {r.regions} (stored {r.stored_regions})")
    print("still reaches the stored count" if r.holds else "does NOT reach the stored count")
    return 0 if r.holds else 1


def run(args) -> int:
    from .. import formats
    from ..errors import NetworkFormatError
    from ..rationals import quote
    from ..search import load_witness

    data = formats.read_json(args.witness)  # NetworkFormatError -> exit 2
    kind = formats.kind_of(data)
    if kind == "tightness":
        return _tightness(args, data)
    if kind != "witness":
        raise NetworkFormatError(f"{args.witness} is not a witness or tightness file "
                                 f"(format {quote(data.get('format') if isinstance(data, dict) else None)})")
    from ..errors import ExactReluError

    stored = load_witness(data, claim=args.claim)
    try:
        fresh = stored.recheck()
    except ExactReluError:
        raise
    except Exception as exc:  # the claim's own function failed on this witness (e.g. a claim of your own)
        raise NetworkFormatError(f"claim {stored.claim.name!r} cannot be measured on this witness "
                                 f"({type(exc).__name__}: {exc})") from None
    same = ({k: str(v) for k, v in fresh.measured.items()} == {k: str(v) for k, v in stored.measured.items()}
            and fresh.violation == stored.violation)
    if args.json:
        print(json.dumps({"format": "exactrelu-check", "version": 1, "kind": "witness",
                          "claim": stored.claim.name, "violates": fresh.violated,
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
