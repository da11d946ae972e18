"""The one versioned JSON envelope of every exactrelu file.

Every file exactrelu writes is a JSON object ``{"format": "exactrelu.<kind>",
"version": <int>, ...}`` with exact rationals written as strings (``"3"``,
``"-2/7"``); JSON floats are refused on reading.  The kinds, each described by
a JSON Schema shipped in the package (``exactrelu/schemas/<kind>.json``, see
:func:`schema`) and documented in ``docs/formats.md``:

``network``
    a ReLU network: ``"layers": [{"W": [[...]], "b": [...]}, ...]``
    (:meth:`exactrelu.network.ReLUNetwork.to_dict`);
``pwl``
    a continuous piecewise-linear function: ``"points"``, ``"left_slope"``,
    ``"right_slope"`` (:meth:`exactrelu.pwl.PiecewiseLinear.to_dict`);
``witness``
    a counterexample to a claim, with the claim's name (or importable
    ``module:function``), the search space, the witness and what was measured
    (:meth:`exactrelu.search.Counterexample.to_dict`);
``tightness``
    the most pieces found for an architecture, with the network reaching them
    (:meth:`exactrelu.search.TightnessResult.to_dict`).

Files travel between commands: :func:`find_network` takes the network out of
any of them (a network file, a witness of a network claim, a tightness
result, or a command's ``--json`` output holding one), so every command that
takes a network accepts any exactrelu file that holds one.

This module sits below :mod:`exactrelu.network` and :mod:`exactrelu.pwl`: it
handles envelopes and JSON as plain data, never the objects.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from ._version import __version__
from .errors import NetworkFormatError
from .rationals import MAX_RATIONAL_CHARS, quote, str_to_int

__all__ = [
    "KINDS",
    "VERSIONS",
    "envelope",
    "format_name",
    "open_envelope",
    "kind_of",
    "reject_floats",
    "read_json",
    "loads",
    "dumps",
    "write_json",
    "find_network",
    "schema",
]

#: Format version of every kind this exactrelu writes and reads.
VERSIONS: dict[str, int] = {"network": 1, "pwl": 1, "witness": 1, "tightness": 1}
#: The kinds of file.
KINDS: tuple[str, ...] = tuple(VERSIONS)

#: Deepest nesting accepted in a file (a network needs 4 levels; deeper input is refused, not recursed into).
MAX_DEPTH = 64


def format_name(kind: str) -> str:
    """``"exactrelu.<kind>"``: the ``format`` field of a file of that kind."""
    return f"exactrelu.{kind}"


def envelope(kind: str, body: dict, *, with_version_of_library: bool = False) -> dict:
    """``{"format": "exactrelu.<kind>", "version": N, **body}``.

    >>> envelope("pwl", {"points": [["0", "1"]]})
    {'format': 'exactrelu.pwl', 'version': 1, 'points': [['0', '1']]}
    """
    if kind not in VERSIONS:
        raise ValueError(f"kind={kind!r} must be one of {KINDS}")
    data = {"format": format_name(kind), "version": VERSIONS[kind], **body}
    if with_version_of_library:
        data["exactrelu_version"] = __version__
    return data


def kind_of(data: Any) -> str | None:
    """The kind of an exactrelu envelope (``"network"``, ...), or None if ``data`` is not one."""
    if not isinstance(data, dict):
        return None
    fmt = data.get("format")
    if isinstance(fmt, str) and fmt.startswith("exactrelu.") and fmt[len("exactrelu."):] in VERSIONS:
        return fmt[len("exactrelu."):]
    return None


def open_envelope(data: Any, kind: str, *, what: str | None = None, default_format: bool = False) -> dict:
    """Check that ``data`` is an envelope of ``kind`` in a version this exactrelu reads; return it.

    ``default_format`` accepts a missing ``format`` field (hand-written network files).

    Raises
    ------
    NetworkFormatError
        Not a JSON object, another format, or another version.
    """
    what = what or f"exactrelu {kind}"
    if not isinstance(data, dict):
        raise NetworkFormatError(f"{what} data must be a JSON object, got {type(data).__name__}")
    expected = format_name(kind)
    fmt = data.get("format", expected if default_format else None)
    if fmt != expected:
        raise NetworkFormatError(f"format={quote(fmt)}: not an {what} (expected format {expected!r})")
    version = data.get("version")
    if version != VERSIONS[kind]:
        raise NetworkFormatError(
            f"version={quote(version)}: this exactrelu reads {kind} format version {VERSIONS[kind]}")
    return data


def reject_floats(obj: Any, where: str, _depth: int = 0) -> None:
    """Refuse JSON floats anywhere in ``obj``: files carry rationals as strings."""
    if _depth > MAX_DEPTH:
        raise NetworkFormatError(f"{where} is nested deeper than {MAX_DEPTH} levels")
    if isinstance(obj, float):
        raise NetworkFormatError(f"{where} holds the float {quote(obj)}; write rationals as strings")
    if isinstance(obj, list):
        for i, item in enumerate(obj):
            reject_floats(item, f"{where}[{i}]", _depth + 1)
    elif isinstance(obj, dict):
        for key, item in obj.items():
            reject_floats(item, f"{where}.{key}", _depth + 1)


def _json_int(digits: str) -> int:
    """A JSON integer of any length up to the rational bound (Python's 4300-digit limit avoided)."""
    if len(digits) > MAX_RATIONAL_CHARS:
        raise NetworkFormatError(f"a JSON integer of {len(digits)} digits is longer than the "
                                 f"{MAX_RATIONAL_CHARS} characters read as a rational")
    return str_to_int(digits)


def loads(text: str, *, where: str = "input") -> Any:
    """Parse JSON text; NetworkFormatError (one line) if it is not JSON or nests absurdly deep.

    >>> loads('{"b": [' + '9' * 5000 + ']}')["b"][0] == 10**5000 - 1   # beyond Python's 4300-digit limit
    True
    >>> loads('[' * 100000)
    Traceback (most recent call last):
    ...
    exactrelu.errors.NetworkFormatError: input is nested too deeply to be an exactrelu file
    """
    if not isinstance(text, (str, bytes, bytearray)):
        raise NetworkFormatError(f"{where}: JSON text must be str or bytes, got {type(text).__name__}")
    try:
        return json.loads(text, parse_int=_json_int)
    except json.JSONDecodeError as exc:
        raise NetworkFormatError(f"{where} is not valid JSON: {exc}") from None
    except RecursionError:
        raise NetworkFormatError(f"{where} is nested too deeply to be an exactrelu file") from None
    except NetworkFormatError as exc:
        raise NetworkFormatError(f"{where}: {exc}") from None
    except (ValueError, UnicodeDecodeError) as exc:  # e.g. bytes that are not UTF-8
        raise NetworkFormatError(f"{where} is not valid JSON text: {exc}") from None


def dumps(data: Any, *, indent: int | None = 1) -> str:
    """JSON text of ``data`` (as written to files)."""
    return json.dumps(data, indent=indent)


def read_json(path: Any) -> Any:
    """Read a JSON file; NetworkFormatError (one line) if it cannot be read or parsed."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as exc:
        raise NetworkFormatError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise NetworkFormatError(f"{path} is not a UTF-8 text file") from None
    return loads(text, where=str(path))


def write_json(path: Any, data: Any) -> None:
    """Write ``data`` as indented JSON and a final newline."""
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(dumps(data))
        handle.write("\n")


def _networks_inside(data: Any, depth: int) -> list[dict]:
    """Network envelopes in ``data`` (itself, or under the keys that hold one), outermost first."""
    if depth > 4 or not isinstance(data, dict):
        return []
    kind = kind_of(data)
    if kind == "network" or (kind is None and "layers" in data and "format" not in data):
        return [data]
    if kind == "witness":
        space = data.get("space")
        if isinstance(space, dict) and space.get("kind") == "network":
            witness = data.get("witness")
            return [witness] if isinstance(witness, dict) else []
        return []
    found: list[dict] = []
    for key in ("network", "witness", "counterexample", "g"):
        if key in data:
            found.extend(_networks_inside(data[key], depth + 1))
    return found


def find_network(data: Any, *, where: str = "input") -> dict:
    """The network envelope held by any exactrelu file (network, witness, tightness, command output).

    Raises
    ------
    NetworkFormatError
        If the data holds no network, or two different ones.

    Examples
    --------
    >>> net = {"format": "exactrelu.network", "version": 1, "layers": []}
    >>> find_network({"format": "exactrelu.tightness", "version": 1, "network": net}) is net
    True
    """
    found = _networks_inside(data, 0)
    if not found:
        kind = kind_of(data)
        holds = f"an exactrelu {kind} file" if kind else "not an exactrelu network file"
        raise NetworkFormatError(f"{where} holds no network ({holds})")
    first = found[0]
    if any(other != first for other in found[1:]):
        raise NetworkFormatError(f"{where} holds {len(found)} different networks; extract the one you mean")
    return first


def schema(kind: str) -> dict:
    """The JSON Schema of a kind of file, as shipped in ``exactrelu/schemas/<kind>.json``.

    >>> schema("network")["properties"]["format"]["const"]
    'exactrelu.network'
    """
    if kind not in VERSIONS:
        raise ValueError(f"kind={kind!r} must be one of {KINDS}")
    text = resources.files("exactrelu").joinpath("schemas", f"{kind}.json").read_text(encoding="utf-8")
    result: dict = json.loads(text)
    return result
