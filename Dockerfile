# syntax=docker/dockerfile:1
# Build: a static binary with its content, translations and assets embedded.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/helpcenter ./cmd/helpcenter \
 && mkdir -p /out/data

# Run: distroless static, non-root, CA certificates included, no shell.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/helpcenter /helpcenter
COPY --from=build --chown=nonroot:nonroot /out/data /data
ENV HELPCENTER_ADDR=:8080 \
    HELPCENTER_DB=/data/helpcenter.db \
    HELPCENTER_LOG_FORMAT=json
VOLUME ["/data"]
EXPOSE 8080
USER nonroot:nonroot
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["/helpcenter", "healthcheck"]
ENTRYPOINT ["/helpcenter"]
CMD ["serve"]
