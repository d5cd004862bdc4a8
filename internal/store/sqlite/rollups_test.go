package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"helpcenter/internal/store"
)

// TestRollupsFollowVotes changes votes back and forth and purges them,
// and checks that the daily rollups always equal a recount of the votes.
func TestRollupsFollowVotes(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "hc.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	check := func(when string) {
		t.Helper()
		var recount, rollup string
		q := func(sql string, out *string) {
			rows, err := s.read.Query(sql)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var a, l, r string
				var h, n int
				rows.Scan(&a, &l, &h, &r, &n)
				*out += fmt.Sprintf("%s/%s/%d/%s=%d ", a, l, h, r, n)
			}
		}
		q(`SELECT article, locale, helpful, reason, COUNT(*) FROM votes GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`, &recount)
		q(`SELECT article, locale, helpful, reason, SUM(count) FROM vote_days GROUP BY 1, 2, 3, 4 HAVING SUM(count) != 0 ORDER BY 1, 2, 3, 4`, &rollup)
		if recount != rollup {
			t.Errorf("%s:\nvotes   %s\nrollups %s", when, recount, rollup)
		}
	}
	for i := range 30 {
		v := store.Vote{Reader: fmt.Sprint("r", i%7), Article: fmt.Sprint("a", i%3), Locale: "en", Helpful: i%2 == 0}
		if !v.Helpful {
			v.Reason = store.Reasons[i%len(store.Reasons)]
		}
		if err := s.SaveVote(ctx, v); err != nil {
			t.Fatal(err)
		}
	}
	check("after changed votes")
	if _, err := s.PurgeVotes(ctx, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	check("after a purge")
	var n int
	s.read.QueryRow(`SELECT COUNT(*) FROM vote_days WHERE count != 0`).Scan(&n)
	if n != 0 {
		t.Errorf("%d rollup rows left after purging every vote", n)
	}
}
