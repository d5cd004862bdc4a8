package assets

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/andybalholm/brotli"
)

func TestLoadAndServe(t *testing.T) {
	css := []byte(strings.Repeat("body { color: black; }\n", 50))
	s, err := Load(fstest.MapFS{
		"css/site.css": {Data: css},
		"img/dot.png":  {Data: []byte("\x89PNG tiny")},
		"embed.go":     {Data: []byte("package static")},
	})
	if err != nil {
		t.Fatal(err)
	}
	u := s.URL("css/site.css")
	if !strings.HasPrefix(u, "/static/css/site.") || !strings.HasSuffix(u, ".css") || len(u) != len("/static/css/site..css")+12 {
		t.Errorf("hashed URL %q", u)
	}
	get := func(path, ae string) *http.Response {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Accept-Encoding", ae)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		return rec.Result()
	}
	for _, tt := range []struct{ ae, want string }{
		{"gzip, deflate, br", "br"},
		{"gzip", "gzip"},
		{"br;q=0, gzip", "gzip"},
		{"gzip;q=0", ""},
		{"", ""},
	} {
		resp := get(u, tt.ae)
		body, _ := io.ReadAll(resp.Body)
		if resp.Header.Get("Content-Encoding") != tt.want {
			t.Errorf("Accept-Encoding %q: got %q", tt.ae, resp.Header.Get("Content-Encoding"))
			continue
		}
		var plain []byte
		switch tt.want {
		case "br":
			plain, _ = io.ReadAll(brotli.NewReader(bytes.NewReader(body)))
		case "gzip":
			zr, _ := gzip.NewReader(bytes.NewReader(body))
			plain, _ = io.ReadAll(zr)
		default:
			plain = body
		}
		if !bytes.Equal(plain, css) {
			t.Errorf("%q: body does not decode to the file", tt.ae)
		}
		if resp.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || resp.Header.Get("Content-Type") != "text/css; charset=utf-8" {
			t.Errorf("headers %v", resp.Header)
		}
	}
	// Incompressible files are served as they are.
	if resp := get(s.URL("img/dot.png"), "br, gzip"); resp.Header.Get("Content-Encoding") != "" {
		t.Error("a PNG was compressed")
	}
	if resp := get("/static/css/site.css", "gzip"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unhashed path: %d", resp.StatusCode)
	}
	defer func() {
		if recover() == nil {
			t.Error("URL of a missing asset did not panic")
		}
	}()
	s.URL("css/missing.css")
}
