"""Resumable JSON-lines records of a sweep.

The file's first line is a header ``{"format": "exactrelu-sweep", "version": 1,
"config": {...}}``; every further line is one record (one network).  Records
are appended and flushed as they arrive, so an interrupted sweep keeps every
finished record; a partial last line (a crash mid-write) is dropped on reopen.
When the sweep completes the file is rewritten once, atomically, in the
canonical order of :func:`~exactrelu.experiments.grid.network_specs`, so the
final file is byte-identical however the records were computed (in-process,
processes, Dask; in one go or resumed).
"""

from __future__ import annotations

import json
import os
from typing import Any, Iterable

from ..errors import NetworkFormatError, ShapeError
from .grid import SweepConfig, config_from_dict, network_specs

__all__ = ["RecordStore", "load_records", "RECORDS_FORMAT", "RECORDS_VERSION", "dumps_record"]

RECORDS_FORMAT = "exactrelu-sweep"
RECORDS_VERSION = 1


def dumps_record(record: dict) -> str:
    """One record as a canonical JSON line (sorted keys, no spaces)."""
    return json.dumps(record, sort_keys=True, separators=(",", ":"))


def _header(config: SweepConfig) -> str:
    return dumps_record({"format": RECORDS_FORMAT, "version": RECORDS_VERSION, "config": config.to_dict()})


def _read(path: str) -> tuple[dict | None, list[dict], int]:
    """(header, records, byte length of the complete lines); a torn last line is ignored."""
    with open(path, "rb") as handle:
        data = handle.read()
    header = None
    records = []
    good = 0
    offset = 0
    for raw in data.split(b"\n")[:-1]:  # the text after the last newline is torn or empty
        offset += len(raw) + 1
        if not raw.strip():
            good = offset
            continue
        try:
            item = json.loads(raw)
        except json.JSONDecodeError:
            raise NetworkFormatError(f"{path}: line at byte {offset - len(raw) - 1} is not JSON") from None
        if header is None:
            if not isinstance(item, dict) or item.get("format") != RECORDS_FORMAT:
                raise NetworkFormatError(f"{path} is not an exactrelu sweep records file")
            if item.get("version") != RECORDS_VERSION:
                raise NetworkFormatError(f"{path}: version={item.get('version')!r}, this exactrelu reads "
                                         f"version {RECORDS_VERSION}")
            header = item
        else:
            if not isinstance(item, dict) or "key" not in item:
                raise NetworkFormatError(f"{path}: a record without a 'key'")
            records.append(item)
        good = offset
    return header, records, good


def load_records(path: str) -> tuple[SweepConfig, list[dict]]:
    """The configuration and records of a records file (duplicates by key removed, canonical order)."""
    try:
        header, records, _ = _read(path)
    except OSError as exc:
        raise NetworkFormatError(f"cannot read {path}: {exc.strerror}") from None
    if header is None:
        raise NetworkFormatError(f"{path} has no header line")
    config = config_from_dict(header["config"])
    by_key = {r["key"]: r for r in records}
    order = {s.key: i for i, s in enumerate(network_specs(config))}
    return config, sorted(by_key.values(), key=lambda r: order.get(r["key"], len(order)))


class RecordStore:
    """An open records file for one configuration: which keys are done, append, finalise.

    Opening an existing file checks its header against ``config`` (a different
    sweep raises ShapeError rather than mixing records) and truncates a torn
    last line.
    """

    def __init__(self, path: str, config: SweepConfig):
        self.path = path
        self.config = config
        self.records: dict[str, dict] = {}
        if os.path.exists(path) and os.path.getsize(path) > 0:
            header, records, good = _read(path)
            if header is not None and header["config"] != config.to_dict():
                raise ShapeError(f"{path} holds records of a different sweep configuration; "
                                 "use another file or the same options")
            with open(path, "r+b") as handle:
                handle.truncate(good)
            if header is None:
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write(_header(config) + "\n")
            for r in records:
                self.records[r["key"]] = r
        else:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(_header(config) + "\n")
        self._handle: Any = open(path, "a", encoding="utf-8")

    @property
    def done(self) -> frozenset[str]:
        return frozenset(self.records)

    def append(self, records: Iterable[dict]) -> int:
        """Write new records (already-present keys are skipped); returns how many were written."""
        written = 0
        for r in records:
            if r["key"] in self.records:
                continue
            self._handle.write(dumps_record(r) + "\n")
            self.records[r["key"]] = r
            written += 1
        self._handle.flush()
        os.fsync(self._handle.fileno())
        return written

    def complete(self) -> bool:
        return len(self.records) >= self.config.total

    def finalize(self) -> None:
        """Rewrite the file in canonical order (atomic replace); only meaningful once complete."""
        self.close()
        order = [s.key for s in network_specs(self.config)]
        tmp = f"{self.path}.tmp-{os.getpid()}"
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(_header(self.config) + "\n")
            for key in order:
                if key in self.records:
                    handle.write(dumps_record(self.records[key]) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)

    def close(self) -> None:
        if self._handle is not None and not self._handle.closed:
            self._handle.close()

    def ordered(self) -> list[dict]:
        return [self.records[s.key] for s in network_specs(self.config) if s.key in self.records]
