"""``exactrelu eq5 [--depth N] [--latex [--standalone]] [--json]``: derive and confirm Milkert et al., Eq. (5).

Prints every sympy derivation step (Eqs. (4)-(8), Theorem A.4's finite part,
Lemmas A.5 and A.6; Milkert, Hyde, Laine, arXiv:2311.18022v2, docs/theory.md §4)
and the exact confirmations on rational peaks; exits 1 if any check fails.
``--latex`` prints LaTeX (text as text, maths in maths mode; needs amsmath);
``--standalone`` wraps it in a preamble so that it compiles with pdflatex.
"""

from __future__ import annotations

import json

NAME = "eq5"
HELP = ("Derive the differentiability recurrence of Milkert et al. (Eq. 5) with sympy and "
        "confirm it exactly on rational networks.")


def add_arguments(parser) -> None:
    parser.add_argument("--depth", type=int, default=6,
                        help="bound N for the parts cross-checked by expansion and the exact "
                             "instances (default 6, between 0 and 12)")
    fmt = parser.add_mutually_exclusive_group()
    fmt.add_argument("--latex", action="store_true",
                     help="render the derivation and the checks as LaTeX (a body using amsmath)")
    fmt.add_argument("--json", action="store_true",
                     help="machine-readable output (format exactrelu-eq5, version 1)")
    parser.add_argument("--plot", metavar="FILE",
                        help="also draw the waves W_i and F_n = x - sum s_i W_i with Eq. (5)'s coefficients "
                             "for PEAKS (.png, .svg or .pdf; needs matplotlib)")
    parser.add_argument("--peaks", default="1/2,1/3,2/5,3/5,1/2,1/2", metavar="A0,A1,...",
                        help="peaks a_i of the waves drawn by --plot (default 1/2,1/3,2/5,3/5,1/2,1/2)")
    parser.add_argument("--standalone", action="store_true",
                        help="with --latex (implied): a complete document that compiles "
                             "(article, amsmath, amssymb, geometry)")


def latex_body(derivation, checks, ok: bool) -> str:
    """The LaTeX of a derivation and its exact checks (maths in maths mode, text as text)."""
    from ..theorems.milkert.results import tex, tex_of

    lines = [derivation.latex(), "", r"\subsection*{Exact confirmations (rational peaks)}",
             r"\begin{itemize}"]
    for c in checks:
        mark = "holds" if c.holds else r"\textbf{fails}"
        line = (f"  \\item {tex_of(c.name)} ({mark}): {tex_of(c.value)} "
                f"(expected {tex_of(c.expected)})")
        if c.detail:
            line += f"; {tex_of(c.detail)}"
        lines.append(line + f". Source: {tex(c.source)}.")
    lines.append(r"\end{itemize}")
    lines.append("")
    lines.append("All checks hold." if ok else r"\textbf{Some checks fail.}")
    return "\n".join(lines)


def run(args) -> int:
    from ..errors import ShapeError
    from ..theorems.milkert import derive, exact_checks
    from ..theorems.milkert.results import latex_document

    depth = args.depth
    if not 0 <= depth <= 12:
        raise ShapeError(f"--depth={depth} must be between 0 and 12")
    if args.plot:
        from ..plot import plot_milkert, save
        from ..rationals import to_rational

        peaks = [to_rational(p, where=f"--peaks[{i}]") for i, p in enumerate(args.peaks.split(","))]
        save(plot_milkert(peaks), args.plot)
    derivation = derive(depth)
    checks = exact_checks(max(depth, 1))
    ok = derivation.holds and all(c.holds for c in checks)
    if args.json:
        if args.standalone:
            raise ShapeError("--standalone goes with --latex, not --json")
        print(json.dumps({
            "format": "exactrelu-eq5", "version": 1,
            "depth": depth, "holds": ok,
            "derivation": [r.to_dict() for r in derivation.results],
            "checks": [{"name": c.name, "source": c.source, "holds": c.holds, "value": c.value,
                        "expected": c.expected, "detail": c.detail} for c in checks],
        }, indent=1))
        return 0 if ok else 1
    if args.latex or args.standalone:
        body = latex_body(derivation, checks, ok)
        title = "Milkert, Hyde, Laine: the differentiability recurrence, Eq. (5)"
        print(latex_document(body, title) if args.standalone else body)
        return 0 if ok else 1
    print(derivation.plain())
    print()
    print("Exact confirmations (rational peaks):")
    for c in checks:
        mark = "ok  " if c.holds else "FAIL"
        print(f"  [{mark}] {c.name}: {c.value} (expected {c.expected})"
              + (f"; {c.detail}" if c.detail else ""))
    print()
    print("all checks hold" if ok else "SOME CHECKS FAIL")
    return 0 if ok else 1
