"""The request log: one JSON line per request on the ``assistant.api`` logger.

Only the request line and its outcome are logged: never a body, a message or a profile.
"""

from __future__ import annotations

import copy
import json
import logging
from typing import Any

LOGGER = logging.getLogger("assistant.api")


def log_request(request_id: str, method: str, path: str, status: int, ms: float) -> None:
    LOGGER.info(
        json.dumps(
            {
                "request_id": request_id,
                "method": method,
                "path": path,
                "status": status,
                "ms": round(ms, 2),
            }
        )
    )


def uvicorn_log_config() -> dict[str, Any]:
    """Uvicorn's logging config plus the request log as bare JSON lines on stdout.

    Given to uvicorn rather than applied here so that every worker process applies it too.
    """
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["json_line"] = {"format": "%(message)s"}
    config["handlers"]["request_log"] = {
        "class": "logging.StreamHandler",
        "formatter": "json_line",
        "stream": "ext://sys.stdout",
    }
    config["loggers"][LOGGER.name] = {
        "handlers": ["request_log"],
        "level": "INFO",
        "propagate": False,
    }
    return config
