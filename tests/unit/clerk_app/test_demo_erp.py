"""``clerk demo --erp``: the main job's steps with the chosen Enter ERP robot."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from clerk.paths import PROJECT_ROOT
from clerk_app._demo import ERP_STEPS, STEPS, DemoOptions, steps_for


def test_the_desktop_erp_takes_the_web_erp_s_place() -> None:
    assert steps_for("web") == STEPS
    assert steps_for("desktop") == ("Intake", "Understand", "Enter ERP (desktop)", "Publish CMS")
    assert DemoOptions(home=Path("x"), erp="desktop").process_steps == steps_for("desktop")
    assert DemoOptions(home=Path("x"), steps=("Enter ERP (desktop)",)).process_steps == (
        "Enter ERP (desktop)",
    )
    with pytest.raises(ValueError, match="use one of web, desktop"):
        steps_for("mainframe")


def test_every_erp_step_is_a_task_of_robot_yaml() -> None:
    tasks = yaml.safe_load((PROJECT_ROOT / "robot.yaml").read_text())["tasks"]
    for step in ERP_STEPS.values():
        assert step in tasks
    assert (
        "robots/enter_erp_desktop.py -t enter_erp_desktop" in tasks["Enter ERP (desktop)"]["shell"]
    )
