"""uvicorn's HTTP protocol, with its own 400 for malformed requests in the one JSON error shape.

A request that is not valid HTTP/1.1 (a header holding a control character, say) is refused by
uvicorn's parser before the app sees it, with a plain-text 400; no middleware can reach it. This
subclass answers that case in the API's JSON shape instead. Selected with uvicorn's `--http
api.protocol:JsonErrorsProtocol` (api/serve.py and api/launch.py pass it); run without it, the
refusal is uvicorn's plain text.
"""

from __future__ import annotations

import json
import uuid

from api.errors import error_body

try:  # what uvicorn's "auto" picks: httptools when installed (uvicorn[standard]), else h11
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _Protocol
except ImportError:  # pragma: no cover - uvicorn[standard] brings httptools
    from uvicorn.protocols.http.h11_impl import H11Protocol as _Protocol  # type: ignore[assignment]

SPEC = "api.protocol:JsonErrorsProtocol"
MESSAGE = (
    "the request is not valid HTTP: a header holds a character HTTP does not allow (a control "
    "character, say) or the request line is malformed; nothing was processed"
)


class JsonErrorsProtocol(_Protocol):
    def send_400_response(self, msg: str) -> None:
        rid = uuid.uuid4().hex
        body = json.dumps(error_body(rid, "bad_request", MESSAGE)).encode()
        head = [b"HTTP/1.1 400 Bad Request\r\n"]
        defaults = self.server_state.default_headers  # server and date, as on every response
        head += [name + b": " + value + b"\r\n" for name, value in defaults]
        head += [
            b"content-type: application/json\r\n",
            b"content-length: " + str(len(body)).encode() + b"\r\n",
            b"x-request-id: " + rid.encode() + b"\r\n",
            b"connection: close\r\n",
            b"\r\n",
        ]
        self.transport.write(b"".join(head) + body)
        self.transport.close()
