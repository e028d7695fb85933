"""The synthetic training corpus: documents with ground truth, rendered as the world sends them."""

from corpus.sample import Sample, Span

__all__ = ["Sample", "Span"]
