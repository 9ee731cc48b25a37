"""The corpus profile: what the engine may know about one domain, read from a small TOML file
beside the corpus. Without a file the engine still works, knowing nothing of the domain."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from assistant.conditions import Words
from assistant.errors import BadInput


@dataclass(frozen=True)
class Profile:
    name: str = "bluelight"
    description: str = "the documents it holds"  # for messages: "ask something about ..."
    scope: tuple[str, ...] = ()
    short_forms: dict[str, str] = field(default_factory=dict)
    words: Words = field(default_factory=Words)

    @classmethod
    def load(cls, path: Path) -> Profile:
        """The profile in `path`, or an empty one when there is no such file."""
        if not path.is_file():
            return cls()
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise BadInput(f"{path}: the corpus profile cannot be read ({exc})") from exc
        scope = tuple(data.get("scope", ()))
        return cls(
            name=str(data.get("name", cls.name)),
            description=str(data.get("description", cls.description)),
            scope=scope,
            short_forms={str(k): str(v) for k, v in data.get("short_forms", {}).items()},
            words=Words(
                services=_lists(data, "services"),
                service_groups=_lists(data, "service_groups"),
                statuses=_lists(data, "statuses"),
                themes=_lists(data, "themes"),
                scope=scope,
                aliases={str(k): str(v) for k, v in data.get("short_forms", {}).items()},
            ),
        )


def _lists(data: dict[str, object], key: str) -> dict[str, tuple[str, ...]]:
    table = data.get(key, {})
    if not isinstance(table, dict):
        raise BadInput(f"the corpus profile's [{key}] must be a table of lists")
    return {str(k): tuple(str(x) for x in v) for k, v in table.items()}
