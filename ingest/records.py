"""Read project records (JSONL or CSV): one chunk per record, its fields as readable text."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any

from assistant.errors import DamagedFile
from assistant.sanitize import strip_invisible
from assistant.types import pounds
from ingest.decode import FIX, decode_lenient

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
    savings: float | None = None  # savings_gbp, in pounds


@dataclass
class LoadedRecords:
    records: list[Record]
    refused: list[str] = field(default_factory=list)


class _BadRecord(ValueError):
    pass


def load_records(data: bytes, source: str, fmt: str) -> LoadedRecords:
    """Parse JSONL or CSV bytes; a malformed record is refused with its line, the rest go in.

    A byte that is not UTF-8 refuses the record whose line holds it, never the whole file.
    """
    text, bad = decode_lenient(data)
    if not text.strip():
        raise DamagedFile(source, "the file is empty")
    rows = _jsonl_rows(text, bad) if fmt == "jsonl" else _csv_rows(text, bad, source)
    loaded = LoadedRecords([])
    seen: set[str] = set()
    for line, row in rows:
        try:
            if isinstance(row, Exception):
                raise _BadRecord(str(row))
            record = _record(line, _clean(row))
            if record.record_id in seen:
                raise _BadRecord(f"duplicate id {record.record_id!r}")
            seen.add(record.record_id)
            loaded.records.append(record)
        except _BadRecord as exc:
            loaded.refused.append(f"{source}:{line}: record refused: {exc}")
    if not loaded.records and loaded.refused:
        first = loaded.refused[0].removeprefix(f"{source}:")
        raise DamagedFile(source, f"no valid records (line {first})")
    if not loaded.records:
        raise DamagedFile(source, "no project records in the file, only its header row")
    return loaded


def _clean(value: Any) -> Any:
    """Invisible characters removed from every key and text value, JSON escapes included."""
    if isinstance(value, str):
        return strip_invisible(value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    return value


def _not_utf8(description: str) -> _BadRecord:
    return _BadRecord(f"not UTF-8: {description}; {FIX}")


def _jsonl_rows(text: str, bad: dict[int, str]) -> list[tuple[int, dict[str, Any] | Exception]]:
    rows: list[tuple[int, dict[str, Any] | Exception]] = []
    # Lines end at newlines only: a JSON string may hold U+2028, which splitlines() breaks at.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        if number in bad:
            rows.append((number, _not_utf8(bad[number])))
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


def _csv_rows(
    text: str, bad: dict[int, str], source: str
) -> list[tuple[int, dict[str, Any] | Exception]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    fieldnames = [strip_invisible(f) for f in reader.fieldnames or []]
    if bad and min(bad) <= reader.line_num:
        raise DamagedFile(source, f"the CSV header row is not UTF-8: {bad[min(bad)]}; {FIX}")
    if "id" not in fieldnames:
        raise DamagedFile(source, "CSV has no header row with an 'id' column")
    rows: list[tuple[int, dict[str, Any] | Exception]] = []
    try:
        start = reader.line_num + 1
        for row in reader:
            # A quoted cell may span lines: the record is the lines from `start` to here.
            line = reader.line_num
            broken = next((bad[n] for n in range(start, line + 1) if n in bad), None)
            start = line + 1
            if broken:
                rows.append((line, _not_utf8(broken)))
                continue
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
        savings=savings,
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
    if row.get("savings_gbp") is not None:
        facts.append(f"Savings: {pounds(row['savings_gbp'])}.")
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
