"""Completes the OpenAPI document with the request bodies FastAPI cannot see by itself."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel

from assistant.drafting import DraftRequest
from assistant.precheck import Profile

# Bodies validated in a dependency (it needs the clock, see deps.get_profile): FastAPI only
# sees "a JSON object", so the real schema is put in by hand, by path of the POST operation.
POST_BODIES: dict[str, type[BaseModel]] = {"/api/precheck": Profile, "/api/draft": DraftRequest}


def add_bodies(schema: dict[str, Any], bodies: dict[str, type[BaseModel]]) -> None:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for path, model in bodies.items():
        definition = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, sub in {**definition.pop("$defs", {}), model.__name__: definition}.items():
            if components.setdefault(name, sub) != sub:
                raise RuntimeError(f"two different OpenAPI schemas are named {name!r}")
        content = schema["paths"][path]["post"]["requestBody"]["content"]["application/json"]
        content["schema"] = {"$ref": f"#/components/schemas/{model.__name__}"}


def install_openapi(app: FastAPI) -> None:
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        first = app.openapi_schema is None
        schema = generate()  # FastAPI's own, cached on the app after the first call
        if first:
            add_bodies(schema, POST_BODIES)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
