"""One access-log line per request: method, path, status and duration."""

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("access")


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
