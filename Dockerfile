# naftiko container image: a static binary on an empty base, run as a
# non-root user. Build it with any OCI builder:
#
#   docker build -t naftiko .          # or: podman build / buildah build
#
# Stage 1 compiles naftiko with the Go toolchain go.mod asks for; stage 2
# keeps only the binary and the CA certificates it needs for HTTPS
# upstreams. .ci/image builds this same file offline with a builder image
# made from the machine's own Go toolchain (GO_IMAGE below).
#
# There is no HEALTHCHECK on purpose: orchestrators probe the control
# adapter instead (GET /health/live and GET /health/ready on the port of the
# document's `type: control` adapter; see deploy/ and README.md,
# "Operating naftiko").

ARG GO_IMAGE=docker.io/library/golang:1.26.8-bookworm

FROM ${GO_IMAGE} AS build
WORKDIR /src
# Modules first, so that a change to the sources does not download them again.
COPY go.mod go.sum ./
RUN go mod download
COPY cmd ./cmd
COPY spec ./spec
COPY engine ./engine
COPY binder ./binder
ARG VERSION=dev
# CGO off: a static binary that needs no libc. -trimpath and no VCS stamp
# make the build reproducible; -s -w drop the symbol tables.
RUN CGO_ENABLED=0 go build -trimpath -buildvcs=false \
      -ldflags "-s -w -X main.version=${VERSION}" \
      -o /out/naftiko ./cmd/naftiko \
 && mkdir -p /out/etc/ssl/certs /out/etc/naftiko \
 && cp /etc/ssl/certs/ca-certificates.crt /out/etc/ssl/certs/

FROM scratch
COPY --from=build /out/etc /etc
COPY --from=build /out/naftiko /usr/local/bin/naftiko
# 65532 is the conventional "nonroot" user of distroless images; no
# passwd file is needed for a numeric user.
USER 65532:65532
WORKDIR /etc/naftiko
ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
ENTRYPOINT ["/usr/local/bin/naftiko"]
# The capability is mounted at /etc/naftiko/capability.yaml (a ConfigMap in
# Kubernetes); serve listens on every interface inside the container.
CMD ["serve", "/etc/naftiko/capability.yaml", "--address", "0.0.0.0"]
