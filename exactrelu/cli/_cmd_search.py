"""``exactrelu search CLAIM``: look for an exact counterexample to a catalogued claim.

Exit status: 1 if a counterexample was found (the claim fails), 0 if none was
found within the budget, 2 on bad input.  ``--list`` prints the catalogue;
``--tightness`` searches the most pieces ``--widths`` reaches on R instead.
"""

from __future__ import annotations

import json
import sys

from ._common import check_writable, parse_widths, print_table, show_progress

NAME = "search"
HELP = ("Search for an exact counterexample to a claim of the catalogue (exit 1 if found, 0 if not); "
        "--list shows the claims, --tightness the most pieces an architecture reaches.")


def add_arguments(parser) -> None:
    parser.add_argument("claim", nargs="?", help="claim name (see --list), or MODULE:CLAIM for a Claim of your own")
    parser.add_argument("--list", action="store_true", help="list the catalogue of claims")
    parser.add_argument("--tightness", action="store_true",
                        help="instead of a claim: the most pieces on R the architecture --widths reaches")
    parser.add_argument("--widths", help="hidden widths of the networks searched, e.g. 3,3 (default: the claim's)")
    parser.add_argument("--budget", type=int, default=None, help="evaluations (default: the claim's; 4000 for --tightness)")
    parser.add_argument("--seed", type=int, default=0, help="seed (same seed, same answer; default 0)")
    parser.add_argument("--workers", type=int, default=1, help="local worker processes (default 1: in-process)")
    parser.add_argument("--scheduler", metavar="ADDR", help="Dask scheduler address, e.g. tcp://host:8786 (extra exactrelu[dask])")
    parser.add_argument("--out", metavar="WITNESS.json", help="write a found counterexample (or the tightness witness) here")
    parser.add_argument("--worker-timeout", type=float, default=60.0,
                        help="seconds without any Dask worker before giving up (exit 2, results so far kept; "
                             "default 60)")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object, no progress bar (format exactrelu-search, version 1; "
                             "with --tightness the exactrelu.tightness file; with --list exactrelu-claims)")


def _list(as_json: bool = False) -> int:
    from ..search.catalogue import CATALOGUE

    if as_json:
        print(json.dumps({"format": "exactrelu-claims", "version": 1, "claims": [
            {"name": c.name, "expected": c.expected, "statement": c.statement, "space": c.space.describe(),
             "source": c.source, "budget": c.budget} for c in CATALOGUE.values()]}, indent=1))
        return 0
    rows = [[c.name, {True: "true", False: "FALSE", None: "open"}[c.expected], c.statement,
             " ".join(map(str, c.space.widths)) if hasattr(c.space, "widths") else c.space.kind, c.source]
            for c in CATALOGUE.values()]
    print_table(rows, ["claim", "status", "statement", "space", "source"])
    return 0


