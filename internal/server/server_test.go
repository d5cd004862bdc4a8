package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"helpcenter/articles"
	"helpcenter/internal/assets"
	"helpcenter/internal/config"
	"helpcenter/internal/store/sqlite"
	"helpcenter/locales"
	"helpcenter/static"
)

// testServer is the real echo instance over real HTTP, with a throwaway
// SQLite file.
type testServer struct {
	*httptest.Server
	srv    *Server
	store  *sqlite.Store
	dbPath string
}

// sharedSite is loaded once: building it is the slow part of start-up.
var sharedSite *Site

func newTestServer(t testing.TB, mutate ...func(*config.Config)) *testServer {
	t.Helper()
	return newTestServerLog(t, slog.New(slog.DiscardHandler), mutate...)
}

// newTestServerLog is newTestServer with the server's logger.
func newTestServerLog(t testing.TB, log *slog.Logger, mutate ...func(*config.Config)) *testServer {
	t.Helper()
	if sharedSite == nil {
		site, err := LoadSite(locales.FS, articles.FS, log)
		if err != nil {
			t.Fatal(err)
		}
		sharedSite = site
	}
	as, err := assets.Load(static.FS)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse(nil, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	// Canonical and sitemap URLs and the trusted origin are the test
	// server's, unless a test asks for another base URL.
	ts := httptest.NewUnstartedServer(nil)
	cfg.BaseURL = "http://" + ts.Listener.Addr().String()
	cfg.RateLimit = 1000
	cfg.DB = filepath.Join(t.TempDir(), "hc.db")
	for _, m := range mutate {
		m(&cfg)
	}
	dbPath := cfg.DB
	st, err := sqlite.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	srv := New(cfg, log, st, as, sharedSite)
	ts.Config.Handler = srv.Handler()
	ts.Start()
	t.Cleanup(func() {
		ts.Close()
		srv.Wait()
		st.Close()
	})
	return &testServer{Server: ts, srv: srv, store: st, dbPath: dbPath}
}

// noRedirect is a client that shows redirects instead of following them.
func noRedirect() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func (ts *testServer) do(t *testing.T, method, path string, body io.Reader, header ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "text/html")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := noRedirect().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// page GETs a path and parses the HTML, failing unless the status is want.
func (ts *testServer) page(t *testing.T, path string, want int, header ...string) *goquery.Document {
	t.Helper()
	resp := ts.do(t, http.MethodGet, path, nil, header...)
	if resp.StatusCode != want {
		t.Fatalf("GET %s: status %d, want %d", path, resp.StatusCode, want)
	}
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func form(kv ...string) io.Reader {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return strings.NewReader(v.Encode())
}

func newJarClient(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}
