# journeybot's image: `journeybot serve` on port 3000 (see docs/deployment.md).
#
# Two stages: the first installs the project and its pinned dependencies into a virtual environment,
# the second copies only that environment onto a clean slim base, so no build tool or cache ships.

FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/journeybot
COPY pyproject.toml README.md LICENSE ./
COPY nudges ./nudges
COPY bot ./bot
COPY adapters ./adapters
COPY migrations ./migrations
RUN /opt/journeybot/bin/pip install --no-cache-dir .

FROM python:3.11-slim-bookworm
# SQLite by default, in the /data volume, migrated at every start; for PostgreSQL set DATABASE_URL
# and run `journeybot db upgrade` as a deployment step (compose.yaml does, before the bot starts).
ENV PATH=/opt/journeybot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DATABASE_URL=sqlite:////data/journeybot.db \
    HOST=0.0.0.0 \
    PORT=3000
RUN groupadd --system --gid 10001 journeybot \
    && useradd --system --uid 10001 --gid journeybot --no-create-home --home-dir /data journeybot \
    && mkdir /data \
    && chown journeybot:journeybot /data
COPY --from=build /opt/journeybot /opt/journeybot
USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
EXPOSE 3000
# Alive, not ready: /healthz makes no database call, so a database outage does not get every replica
# restarted at once. Load balancers should ask /readyz. (A `journeybot worker` serves no HTTP: the
# compose file turns this check off for it.)
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', '3000') + '/healthz', timeout=4)"]
ENTRYPOINT ["journeybot"]
CMD ["serve"]
