"""Promote a model candidate or roll back, with an audit entry: the one way the console
and ``clerk models promote|rollback`` change which model decides (rules in
``clerk.canary``). The registry is changed first and the audit entry is added to the
caller's transaction; a refused change raises ``InvalidInput`` with the rule's message
and changes nothing.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from clerk import canary
from clerk.registry import Registry
from controlroom import _audit as audit
from controlroom.services.errors import InvalidInput


def promote(
    session: Session, registry: Registry, version: str, *, force: bool, actor: str
) -> canary.Change:
    try:
        change = canary.promote(registry, version, force=force)
    except canary.CanaryError as exc:
        raise InvalidInput(exc.message, exc.code) from exc
    _audit(session, change, actor)
    return change


def rollback(
    session: Session, registry: Registry, kind: str | None, *, actor: str
) -> canary.Change:
    try:
        change = canary.rollback(registry, kind)
    except canary.CanaryError as exc:
        raise InvalidInput(exc.message, exc.code) from exc
    _audit(session, change, actor)
    return change


def _audit(session: Session, change: canary.Change, actor: str) -> None:
    audit.append(
        session,
        actor,
        f"model.{change.action}",
        "model",
        change.current,
        before={"kind": change.kind, "current": change.previous},
        after=change.audit(),
    )
