package admin

import (
	"context"
	"encoding/csv"
	"net/http"
	"testing"
	"time"
)

func TestDeflectionsAndPeriods(t *testing.T) {
	e := newEnv(t)
	e.clock.t = time.Now()
	ctx := context.Background()
	for range 3 {
		if err := e.db.RecordDeflection(ctx, "ar", "log-out"); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.db.RecordDeflection(ctx, "en", "-danger"); err != nil {
		t.Fatal(err)
	}
	_, token := e.signIn(t, agentEmail, password)
	doc := page(t, e.do(t, "GET", "/admin/searches?period=7", token, nil))
	rows := doc.Find("section[aria-labelledby=deflections] tbody tr")
	if rows.Length() != 2 || rows.First().Find("th a").AttrOr("href", "") != "/ar/articles/log-out" || rows.First().Find("td").Last().Text() != "3" {
		t.Fatalf("deflections: %d rows, first %q", rows.Length(), rows.First().Text())
	}
	doc = page(t, e.do(t, "GET", "/admin/searches?lang=en", token, nil))
	if n := doc.Find("section[aria-labelledby=deflections] tbody tr").Length(); n != 1 {
		t.Errorf("English deflections: %d", n)
	}
	recs, err := csv.NewReader(e.do(t, "GET", "/admin/deflections.csv?lang=en", token, nil).Body).ReadAll()
	if err != nil || len(recs) != 2 || recs[1][0] != "'-danger" {
		t.Errorf("deflections CSV: %q %v", recs, err)
	}
	for _, q := range []string{"/admin/searches?period=8", "/admin/deflections.csv?lang=xx"} {
		if res := e.do(t, "GET", q, token, nil); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d", q, res.StatusCode)
		}
	}
}
