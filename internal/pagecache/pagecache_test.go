package pagecache

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestAccepts(t *testing.T) {
	for _, c := range []struct {
		header, enc string
		want        bool
	}{
		{"gzip", "gzip", true}, {"GZIP", "gzip", true}, {"deflate, gzip;q=0.5", "gzip", true},
		{"gzip;q=0", "gzip", false}, {"gzip; q=0.000", "gzip", false}, {"gzip;q=0.001", "gzip", true},
		{"br;q=1.0, gzip;q=0", "br", true}, {"br;q=1.0, gzip;q=0", "gzip", false},
		{"", "gzip", false}, {"*", "gzip", false}, {"x-gzip", "gzip", false}, {"gzip , br", "br", true},
	} {
		if got := Accepts([]string{c.header}, c.enc); got != c.want {
			t.Errorf("Accepts(%q, %q) = %v", c.header, c.enc, got)
		}
	}
}

func TestSmallPagesAreNotCompressed(t *testing.T) {
	p := NewPage(http.StatusOK, "text/html", "public", "", []byte("<p>tiny</p>"))
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Accept-Encoding", "gzip, br")
	p.Write(rec, req)
	if rec.Header().Get("Content-Encoding") != "" || rec.Header().Get("Vary") != "" || rec.Body.String() != "<p>tiny</p>" {
		t.Errorf("a tiny page: %v %q", rec.Header(), rec.Body.String())
	}
}

func TestHeadSendsNoBody(t *testing.T) {
	p := NewPage(http.StatusOK, "text/html", "public", "", []byte(strings.Repeat("<p>x</p>", 200)))
	rec := httptest.NewRecorder()
	status, n := p.Write(rec, httptest.NewRequest(http.MethodHead, "/", nil))
	if status != http.StatusOK || n != 0 || rec.Body.Len() != 0 || rec.Header().Get("Content-Length") != "1600" {
		t.Errorf("HEAD: %d, %d bytes, Content-Length %s", status, n, rec.Header().Get("Content-Length"))
	}
}

func TestResetEmpties(t *testing.T) {
	c := New(1 << 20)
	render := func() (*Page, error) { return NewPage(http.StatusOK, "text/html", "", "", []byte("a")), nil }
	if _, hit, _ := c.Load(context.Background(), "k", render); hit {
		t.Fatal("hit on an empty cache")
	}
	if _, ok := c.Peek("k"); !ok {
		t.Fatal("the page was not kept")
	}
	c.Reset()
	if _, ok := c.Peek("k"); ok {
		t.Fatal("Reset kept a page")
	}
}

func TestSkipIsNotKept(t *testing.T) {
	c := New(1 << 20)
	p := NewPage(http.StatusOK, "text/html", "private", "", []byte("mine"))
	got, _, err := c.Load(context.Background(), "k", func() (*Page, error) { return nil, Skip(p) })
	if err != nil || got != p {
		t.Fatalf("Load = %v, %v", got, err)
	}
	if _, ok := c.Peek("k"); ok {
		t.Error("a skipped page was kept")
	}
	if _, _, err := c.Load(context.Background(), "e", func() (*Page, error) { return nil, errors.New("boom") }); err == nil {
		t.Error("a render error was swallowed")
	}
}
