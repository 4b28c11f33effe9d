"""The OpenAPI 3.1 document of the JSON API, served at /api/v1/openapi.json: generated from the
API's table of routes (each declared with its view in web/api.py) and the pydantic models of
their bodies (web/api_models.py). Schemathesis checks the running API against it (docs/api.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from complaints.services.integrations import SCOPES
from web.api_models import Problem

VERSION = "1.0.0"
REF_TEMPLATE = "#/components/schemas/{model}"
PATH_PARAMETERS = {
    "reference": "The case's reference, such as CF-2026-000123.",
    "trigger": "The workflow step (`complaints workflow show PROCEDURE` lists them).",
}
ERROR_TITLES = {
    400: "The body is not valid JSON",
    401: "No token, or an unknown or revoked one",
    403: "The token lacks the scope",
    404: "No such case",
    409: "The case was changed by someone else; reload",
    413: "The body is too large",
    415: "The body is not application/json",
    422: "The request breaks a rule (the detail says which)",
    500: "Something went wrong on our side; it was logged and nothing was changed",
    503: "The database cannot be used just now; try again later",
}
ANY_OPERATION = (500, 503)  # the errors any operation may meet


@dataclass(frozen=True)
class Answer:
    """A route's answer when all goes well: its status, what it is, and its body's model (None:
    any JSON object)."""

    status: int
    description: str
    model: type[BaseModel] | None = None


@dataclass(frozen=True)
class Route:
    """One operation of the API, as the document describes it. The statuses it may answer
    follow from what it takes: a token (401, 403), a body (400, 413, 415, 422), a query (422),
    a case's reference (404), and `refusals` for what else its service may refuse."""

    method: str
    rule: str  # Flask's, such as /api/v1/cases/<reference>
    summary: str
    answer: Answer
    scope: str | None = None
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    refusals: tuple[int, ...] = ()

    @property
    def path(self) -> str:
        """The rule as OpenAPI writes a path: /api/v1/cases/{reference}."""
        return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", self.rule)

    @property
    def errors(self) -> tuple[int, ...]:
        found = set(self.refusals) | set(ANY_OPERATION)
        if self.scope:
            found |= {401, 403}
        if self.body:
            found |= {400, 413, 415, 422}
        if self.query:
            found.add(422)
        if "{reference}" in self.path:
            found.add(404)
        return tuple(sorted(found))


def openapi_document(routes: Iterable[Route]) -> dict[str, Any]:
    """The document describing `routes`, every schema generated from their models."""
    routes = list(routes)
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(route)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Complaints case management API",
            "version": VERSION,
            "description": "Create feedback, read a case's status, list cases changed since a "
            "moment, and move a case on, for the council's own portal and integrations. "
            "Authenticate with 'Authorization: Bearer <token>' (complaints api token add).",
        },
        "servers": [{"url": "/"}],
        "security": [{"token": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "token": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": f"An integration's token; its scopes are some of {SCOPES}.",
                }
            },
            "schemas": _schemas(routes),
            "responses": {
                f"E{status}": {
                    "description": title,
                    "content": {"application/problem+json": {"schema": _ref(Problem)}},
                }
                for status, title in ERROR_TITLES.items()
            },
        },
    }


def _operation(route: Route) -> dict[str, Any]:
    scope = f" ({route.scope})" if route.scope else ""
    operation: dict[str, Any] = {
        "summary": route.summary + scope,
        "security": [{"token": [route.scope]}] if route.scope else [],
        "parameters": _path_parameters(route) + _query_parameters(route.query),
        "responses": {
            str(route.answer.status): _answer(route.answer),
            **{
                str(status): {"$ref": f"#/components/responses/E{status}"}
                for status in route.errors
            },
        },
    }
    if route.body:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _ref(route.body)}},
        }
    if not operation["parameters"]:
        del operation["parameters"]
    return operation


def _path_parameters(route: Route) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "in": "path",
            "required": True,
            "description": PATH_PARAMETERS[name],
            "schema": {"type": "string"},
        }
        for name in re.findall(r"{([^}]+)}", route.path)
    ]


def _query_parameters(query: type[BaseModel] | None) -> list[dict[str, Any]]:
    if query is None:
        return []
    schema = query.model_json_schema(ref_template=REF_TEMPLATE)
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "in": "query",
            "required": name in required,
            "description": field.get("description", ""),
            "schema": _query_value(field),
        }
        for name, field in schema["properties"].items()
    ]


def _query_value(field: dict[str, Any]) -> dict[str, Any]:
    """The schema of a query parameter's value: a parameter left out is absent, never null."""
    alternatives = [choice for choice in field.get("anyOf", [field]) if choice != {"type": "null"}]
    return {
        key: value for key, value in alternatives[0].items() if key not in ("title", "description")
    }


def _answer(answer: Answer) -> dict[str, Any]:
    schema = _ref(answer.model) if answer.model else {"type": "object"}
    return {"description": answer.description, "content": {"application/json": {"schema": schema}}}


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": REF_TEMPLATE.format(model=model.__name__)}


def _schemas(routes: list[Route]) -> dict[str, Any]:
    """Every model's schema (and those they refer to: the vocabularies, a case's deadlines...):
    what requests send as their validation reads it, what answers hold as they are written."""
    models: dict[type[BaseModel], JsonSchemaMode] = {Problem: "serialization"}
    for route in routes:
        if route.body:
            models[route.body] = "validation"
        if route.answer.model:
            models[route.answer.model] = "serialization"
    _, schemas = models_json_schema(list(models.items()), ref_template=REF_TEMPLATE)
    return dict(schemas.get("$defs", {}))
