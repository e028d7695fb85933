"""An item's audit history as people read it: who by name, what in words, details as
short text (no JSON, no raw ids).

The audit log names its actors as ``user:<name>``, ``step-run:<id>``,
``token:<kind>:<name or id>`` or ``signed-upload:<item id>``; ids are resolved here to the
step's robot and worker, or to the token's name, with one query per kind of id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from controlroom.console import _queries as queries
from controlroom.models import ProcessStep, StepRun, Token, Worker

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
HIDDEN = frozenset({"payload", "available_at", "reserved_by", "rejected", "released_as"})
ACTIONS = {
    "item.create": "created",
    "item.reserve": "taken by a robot",
    "item.release": "released by its robot",
    "item.save_payload": "payload saved",
    "item.create_output": "output created",
    "item.approve": "approved",
    "item.retry": "sent back for another attempt",
    "item.edit_retry": "edited and sent back",
    "item.reject": "rejected",
    "item.withdraw": "withdrawn",
    "item.replace_file": "file replaced, sent back",
    "item.retype": "type changed, sent back to be read again",
    "file.add": "file added",
    "file.delete": "file deleted",
}
KINDS = {"worker": "worker token", "api": "API token", "admin": "admin token"}


@dataclass(frozen=True)
class Who:
    text: str
    person: bool  # a user (shown strong) rather than a robot or token
    title: str  # the raw actor, for whoever needs the id


@dataclass(frozen=True)
class Row:
    at: datetime
    who: Who
    action: str  # the audit action, e.g. item.release
    what: str  # in words
    details: list[tuple[str, str]]


def short(value: str) -> str:
    if UUID_RE.match(value):
        return value[:8]
    if len(value) == 64 and all(c in "0123456789abcdef" for c in value):
        return value[:12] + "…"  # a sha256
    return value


def text_of(key: str, value: Any) -> str:
    """One detail as plain text: an exception as 'TYPE CODE: message', a mapping as
    'k: v, ...', a list joined by commas; ids shortened."""
    if isinstance(value, dict):
        if key == "exception" and {"type", "code"} <= value.keys():
            message = value.get("message") or ""
            return f"{value['type']} {value['code']}" + (f": {message}" if message else "")
        if key == "corrections":
            return ", ".join(f"{k} → {'' if v is None else v}" for k, v in value.items())
        return ", ".join(f"{k}: {text_of(k, v)}" for k, v in value.items() if v not in (None, ""))
    if isinstance(value, list):
        return ", ".join(text_of(key, v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return short(str(value))


def _details(after: dict[str, Any] | None) -> list[tuple[str, str]]:
    if not after:
        return []
    return [
        (key.replace("_", " "), text_of(key, value))
        for key, value in sorted(after.items())
        if key not in HIDDEN and value not in (None, "", {}, [])
    ]


def _names(session: Session, actors: set[str]) -> dict[str, Who]:
    step_runs = {a.split(":", 1)[1] for a in actors if a.startswith("step-run:")}
    token_ids = {
        a.split(":", 2)[2]
        for a in actors
        if a.startswith("token:") and a.count(":") >= 2 and UUID_RE.match(a.split(":", 2)[2])
    }
    robots: dict[str, str] = {}
    if step_runs:
        for sr_id, step, worker in session.execute(
            select(StepRun.id, ProcessStep.name, Worker.name)
            .join(ProcessStep, ProcessStep.id == StepRun.step_id)
            .outerjoin(Worker, Worker.id == StepRun.worker_id)
            .where(StepRun.id.in_(step_runs))
        ):
            robots[sr_id] = f"{step} robot" + (f" on {worker}" if worker else "")
    names: dict[str, tuple[str, str]] = {}
    if token_ids:
        for token_id, kind, name, worker in session.execute(
            select(Token.id, Token.kind, Token.name, Worker.name)
            .outerjoin(Worker, Worker.id == Token.worker_id)
            .where(Token.id.in_(token_ids))
        ):
            names[token_id] = (kind, name or worker or token_id[:8])
    out: dict[str, Who] = {}
    for actor in actors:
        kind, _, rest = actor.partition(":")
        if kind == "user":
            out[actor] = Who(rest, True, actor)
        elif kind == "step-run":
            out[actor] = Who(robots.get(rest, f"robot (step run {rest[:8]})"), False, actor)
        elif kind == "token":
            token_kind, _, ref = rest.partition(":")
            token_kind, label = names.get(ref, (token_kind, short(ref)))
            out[actor] = Who(
                f"{KINDS.get(token_kind, token_kind + ' token')} {label}", False, actor
            )
        elif kind == "signed-upload":
            out[actor] = Who("robot upload (signed link)", False, actor)
        else:
            out[actor] = Who(actor, False, actor)
    return out


def item_history(session: Session, item_id: str) -> list[Row]:
    entries = queries.item_history(session, item_id)
    who = _names(session, {e.actor for e in entries})
    return [
        Row(e.at, who[e.actor], e.action, _what(e.action, e.after or {}), _details(e.after))
        for e in entries
    ]


def _what(action: str, after: dict[str, Any]) -> str:
    if action == "item.release" and after.get("released_as"):
        return f"released by its robot as {after['released_as']}"
    return ACTIONS.get(action, action)
