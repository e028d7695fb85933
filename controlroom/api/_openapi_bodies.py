"""OpenAPI descriptions of the request bodies that routes read by hand, and of bytes
answers.

Some routes read their body themselves: the start route takes JSON or multipart, the
work-item data route takes any JSON value, the worker's log and artifact routes take raw
bytes, and the signed upload takes a multipart file. FastAPI cannot see those bodies, so
each route passes one of these as ``openapi_extra`` and the OpenAPI document (and
schemathesis, which fuzzes from it) knows what to send.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

# A route that answers with a file's bytes (its ``response_class`` is the plain Response).
BYTES_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}
    }
}


def _inline(model: type[BaseModel]) -> dict[str, Any]:
    """A model's JSON schema with no ``$defs`` (only flat models may be inlined)."""
    schema = model.model_json_schema()
    if "$defs" in schema:
        raise ValueError(f"{model.__name__} nests models; describe it by hand")
    return schema


def json_body(schema: dict[str, Any], *, required: bool = True) -> dict[str, Any]:
    return {
        "requestBody": {"required": required, "content": {"application/json": {"schema": schema}}}
    }


def bytes_body(media_type: str = "application/octet-stream") -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {media_type: {"schema": {"type": "string", "format": "binary"}}},
        }
    }


def start_run_body(item: type[BaseModel]) -> dict[str, Any]:
    """``POST /api/v1/processes/{process}/runs``: JSON ``{"items": [...]}`` or multipart
    with ``files`` and an optional ``items`` JSON text naming them."""
    start = {
        "type": "object",
        "title": "StartIn",
        "properties": {"items": {"type": "array", "items": _inline(item)}},
    }
    multipart = {
        "type": "object",
        "properties": {
            "items": {"type": "string", "description": "JSON list of {payload, files}"},
            "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
        },
    }
    return {
        "requestBody": {
            "required": False,
            "content": {
                "application/json": {"schema": start},
                "multipart/form-data": {"schema": multipart},
            },
        }
    }


def signed_query(*names: str) -> list[dict[str, Any]]:
    """The query parameters of a signed URL (``controlroom._signing``)."""
    return [
        {"name": n, "in": "query", "required": False, "schema": {"type": "string"}} for n in names
    ]


def upload_body() -> dict[str, Any]:
    """``POST /files-v1/upload/...``: one multipart part named ``file``."""
    schema = {
        "type": "object",
        "required": ["file"],
        "properties": {"file": {"type": "string", "format": "binary"}},
    }
    return {
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": schema}}},
        "parameters": signed_query("size", "by", "expires", "signature"),
    }
