"""Optional extras in tests: skip when missing, fail when CI says they must be there.

CI's extras stage installs torch, onnx, onnxruntime, matplotlib and safetensors and sets
``EXACTRELU_REQUIRE_EXTRAS=1``; there a missing package is a failure, not a skip, so the
extras' tests can never pass by being skipped.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType

import pytest

__all__ = ["require", "extras_required"]


def extras_required() -> bool:
    """True when the environment demands every optional extra (CI's extras stage)."""
    return os.environ.get("EXACTRELU_REQUIRE_EXTRAS") == "1"


def require(name: str) -> ModuleType:
    """Import ``name`` or skip the calling test (fail instead under ``EXACTRELU_REQUIRE_EXTRAS=1``)."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        if extras_required():
            pytest.fail(f"extra {name!r} is required here (EXACTRELU_REQUIRE_EXTRAS=1): {exc}")
        pytest.skip(f"optional extra {name!r} is not installed", allow_module_level=True)
        raise  # unreachable
