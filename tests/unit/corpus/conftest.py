from __future__ import annotations

import pytest

import corpus
from corpus import Sample


@pytest.fixture(scope="session")
def train() -> list[Sample]:
    return corpus.generate(900, 42)


@pytest.fixture(scope="session")
def test_split() -> list[Sample]:
    return corpus.generate(600, 42, split="test")
