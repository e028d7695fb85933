"""What robocorp-tasks logs of a robot run, read from pyproject.toml by robocorp.log
itself: the robots in full, not the inside of the packages and libraries they call
(their every call filled five 1 MB log parts per Understand step run)."""

from __future__ import annotations

import pytest
from robocorp.log import FilterKind
from robocorp.log.pyproject_config import read_pyproject_toml, read_robocorp_auto_log_config

from clerk.paths import PROJECT_ROOT


class Errors:
    def __init__(self) -> None:
        self.messages: list[str] = []

    def show_error(self, message: str) -> None:
        self.messages.append(message)


@pytest.fixture(scope="module")
def config() -> object:
    info = read_pyproject_toml(PROJECT_ROOT / "robots" / "understand.py")
    assert info is not None and info.pyproject == PROJECT_ROOT / "pyproject.toml"
    errors = Errors()
    found = read_robocorp_auto_log_config(errors, info)
    assert errors.messages == []
    return found


@pytest.mark.parametrize(
    "module",
    ["extractors._tables", "pipeline.understander", "classifiers.infer", "onnxruntime",
     "pypdfium2._helpers.textpage", "spacy.language", "thinc.model", "pydantic.main"],
)  # fmt: skip
def test_the_packages_robots_call_are_not_logged_inside(config: object, module: str) -> None:
    assert config.get_filter_kind_by_module_name(module) is FilterKind.exclude  # type: ignore[attr-defined]


@pytest.mark.parametrize("module", ["robots.understand", "robots._common", "playwright.sync_api"])
def test_robots_and_their_browser_calls_still_are(config: object, module: str) -> None:
    assert config.get_filter_kind_by_module_name(module) is None  # type: ignore[attr-defined]
