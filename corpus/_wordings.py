"""Wordings of a label per language, some held out for the test split.

A table maps a key and a language to its wordings; one marked ``!`` is held out: only the
test split prints it, so a benchmark measures how the models do on words they never saw.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

Wordings = Mapping[str, Mapping[str, Sequence[str]]]


def pick(rng: random.Random, options: Sequence[str], split: str) -> str:
    """One of ``options``; a held-out one (``!``) only in the test split, half the time."""
    seen = [o for o in options if not o.startswith("!")]
    held = [o[1:] for o in options if o.startswith("!")]
    if split == "test" and held and rng.random() < 0.5:
        return rng.choice(held)
    return rng.choice(seen)


def held_out(table: Wordings) -> dict[str, dict[str, tuple[str, ...]]]:
    """The held-out wordings of ``table``, by key and language."""
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for key, by_language in table.items():
        for language, options in by_language.items():
            held = tuple(o[1:] for o in options if o.startswith("!"))
            if held:
                out.setdefault(key, {})[language] = held
    return out
