"""Moderation: cards for pending comments, decisions, publication, notifications, moderators' tools."""
