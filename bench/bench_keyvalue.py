"""Key-value pairing (extractors._keyvalue) on rendered held-out documents: how often the
label's value is right, and what each ``extractors._reconcile`` rule does against the NER
alone.

    .venv/bin/python bench/bench_keyvalue.py [--n 1500] [--seed 606] [--split test]

Text-layer PDFs from ``corpus.render_pdf``, read back through ``extractors.read`` (the
geometry matters, so a text-only bench cannot show this). Per flat field it counts the
key-value candidates that match the truth, and it prints, over all fields:
- key-value only (the NER had no value): precision (these get 0.85, below the auto bar),
  and per field the precision of those nothing contradicts (``_reconcile._unopposed``:
  0.94, above the bar);
- agreement lifted to 0.95 (the NER had < 0.93): precision; the auto target is 0.995;
- the model's number or date read from words a label names as another field (dropped,
  ``_reconcile.claimed_by_another``), or from a table row's words where the field's own
  label points elsewhere (``_reconcile.in_the_table``): how often it was indeed wrong;
- the model's net, tax or total read from a table row's amount (``read_from_a_row``,
  capped below the bar): how often it was indeed wrong;
- disagreement: who was right, the label's value or the NER's, the precision of the
  label's values lifted because the NER read them as the field too (not its first pick),
  and of those that settle an unopposed disagreement with a model below even odds;
- flat-field exact match of the NER alone against NER + key-value, in the same run.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

AUTO_BAR = 0.93


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=606)
    parser.add_argument("--split", choices=("train", "test"), default="test")
    args = parser.parse_args()

    import corpus
    from clerk.documents import document_text
    from clerk.schemas import SCHEMAS
    from extractors import read
    from extractors._keyvalue import key_values
    from extractors._reconcile import (
        AGREE_CONFIDENCE,
        UNOPPOSED_CONFIDENCE,
        claimed_by_another,
        in_the_table,
        read_from_a_row,
        reconcile,
    )
    from extractors._tables import parse_tables
    from extractors.extraction import FieldExtractor, values_read
    from extractors.ner.hints import infer_hints

    extractor = FieldExtractor.load()
    per_field: dict[str, Counter[str]] = defaultdict(Counter)
    rules: Counter[str] = Counter()
    unopposed: dict[str, Counter[bool]] = defaultdict(Counter)
    for sample in corpus.generate(args.n, args.seed, split=args.split):
        document = read(corpus.render_pdf(sample), f"{sample.id}.pdf")[0]
        source = document_text(document)
        hints = infer_hints(source.text)
        spans = extractor.model.candidates(source.text)
        ner = [s.field for s in extractor.score_fields(source, sample.doc_type, hints, spans)]
        candidates = key_values(document, sample.doc_type, hints)
        read_as = values_read(source.text, sample.doc_type, hints, spans)
        rows = parse_tables(source, sample.doc_type, hints)
        merged = {f.name: f for f in reconcile(ner, candidates, sample.doc_type, read_as, rows)}
        before = {f.name: f for f in ner}
        for spec in SCHEMAS[sample.doc_type].fields:
            truth = sample.truth.get(spec.name)  # None: the document has no such field
            old = before.get(spec.name)
            after = merged.get(spec.name)
            if truth is not None:
                rules["fields"] += 1
                rules["hit_ner"] += old is not None and old.value == truth
                rules["hit_merged"] += after is not None and after.value == truth
            if old is not None and read_from_a_row(old, spec.kind, rows):
                rules[f"row_{old.value != truth}"] += 1  # capped below the bar
            if old is not None and claimed_by_another(old, candidates):
                # the model's reading is dropped: right when it was not the truth
                rules[f"claimed_{old.value != truth}"] += 1
            elif (
                old is not None
                and any(c.name == spec.name for c in candidates)
                and in_the_table(old, rows)
            ):
                rules[f"tabled_{old.value != truth}"] += 1
            values = {c.value for c in candidates if c.name == spec.name}
            if len(values) != 1:
                continue
            value = next(iter(values))
            right = value == truth
            per_field[spec.name]["right" if right else "wrong"] += 1
            if old is None or old.value is None:
                rules[f"only_{right}"] += 1
                if after is not None and after.confidence >= UNOPPOSED_CONFIDENCE:
                    generic = any(c.generic for c in candidates if c.name == spec.name)
                    label = f"{sample.doc_type} {spec.name}" + (" (bare 'Date')" if generic else "")
                    unopposed[label][right] += 1
            elif old.value != value:
                ner_right = old.value == truth
                rules["disagree_kv" if right else "disagree_ner" if ner_right else "x"] += 1
                if after is not None and after.confidence >= AGREE_CONFIDENCE:
                    rules[f"settled_{right}"] += 1
                elif after is not None and after.confidence >= UNOPPOSED_CONFIDENCE:
                    rules[f"unsure_{right}"] += 1
            elif old.confidence < AUTO_BAR and after is not None:
                rules[f"lift_{right}"] += after.confidence >= AGREE_CONFIDENCE

    print(f"== key-value pairing: {args.n} {args.split} documents, seed {args.seed} ==")
    for name in sorted(per_field):
        c = per_field[name]
        total = c["right"] + c["wrong"]
        print(f"  {name:<16} candidate right {c['right'] / total:6.3f}  ({c['right']}/{total})")
    _ratio("key-value only, precision (given 0.85)", rules["only_True"], rules["only_False"])
    for name in sorted(unopposed):
        _ratio(
            f"  unopposed {name} (given {UNOPPOSED_CONFIDENCE}), precision (goal >= 0.995)",
            unopposed[name][True],
            unopposed[name][False],
        )
    _ratio(
        f"agreement lifted to {AGREE_CONFIDENCE}, precision (goal >= 0.995)",
        rules["lift_True"],
        rules["lift_False"],
    )
    _ratio(
        f"disagreement settled at {AGREE_CONFIDENCE} by a value the NER also read as the "
        "field, precision (goal >= 0.995)",
        rules["settled_True"],
        rules["settled_False"],
    )
    _ratio(
        f"disagreement settled at {UNOPPOSED_CONFIDENCE} (unopposed: the model below even "
        "odds, or its reading dropped as above), precision (goal >= 0.995)",
        rules["unsure_True"],
        rules["unsure_False"],
    )
    _ratio(
        "model's number or date read from another field's labelled words, dropped: "
        "precision of the drop (goal >= 0.995)",
        rules["claimed_True"],
        rules["claimed_False"],
    )
    _ratio(
        "model's number or date read from a table row where its label points elsewhere, "
        "dropped: precision of the drop (goal >= 0.995)",
        rules["tabled_True"],
        rules["tabled_False"],
    )
    _ratio(
        "model's net, tax or total read from a table row's amount, capped below the bar: "
        "how often it was indeed wrong",
        rules["row_True"],
        rules["row_False"],
    )
    print(
        f"disagreements: label's value right {rules['disagree_kv']}, NER right "
        f"{rules['disagree_ner']}, both wrong {rules['x']} (the NER's value is kept at 0.5)"
    )
    n = max(rules["fields"], 1)
    ner_alone, merged_hits = rules["hit_ner"] / n, rules["hit_merged"] / n
    print(
        f"flat-field exact match: NER alone {ner_alone:.3f}, NER + key-value "
        f"{merged_hits:.3f} (x{merged_hits / max(ner_alone, 1e-9):.2f}, {rules['fields']} fields)"
    )


def _ratio(title: str, right: int, wrong: int) -> None:
    total = right + wrong
    share = right / total if total else float("nan")
    print(f"{title}: {share:.4f} ({right}/{total})")


if __name__ == "__main__":
    main()
