"""Liveness (``/healthz``: the process serves) and readiness (``/readyz``: it can answer).

Two probes because they lead to different actions: a process that is not alive is restarted;
one that is not ready (its Chroma server is down, its index is not built) is only taken out of
the rotation until it is, as a restart would not help.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from assistant.api.deps import RuntimeDep
from assistant.api.errors import public_message, retry_headers
from assistant.api.limits import RequestTimedOut, run_with_timeout
from assistant.api.schemas import Health, HealthProblem, Ready

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, summary="Is the process alive?")
async def healthz() -> Health:
    # Nothing is checked on purpose: a dependency that is down must not get the API restarted.
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Ready,
    summary="Can the service answer?",
    description=(
        "200 when the corpus, the index, the model and the rules are loaded and the vector "
        "store answers; else 503 naming the `component` that is not ready and what to do."
    ),
    responses={503: {"model": HealthProblem, "description": "Not ready; `detail` says why."}},
)
async def readyz(runtime: RuntimeDep) -> Ready | JSONResponse:
    if not runtime.loaded:
        return _not_ready("startup", "starting; try again soon", {"Retry-After": "5"})
    settings = runtime.services.settings
    try:
        failure = await run_with_timeout(settings.readiness_timeout_seconds, runtime.readiness)
    except RequestTimedOut:
        detail = (
            f"the vector store did not answer within {settings.readiness_timeout_seconds:g} s; "
            "check the Chroma server"
        )
        return _not_ready("vector_store", detail, {"Retry-After": "5"})
    if failure is not None:
        component, error = failure
        return _not_ready(component, public_message(error), retry_headers(error))
    return Ready(
        status="ready",
        passages=len(runtime.services.retriever.passages),
        vector_store=settings.chroma_mode,
    )


def _not_ready(component: str, detail: str, headers: dict[str, str]) -> JSONResponse:
    body = HealthProblem(status="unavailable", component=component, detail=detail)
    return JSONResponse(body.model_dump(), status_code=503, headers=headers)
