"""Khabar: a Telegram bot for Persian-language newsrooms."""

__version__ = "0.1.0"
