"""``clerk worker``: the long-lived process that runs robots for the Control Room.

``WorkerAgent`` registers, heartbeats and claims step runs; ``StepRunner`` runs one robot
(command from its ``robot.yaml``) with the ``RC_*`` environment of its step run, streams
its output and uploads its artifacts; ``WorkerClient`` speaks ``/worker-v1``.
Configuration: ``controlroom.worker.cli.WorkerSettings`` (``CLERK_WORKER_*``).

The names below load on first use: ``clerk`` imports ``controlroom.worker.cli`` at
start-up and must not pay for httpx then. Public module: ``cli``; the modules named ``_*`` (agent,
client, runner, robot, artifacts) are private.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "AgentConfig": "controlroom.worker._agent",
    "WorkerAgent": "controlroom.worker._agent",
    "ProtocolError": "controlroom.worker._client",
    "Unreachable": "controlroom.worker._client",
    "WorkerClient": "controlroom.worker._client",
    "RobotCommand": "controlroom.worker._robot",
    "RobotError": "controlroom.worker._robot",
    "robot_command": "controlroom.worker._robot",
    "RunnerConfig": "controlroom.worker._runner",
    "StepRunner": "controlroom.worker._runner",
    "WorkerSettings": "controlroom.worker.cli",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'controlroom.worker' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
