from __future__ import annotations

import pytest

from classifiers import Classifier
from clerk.policy import PolicySettings
from extractors.extraction import FieldExtractor
from pipeline.understander import Understander
from tests.unit.classifiers.conftest import small_model
from tests.unit.extractors.ner_support import trained_registry


@pytest.fixture(scope="session")
def understander(tmp_path_factory: pytest.TempPathFactory) -> Understander:
    """The small models the classifier and extractor tests share (built once per
    session), not the installed ones."""
    classifier = Classifier.load(small_model(tmp_path_factory).registry)
    extractor = FieldExtractor.load(trained_registry()[0])
    return Understander(classifier, extractor, PolicySettings())
