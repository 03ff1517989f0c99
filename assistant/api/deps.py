"""Dependencies of the routes, as ``Annotated`` aliases: ``def route(now: NowDep)``.

The answerer and the rules are not dependencies: FastAPI runs dependencies before it reports
the body's errors, and bad input must stay a 422 even when the index is missing (503).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, TypeVar

from fastapi import Body, Depends, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

from assistant.api.state import Runtime
from assistant.precheck import Profile
from assistant.runtime import Services


async def get_runtime(request: Request) -> Runtime:
    runtime = request.app.state.runtime
    assert isinstance(runtime, Runtime), "create_app() sets app.state.runtime"
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def get_services(runtime: RuntimeDep) -> Services:
    return runtime.services


ServicesDep = Annotated[Services, Depends(get_services)]


async def get_now(services: ServicesDep) -> datetime:
    # Cached per request by FastAPI: validation and evaluation see the same instant.
    return services.clock()


NowDep = Annotated[datetime, Depends(get_now)]

M = TypeVar("M", bound=BaseModel)


def validate_at(model: type[M], body: dict[str, Any], now: datetime) -> M:
    """``body`` as ``model``, validated against the injected clock ("not in the future").

    FastAPI cannot pass a validation context, so such bodies arrive as JSON objects and are
    validated here; errors are re-raised as request errors, to get the same 422 as any field.
    """
    try:
        return model.model_validate(body, context={"now": now})
    except ValidationError as exc:
        errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
        raise RequestValidationError(errors) from None


async def get_profile(body: Annotated[dict[str, Any], Body()], now: NowDep) -> Profile:
    return validate_at(Profile, body, now)


ProfileDep = Annotated[Profile, Depends(get_profile)]
