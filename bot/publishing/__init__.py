"""Publishing: articles from feeds and files, formatted for the channel and delivered exactly once."""
