"""ASGI middleware: a limit on request bodies, and one access-log line per request."""

import json
import logging
import time

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("access")


class BodyLimitMiddleware:
    """Bodies over `max_bytes` answer 413 before they are read whole.

    A declared Content-Length over the limit is refused before the app runs; a body without
    one (chunked) is counted as it arrives, and refused once it passes the limit.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(send)
            return
        if declared is None:
            receive = self._counting(receive)
        # With a Content-Length, the server never passes on more bytes than it declares.
        await self.app(scope, receive, send)

    def _counting(self, receive: Receive) -> Receive:
        received = 0

        async def receive_within_limit() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                # The app is reading the body: FastAPI answers this exception as it is.
                raise HTTPException(413, self._detail)
            return message

        return receive_within_limit

    @property
    def _detail(self) -> str:
        return f"The request body is larger than {self.max_bytes} bytes"

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({"detail": self._detail}).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length" and value.isdigit():
            return int(value)
    return None


class AccessLogMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status_code = 500

        async def send_and_note_status(message: Message) -> None:
            nonlocal status_code
            if message["type"] == "http.response.start":
                status_code = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note_status)
        finally:
            if logger.isEnabledFor(logging.INFO):
                elapsed = (time.perf_counter() - started) * 1000
                logger.info(
                    "%s %s %d %.1fms",
                    scope["method"],
                    scope["path"],
                    status_code,
                    elapsed,
                )
