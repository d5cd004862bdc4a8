# Everyday tasks. The README's two commands need none of this.
.PHONY: run test generate check lint build ci bench

run:
	go run ./cmd/helpcenter

test:
	go test ./...

generate:
	go tool templ generate

check:
	go run ./cmd/helpcenter check

lint:
	gofmt -l $$(git ls-files '*.go')
	go vet ./...
	go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

build:
	CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o helpcenter ./cmd/helpcenter

ci:
	bash .ci/run

# The help center against nginx serving the same bytes, plus search,
# votes, cold start and memory (see README, "Performance").
bench:
	bash .ci/bench/run
