package server

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"helpcenter/internal/store"
)

// TestWatchContent edits an article on disk and sees the page change
// without a restart; a broken edit keeps the previous content.
func TestWatchContent(t *testing.T) {
	dir := t.TempDir()
	for _, sub := range []string{"articles", "locales"} {
		if err := os.CopyFS(filepath.Join(dir, sub), os.DirFS(filepath.Join("..", "..", sub))); err != nil {
			t.Fatal(err)
		}
	}
	lfs, afs := os.DirFS(filepath.Join(dir, "locales")), os.DirFS(filepath.Join(dir, "articles"))
	site, err := LoadSite(lfs, afs, nil)
	if err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t)
	ts.srv.SetSite(site)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go ts.srv.WatchContent(ctx, dir, lfs, afs)

	file := filepath.Join(dir, "articles", "log-out", "en.md")
	data, _ := os.ReadFile(file)
	edited := strings.Replace(string(data), "title: ", "title: Edited live - ", 1)
	// Let the watcher take its first fingerprint (a walk of every content
	// file, slow on a busy machine) before the edit, and make sure the
	// modification time moves even on coarse file systems.
	time.Sleep(2 * reloadInterval)
	if err := os.WriteFile(file, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool {
		return strings.HasPrefix(ts.page(t, "/en/articles/log-out", http.StatusOK).Find("h1").Text(), "Edited live - ")
	})
	// A broken edit is refused; the site keeps serving the last good content.
	os.WriteFile(file, []byte("no front matter\n"), 0o644)
	time.Sleep(3 * reloadInterval)
	if got := ts.page(t, "/en/articles/log-out", http.StatusOK).Find("h1").Text(); !strings.HasPrefix(got, "Edited live - ") {
		t.Errorf("after a broken edit the title is %q", got)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in time")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestPopularOrderedByVotes: once votes exist, the most helpful featured
// article leads the popular questions.
func TestPopularOrderedByVotes(t *testing.T) {
	ts := newTestServer(t)
	featured := sharedSite.Catalog.Featured()
	last := featured[len(featured)-1].Slug
	for i := 0; i < 3; i++ {
		err := ts.store.SaveVote(context.Background(), store.Vote{Reader: string(rune('a' + i)), Article: last, Locale: "en", Helpful: true})
		if err != nil {
			t.Fatal(err)
		}
	}
	// The first view starts the background refresh; a later one shows it.
	waitFor(t, func() bool {
		doc := ts.page(t, "/en/", http.StatusOK)
		return doc.Find(`[aria-labelledby="popular-title"] .article-list a`).First().AttrOr("href", "") == "/en/articles/"+last
	})
}
