"""Subcommands of the ``khabar`` CLI, one module each."""
