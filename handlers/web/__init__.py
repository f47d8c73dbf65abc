"""The website's HTTP glue (aiohttp): the JSON API, the widget's files, the embeddable page, the feed."""
