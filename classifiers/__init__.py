"""Document-type classifier: train (scikit-learn) -> export (ONNX) -> infer (onnxruntime).

Importing this package is cheap: ``Classifier`` loads onnxruntime lazily, and ``build``
(scikit-learn, skl2onnx, the corpus) is imported on first use.

Public modules: ``classifiers.training`` (the recipe, ``build``) and
``classifiers.candidate`` (``build_candidate`` for the canary); the modules named ``_*``
are private to the package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from classifiers._inference import Classification, Classifier

if TYPE_CHECKING:
    from classifiers.training import build

__all__ = ["Classification", "Classifier", "build"]


def __getattr__(name: str) -> Any:
    if name == "build":
        from classifiers.training import build

        return build
    raise AttributeError(f"module 'classifiers' has no attribute {name!r}")
