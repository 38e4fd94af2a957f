# syntax=docker/dockerfile:1
#
# The registry server. The build stage compiles ./cmd/registry with cgo
# (mattn/go-sqlite3 needs gcc, which the golang image carries); the runtime
# stage is Debian slim with the binary alone. Serves on :8080; the database
# is REGISTRY_DATABASE: a postgres:// DSN (see docker-compose.yml), or by
# default an SQLite file in the /data volume.

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=1 go build -trimpath -ldflags='-s -w' -o /out/registry ./cmd/registry

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /data --create-home registry
COPY --from=build /out/registry /usr/local/bin/registry
USER registry
WORKDIR /data
VOLUME /data
ENV REGISTRY_ADDR=:8080 \
    REGISTRY_DATABASE=/data/registry.db
EXPOSE 8080
# No curl in the image: bash asks /healthz itself.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /healthz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["registry", "serve"]
