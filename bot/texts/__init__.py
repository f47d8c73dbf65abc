"""The Persian message catalogue: every user-facing string, reviewed in one folder.

Each area keeps its strings in its own module here; import them as ``from bot.texts import common``.
Strings are HTML (parse mode HTML): placeholders are filled with already-escaped values.
"""
