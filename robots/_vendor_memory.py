"""The vendor memory as a robot reads it: from its Control Room's robot API.

A robot run by a Control Room has ``RC_API_WORKITEM_HOST``, ``RC_WORKSPACE_ID`` and its
step run's token (``RC_API_WORKITEM_TOKEN``); with them, ``RobotMemory`` fetches the
entries of a document type from ``/memory-v1/workspaces/{ws}/vendor-memory`` (that
Control Room only: the egress guard allows it) and keeps them ``CACHE_SECONDS``. An
unreachable API costs the evidence, never the document: the entries are then none.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Sequence

import httpx

from extractors.memory import MemoryEntry, entry_from_json

log = logging.getLogger("clerk.robots.vendor_memory")
CACHE_SECONDS = 60.0
TIMEOUT = 10.0


class RobotMemory:
    def __init__(self, host: str, workspace: str, token: str) -> None:
        self.url = f"{host.rstrip('/')}/memory-v1/workspaces/{workspace}/vendor-memory"
        self.token = token
        self._cache: dict[str, tuple[float, tuple[MemoryEntry, ...]]] = {}

    @classmethod
    def from_environment(cls) -> RobotMemory | None:
        """The memory of the Control Room that runs this robot; None outside one."""
        host = os.environ.get("RC_API_WORKITEM_HOST")
        workspace = os.environ.get("RC_WORKSPACE_ID")
        token = os.environ.get("RC_API_WORKITEM_TOKEN")
        if not (host and workspace and token):
            return None
        return cls(host, workspace, token)

    def entries(self, doc_type: str) -> Sequence[MemoryEntry]:
        now = time.monotonic()
        cached = self._cache.get(doc_type)
        if cached is not None and now - cached[0] < CACHE_SECONDS:
            return cached[1]
        try:
            reply = httpx.get(
                self.url,
                params={"doc_type": doc_type},
                headers={"Authorization": f"Bearer {self.token}"},
                timeout=TIMEOUT,
            )
            reply.raise_for_status()
            found = tuple(entry_from_json(e) for e in reply.json()["entries"])
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
            log.warning("vendor memory unavailable, understanding without it: %s", exc)
            found = ()
        self._cache[doc_type] = (now, found)
        return found
