"""Which host this is: a name kept in the data folder, so every worker on it agrees.

Upload jobs record the host whose data folder holds their file; only that host can finish or
fail them. The name is made once per data folder (the machine's name and a random part, since
two hosts can share a machine name) and survives restarts, so a host that comes back after a
crash knows its own jobs.
"""

from __future__ import annotations

import os
import socket
import uuid
from pathlib import Path

_FILE = "host-id"


def host_id(data_dir: Path) -> str:
    """This data folder's host name, made on first use (safe when workers start together)."""
    path = data_dir / _FILE
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    name = f"{socket.gethostname()}-{uuid.uuid4().hex[:8]}"
    draft = data_dir / f".{_FILE}.{os.getpid()}-{uuid.uuid4().hex[:8]}"
    draft.write_text(name + "\n", encoding="utf-8")
    try:
        os.link(draft, path)  # atomic, and fails if another worker got there first
    except FileExistsError:
        pass
    finally:
        draft.unlink(missing_ok=True)
    return path.read_text(encoding="utf-8").strip()
