# geoevents: the REST API in a slim image, SQLite on a volume.
#
#   docker build -t geoevents .
#   docker run -p 8000:8000 -v geoevents-data:/data geoevents
#
# On start `geoevents serve` runs the migrations and seeds the bundled brief into an
# empty database, so the container needs no other step.
FROM python:3.11-slim

# No .pyc files in the image or on the volume; logs reach `docker logs` unbuffered.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# A fixed, unprivileged system user to run the service; the fixed uid/gid lets a host
# directory mounted on /data be chowned to match (chown 10001:10001 DIR).
RUN groupadd --system --gid 10001 geoevents \
 && useradd --system --uid 10001 --gid geoevents --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin geoevents

# Only what the wheel build needs (see also .dockerignore). README.md is the package's
# readme in pyproject.toml, so hatchling refuses to build without it; migrations/ and
# seeds/ are force-included into the wheel as app/_bundled/.
WORKDIR /src
COPY pyproject.toml README.md ./
COPY app/ app/
COPY migrations/ migrations/
COPY seeds/ seeds/

# A normal (non-editable) install: the code, migrations and seeds all come from
# site-packages, so the running service never depends on /src.
RUN pip install --no-cache-dir .

# The SQLite database (plus its WAL/SHM files) lives on a volume owned by the service
# user; SQLite needs to create files next to the database, so the directory itself
# must be writable, not just the file. Declared after the chown so a fresh anonymous
# or named volume inherits that ownership.
RUN mkdir -p /data && chown geoevents:geoevents /data
ENV GEOEVENTS_DATABASE_URL=sqlite:////data/geoevents.db
VOLUME ["/data"]

# Run from the data directory, not /src, so the source tree's `app/` can never shadow
# the installed package.
WORKDIR /data
USER geoevents

EXPOSE 8000

# slim images have no curl, so probe with the standard library. urlopen raises on a
# 503 (database down, or schema not at head), which exits non-zero = unhealthy.
# The start period covers the migrations and first-run seeding.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4)"]

# Exec form: geoevents is PID 1 and receives SIGTERM directly for a clean shutdown.
# The entrypoint is the CLI, so e.g. `docker run IMAGE db current` also works.
ENTRYPOINT ["geoevents"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
