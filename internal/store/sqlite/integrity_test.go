package sqlite

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"helpcenter/internal/store"
)

// filledDB makes a closed database with enough votes to span many pages.
func filledDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "hc.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2000 {
		v := store.Vote{Reader: fmt.Sprintf("%032d", i), Article: "log-out", Locale: "en", Comment: strings.Repeat("c", 100)}
		if err := s.SaveVote(context.Background(), v); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestOpenReportsCorruption damages a database file in several ways:
// opening it says the file is corrupt, never that the schema is odd.
func TestOpenReportsCorruption(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	noise := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.UintN(256))
		}
		return b
	}
	cases := map[string]func(f *os.File, size int64){
		"garbage header": func(f *os.File, _ int64) { f.WriteAt(noise(100), 0) },
		"schema page overwritten": func(f *os.File, _ int64) {
			f.WriteAt(noise(4096-100), 100)
		},
		"interior pages overwritten": func(f *os.File, size int64) {
			f.WriteAt(noise(4*4096), size/2&^4095)
		},
		"truncated": func(f *os.File, size int64) { f.Truncate(size / 3 &^ 4095) },
		"page headers flipped": func(f *os.File, size int64) {
			for p := int64(4096); p < size; p += 4096 {
				f.WriteAt([]byte{0x0d ^ 0xff}, p)
			}
		},
		"scattered bytes": func(f *os.File, size int64) {
			for range 200 {
				f.WriteAt(noise(8), 4096+rng.Int64N(size-4096-8))
			}
		},
	}
	for name, damage := range cases {
		t.Run(name, func(t *testing.T) {
			path := filledDB(t)
			f, err := os.OpenFile(path, os.O_RDWR, 0)
			if err != nil {
				t.Fatal(err)
			}
			st, _ := f.Stat()
			damage(f, st.Size())
			f.Close()
			s, err := Open(context.Background(), path)
			if err == nil {
				s.Close()
				t.Fatal("opened a damaged database without complaint")
			}
			if !errors.Is(err, store.ErrCorrupt) || !strings.Contains(err.Error(), "corrupt") {
				t.Fatalf("error %q does not say the file is corrupt", err)
			}
			if strings.Contains(err.Error(), "migrate") || strings.Contains(err.Error(), "newer than") {
				t.Errorf("error %q blames the schema", err)
			}
		})
	}
}

// TestNotADatabase: a file that is something else entirely.
func TestNotADatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hc.db")
	os.WriteFile(path, []byte(strings.Repeat("this is a text file, not SQLite\n", 500)), 0o600)
	if _, err := Open(context.Background(), path); !errors.Is(err, store.ErrCorrupt) {
		t.Fatalf("error %v, want ErrCorrupt", err)
	}
}
