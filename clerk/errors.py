"""Failures as data: one small hierarchy that maps onto work-item exceptions.

Every code Clerk can put on a failed work item is listed in ``CODES`` with its type and a
sentence for people. ``docs/errors.md`` is generated from this table
(``clerk errors --markdown``) and a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

ErrorType = Literal["BUSINESS", "APPLICATION", "ORCHESTRATOR"]


@dataclass(frozen=True)
class ErrorCode:
    code: str
    type: ErrorType
    meaning: str


CODES: dict[str, ErrorCode] = {
    c.code: c
    for c in (
        # Reading a file
        ErrorCode("EMPTY_FILE", "BUSINESS", "The file has zero bytes."),
        ErrorCode("TRUNCATED_FILE", "BUSINESS", "The file ends early or its structure is broken."),
        ErrorCode("UNSUPPORTED_TYPE", "BUSINESS", "The content is not a type Clerk reads."),
        ErrorCode("ENCRYPTED_PDF", "BUSINESS", "The PDF is password-protected."),
        ErrorCode("TOO_MANY_PAGES", "BUSINESS", "The document has more pages than the limit."),
        ErrorCode("IMAGE_TOO_LARGE", "BUSINESS", "The image has more pixels than the limit."),
        ErrorCode("FILE_TOO_LARGE", "BUSINESS", "The file has more bytes than the limit."),
        ErrorCode("BAD_ENCODING", "BUSINESS", "The text could not be decoded."),
        ErrorCode("UNSAFE_NAME", "BUSINESS", "A file or attachment name is unsafe."),
        ErrorCode("UNREADABLE", "BUSINESS", "No text could be read from the document."),
        # Understanding
        ErrorCode("NEEDS_REVIEW", "BUSINESS", "Confidence or a validation is below the bar."),
        ErrorCode("UNKNOWN_TYPE", "BUSINESS", "The document type has no downstream step."),
        ErrorCode("DUPLICATE", "BUSINESS", "The document was already entered."),
        ErrorCode("UNKNOWN_VENDOR", "BUSINESS", "The vendor is not in the ERP master data."),
        ErrorCode("ERP_VALIDATION", "BUSINESS", "The ERP refused the entry."),
        ErrorCode("CMS_VALIDATION", "BUSINESS", "The CMS refused the product page."),
        ErrorCode("REJECTED", "BUSINESS", "A reviewer rejected the item."),
        ErrorCode("BAD_PAYLOAD", "BUSINESS", "The work item's payload is missing or malformed."),
        # Infrastructure
        ErrorCode("MODEL_MISSING", "APPLICATION", "No trained model is installed."),
        ErrorCode(
            "MASTER_DATA_UNAVAILABLE",
            "APPLICATION",
            "The vendor master file (CLERK_VENDOR_MASTER) is missing or malformed.",
        ),
        ErrorCode("OCR_FAILED", "APPLICATION", "The OCR engine failed or is missing."),
        ErrorCode("ERP_TIMEOUT", "APPLICATION", "The ERP did not answer in time."),
        ErrorCode(
            "ERP_UNAVAILABLE",
            "APPLICATION",
            "The ERP could not be reached or kept answering with server errors.",
        ),
        ErrorCode("CMS_TIMEOUT", "APPLICATION", "The CMS did not answer in time."),
        ErrorCode(
            "CMS_UNAVAILABLE",
            "APPLICATION",
            "The CMS could not be reached or kept answering with server errors.",
        ),
        ErrorCode("SESSION_LOST", "APPLICATION", "The target application logged the bot out."),
        ErrorCode("EGRESS_BLOCKED", "APPLICATION", "A request to a host off the allow-list."),
        ErrorCode("CREDENTIALS_MISSING", "APPLICATION", "No stored credentials for a system."),
        ErrorCode("LOGIN_FAILED", "APPLICATION", "The target application refused the credentials."),
        ErrorCode("ENTRY_MISMATCH", "APPLICATION", "The record read back differs from the entry."),
        ErrorCode(
            "BOT_ERROR",
            "APPLICATION",
            "A bot could not do a step on a screen it reached (an element missing, ambiguous "
            "or of another kind): the screen changed or the bot needs a fix.",
        ),
        ErrorCode("FILE_NOT_FOUND", "APPLICATION", "The file named is not there, or not readable."),
        ErrorCode("INTERNAL", "APPLICATION", "An unexpected error; the log has details."),
        # Control Room
        ErrorCode("ROBOT_DIED", "ORCHESTRATOR", "The robot ended before releasing the item."),
        ErrorCode("RETRIES_EXHAUSTED", "ORCHESTRATOR", "The retry limit was reached."),
    )
}


class ClerkError(Exception):
    """A failure with a stable code and a message a person understands."""

    def __init__(self, code: str, message: str) -> None:
        if code not in CODES:
            raise ValueError(f"unknown error code {code!r}; add it to clerk.errors.CODES")
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def type(self) -> ErrorType:
        return CODES[self.code].type

    def as_exception(self) -> dict[str, str]:
        """The work-item exception body (robocorp's release-work-item shape)."""
        return {"type": self.type, "code": self.code, "message": self.message}

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"

    def __reduce__(self) -> tuple[Any, tuple[str, str]]:
        # Rebuilt from code and message (not ``args``), so it crosses process boundaries.
        return (type(self), (self.code, self.message))


class BusinessError(ClerkError):
    """Bad data: never retried automatically; waits for a person."""


class ApplicationError(ClerkError):
    """Infrastructure trouble: the Control Room may retry it."""


def error(code: str, message: str) -> ClerkError:
    """The right subclass for a code."""
    kind = CODES[code].type if code in CODES else "APPLICATION"
    cls = BusinessError if kind == "BUSINESS" else ApplicationError
    return cls(code, message)


def errors_markdown() -> str:
    lines = [
        "# Error codes",
        "",
        "Every failed work item carries one of these codes. BUSINESS failures wait for a",
        "person in the exception queue; APPLICATION failures are retried by the Control",
        "Room's policy; ORCHESTRATOR failures are set by the Control Room itself.",
        "Generated by `clerk errors --markdown`; do not edit by hand.",
        "",
        "| code | type | meaning |",
        "| --- | --- | --- |",
    ]
    lines += [f"| `{c.code}` | {c.type} | {c.meaning} |" for c in CODES.values()]
    return "\n".join(lines) + "\n"
