package auth

import (
	"sync"
	"time"
)

// Throttle limits sign-in attempts per account and per address. After
// MaxFailures failures within Window, the key is locked out for Lockout;
// a success clears the account's failures. Kept in memory: a restart
// forgets lockouts, which only lets an attacker resume at the same slow
// pace; tokens and passwords are unaffected.
type Throttle struct {
	MaxFailures int
	Window      time.Duration
	Lockout     time.Duration
	MaxKeys     int // bounds memory under an attack with many addresses

	mu   sync.Mutex
	keys map[string]*attempts
}

type attempts struct {
	failures    []time.Time
	lockedUntil time.Time
}

// NewThrottle returns the limits the README states.
func NewThrottle() *Throttle {
	return &Throttle{MaxFailures: 5, Window: 15 * time.Minute, Lockout: 15 * time.Minute, MaxKeys: 100_000, keys: map[string]*attempts{}}
}

// Locked reports until when key is locked out, if it is at now.
func (t *Throttle) Locked(key string, now time.Time) (time.Time, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	a := t.keys[key]
	if a == nil || !now.Before(a.lockedUntil) {
		return time.Time{}, false
	}
	return a.lockedUntil, true
}

// Fail records a failure of key at now.
func (t *Throttle) Fail(key string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	a := t.keys[key]
	if a == nil {
		if len(t.keys) >= t.MaxKeys {
			t.evict(now)
		}
		a = &attempts{}
		t.keys[key] = a
	}
	recent := a.failures[:0]
	for _, f := range a.failures {
		if now.Sub(f) < t.Window {
			recent = append(recent, f)
		}
	}
	a.failures = append(recent, now)
	if len(a.failures) >= t.MaxFailures {
		a.lockedUntil = now.Add(t.Lockout)
		a.failures = nil
	}
}

// Succeed clears key's failures.
func (t *Throttle) Succeed(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.keys, key)
}

// evict drops keys with nothing recent, or everything if all are recent.
func (t *Throttle) evict(now time.Time) {
	for k, a := range t.keys {
		if now.After(a.lockedUntil) && (len(a.failures) == 0 || now.Sub(a.failures[len(a.failures)-1]) >= t.Window) {
			delete(t.keys, k)
		}
	}
	if len(t.keys) >= t.MaxKeys {
		clear(t.keys)
	}
}
