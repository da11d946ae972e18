"""``exactrelu eq5 [--depth N] [--latex] [--json]``: derive and confirm Milkert et al., Eq. (5).

Prints every sympy derivation step (Eqs. (4)-(8), Theorem A.4's finite part,
Lemmas A.5 and A.6) and the exact confirmations on rational peaks; exits 1 if
any check fails.
"""

from __future__ import annotations

import json

NAME = "eq5"
HELP = ("Derive the differentiability recurrence of Milkert et al. (Eq. 5) with sympy and "
        "confirm it exactly on rational networks.")


def add_arguments(parser) -> None:
    parser.add_argument("--depth", type=int, default=6,
                        help="bound N for the parts proved by expansion and the exact instances "
                             "(default 6, at most 12)")
    fmt = parser.add_mutually_exclusive_group()
    fmt.add_argument("--latex", action="store_true", help="render the derivation as LaTeX")
    fmt.add_argument("--json", action="store_true", help="machine-readable output")


def run(args) -> int:
    from ..errors import ShapeError
    from ..theorems.milkert import derive, exact_checks

    depth = args.depth
    if not 0 <= depth <= 12:
        raise ShapeError(f"--depth={depth} must be between 0 and 12")
    derivation = derive(depth)
    checks = exact_checks(max(depth, 1))
    ok = derivation.holds and all(c.holds for c in checks)
    if args.json:
        print(json.dumps({
            "depth": depth, "holds": ok,
            "derivation": [r.to_dict() for r in derivation.results],
            "checks": [{"name": c.name, "source": c.source, "holds": c.holds, "value": c.value,
                        "expected": c.expected, "detail": c.detail} for c in checks],
        }, indent=1))
        return 0 if ok else 1
    print(derivation.latex() if args.latex else derivation.plain())
    print()
    print("Exact confirmations (rational peaks):")
    for c in checks:
        mark = "ok  " if c.holds else "FAIL"
        print(f"  [{mark}] {c.name}: {c.value} (expected {c.expected})"
              + (f"; {c.detail}" if c.detail else ""))
    print()
    print("all checks hold" if ok else "SOME CHECKS FAIL")
    return 0 if ok else 1
