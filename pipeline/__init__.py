"""The understanding pipeline: read -> classify -> extract -> validate -> decide.

It sits above the readers, classifiers and extractors and below the robots, the Control
Room and the application, which call it through ``Understander``.
"""

from pipeline.understander import Failure, Outcome, Understander

__all__ = ["Failure", "Outcome", "Understander"]
