"""Training and held-out evaluation of the field extractor.

It sits above ``extractors.extraction`` (it evaluates the whole ``FieldExtractor``), which
sits above ``extractors.ner`` (the model pieces): no module of ``ner`` imports this package.
``build(registry, seed)`` trains and publishes the extractor (``clerk models build``).

Public modules: ``train`` and ``candidate``; ``_evaluate`` and ``_corrections`` are
private (``evaluate`` and ``Report`` are re-exported here).
"""

from extractors.training._evaluate import AUTO_BAR, Report, evaluate
from extractors.training.train import RECIPE, TrainParams, build, train_pipeline

__all__ = ["AUTO_BAR", "RECIPE", "Report", "TrainParams", "build", "evaluate", "train_pipeline"]
