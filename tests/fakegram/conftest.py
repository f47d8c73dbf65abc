"""fakegram's own tests use the ``fake`` and ``fake_bot`` fixtures that tests/conftest.py loads."""
