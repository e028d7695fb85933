"""spaCy's beam search for the NER, with each step's scores computed in a few array
operations instead of through thinc's layer objects.

``EntityRecognizer.beam_parse`` asks ``ParserStepModel.predict(states)`` for every step
of the beam: a Python call through thinc's ``Model`` machinery, a fresh
``precompute_hiddens`` output, a ``Linear`` layer's forward and a ``nanmin`` over the
scores. For a page of about 200 tokens that is about 200 steps, and the calls around the
arithmetic cost more than the arithmetic (timed over the text race's generated invoices:
81 µs of a step's 167 went to that call, the beam's own bookkeeping most of the rest).

Here the same arithmetic runs on arrays held for the whole document, in the same order
and with the same kernels, so the scores are the same floats: the sum of a state's
precomputed feature rows (padding row for a missing token, as ``sum_state_features``
adds them, one after another), plus the bias, the maxout over the pieces, then
``ops.gemm`` and the output bias as thinc's ``Linear`` does, and the unseen classes
pushed to the minimum score. The beam itself (``BeamBatch``: valid moves, pruning,
state copies) is spaCy's own. ``tests/unit/extractors/test_ner_beam.py`` checks that
every entity's probability is the same as spaCy's ``beam_parse`` gives.
"""

from __future__ import annotations

import functools
from types import SimpleNamespace
from typing import Any

import numpy

from extractors.ner.pipeline import NER


class BeamDecoder:
    """Beam-decodes docs with a loaded pipeline's NER weights (read, never changed)."""

    def __init__(self, nlp: Any) -> None:
        from spacy.ml.parser_model import ParserStepModel

        ner = nlp.get_pipe(NER)
        model = ner.model
        self._ner = ner
        self._tok2vec = model.get_ref("tok2vec")
        self._lower = model.get_ref("lower")
        upper = model.get_ref("upper")
        if not model.attrs["has_upper"] or self._lower.get_dim("nP") < 2:
            raise ValueError("BeamDecoder knows spaCy's NER with an upper layer and maxout")
        self._ops = upper.ops
        self._weights = upper.get_param("W")
        self._out_bias = upper.get_param("b")
        self._bias = self._lower.get_param("b")
        n_features = self._lower.get_dim("nF")
        self._pieces = self._lower.get_dim("nP")
        self._features = numpy.arange(n_features)
        # ParserStepModel.get_token_ids reads only state2vec.nF from its model.
        self._ids_of = ParserStepModel.get_token_ids
        self._ids_model = SimpleNamespace(state2vec=SimpleNamespace(nF=n_features))
        self._unseen = sorted(model.attrs["unseen_classes"])

    def parse(self, doc: Any, width: int, density: float) -> list[Any]:
        """The finished beams of ``doc``, as ``ner.beam_parse([doc], width, density)``."""
        from spacy.pipeline._parser_internals._beam_utils import BeamBatch

        moves = self._ner.moves
        batch = BeamBatch(moves, moves.init_batch([doc]), None, width, density=density)
        tokvecs = self._tok2vec.predict([doc])
        # (tokens + 1, features, hidden, pieces); row 0 is the padding for "no token".
        cached = self._lower.predict(tokvecs)
        while not batch.is_done:
            states = batch.get_unfinished_states()
            if not states:
                break
            batch.advance(self._scores(cached, states))
        return list(batch)

    def _scores(self, cached: Any, states: list[Any]) -> Any:
        ids = self._ids_of(self._ids_model, states) + 1  # -1 (no token) -> the padding row
        hidden = cached[ids, self._features].sum(axis=1)  # (states, hidden, pieces)
        hidden += self._bias
        # maxout: the largest piece. numpy.maximum over the pieces, not max(axis=-1),
        # which costs ten times as much on a last axis of two.
        best = functools.reduce(numpy.maximum, (hidden[..., p] for p in range(self._pieces)))
        scores = self._ops.gemm(best, self._weights, trans2=True)
        scores += self._out_bias
        if self._unseen:
            scores[:, self._unseen] = numpy.nanmin(scores)
        return numpy.ascontiguousarray(scores, dtype="f")
