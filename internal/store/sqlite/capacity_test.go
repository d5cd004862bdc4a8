package sqlite

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"helpcenter/internal/store"
)

func bigVote(i int) store.Vote {
	return store.Vote{Reader: fmt.Sprintf("%032d", i), Article: "log-out", Locale: "en", Comment: strings.Repeat("🙂", 500)}
}

// TestSizeLimit (the limit leaves room for the empty schema, about 80 KiB):
// past the limit, votes and search counts are refused with
// ErrFull and counted, reading goes on, and deleting data lets writes in
// again.
func TestSizeLimit(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	for i := range 100 {
		if err := s.SaveVote(ctx, bigVote(i)); err != nil {
			t.Fatal(err)
		}
	}
	var logs strings.Builder
	s.LimitSize(160<<10, slog.New(slog.NewTextHandler(&logs, nil)))
	if err := s.SaveVote(ctx, bigVote(1000)); !errors.Is(err, store.ErrFull) {
		t.Fatalf("vote over the limit: %v, want ErrFull", err)
	}
	if err := s.RecordMissedSearch(ctx, "en", "nothing"); !errors.Is(err, store.ErrFull) {
		t.Fatalf("search count over the limit: %v, want ErrFull", err)
	}
	if n := s.RefusedWrites(); n != 2 {
		t.Errorf("RefusedWrites = %d, want 2", n)
	}
	if err := s.Ping(ctx); !errors.Is(err, store.ErrFull) {
		t.Errorf("Ping over the limit: %v", err)
	}
	if tallies, err := s.Tallies(ctx); err != nil || len(tallies) != 1 || tallies[0].NotHelpful != 100 {
		t.Errorf("reading over the limit: %v %v", tallies, err)
	}
	if !strings.Contains(logs.String(), "over its size limit") {
		t.Errorf("no log line: %q", logs.String())
	}
	// The purge is not a growing write: it runs, and frees the pages.
	if _, err := s.PurgeVotes(ctx, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(sizeCheckInterval + 50*time.Millisecond)
	if err := s.SaveVote(ctx, bigVote(1001)); err != nil {
		t.Fatalf("vote after the purge: %v", err)
	}
	if err := s.Ping(ctx); err != nil {
		t.Errorf("Ping after the purge: %v", err)
	}
	if !strings.Contains(logs.String(), "back under") {
		t.Errorf("no log line for the recovery: %q", logs.String())
	}
}

// mountTiny mounts a tmpfs of size bytes, as root only.
func mountTiny(t *testing.T, size int) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("a full disk needs a tmpfs mount, which needs root")
	}
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, fmt.Sprintf("size=%d", size)); err != nil {
		t.Skipf("cannot mount a tmpfs: %v", err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, syscall.MNT_DETACH) })
	return dir
}

// fillDisk writes a file until the disk is full.
func fillDisk(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 64<<10)
	for {
		if _, err := f.Write(chunk); err != nil {
			break
		}
	}
	chunk = chunk[:512]
	for {
		if _, err := f.Write(chunk); err != nil {
			return
		}
	}
}

// TestDiskFull on a real full file system: writes fail with ErrFull,
// reads work, Ping says no; when space returns, Ping says yes by
// itself and votes are saved again.
func TestDiskFull(t *testing.T) {
	ctx := context.Background()
	dir := mountTiny(t, 16<<20)
	s, err := Open(ctx, filepath.Join(dir, "hc.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := range 50 {
		if err := s.SaveVote(ctx, bigVote(i)); err != nil {
			t.Fatal(err)
		}
	}
	filler := filepath.Join(dir, "filler")
	fillDisk(t, filler)
	var failed error
	for i := 100; i < 2000 && failed == nil; i++ {
		failed = s.SaveVote(ctx, bigVote(i))
	}
	if !errors.Is(failed, store.ErrFull) {
		t.Fatalf("writing to a full disk: %v, want ErrFull", failed)
	}
	if err := s.Ping(ctx); !errors.Is(err, store.ErrFull) {
		t.Errorf("Ping on a full disk: %v", err)
	}
	if _, err := s.Tallies(ctx); err != nil {
		t.Errorf("reading on a full disk: %v", err)
	}
	if s.RefusedWrites() == 0 {
		t.Error("the refused write is not counted")
	}
	os.Remove(filler)
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping after space returned: %v", err)
	}
	if err := s.SaveVote(ctx, bigVote(5000)); err != nil {
		t.Errorf("vote after space returned: %v", err)
	}
}
