"""What the Telegram glue may know of a database outage: whether an error means the database is out of reach
(or a serialisation clash worth one more try), and the watcher that says when it answers again.

Handlers import no storage (tests/test_layers.py); they ask here, and storage/availability.py decides.
"""

from __future__ import annotations

from storage.availability import Availability, conflict, unavailable

__all__ = ["Availability", "conflict", "unavailable"]
