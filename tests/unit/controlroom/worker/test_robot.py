"""robot.yaml -> command and environment for a step run's robot."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from controlroom.worker._robot import RobotError, resolve_robot_dir, robot_command

CRASHY = Path(__file__).resolve().parents[3] / "integration" / "controlroom" / "robots" / "crashy"


def test_shell_line_runs_with_the_workers_own_python() -> None:
    command = robot_command(CRASHY, "Process")
    assert command.argv == (
        sys.executable,
        "-m",
        "robocorp.tasks",
        "run",
        "tasks.py",
        "-t",
        "process",
    )
    assert command.cwd == CRASHY
    env = command.environment({"PYTHONPATH": "/old", "KEEP": "1"}, {"RC_WORKSPACE_ID": "ws"})
    assert env["PYTHONPATH"] == os.pathsep.join([str(CRASHY.resolve()), "/old"])
    assert env["KEEP"] == "1" and env["RC_WORKSPACE_ID"] == "ws"


def test_command_list_and_quoted_shell_words(tmp_path: Path) -> None:
    (tmp_path / "robot.yaml").write_text(
        "tasks:\n"
        "  Listed:\n    command: [python3, -c, 'print(1)']\n"
        '  Quoted:\n    shell: ./run.sh --name "two words"\n'
    )
    assert robot_command(tmp_path, "Listed").argv == (sys.executable, "-c", "print(1)")
    assert robot_command(tmp_path, "Quoted").argv == ("./run.sh", "--name", "two words")


@pytest.mark.parametrize(
    ("content", "task", "message"),
    [
        (None, "Process", "does not exist"),
        ("tasks: [", "Process", "not valid YAML"),
        ("tasks:\n  Other:\n    shell: x\n", "Process", "its tasks: Other"),
        ("tasks:\n  Process:\n    robotTaskName: x\n", "Process", "needs a 'shell:'"),
    ],
)
def test_unusable_robots_say_what_is_wrong(
    tmp_path: Path, content: str | None, task: str, message: str
) -> None:
    if content is not None:
        (tmp_path / "robot.yaml").write_text(content)
    with pytest.raises(RobotError, match=message):
        robot_command(tmp_path, task)


def test_relative_robot_dirs_resolve_against_the_robots_root(tmp_path: Path) -> None:
    assert resolve_robot_dir("robots/a", tmp_path) == (tmp_path / "robots" / "a").resolve()
    assert resolve_robot_dir("/abs/robot", tmp_path) == Path("/abs/robot")
