"""Repositories: queries and writes that flush but never commit."""
