"""Structured logs: one JSON line per request, SMS and job, with no personal data."""

from __future__ import annotations

import json
import logging
import sys
import time
import uuid

from flask import Flask, g, request

logger = logging.getLogger("nghedan")

# Fields that may carry personal data are never logged, whatever a caller passes.
FORBIDDEN_FIELDS = {"phone", "body", "text", "name", "contact_phone", "contact_name", "password"}


class JsonLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info).splitlines()[-1]
        return json.dumps(line, ensure_ascii=False, default=str)


def log_event(event: str, level: int = logging.INFO, **fields) -> None:
    """One structured line; personal fields are dropped."""
    clean = {k: v for k, v in fields.items() if k not in FORBIDDEN_FIELDS}
    logger.log(level, event, extra={"fields": clean})


def configure_logging(app: Flask) -> None:
    """JSON lines on stderr for the `nghedan` logger (once per process)."""
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonLineFormatter())
        logger.addHandler(handler)
        logger.setLevel(app.config.get("LOG_LEVEL", "INFO"))
        logger.propagate = False

    @app.before_request
    def _start_timer():
        g.request_started = time.perf_counter()
        g.request_id = request.headers.get("X-Request-Id", "")[:64] or uuid.uuid4().hex[:16]

    @app.after_request
    def _log_request(response):
        started = g.get("request_started")
        if started is not None:
            # The path only: query strings can hold codes or search words typed by people.
            log_event(
                "request",
                method=request.method,
                path=request.path,
                status=response.status_code,
                ms=round((time.perf_counter() - started) * 1000, 1),
                request_id=g.get("request_id"),
            )
        return response
