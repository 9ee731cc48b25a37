"""schemathesis against the app's own OpenAPI schema on a real server (a bounded run).

Every operation gets generated requests, valid and invalid; no response may be a 5xx, and every
response must match what the schema says: its status, content type, headers and body.

The schema is built from create_app at collection (no model, no store: nothing starts), because
schemathesis' lazy fixture loader does not work with pytest 9; the first check is that the
running server serves exactly this schema.
"""

from __future__ import annotations

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
from tests.api.conftest import ORIGIN, Server

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
