"""The pure domain: rules and values with no Telegram, no SQL and no I/O (tests/test_layers.py checks it).

Here: the captcha (``captcha``), deep-link payloads and reference tokens (``payload``), article-view paging
(``paging``), the outbox's message kinds (``message_kinds``). The checks (``bot/checks``) and the other pure
modules tests/test_layers.py names are domain too; new pure rules belong here.
"""
