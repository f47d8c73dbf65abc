"""Persistence: models, repositories, migrations."""
