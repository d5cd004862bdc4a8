package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestMetrics: the metrics carry route patterns and status classes, never
// a raw path, a query or a reader's words.
func TestMetrics(t *testing.T) {
	ts := newTestServer(t)
	ts.raw(t, "/en/articles/log-out")
	ts.raw(t, "/en/articles/log-out")
	ts.raw(t, "/en/search?q=secretword123")
	ts.raw(t, "/en/search?q=qqqzzzxx")
	ts.raw(t, "/en/articles/no-such-thing-here")
	ts.raw(t, "/EN/articles/log-out")
	ts.do(t, http.MethodPost, "/en/articles/log-out/feedback", form("helpful", "yes"), "Content-Type", "application/x-www-form-urlencoded")
	wants := []string{
		`helpcenter_http_request_duration_seconds_count{class="2xx",method="GET",route="/:lang/articles/:slug"} `,
		`helpcenter_http_request_duration_seconds_count{class="4xx",method="GET",route="/:lang/articles/:slug"} 1`,
		`helpcenter_http_request_duration_seconds_count{class="3xx",method="GET",route="none"} 1`,
		`helpcenter_http_request_duration_seconds_count{class="3xx",method="POST",route="/:lang/articles/:slug/feedback"} 1`,
		"helpcenter_page_cache_hits_total ", "helpcenter_page_cache_misses_total ", "helpcenter_page_cache_bytes ",
		"helpcenter_votes_written_total 1", "helpcenter_write_batch_size_count ", "helpcenter_writer_queue_depth ",
		"helpcenter_search_duration_seconds_count ", "helpcenter_missed_searches_total 2", "helpcenter_writes_refused_total 0",
		"go_goroutines ", "process_resident_memory_bytes ",
	}
	// A request is counted after its answer is written, so the client may
	// read its answer a moment before the metric is there.
	var out string
	var missing []string
	for deadline := time.Now().Add(3 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		rec := httptest.NewRecorder()
		ts.srv.Metrics().Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
		body, _ := io.ReadAll(rec.Body)
		out, missing = string(body), nil
		for _, want := range wants {
			if !strings.Contains(out, want) {
				missing = append(missing, want)
			}
		}
		if len(missing) == 0 || time.Now().After(deadline) {
			break
		}
	}
	for _, m := range missing {
		t.Errorf("metrics lack %q", m)
	}
	for _, leak := range []string{"secretword123", "qqqzzzxx", "no-such-thing-here", "log-out", "/EN/"} {
		if strings.Contains(out, leak) {
			t.Errorf("metrics contain %q, from a path or a query", leak)
		}
	}
}
