"""``exactrelu telgarsky --L 2 [--g NET.json] [--json]``: Telgarsky's depth separation, exactly.

Prints int_0^1 |D^K - g| (K = 2L^2 + 2), the certified bound (area of f's
triangles on the wrong side of g), the closed-form bound (N_f - 2 N_g)/2
triangles, and the verdict against 1/32.  Exit 0 if the certificate holds,
1 if it fails, 2 on bad input (including a g outside the theorem's class).
"""

from __future__ import annotations

import json

NAME = "telgarsky"
HELP = "Check Telgarsky's depth separation (int |D^K - g| >= 1/32, K = 2L^2+2) exactly for a network g."


def add_arguments(parser) -> None:
    parser.add_argument("--L", type=int, default=2,
                        help="depth parameter L >= 1 (default 2); f = D^(2L^2+2) is never materialised, so L = 4, 5 are instant")
    parser.add_argument("--g", metavar="NET.json", help="network g: any exactrelu file holding one (network, witness, tightness result); "
                        "default: exactrelu.theorems.telgarsky.best_known_network(L)")
    parser.add_argument("--plot", metavar="FILE", help="also draw f, g, |f - g| and the wrong-side triangles "
                        "(.png, .svg or .pdf; needs matplotlib; only for K <= 14)")
    parser.add_argument("--json", action="store_true", help="print the exact report as JSON (format exactrelu-telgarsky)")


def run(args) -> int:
    import sys

    from ..errors import ShapeError
    from ._common import load_network_arg
    from ..theorems.telgarsky import best_known_network, check_theorem, theorem_K

    if args.L < 1:
        raise ShapeError(f"--L={args.L} must be >= 1")
    K = theorem_K(args.L)
    if args.plot and K > 14:
        raise ShapeError(f"--plot draws every tooth of D^K: K = {K} is too many (use --L 1 or 2)")
    g = load_network_arg(args.g) if args.g else best_known_network(args.L)
    check = check_theorem(args.L, g)
    r = check.report
    if args.json:
        data = {"format": "exactrelu-telgarsky", "version": 1, **check.to_dict()}
        data["g_source"] = args.g or "best known (exactrelu.theorems.telgarsky.best_known_network)"
        print(json.dumps(data, indent=1))
    else:
        src = args.g or "best known for this L"
        print(f"L = {check.L}, f = D^{check.K} ({1 << check.K} pieces on [0,1]), g: {src}, widths {g.widths}")
        for name, ok, detail in check.hypotheses:
            print(f"  hypothesis {name}: {'yes' if ok else 'NO'} ({detail})")
        print(f"  N_f = 2^K - 1 = {r.n_f} triangles (Cr(f) = {r.cr_f}); N_g = {r.n_g} pieces, Cr(g) = {r.cr_g}")
        print(f"  wrong-side triangles: {r.wrong_interior} (+{r.wrong_ends} end halves); "
              f"strictly: {r.wrong_interior_strict}; tight count guarantees {r.tight_count}, "
              f"the lecture's {r.closed_form_count}")
        rows = [("exact int_0^1 |f - g|", r.exact), ("certified (wrong-side area)", r.certified),
                ("tight floor((N_f - N_g)/2) * 2^-(K+2)", r.tight_form),
                ("lecture (N_f - 2N_g)/2 * 2^-(K+2)", r.closed_form), ("theorem bound", check.bound)]
        for label, value in rows:
            print(f"  {label:<40} {float(value):.10f}  = {_short(value)}")
        verdict = "holds" if check.certificate_holds else "FAILS"
        print(f"  certificate exact >= certified >= tight >= lecture >= 1/32: {verdict}")
    if args.plot:
        from ..plot import plot_telgarsky, save

        save(plot_telgarsky(K, g), args.plot)
    if not check.applies:
        print(f"exactrelu telgarsky: error: g is outside the theorem's class: {check.failed_hypothesis}", file=sys.stderr)
        return 2
    return 0 if check.certificate_holds else 1


def _short(value) -> str:
    """An exact rational, shortened in the middle when it has more than 60 digits (the JSON has it whole)."""
    from ..rationals import format_rational

    text = format_rational(value)
    return text if len(text) <= 60 else f"{text[:28]}...{text[-28:]} (exact in --json)"
