"""Turn a robot directory's ``robot.yaml`` task into the command and environment to run.

The task's ``shell:`` line (or its ``command:`` list) is split like a shell would, never
run through one. A leading ``python``/``python3`` becomes the worker's own interpreter
(``sys.executable``), so robots run in the venv the worker runs in, not whatever
``python`` is first on PATH. ``PYTHONPATH`` and ``PATH`` entries of robot.yaml are
relative to the robot directory and are prepended to the inherited values.
"""

from __future__ import annotations

import os
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

_PYTHONS = frozenset({"python", "python3", f"python3.{sys.version_info.minor}"})


class RobotError(Exception):
    """The robot directory or its robot.yaml cannot be used."""


@dataclass(frozen=True)
class RobotCommand:
    argv: tuple[str, ...]
    cwd: Path
    path_prepend: tuple[str, ...] = ()
    pythonpath_prepend: tuple[str, ...] = ()

    def environment(self, base: dict[str, str], extra: dict[str, str]) -> dict[str, str]:
        env = dict(base)
        env.update(extra)
        for key, entries in (("PATH", self.path_prepend), ("PYTHONPATH", self.pythonpath_prepend)):
            if entries:
                old = env.get(key, "")
                env[key] = os.pathsep.join([*entries, *([old] if old else [])])
        return env


def resolve_robot_dir(robot_dir: str, robots_root: Path) -> Path:
    path = Path(robot_dir).expanduser()
    return path if path.is_absolute() else (robots_root / path).resolve()


def _entries(document: dict[str, object], key: str, cwd: Path) -> tuple[str, ...]:
    raw = document.get(key) or []
    if not isinstance(raw, list):
        raise RobotError(f"{cwd / 'robot.yaml'}: '{key}' must be a list of folders")
    return tuple(str((cwd / str(entry)).resolve()) for entry in raw)


def robot_command(robot_dir: Path, task_name: str) -> RobotCommand:
    """The command for ``task_name`` in ``robot_dir/robot.yaml``."""
    path = robot_dir / "robot.yaml"
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RobotError(
            f"{path} does not exist: the step's robot dir must exist on this worker "
            "(relative dirs are resolved against --robots-dir)"
        ) from None
    except yaml.YAMLError as exc:
        raise RobotError(f"{path} is not valid YAML: {exc}") from None
    tasks = document.get("tasks") if isinstance(document, dict) else None
    if not isinstance(tasks, dict) or task_name not in tasks:
        known = ", ".join(map(str, tasks)) if isinstance(tasks, dict) else "none"
        raise RobotError(f"task {task_name!r} is not in {path}; its tasks: {known}")
    task = tasks[task_name] or {}
    if isinstance(task.get("shell"), str):
        argv = shlex.split(task["shell"])
    elif isinstance(task.get("command"), list):
        argv = [str(part) for part in task["command"]]
    else:
        raise RobotError(f"task {task_name!r} in {path} needs a 'shell:' line or 'command:' list")
    if not argv:
        raise RobotError(f"task {task_name!r} in {path} has an empty command")
    if argv[0] in _PYTHONS:
        argv[0] = sys.executable
    assert isinstance(document, dict)
    return RobotCommand(
        argv=tuple(argv),
        cwd=robot_dir,
        path_prepend=_entries(document, "PATH", robot_dir),
        pythonpath_prepend=_entries(document, "PYTHONPATH", robot_dir),
    )
