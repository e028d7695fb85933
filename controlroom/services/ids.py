"""Ids as people type them: a full id, or a unique prefix of one (the console and the
CLI's tables show the first ``SHORT`` characters, as git shows commits)."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from controlroom.models import ProcessRun, WorkItem
from controlroom.services.errors import InvalidInput, NotFound

SHORT = 8
MIN_PREFIX = 4
_PREFIX = re.compile(r"[0-9a-f-]+")
_MODELS: dict[str, tuple[type[ProcessRun] | type[WorkItem], str]] = {
    "run": (ProcessRun, "clerk runs list"),
    "item": (WorkItem, "clerk items list"),
}


def short(full_id: str) -> str:
    return full_id[:SHORT]


def resolve(session: Session, workspace_id: str, kind: str, text: str) -> str:
    """The full id of the ``kind`` ("run" or "item") in the workspace that is ``text``
    or starts with it. Raises ``NotFound``, or ``InvalidInput`` (code ``AMBIGUOUS_ID``)
    when several ids start with it."""
    model, listing = _MODELS[kind]
    text = text.strip().lower()
    in_workspace = model.workspace_id == workspace_id
    if session.scalar(select(model.id).where(model.id == text, in_workspace)):
        return text
    if len(text) >= MIN_PREFIX and _PREFIX.fullmatch(text):
        found = list(
            session.scalars(
                select(model.id).where(model.id.startswith(text), in_workspace).limit(6)
            )
        )
        if len(found) == 1:
            return found[0]
        if found:
            shown = ", ".join(found[:5]) + (", ..." if len(found) > 5 else "")
            raise InvalidInput(
                f"{kind} id prefix {text!r} is ambiguous ({shown}): type more of it",
                "AMBIGUOUS_ID",
            )
    hint = f" (a prefix needs at least {MIN_PREFIX} characters)" if len(text) < MIN_PREFIX else ""
    raise NotFound(f"no {kind} {text!r}{hint}: see `{listing}`")
