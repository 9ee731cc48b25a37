"""What routes receive: the services built once per worker, and the API key checks.

Routes ask for these through Annotated aliases (AssistantDep, StoreDep, ...), so a test or another
deployment can swap what is behind them without touching a route.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from api.errors import NoKeyConfigured
from api.metrics import Metrics
from api.records import Records
from api.services import Services
from api.uploads import Uploads, identity
from assistant.answer import Assistant
from assistant.errors import Unauthorized
from assistant.retrieval.store import Store
from assistant.settings import Settings


async def get_services(request: Request) -> Services:
    # async, like every dependency here: a sync one would cost a thread hop per request.
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


async def get_settings(services: ServicesDep) -> Settings:
    return services.settings


async def get_assistant(services: ServicesDep) -> Assistant:
    return services.assistant


async def get_store(services: ServicesDep) -> Store:
    return services.store


async def get_records(services: ServicesDep) -> Records:
    return services.records


async def get_metrics(services: ServicesDep) -> Metrics:
    return services.metrics


async def get_uploads(services: ServicesDep) -> Uploads:
    return services.uploads


SettingsDep = Annotated[Settings, Depends(get_settings)]
AssistantDep = Annotated[Assistant, Depends(get_assistant)]
StoreDep = Annotated[Store, Depends(get_store)]
RecordsDep = Annotated[Records, Depends(get_records)]
MetricsDep = Annotated[Metrics, Depends(get_metrics)]
UploadsDep = Annotated[Uploads, Depends(get_uploads)]

# Declared as security schemes so /docs offers an Authorize button; checked by hand below.
_bearer = HTTPBearer(auto_error=False, description="Authorization: Bearer <BLUELIGHT_API_KEY>")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="The BLUELIGHT_API_KEY")
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
HeaderKeyDep = Annotated[str | None, Depends(_header)]


def check_key(settings: Settings, presented: str | None, what: str) -> None:
    """Refuse unless the presented key equals the configured one (compared in constant time)."""
    configured = settings.api_key.get_secret_value() if settings.api_key else ""
    if not configured:
        raise NoKeyConfigured(
            f"{what} needs an API key and this server has none configured; "
            "set BLUELIGHT_API_KEY on the server and send it as Authorization: Bearer <key>"
        )
    if not presented:
        raise Unauthorized(
            f"{what} needs an API key; send it as Authorization: Bearer <key> or X-API-Key"
        )
    if not hmac.compare_digest(presented.encode(), configured.encode()):
        raise Unauthorized("the API key is not valid; check BLUELIGHT_API_KEY")


async def require_write_key(
    request: Request, settings: SettingsDep, bearer: BearerDep, header_key: HeaderKeyDep
) -> None:
    what = f"{request.method} {request.url.path}"
    check_key(settings, bearer.credentials if bearer else header_key, what)


async def require_read_key(
    request: Request, settings: SettingsDep, bearer: BearerDep, header_key: HeaderKeyDep
) -> None:
    what = f"{request.method} {request.url.path} (BLUELIGHT_READ_REQUIRES_KEY is set)"
    check_key(settings, bearer.credentials if bearer else header_key, what)


# Both also put a security requirement on their routes in the schema, from which api/keygate.py
# learns to check the key before a body is read.
WriteKey = Depends(require_write_key)
ReadKey = Depends(require_read_key)


async def get_uploader(bearer: BearerDep, header_key: HeaderKeyDep) -> str:
    """Who is uploading, as the manifest records it (a hash of the key, never the key)."""
    return identity(bearer.credentials if bearer else header_key)


UploaderDep = Annotated[str, Depends(get_uploader)]
