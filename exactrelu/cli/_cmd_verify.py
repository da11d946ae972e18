"""``exactrelu verify``: the built-in theorem report."""

from __future__ import annotations

import json
import time

from ._common import print_table, show_progress

NAME = "verify"
HELP = "Run every built-in exact check of the theory and print a report (exit 1 if any fails)."


def add_arguments(parser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON object (format exactrelu-verify, version 1)")


def run(args) -> int:
    from ..verify import run_checks

    start = time.perf_counter()
    results = run_checks(progress=show_progress(args))
    elapsed = time.perf_counter() - start
    failed = [r for r in results if not r.holds]
    if args.json:
        print(json.dumps({"format": "exactrelu-verify", "version": 1, "passed": len(results) - len(failed), "failed": len(failed),
                          "seconds": round(elapsed, 3), "checks": [r.to_dict() for r in results]}, indent=1))
    else:
        rows = [["PASS" if r.holds else "FAIL", r.name, r.value, r.expected, r.source] for r in results]
        print_table(rows, ["status", "check", "measured (exact)", "expected", "source"])
        for r in failed:
            if r.detail:
                print(f"\nFAIL {r.name}: {r.detail}")
        print(f"\n{len(results) - len(failed)} passed, {len(failed)} failed ({elapsed:.1f} s)")
    return 1 if failed else 0
