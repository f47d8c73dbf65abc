"""``python -m bot``: the same command line as ``khabar``."""

from bot.cli import main

raise SystemExit(main())
