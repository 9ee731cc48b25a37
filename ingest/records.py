"""Read project records (JSONL or CSV): one chunk per record, its fields as readable text."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any

from assistant.errors import DamagedFile

_LIST_FIELDS = ("services", "partners", "barriers")
_REQUIRED = ("id", "title")


@dataclass(frozen=True)
class Record:
    """One validated project record and the line it came from."""

    line: int
    record_id: str
    title: str
    services: tuple[str, ...]
    region: str | None
    theme: str | None
    status: str | None
    start_year: int | None
    text: str


@dataclass
class LoadedRecords:
    records: list[Record]
    refused: list[str] = field(default_factory=list)


class _BadRecord(ValueError):
    pass


def load_records(data: bytes, source: str, fmt: str) -> LoadedRecords:
    """Parse JSONL or CSV bytes; a malformed record is refused with its line, the rest go in."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DamagedFile(source, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    if not text.strip():
        raise DamagedFile(source, "the file is empty")
    rows = _jsonl_rows(text) if fmt == "jsonl" else _csv_rows(text, source)
    loaded = LoadedRecords([])
    seen: set[str] = set()
    for line, row in rows:
        try:
            if isinstance(row, Exception):
                raise _BadRecord(str(row))
            record = _record(line, row)
            if record.record_id in seen:
                raise _BadRecord(f"duplicate id {record.record_id!r}")
            seen.add(record.record_id)
            loaded.records.append(record)
        except _BadRecord as exc:
            loaded.refused.append(f"{source}:{line}: record refused: {exc}")
    if not loaded.records and loaded.refused:
        raise DamagedFile(source, f"no valid records ({loaded.refused[0].split(': ', 1)[1]})")
    return loaded


def _jsonl_rows(text: str) -> list[tuple[int, dict[str, Any] | Exception]]:
    rows: list[tuple[int, dict[str, Any] | Exception]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            rows.append((number, _BadRecord(f"invalid JSON ({exc.msg} at column {exc.colno})")))
            continue
        if not isinstance(value, dict):
            rows.append((number, _BadRecord("not a JSON object")))
            continue
        rows.append((number, value))
    return rows


def _csv_rows(text: str, source: str) -> list[tuple[int, dict[str, Any] | Exception]]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "id" not in reader.fieldnames:
        raise DamagedFile(source, "CSV has no header row with an 'id' column")
    rows: list[tuple[int, dict[str, Any] | Exception]] = []
    try:
        for row in reader:
            line = reader.line_num
            if None in row:
                rows.append((line, _BadRecord("more cells than header columns")))
                continue
            value: dict[str, Any] = {k: (v if v != "" else None) for k, v in row.items()}
            for name in _LIST_FIELDS:
                raw = value.get(name)
                value[name] = [p.strip() for p in raw.split(";") if p.strip()] if raw else []
            for name in ("start_year", "savings_gbp"):
                value[name] = _number(value.get(name))
            rows.append((line, value))
    except csv.Error as exc:
        rows.append((reader.line_num, _BadRecord(f"malformed CSV ({exc})")))
    return rows


def _number(raw: Any) -> Any:
    if raw is None:
        return None
    try:
        number = float(raw)
    except (TypeError, ValueError):
        return raw  # left for validation to name
    return int(number) if number.is_integer() else number


def _record(line: int, row: dict[str, Any]) -> Record:
    for name in _REQUIRED:
        if not isinstance(row.get(name), str) or not row[name].strip():
            raise _BadRecord(f"missing or empty {name!r}")
    for name in _LIST_FIELDS:
        value = row.get(name) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise _BadRecord(f"{name!r} must be a list of strings")
    year = row.get("start_year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        raise _BadRecord(f"'start_year' must be a whole year or empty, not {year!r}")
    if year is not None and not 1900 <= year <= 2100:
        raise _BadRecord(f"'start_year' {year} is out of range")
    savings = row.get("savings_gbp")
    if savings is not None and (not isinstance(savings, int | float) or isinstance(savings, bool)):
        raise _BadRecord(f"'savings_gbp' must be a number or empty, not {savings!r}")
    for name in ("region", "theme", "status", "summary", "outcomes", "lead_organisation"):
        if row.get(name) is not None and not isinstance(row[name], str):
            raise _BadRecord(f"{name!r} must be text")
    return Record(
        line=line,
        record_id=row["id"].strip(),
        title=row["title"].strip(),
        services=tuple(s.strip() for s in row.get("services") or []),
        region=row.get("region"),
        theme=row.get("theme"),
        status=row.get("status"),
        start_year=year,
        text=render(row),
    )


def render(row: dict[str, Any]) -> str:
    """The record as readable text: what is embedded, searched and quoted."""
    lines = [f"Project {row['id']}: {row['title']}."]
    facts = []
    if row.get("theme"):
        facts.append(f"Theme: {row['theme'].replace('_', ' ')}.")
    if row.get("region"):
        facts.append(f"Region: {row['region']}.")
    if row.get("services"):
        facts.append(f"Services: {', '.join(s.replace('_', ' ') for s in row['services'])}.")
    if row.get("status"):
        facts.append(f"Status: {row['status']}.")
    if row.get("start_year") is not None:
        facts.append(f"Started: {row['start_year']}.")
    if facts:
        lines.append(" ".join(facts))
    if row.get("lead_organisation"):
        lines.append(f"Lead: {row['lead_organisation']}.")
    if row.get("partners"):
        lines.append(f"Partners: {', '.join(row['partners'])}.")
    if row.get("summary"):
        lines.append(row["summary"].strip())
    if row.get("outcomes"):
        lines.append(f"Outcomes: {row['outcomes'].strip()}")
    if row.get("barriers"):
        lines.append("Barriers: " + "; ".join(b.rstrip(".") for b in row["barriers"]) + ".")
    return "\n".join(lines)
