"""``clerk worker``: the long-lived process that runs robots for the Control Room.

``WorkerAgent`` registers, heartbeats and claims step runs; ``StepRunner`` runs one robot
(command from its ``robot.yaml``) with the ``RC_*`` environment of its step run, streams
its output and uploads its artifacts; ``WorkerClient`` speaks ``/worker-v1``.
Configuration: ``controlroom.worker.cli.WorkerSettings`` (``CLERK_WORKER_*``).
"""

from __future__ import annotations

from controlroom.worker.agent import AgentConfig, WorkerAgent
from controlroom.worker.client import ProtocolError, Unreachable, WorkerClient
from controlroom.worker.robot import RobotCommand, RobotError, robot_command
from controlroom.worker.runner import RunnerConfig, StepRunner

__all__ = [
    "AgentConfig",
    "ProtocolError",
    "RobotCommand",
    "RobotError",
    "RunnerConfig",
    "StepRunner",
    "Unreachable",
    "WorkerAgent",
    "WorkerClient",
    "robot_command",
]
