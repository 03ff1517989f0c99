"""Liveness and readiness in one: 200 once everything loaded, else 503 with the reason."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from assistant.api.deps import RuntimeDep
from assistant.api.errors import public_message
from assistant.api.schemas import Health, HealthProblem

router = APIRouter(tags=["health"])


@router.get(
    "/healthz",
    response_model=Health,
    summary="Is the service ready?",
    responses={503: {"model": HealthProblem, "description": "Not ready; `detail` says why."}},
)
async def healthz(runtime: RuntimeDep) -> Health | JSONResponse:
    problem = runtime.problem
    if not runtime.loaded or problem is not None:
        detail = public_message(problem) if problem is not None else "starting; try again soon"
        body = HealthProblem(status="unavailable", detail=detail)
        return JSONResponse(body.model_dump(), status_code=503)
    return Health(status="ok", passages=len(runtime.services.retriever.passages))
