"""The language check answers the same in every process: nothing it adds up follows the hash seed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Mixed Pashto and Kurdish letters: evidence for several foreign languages in one word, whose order
# follows set iteration and so the process's hash seed.
TEXTS = ["کښتە آلماني", "ښه ورځ کوردە", "زۆر باشە ښه"]
PROBE = f"""
from bot.checks.language import default_detector, detect_language
from bot.checks.lexicon import default_lexicon
for text in {TEXTS!r}:
    r = detect_language(text, detector=default_detector(), lexicon=default_lexicon())
    print(r.label, r.reason, repr(r.confidence))
"""


def _answers(seed: int) -> str:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    return subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=True, timeout=120).stdout


def test_same_confidence_whatever_the_hash_seed() -> None:
    answers = {_answers(seed) for seed in (1, 3, 5)}
    assert len(answers) == 1, answers
    assert next(iter(answers)).splitlines()[0] == "not_fa pashto 0.9"
