# Khabar in a container: slim, non-root, settings and database in the /data volume.
#   docker build -t khabar .
#   docker run -d --name khabar -v khabar-data:/data -v "$PWD/.env:/data/.env:ro" khabar
# compose.yaml does the same (and offers PostgreSQL); see README › Run as a service.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --system --uid 10001 --user-group --home-dir /data --shell /usr/sbin/nologin khabar

WORKDIR /opt/khabar
COPY pyproject.toml README.md LICENSE ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
COPY fakegram ./fakegram
RUN pip install ".[postgres]" && rm -rf /root/.cache

# /data holds .env (mount it read-only) and, on SQLite, khabar.db beside it: the database URL's
# relative path (sqlite:///khabar.db in .env.example) is taken from the .env file's folder.
RUN mkdir -p /data /data/backups && chown -R khabar:khabar /data
VOLUME ["/data"]
WORKDIR /data
USER khabar

# /healthz on the metrics port answers 200 while updates flow and the database answers.
ENV KHABAR_METRICS_PORT=9108
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ['KHABAR_METRICS_PORT'], timeout=4)"]

STOPSIGNAL SIGTERM
ENTRYPOINT ["khabar"]
CMD ["run", "--migrate"]
