"""The checks' modules themselves, for the tests that compare a shortcut with the long way inside them.

``from bot.checks import normalize`` gives the function the package exports under the module's name, so
the modules are imported by their full names here, once for every such test.
"""

from __future__ import annotations

import importlib

normalize = importlib.import_module("bot.checks.normalize")
language = importlib.import_module("bot.checks.language")
cues = importlib.import_module("bot.checks.language_cues")
insults = importlib.import_module("bot.checks.insults")
insult_words = importlib.import_module("bot.checks.insult_words")
insult_lists = importlib.import_module("bot.checks.insult_lists")
spam = importlib.import_module("bot.checks.spam")
