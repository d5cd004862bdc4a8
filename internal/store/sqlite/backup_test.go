package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"helpcenter/internal/store"
)

// TestBackupUnderLoad copies the database while votes are being written:
// each copy opens, passes its check, and holds every vote acknowledged
// before the copy began and none that were never acknowledged.
func TestBackupUnderLoad(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	var (
		acked atomic.Int64
		stop  atomic.Bool
		wg    sync.WaitGroup
	)
	const workers = 4
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; !stop.Load(); i++ {
				if err := s.SaveVote(ctx, store.Vote{Reader: fmt.Sprintf("%d-%08d", w, i), Article: "log-out", Locale: "en", Helpful: true}); err == nil {
					acked.Add(1)
				}
			}
		}()
	}
	defer func() { stop.Store(true); wg.Wait() }()
	for n := range 3 {
		for acked.Load() < int64(200*(n+1)) {
			time.Sleep(time.Millisecond) // let votes pile up between copies
		}
		before := acked.Load()
		dest := filepath.Join(t.TempDir(), fmt.Sprintf("copy-%d.db", n))
		if _, err := Backup(ctx, path, dest); err != nil {
			t.Fatal(err)
		}
		after := acked.Load()
		cp, err := Open(ctx, dest)
		if err != nil {
			t.Fatalf("the copy does not open: %v", err)
		}
		var rows int64
		cp.read.QueryRow("SELECT COUNT(*) FROM votes").Scan(&rows)
		cp.Close()
		// A vote committed but not yet counted as acknowledged when the
		// copy ended may be in it: at most one per worker.
		if rows < before || rows > after+workers {
			t.Errorf("copy %d holds %d votes; %d were acknowledged before it began, %d when it ended", n, rows, before, after)
		}
		t.Logf("copy %d: %d votes (acknowledged %d..%d)", n, rows, before, after)
	}
	if _, err := Backup(ctx, path, filepath.Join(t.TempDir(), "x.db")); err != nil {
		t.Fatal(err)
	}
}

func TestBackupRefusesToOverwrite(t *testing.T) {
	_, path := openTemp(t)
	dest := filepath.Join(t.TempDir(), "copy.db")
	if _, err := Backup(context.Background(), path, dest); err != nil {
		t.Fatal(err)
	}
	if _, err := Backup(context.Background(), path, dest); err == nil {
		t.Error("overwrote an existing file")
	}
	if _, err := Backup(context.Background(), filepath.Join(t.TempDir(), "none.db"), filepath.Join(t.TempDir(), "c.db")); err == nil {
		t.Error("backed up a database that does not exist")
	}
}
