"""A tiny JSON Schema validator for the subset exactrelu's schemas use (no dependency).

Supports ``type``, ``const``, ``enum``, ``required``, ``properties``,
``additionalProperties`` (a schema), ``items``, ``minItems``, ``maxItems``,
``pattern``, ``minimum``, ``oneOf`` and ``$ref`` (``#/$defs/x``, ``other.json``
and ``other.json#/$defs/x``, resolved among the package's schema files).
Unknown keywords raise, so a schema cannot silently use more than is checked.
"""

from __future__ import annotations

import re
from typing import Any

from exactrelu import formats

__all__ = ["validate", "errors"]

_KNOWN = {"$schema", "$id", "title", "description", "$defs", "type", "const", "enum", "required", "properties",
          "additionalProperties", "items", "minItems", "maxItems", "pattern", "minimum", "oneOf", "$ref"}
_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


def _is_type(value: Any, name: str) -> bool:
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, _TYPES[name])


def _resolve(ref: str, root: dict) -> tuple[dict, dict]:
    file, _, pointer = ref.partition("#")
    doc = formats.schema(file.removesuffix(".json")) if file else root
    node: Any = doc
    for part in [p for p in pointer.split("/") if p]:
        node = node[part]
    return node, doc


def errors(value: Any, schema: dict, root: dict | None = None, where: str = "$") -> list[str]:
    """Every violation of ``schema`` by ``value``, as ``"path: message"``."""
    root = schema if root is None else root
    unknown = set(schema) - _KNOWN
    if unknown:
        raise ValueError(f"schema keywords not supported by the test validator: {sorted(unknown)}")
    if "$ref" in schema:
        target, doc = _resolve(schema["$ref"], root)
        return errors(value, target, doc, where)
    out: list[str] = []
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_is_type(value, n) for n in names):
            return [f"{where}: {value!r} is not of type {names}"]
    if "const" in schema and value != schema["const"]:
        out.append(f"{where}: {value!r} != {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        out.append(f"{where}: {value!r} not in {schema['enum']}")
    if isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value):
        out.append(f"{where}: {value!r} does not match {schema['pattern']}")
    if _is_type(value, "number") and "minimum" in schema and value < schema["minimum"]:
        out.append(f"{where}: {value!r} < {schema['minimum']}")
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                out.append(f"{where}: missing {key!r}")
        props = schema.get("properties", {})
        for key, item in value.items():
            if key in props:
                out.extend(errors(item, props[key], root, f"{where}.{key}"))
            elif "additionalProperties" in schema:
                out.extend(errors(item, schema["additionalProperties"], root, f"{where}.{key}"))
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            out.append(f"{where}: fewer than {schema['minItems']} items")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            out.append(f"{where}: more than {schema['maxItems']} items")
        if "items" in schema:
            for i, item in enumerate(value):
                out.extend(errors(item, schema["items"], root, f"{where}[{i}]"))
    if "oneOf" in schema:
        matches = [s for s in schema["oneOf"] if not errors(value, s, root, where)]
        if len(matches) != 1:
            out.append(f"{where}: matches {len(matches)} of the oneOf alternatives, not exactly 1")
    return out


def validate(value: Any, kind: str) -> None:
    """Raise AssertionError listing every violation of the shipped schema of ``kind``."""
    problems = errors(value, formats.schema(kind))
    assert not problems, "\n".join(problems)
