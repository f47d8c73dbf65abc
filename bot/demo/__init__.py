"""``khabar demo``: the real bot against fakegram, with a local page that shows every chat."""
