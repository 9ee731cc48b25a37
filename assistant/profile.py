"""What the engine may know about one corpus's domain, read from a small TOML file beside it.

The file names the domain and describes it in one line (for messages), lists the services or
other facet values with the everyday words people use for them, the domain's own short forms,
and the phrases that name the whole scope of the evidence rather than one region within it.
Without a file the engine works the same, knowing no domain words.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from assistant.errors import BadInput

FILE_NAME = "profile.toml"


@dataclass(frozen=True)
class Profile:
    """A corpus's domain: its name, one-line description, vocabulary and short forms."""

    name: str = ""
    description: str = ""
    # canonical facet value -> everyday words for it ("ambulance" -> "paramedics", ...)
    services: MappingProxyType[str, tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    # short form -> the long form it stands for
    short_forms: MappingProxyType[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # phrases that name the whole scope, not a region inside it
    scope: tuple[str, ...] = ()
    # phrases naming several services at once ("blue lights" -> police, fire, ambulance)
    service_groups: MappingProxyType[str, tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    # a record field's values with the everyday words for them
    statuses: MappingProxyType[str, tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    themes: MappingProxyType[str, tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )

    @classmethod
    def empty(cls) -> Profile:
        return cls()

    @property
    def about(self) -> str:
        """What questions should be about, for messages: the description, else a neutral phrase."""
        return self.description or self.name or "the documents it holds"


def load_profile(path: Path) -> Profile:
    """The profile in `path`, or the empty profile when there is no such file."""
    if not path.is_file():
        return Profile.empty()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BadInput(f"{path}: not a readable TOML profile ({exc}); fix or remove it") from exc
    return _parsed(data, path)


def _parsed(data: dict[str, Any], path: Path) -> Profile:
    def text(key: str) -> str:
        value = data.get(key, "")
        if not isinstance(value, str):
            raise BadInput(f"{path}: `{key}` must be a string")
        return value.strip()

    def words(value: Any, where: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
            raise BadInput(f"{path}: `{where}` must be a list of strings")
        return tuple(w.strip() for w in value if w.strip())

    def table(key: str) -> MappingProxyType[str, tuple[str, ...]]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            raise BadInput(f"{path}: `{key}` must be a table")
        return MappingProxyType({k: words(v, f"{key}.{k}") for k, v in sorted(value.items())})

    short_forms = data.get("short_forms", {})
    if not isinstance(short_forms, dict):
        raise BadInput(f"{path}: `short_forms` must be a table")
    if not all(isinstance(v, str) for v in short_forms.values()):
        raise BadInput(f"{path}: each short form must map to a string")
    tables = ("services", "service_groups", "statuses", "themes")
    unknown = set(data) - {"name", "description", "scope", "short_forms", *tables}
    if unknown:
        raise BadInput(f"{path}: unknown keys {', '.join(sorted(unknown))}")
    return Profile(
        name=text("name"),
        description=text("description"),
        services=table("services"),
        short_forms=MappingProxyType({k.lower(): v for k, v in sorted(short_forms.items())}),
        scope=words(data.get("scope", []), "scope"),
        service_groups=table("service_groups"),
        statuses=table("statuses"),
        themes=table("themes"),
    )
