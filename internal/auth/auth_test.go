package auth

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestPassword(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Errorf("hash %q", h)
	}
	if err := CheckPassword(h, "correct horse battery"); err != nil {
		t.Errorf("right password: %v", err)
	}
	if err := CheckPassword(h, "correct horse batterz"); !errors.Is(err, ErrMismatch) {
		t.Errorf("wrong password: %v", err)
	}
	if h2, _ := HashPassword("correct horse battery"); h2 == h {
		t.Error("two hashes of one password are equal: no salt")
	}
	if _, err := HashPassword("short"); err == nil {
		t.Error("a 5-character password was accepted")
	}
	if err := CheckPassword("$2a$10$bcrypt", "x"); err == nil || errors.Is(err, ErrMismatch) {
		t.Errorf("foreign hash: %v", err)
	}
}

// TestCheckUnknown: the hash an unknown e-mail is checked against has the
// parameters of a real one and parses, so argon2 runs in full.
func TestCheckUnknown(t *testing.T) {
	h, _ := HashPassword("correct horse battery")
	params := func(h string) string { return strings.Join(strings.Split(h, "$")[:4], "$") }
	if params(dummyHash) != params(h) || len(dummyHash) != len(h) {
		t.Errorf("dummy hash %q does not look like %q", dummyHash, h)
	}
	if err := CheckPassword(dummyHash, "correct horse battery"); !errors.Is(err, ErrMismatch) {
		t.Errorf("dummy hash: %v", err)
	}
	if err := CheckUnknown("correct horse battery"); !errors.Is(err, ErrMismatch) {
		t.Errorf("CheckUnknown: %v", err)
	}
}

func TestToken(t *testing.T) {
	tok, hash := NewToken()
	if len(tok) < 40 || hash != HashToken(tok) || hash == tok {
		t.Errorf("token %q hash %q", tok, hash)
	}
}

func TestThrottle(t *testing.T) {
	th := NewThrottle()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 4 {
		th.Fail("k", now.Add(time.Duration(i)*time.Minute))
	}
	if _, locked := th.Locked("k", now.Add(4*time.Minute)); locked {
		t.Fatal("locked after 4 failures")
	}
	// Failures older than the window do not count.
	th.Fail("k", now.Add(16*time.Minute))
	if _, locked := th.Locked("k", now.Add(16*time.Minute)); locked {
		t.Fatal("locked by failures outside the window")
	}
	for i := range 5 {
		th.Fail("j", now.Add(time.Duration(i)*time.Second))
	}
	until, locked := th.Locked("j", now.Add(time.Minute))
	if !locked || !until.Equal(now.Add(4*time.Second+15*time.Minute)) {
		t.Fatalf("after 5 failures: locked %v until %v", locked, until)
	}
	if _, locked := th.Locked("j", until); locked {
		t.Error("still locked when the lockout ends")
	}
	th.MaxKeys = 3
	for i := range 10 {
		th.Fail(string(rune('a'+i)), now)
	}
	if len(th.keys) > 3 {
		t.Errorf("%d keys kept, bound 3", len(th.keys))
	}
}
