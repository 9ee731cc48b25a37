"""schemathesis against the app's own OpenAPI schema on a real server (a bounded run).

Every operation gets generated requests, valid and invalid; no response may be a 5xx, and every
response must match what the schema says: its status, content type, headers and body.

The schema is built from create_app at collection (no model, no store: nothing starts), because
schemathesis' lazy fixture loader does not work with pytest 9; the first check is that the
running server serves exactly this schema.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from hypothesis import HealthCheck, settings
from schemathesis import Case
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.openapi import from_dict

from api.app import create_app
from assistant.settings import Settings
from tests.api.conftest import API_KEY, ORIGIN, Server, start_server

# Enough to reach every field's edges, small enough for a few minutes on two cores.
MAX_EXAMPLES = 30
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# The settings that shape the schema, as the api_server fixture sets them.
OPENAPI = create_app(Settings(read_requires_key=False, cors_origins=[ORIGIN])).openapi()
schema = from_dict(OPENAPI)


@pytest.fixture(scope="module")
def served(api_server: Server) -> str:
    live = httpx.get(f"{api_server.base_url}/openapi.json").json()
    assert live == OPENAPI, "the server's schema differs from the one the cases come from"
    return api_server.base_url


@pytest.mark.server
@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case: Case, served: str) -> None:
    case.call_and_validate(base_url=served, checks=CHECKS, timeout=60)


# The same run with the key, on a server of its own that requires it for reads too, over the
# operations that change or review the store: uploads (random files and fields), review, delete,
# jobs and feedback.
KEYED_SETTINGS = {"api_key": API_KEY, "read_requires_key": True, "max_upload_bytes": 200_000}
KEYED_OPENAPI = create_app(Settings(**KEYED_SETTINGS)).openapi()  # type: ignore[arg-type]
keyed_schema = from_dict(KEYED_OPENAPI).include(path_regex=r"^/v1/(documents|jobs|feedback)")


@pytest.fixture(scope="module")
def keyed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("schema-keyed")
    server = start_server(root / "data", root, **KEYED_SETTINGS)
    try:
        with server.client(API_KEY) as client:
            live = client.get("/openapi.json").json()
        assert live == KEYED_OPENAPI, "the server's schema differs from the one the cases come from"
        yield server.base_url
    finally:
        server.stop()


@pytest.mark.server
@pytest.mark.slow
@keyed_schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_keyed_writes_conform_to_their_schema(case: Case, keyed: str) -> None:
    case.call_and_validate(
        base_url=keyed, checks=CHECKS, timeout=60, headers={"Authorization": f"Bearer {API_KEY}"}
    )
