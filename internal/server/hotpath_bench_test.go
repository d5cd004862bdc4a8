package server

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// discard is a ResponseWriter that keeps nothing, so the benchmarks
// measure the server, not a recorder.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(int)             {}

func benchHandler(b *testing.B, path string, header ...string) {
	ts := newTestServer(b)
	h := ts.srv.Handler()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	w := &discard{h: http.Header{}}
	h.ServeHTTP(w, req) // warm the cache
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		clear(w.h)
		h.ServeHTTP(w, req)
	}
}

// BenchmarkCachedArticle is the hot path: an article page from the page
// cache, gzip, through every middleware. Compare with BenchmarkHealthz.
func BenchmarkCachedArticle(b *testing.B) {
	benchHandler(b, "/en/articles/log-out", "Accept-Encoding", "gzip", "Accept", "text/html")
}

// BenchmarkHealthz is the floor: the middleware and a two-line handler.
func BenchmarkHealthz(b *testing.B) { benchHandler(b, "/healthz") }