def _bar(args, desc: str):
    if not show_progress(args):
        return None, None
    from tqdm import tqdm

    bar = tqdm(desc=desc, unit="unit", leave=False, file=sys.stderr)

    def update(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    return bar, update


def _tightness(args, widths, executor) -> int:
    from ..search import tightness_search

    if widths is None:
        print("exactrelu search: error: --tightness needs --widths", file=sys.stderr)
        return 2
    bar, update = _bar(args, "tightness")
    try:
        result = tightness_search(widths, budget=args.budget or 4000, seed=args.seed, executor=executor,
                                  progress=update)
    finally:
        if bar is not None:
            bar.close()
    if args.out:
        result.save(args.out)  # an exactrelu.tightness file: `exactrelu check` re-checks it
    if args.json:
        print(json.dumps(result.to_dict(), indent=1))
        return 0
    status = "proven optimal (= upper bound)" if result.proven_optimal else "a lower bound on the optimum"
    print(f"widths {result.widths}: best found {result.pieces} pieces on R ({result.regions} activation regions), {status}")
    print(f"  B1 (Telgarsky) {result.telgarsky}, B3 (Serra et al.) {result.serra}, "
          f"upper bound used {result.upper_bound}")
    print(f"  found by {result.strategy} after {result.evaluations} evaluations ({result.seconds:.1f} s)")
    print(f"  witness: {result.network!r}")
    if args.out:
        print(f"  saved to {args.out}; re-check with: exactrelu check {args.out}")
    return 0


def _keep_partial(args, claim, widths, exc) -> None:
    """The cluster is gone: keep what the finished units found (a counterexample goes to --out)."""
    from ..search import Counterexample, NetworkSpace

    space = claim.space
    if widths is not None and isinstance(space, NetworkSpace):
        space = NetworkSpace(tuple(widths), space.max_numerator, space.max_denominator)
    found = [r for r in exc.results if getattr(r, "found", None) is not None]
    if not found:
        return
    r = found[0]
    witness = space.decode(r.found)
    ce = Counterexample(claim, space, witness, claim.evaluate(witness), r.strategy, r.seed)
    if args.out:
        ce.save(args.out)
        exc.args = (f"{exc.args[0]}; a counterexample found by a finished unit was saved to {args.out}",)
    else:
        exc.args = (f"{exc.args[0]}; a finished unit found a counterexample (give --out to keep it): "
                    f"violation {ce.violation}",)


def run(args) -> int:
    from ..search import make_executor, search
    from ..search.parallel import WorkersLostError

    if args.list:
        return _list(args.json)
    widths = parse_widths(args.widths) if args.widths else None
    if not args.tightness and not args.claim:
        print("exactrelu search: error: name a claim (see exactrelu search --list) or give --tightness", file=sys.stderr)
        return 2
    if args.workers < 1:
        print(f"exactrelu search: error: --workers={args.workers} must be >= 1", file=sys.stderr)
        return 2
    if not args.worker_timeout > 0:
        print(f"exactrelu search: error: --worker-timeout={args.worker_timeout} must be > 0", file=sys.stderr)
        return 2
    if args.out:
        check_writable(args.out)  # before the search runs, not after
    if not args.tightness:
        from ..search.witness import resolve_claim

        try:
            claim = resolve_claim(args.claim)  # a catalogue name or an importable module:CLAIM
        except KeyError as exc:
            print(f"exactrelu search: error: {exc.args[0]}", file=sys.stderr)
            return 2
    executor, close = make_executor(workers=args.workers, scheduler=args.scheduler,
                                    worker_timeout=args.worker_timeout)
    try:
        if args.tightness:
            return _tightness(args, widths, executor)
        bar, update = _bar(args, claim.name)
        try:
            result = search(claim, widths=widths, budget=args.budget, seed=args.seed, executor=executor,
                            progress=update)
        except WorkersLostError as exc:
            _keep_partial(args, claim, widths, exc)
            raise
        finally:
            if bar is not None:
                bar.close()
    finally:
        close()
    from ..search import Counterexample, SearchReport

    found = result if isinstance(result, Counterexample) else None
    report = found.report if found is not None else result
    assert isinstance(report, SearchReport)
    if found is not None and args.out:
        found.save(args.out)
    if args.json:
        print(json.dumps({"format": "exactrelu-search", "version": 1, "claim": claim.name, "found": found is not None,
                          "counterexample": found.to_dict() if found is not None else None,
                          "witness_file": args.out if found is not None and args.out else None,
                          "report": report.to_dict()}, indent=1))
        return 1 if found is not None else 0
    print(f"claim {claim.name}: {claim.statement}")
    print(f"  source: {claim.source}")
    print(f"  searched: {report.space}, seed {report.seed}, budget {report.budget}")
    if found is None:
        by = ", ".join(f"{k} {v}" for k, v in report.by_strategy.items())
        print(f"no counterexample in {report.evaluations} evaluations ({by}; {report.seconds:.1f} s)")
        if report.best_violation is not None:
            print(f"  closest: violation {report.best_violation} (<= 0 means the claim held)")
        return 0
    print(f"COUNTEREXAMPLE found by {found.strategy} after {report.evaluations} evaluations ({report.seconds:.1f} s)")
    for key, value in found.measured.items():
        print(f"  {key} = {value}")
    print(f"  violation = {found.violation}")
    print(f"  witness: {found.witness!r}")
    if args.out:
        print(f"  saved to {args.out}; re-check with: exactrelu check {args.out}")
    return 1
