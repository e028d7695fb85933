"""Clerk: on-premises RPA and document AI."""

from clerk.documents import (
    DOC_TYPES,
    SCHEMA,
    Box,
    Check,
    Document,
    Field,
    Page,
    Understanding,
    Word,
)
from clerk.errors import ApplicationError, BusinessError, ClerkError

__all__ = [
    "DOC_TYPES",
    "SCHEMA",
    "ApplicationError",
    "Box",
    "BusinessError",
    "Check",
    "ClerkError",
    "Document",
    "Field",
    "Page",
    "Understanding",
    "Word",
]
