"""The OpenAPI 3.1 document of the JSON API, served at /api/v1/openapi.json and checked against
the running API by a test (schemathesis)."""

from __future__ import annotations

from typing import Any

from complaints.services.integrations import SCOPES
from web.api_schema import FIRE_TRIGGER, NEW_FEEDBACK, json_schema

VERSION = "1.0.0"
DATE = {"type": "string", "format": "date"}
NULLABLE_DATE = {"anyOf": [DATE, {"type": "null"}]}


def openapi_document() -> dict[str, Any]:
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
        "paths": _paths(),
        "components": {
            "securitySchemes": {
                "token": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": f"An integration's token; its scopes are some of {SCOPES}.",
                }
            },
            "schemas": _schemas(),
            "responses": _responses(),
        },
    }


def _paths() -> dict[str, Any]:
    reference = {
        "name": "reference",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "maxLength": 30},
    }
    return {
        "/api/v1/openapi.json": {
            "get": {
                "summary": "This document",
                "security": [],
                "responses": {
                    "200": {
                        "description": "The OpenAPI document",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        },
        "/api/v1/feedback": {
            "post": {
                "summary": "Log feedback; it starts in 'received', to be triaged (feedback:create)",
                "requestBody": _body("NewFeedback"),
                "responses": {
                    "201": _case_response("The case logged"),
                    **_errors("400", "401", "403", "413", "415", "422"),
                },
            }
        },
        "/api/v1/cases": {
            "get": {
                "summary": "Cases changed since a moment, oldest change first (cases:read)",
                "parameters": [
                    {
                        "name": "changed_since",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string", "format": "date-time"},
                    },
                    {
                        "name": "limit",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "integer", "minimum": 1, "maximum": 500},
                    },
                    {
                        "name": "cursor",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string", "maxLength": 200},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "A page of changed cases",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/ChangedPage"}
                            }
                        },
                    },
                    **_errors("401", "403", "422"),
                },
            }
        },
        "/api/v1/cases/{reference}": {
            "get": {
                "summary": "A case's status and deadlines (cases:read)",
                "parameters": [reference],
                "responses": {"200": _case_response("The case"), **_errors("401", "403", "404")},
            }
        },
        "/api/v1/cases/{reference}/triggers/{trigger}": {
            "post": {
                "summary": "Fire a workflow trigger, as the integration's account (cases:fire)",
                "parameters": [
                    reference,
                    {
                        "name": "trigger",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "maxLength": 60},
                    },
                ],
                "requestBody": {**_body("FireTrigger"), "required": False},
                "responses": {
                    "200": _case_response("The case after the step"),
                    **_errors("400", "401", "403", "404", "409", "413", "415", "422"),
                },
            }
        },
    }


def _body(schema: str) -> dict[str, Any]:
    return {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


def _case_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Case"}}},
    }


ERROR_TITLES = {
    "400": "The body is not valid JSON",
    "401": "No token, or an unknown or revoked one",
    "403": "The token lacks the scope",
    "404": "No such case",
    "409": "The case was changed by someone else; reload",
    "413": "The body is too large",
    "415": "The body is not application/json",
    "422": "The request breaks a rule (the detail says which)",
    "500": "Something went wrong on our side; it was logged and nothing was changed",
    "503": "The database cannot be used just now; try again later",
}


def _errors(*codes: str) -> dict[str, Any]:
    """The responses for `codes`, and for the two any operation may meet (500 and 503)."""
    return {code: {"$ref": f"#/components/responses/E{code}"} for code in (*codes, "500", "503")}


def _responses() -> dict[str, Any]:
    return {
        f"E{code}": {
            "description": title,
            "content": {
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
            },
        }
        for code, title in ERROR_TITLES.items()
    }


def _schemas() -> dict[str, Any]:
    deadline = {
        "type": "object",
        "required": ["name", "stage", "started_on", "due_on", "stopped_on", "status"],
        "properties": {
            "name": {"type": "string"},
            "stage": {"type": "integer"},
            "started_on": DATE,
            "due_on": DATE,
            "original_due_on": DATE,
            "stopped_on": NULLABLE_DATE,
            "status": {
                "type": "string",
                "enum": ["running", "paused", "stopped", "cancelled", "superseded"],
            },
            "paused_working_days": {"type": "integer"},
        },
    }
    return {
        "NewFeedback": json_schema(NEW_FEEDBACK),
        "FireTrigger": json_schema(FIRE_TRIGGER),
        "Case": {
            "type": "object",
            "required": ["reference", "procedure", "state", "stage", "version", "deadlines"],
            "properties": {
                "reference": {"type": "string"},
                "procedure": {"type": "string"},
                "feedback_type": {"type": "string"},
                "state": {"type": "string"},
                "stage": {"type": "integer"},
                "version": {"type": "integer", "minimum": 1},
                "received_on": DATE,
                "summary": {"type": "string"},
                "complainant_name": {"type": "string"},
                "deadlines": {"type": "array", "items": deadline},
                "points": {"type": "array", "items": {"type": "object"}},
                "outcomes": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        },
        "ChangedPage": {
            "type": "object",
            "required": ["cases", "next_cursor"],
            "properties": {
                "cases": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["reference", "state", "version", "updated_at"],
                        "properties": {
                            "reference": {"type": "string"},
                            "state": {"type": "string"},
                            "version": {"type": "integer"},
                            "updated_at": {"type": "string", "format": "date-time"},
                        },
                    },
                },
                "next_cursor": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            },
        },
        "Problem": {
            "type": "object",
            "required": ["type", "title", "status", "detail"],
            "properties": {
                "type": {"type": "string"},
                "title": {"type": "string"},
                "status": {"type": "integer"},
                "detail": {"type": "string"},
                "errors": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                    },
                },
            },
        },
    }
