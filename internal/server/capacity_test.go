package server

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"helpcenter/internal/config"
	"helpcenter/internal/ratelimit"
)

// TestFullDatabase: over HELPCENTER_MAX_DB_SIZE, votes get a localized
// 503, pages are still served, /readyz says not ready, and all of it
// recovers once the limit is lifted.
func TestFullDatabase(t *testing.T) {
	ts := newTestServer(t)
	if resp := ts.do(t, "GET", "/readyz", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("readyz before: %d", resp.StatusCode)
	}
	ts.store.LimitSize(1, slog.New(slog.DiscardHandler))

	resp := ts.do(t, "POST", "/de/articles/log-out/feedback", form("helpful", "yes"),
		"Content-Type", formType, "Accept", "application/json")
	var body struct{ Error string }
	json.NewDecoder(resp.Body).Decode(&body)
	want := sharedSite.Bundle.For("de").T("error.storage_full_text")
	if resp.StatusCode != http.StatusServiceUnavailable || body.Error != want {
		t.Errorf("JSON vote on a full database: %d %q, want 503 %q", resp.StatusCode, body.Error, want)
	}
	doc := ts.pageStatus(t, "POST", "/ja/articles/log-out/feedback", form("helpful", "no", "reason", "unclear", "step", "reason"),
		http.StatusServiceUnavailable, "Content-Type", formType)
	if got := doc.Find("#feedback").Text(); !strings.Contains(got, sharedSite.Bundle.For("ja").T("error.storage_full_text")) {
		t.Errorf("form vote on a full database: the widget says %q", strings.TrimSpace(got))
	}
	ts.page(t, "/de/articles/log-out", http.StatusOK)
	ts.page(t, "/de/search?q=passwort", http.StatusOK)
	if resp := ts.do(t, "GET", "/readyz", nil); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("readyz with the database full: %d", resp.StatusCode)
	}
	if n := ts.store.RefusedWrites(); n != 2 {
		t.Errorf("RefusedWrites = %d, want 2", n)
	}

	ts.store.LimitSize(0, slog.New(slog.DiscardHandler))
	if resp := ts.do(t, "GET", "/readyz", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("readyz after the limit was lifted: %d", resp.StatusCode)
	}
	if resp := ts.do(t, "POST", "/de/articles/log-out/feedback", form("helpful", "yes"), "Content-Type", formType); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("vote after the limit was lifted: %d", resp.StatusCode)
	}
}

// TestReadyzOnFullDisk puts the database on a tiny tmpfs (root only) and
// fills it: /readyz says not ready while votes cannot be saved, pages
// are served, and readiness returns by itself when space does.
func TestReadyzOnFullDisk(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("a full disk needs a tmpfs mount, which needs root")
	}
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=16m"); err != nil {
		t.Skipf("cannot mount a tmpfs: %v", err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, syscall.MNT_DETACH) })
	ts := newTestServer(t, func(c *config.Config) { c.DB = filepath.Join(dir, "hc.db") })
	filler := filepath.Join(dir, "filler")
	f, err := os.Create(filler)
	if err != nil {
		t.Fatal(err)
	}
	for chunk := make([]byte, 4096); ; {
		if _, err := f.Write(chunk); err != nil {
			break
		}
	}
	f.Close()
	if resp := ts.do(t, "GET", "/readyz", nil); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("readyz on a full disk: %d", resp.StatusCode)
	}
	ts.page(t, "/en/articles/log-out", http.StatusOK)
	os.Remove(filler)
	if resp := ts.do(t, "GET", "/readyz", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("readyz after space returned: %d", resp.StatusCode)
	}
}

// TestCommentBudget: one address storing long comments runs out of its
// hourly budget; votes without comments and other addresses go on.
func TestCommentBudget(t *testing.T) {
	ts := newTestServer(t, func(c *config.Config) { c.RateLimit = 20 })
	comment := strings.Repeat("🙂", maxComment) // 2,000 bytes
	refused := 0
	for i := 0; i < 60 && refused == 0; i++ {
		// A new reader (no cookie) for every vote, as a script would.
		resp := ts.do(t, "POST", "/en/articles/log-out/feedback",
			form("helpful", "no", "reason", "unclear", "step", "reason", "comment", comment), "Content-Type", formType)
		switch resp.StatusCode {
		case http.StatusSeeOther:
		case http.StatusTooManyRequests:
			refused = i
		default:
			t.Fatalf("comment %d: status %d", i, resp.StatusCode)
		}
	}
	if want := ratelimit.CommentBudget / len(comment); refused != want {
		t.Errorf("refused after %d comments, want %d (%d bytes)", refused, want, ratelimit.CommentBudget)
	}
	if resp := ts.do(t, "POST", "/en/articles/log-out/feedback", form("helpful", "yes"), "Content-Type", formType); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("a vote without a comment after the budget: %d", resp.StatusCode)
	}
	// Another address has its own budget.
	v := ts.srv.votes
	if !v.AllowComment("203.0.113.9", len(comment)) {
		t.Error("another address was refused")
	}
}

// pageStatus sends a request and parses the HTML answer, failing unless
// the status is want.
func (ts *testServer) pageStatus(t *testing.T, method, path string, body io.Reader, want int, header ...string) *goquery.Document {
	t.Helper()
	resp := ts.do(t, method, path, body, header...)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d", method, path, resp.StatusCode, want)
	}
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
