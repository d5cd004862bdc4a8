package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"helpcenter/internal/config"
	"helpcenter/internal/store"
)

const formType = "application/x-www-form-urlencoded"

func countVotes(t *testing.T, ts *testServer) int {
	t.Helper()
	n := 0
	if err := ts.store.EachVote(context.Background(), func(store.ExportedVote) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

func votes(t *testing.T, ts *testServer) []store.ExportedVote {
	t.Helper()
	var out []store.ExportedVote
	ts.store.EachVote(context.Background(), func(v store.ExportedVote) error { out = append(out, v); return nil })
	return out
}

// TestFeedbackWithoutJS walks the form flow: No → 303 to the reasons →
// reason → 303 to thanks; voting again changes the one vote.
func TestFeedbackWithoutJS(t *testing.T) {
	ts := newTestServer(t)
	c := newJarClient(t)
	post := func(kv ...string) *http.Response {
		resp, err := c.Post(ts.URL+"/es/articles/log-out/feedback", formType, form(kv...))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	resp := post("helpful", "no")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/es/articles/log-out?feedback=no#feedback" {
		t.Fatalf("no: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	ck := resp.Header.Get("Set-Cookie")
	for _, want := range []string{"hc_reader=", "HttpOnly", "SameSite=Lax"} {
		if !strings.Contains(ck, want) {
			t.Errorf("cookie %q lacks %s", ck, want)
		}
	}
	// The reasons step, as the redirect shows it.
	doc := ts.page(t, "/es/articles/log-out?feedback=no", http.StatusOK)
	if _, hidden := doc.Find(`[data-step="reason"]`).Attr("hidden"); hidden {
		t.Error("reasons are hidden in the ?feedback=no state")
	}
	if doc.Find(`input[name="reason"]`).Length() != 4 {
		t.Error("want four reasons")
	}
	resp = post("helpful", "no", "step", "reason", "reason", "did_not_work", "comment", "Los pasos no coinciden.")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/es/articles/log-out?feedback=thanks#feedback" {
		t.Fatalf("reason: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	thanks := ts.page(t, "/es/articles/log-out?feedback=thanks", http.StatusOK)
	if _, hidden := thanks.Find(`[data-step="thanks"]`).Attr("hidden"); hidden {
		t.Error("thanks hidden in the ?feedback=thanks state")
	}
	v := votes(t, ts)
	if len(v) != 1 || v[0].Helpful || v[0].Reason != "did_not_work" || v[0].Comment != "Los pasos no coinciden." || v[0].Locale != "es" {
		t.Fatalf("votes = %+v", v)
	}
	// Changing the answer replaces the vote.
	post("helpful", "yes")
	v = votes(t, ts)
	if len(v) != 1 || !v[0].Helpful || v[0].Reason != "" {
		t.Fatalf("after change: %+v", v)
	}
	// The same reader on another language's page is another vote.
	c.Post(ts.URL+"/fr/articles/log-out/feedback", formType, form("helpful", "yes"))
	if n := countVotes(t, ts); n != 2 {
		t.Errorf("%d votes, want 2", n)
	}
	// A reader without the cookie is a new reader.
	ts.do(t, http.MethodPost, "/es/articles/log-out/feedback", form("helpful", "yes"), "Content-Type", formType)
	if n := countVotes(t, ts); n != 3 {
		t.Errorf("%d votes, want 3", n)
	}
}

func TestFeedbackJSON(t *testing.T) {
	ts := newTestServer(t)
	resp := ts.do(t, http.MethodPost, "/ar/articles/log-out/feedback", form("helpful", "no"),
		"Content-Type", formType, "Accept", "application/json")
	var body map[string]string
	json.NewDecoder(resp.Body).Decode(&body)
	if resp.StatusCode != 200 || body["next"] != "reason" || body["message"] == "" {
		t.Fatalf("%d %v", resp.StatusCode, body)
	}
	resp = ts.do(t, http.MethodPost, "/ar/articles/log-out/feedback", form("helpful", "bogus"),
		"Content-Type", formType, "Accept", "application/json")
	body = map[string]string{}
	json.NewDecoder(resp.Body).Decode(&body)
	if resp.StatusCode != 400 || body["field"] != "helpful" || body["error"] == "" || body["error"] == "Choose Yes or No." {
		t.Errorf("invalid JSON vote: %d %v", resp.StatusCode, body)
	}
}

// TestFeedbackValidation: every bad input gets a 4xx with a localized
// message next to the field, and nothing is stored.
func TestFeedbackValidation(t *testing.T) {
	ts := newTestServer(t)
	long := strings.Repeat("ж", 501)
	tests := []struct {
		name   string
		body   string
		status int
		field  string
	}{
		{"missing helpful", "", 400, "helpful"},
		{"helpful maybe", "helpful=maybe", 400, "helpful"},
		{"unknown reason", "helpful=no&reason=bored", 400, "reason"},
		{"reason with yes", "helpful=yes&reason=unclear", 400, "reason"},
		{"comment with yes", "helpful=yes&comment=hi", 400, "reason"},
		{"reason step without reason", "helpful=no&step=reason", 422, "reason"},
		{"comment too long", "helpful=no&step=reason&reason=unclear&comment=" + long, 422, "comment"},
		{"invalid UTF-8", "helpful=no&reason=unclear&comment=%ff%fe", 400, "helpful"},
		{"control characters", "helpful=no&reason=unclear&comment=a%00b", 400, "comment"},
		{"bidi override", "helpful=no&reason=unclear&comment=a%E2%80%AEb", 400, "comment"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := ts.do(t, http.MethodPost, "/de/articles/log-out/feedback", strings.NewReader(tt.body), "Content-Type", formType)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			doc, err := goquery.NewDocumentFromReader(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			msg := doc.Find("#feedback-" + tt.field + "-error")
			if msg.Length() != 1 || strings.TrimSpace(msg.Text()) == "" {
				t.Errorf("no error message next to %s", tt.field)
			}
			if doc.Find("html").AttrOr("lang", "") != "de" {
				t.Error("error page not in German")
			}
		})
	}
	for path, want := range map[string]int{
		"/de/articles/no-such/feedback": 404,
		"/xx/articles/log-out/feedback": 404,
	} {
		if resp := ts.do(t, http.MethodPost, path, form("helpful", "yes"), "Content-Type", formType); resp.StatusCode != want {
			t.Errorf("%s: %d", path, resp.StatusCode)
		}
	}
	huge := strings.NewReader("helpful=no&comment=" + strings.Repeat("x", 100<<10))
	if resp := ts.do(t, http.MethodPost, "/de/articles/log-out/feedback", huge, "Content-Type", formType); resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("huge body: %d", resp.StatusCode)
	}
	if n := countVotes(t, ts); n != 0 {
		t.Errorf("%d votes stored from bad input", n)
	}
}

// TestFeedbackInjection: what a reader typed comes back escaped.
func TestFeedbackInjection(t *testing.T) {
	ts := newTestServer(t)
	comment := `<script>alert(1)</script>` + strings.Repeat("x", 500)
	resp := ts.do(t, http.MethodPost, "/en/articles/log-out/feedback", form("helpful", "no", "step", "reason", "reason", "unclear", "comment", comment), "Content-Type", formType)
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 422 || strings.Contains(string(body), "<script>alert") {
		t.Errorf("%d; reflected markup: %v", resp.StatusCode, strings.Contains(string(body), "<script>alert"))
	}
}

func TestFeedbackRateLimit(t *testing.T) {
	ts := newTestServer(t, func(c *config.Config) { c.RateLimit = 3 })
	c := newJarClient(t)
	statuses := []int{}
	for i := 0; i < 5; i++ {
		resp, err := c.Post(ts.URL+"/en/articles/log-out/feedback", formType, form("helpful", "yes"))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		statuses = append(statuses, resp.StatusCode)
		if resp.StatusCode == 429 && (strings.Contains(string(body), "Thank you") || !strings.Contains(string(body), "lot of feedback")) {
			t.Errorf("429 body does not say why: %.200s", body)
		}
	}
	if statuses[2] != 303 || statuses[3] != 429 || statuses[4] != 429 {
		t.Errorf("statuses = %v", statuses)
	}
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/en/articles/log-out/feedback", form("helpful", "yes"))
	req.Header.Set("Content-Type", formType)
	req.Header.Set("Accept", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]string
	json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if resp.StatusCode != 429 || body["error"] == "" || resp.Header.Get("Retry-After") == "" {
		t.Errorf("JSON 429: %d %v", resp.StatusCode, body)
	}
	// Limiting off for load tests.
	free := newTestServer(t, func(c *config.Config) { c.RateLimit = 0 })
	for i := 0; i < 50; i++ {
		if resp := free.do(t, http.MethodPost, "/en/articles/log-out/feedback", form("helpful", "yes"), "Content-Type", formType); resp.StatusCode != 303 {
			t.Fatalf("vote %d with limiting off: %d", i, resp.StatusCode)
		}
	}
}

// TestNoPersonalDataStored votes with a distinctive User-Agent and checks
// that neither it nor the client address reaches the database file.
func TestNoPersonalDataStored(t *testing.T) {
	ts := newTestServer(t)
	ua := "DistinctiveAgent/9.9 (UniqueDevice-4f2a)"
	for _, h := range []string{"yes", "no"} {
		ts.do(t, http.MethodPost, "/en/articles/log-out/feedback", form("helpful", h), "Content-Type", formType, "User-Agent", ua, "X-Forwarded-For", "203.0.113.77")
	}
	ts.store.Close()
	for _, suffix := range []string{"", "-wal"} {
		data, err := os.ReadFile(ts.dbPath + suffix)
		if err != nil {
			continue
		}
		for _, secret := range []string{ua, "UniqueDevice", "127.0.0.1", "203.0.113.77"} {
			if strings.Contains(string(data), secret) {
				t.Errorf("%q found in the database file%s", secret, suffix)
			}
		}
	}
}
