# syntax=docker/dockerfile:1
#
# Multi-stage build of secondme_error_exporter.
#
#   docker build -t secondme_error_exporter \
#     --build-arg VERSION=$(git describe --tags --always) \
#     --build-arg REVISION=$(git rev-parse HEAD) \
#     --build-arg BRANCH=$(git rev-parse --abbrev-ref HEAD) \
#     --build-arg BUILD_DATE=$(date -u +%Y%m%d-%H:%M:%S) .
#
# The binaries are static (CGO_ENABLED=0) and reproducible (-trimpath), with the build
# metadata stamped into github.com/prometheus/common/version exactly as the Makefile's
# `build` target does, so `secondme_error_exporter --version` and the
# secondme_exporter_build_info metric say which commit is running.
#
# The runtime stage (the default target) is a distroless "static" image running as the
# numeric user 65532 (distroless' "nonroot"): no shell, no package manager, nothing to exec
# into, and a numeric USER lets Kubernetes' runAsNonRoot check succeed without reading
# /etc/passwd. The same image runs the demo traffic writer of the compose stack and the
# Kubernetes example: `secondme_error_exporter demo-writer --out=...`.

ARG GO_VERSION=1.26

FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
# Dependencies first: this layer is reused until go.mod/go.sum change.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
# Set by BuildKit for the platform being built (docker buildx build --platform ...);
# empty under the legacy builder, where go then builds for the build host.
ARG TARGETOS
ARG TARGETARCH
ARG VERSION=dev
ARG REVISION=unknown
ARG BRANCH=unknown
ARG BUILD_USER=docker
ARG BUILD_DATE=unknown
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=${TARGETOS} GOARCH=${TARGETARCH} \
    go build -trimpath \
      -ldflags "-s -w -X github.com/prometheus/common/version.Version=${VERSION} -X github.com/prometheus/common/version.Revision=${REVISION} -X github.com/prometheus/common/version.Branch=${BRANCH} -X github.com/prometheus/common/version.BuildUser=${BUILD_USER} -X github.com/prometheus/common/version.BuildDate=${BUILD_DATE}" \
      -o /out/ ./cmd/secondme_error_exporter
# Directories the runtime image provides, owned by the runtime user: a named volume
# (docker compose) mounted there starts with this ownership, so the non-root process can
# write its positions file, and the demo writer its log.
RUN mkdir -p /rootfs/var/lib/secondme_error_exporter /rootfs/var/log/app

FROM gcr.io/distroless/static-debian12:nonroot AS exporter
LABEL org.opencontainers.image.title="secondme_error_exporter" \
      org.opencontainers.image.description="Prometheus exporter for SecondMe API error envelopes in application and gateway logs" \
      org.opencontainers.image.source="https://github.com/secondme/secondme_error_exporter"
COPY --from=build /out/secondme_error_exporter /usr/local/bin/secondme_error_exporter
COPY --from=build --chown=65532:65532 /rootfs/ /
USER 65532:65532
EXPOSE 19948
ENTRYPOINT ["/usr/local/bin/secondme_error_exporter"]
