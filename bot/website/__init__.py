"""The newsroom's website: its comment box's services and their pure parts (no HTTP here)."""
