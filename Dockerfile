# syntax=docker/dockerfile:1
# One image per binary of the workspace:
#   docker build --build-arg BINARY=prison-custody-status-to-delius -t prison-custody-status-to-delius .
# BINARY is any [[bin]] of the workspace: the five services, or local-stack (provision/migrate/simulate).
# The builder is rust:1 on Debian bookworm, so the binary's glibc matches the bookworm-slim runtime.

ARG RUST_IMAGE=rust:1-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

FROM ${RUST_IMAGE} AS builder
ARG BINARY
RUN test -n "${BINARY}" || (echo "build with --build-arg BINARY=<binary name>" >&2; exit 1)
WORKDIR /src
COPY . .
# Cache mounts keep the registry and target/ between builds (and between the six images compose
# builds); sharing=locked stops parallel builds from corrupting them. target/ is a cache mount,
# so the binary is copied out of it into the layer.
RUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=locked \
    --mount=type=cache,target=/usr/local/cargo/git,sharing=locked \
    --mount=type=cache,target=/src/target,sharing=locked \
    cargo build --release --locked --bin "${BINARY}" \
    && install -D -m 0755 "target/release/${BINARY}" "/out/${BINARY}"

FROM ${RUNTIME_IMAGE} AS runtime
ARG BINARY
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin app
COPY --from=builder "/out/${BINARY}" "/usr/local/bin/${BINARY}"
# `service` always names this image's binary, so CMD need not know BINARY.
RUN ln -s "/usr/local/bin/${BINARY}" /usr/local/bin/service
# local-stack reads its topology, simulations, example messages and dev signing key from paths
# relative to the working directory; they are small, so every image carries them.
WORKDIR /app
COPY crates/local-stack/topology.json crates/local-stack/topology.json
COPY crates/local-stack/simulations crates/local-stack/simulations
COPY crates/local-stack/messages crates/local-stack/messages
COPY crates/test-support/keys crates/test-support/keys
LABEL org.opencontainers.image.source="https://github.com/ministryofjustice/hmpps-probation-integration-services" \
      org.opencontainers.image.title="${BINARY}"
ENV PORT=8080 \
    LOG_FORMAT=json \
    RUST_LOG=info
USER 10001:10001
EXPOSE 8080
CMD ["service"]
