"""Telegram glue: read an update, call one service, reply."""
