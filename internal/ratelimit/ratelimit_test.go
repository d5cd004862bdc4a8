package ratelimit

import (
	"fmt"
	"testing"
	"time"
)

// TestLimiterFullTableLocksNoOneOut fills the limiter's key table with
// addresses voting at the allowed rate, as a few hundred addresses can in
// a minute, then keeps going: the table never grows past its bound, and a
// new reader on a new address can still vote.
func TestLimiterFullTableLocksNoOneOut(t *testing.T) {
	if testing.Short() {
		t.Skip("fills 200,000 keys")
	}
	v := New(20, nil)
	// Each vote from a new address with a new reader adds two keys.
	for i := 0; i < maxLimiterKeys; i++ {
		addr := fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)
		v.Allow(fmt.Sprintf("flood-%d", i), addr)
		if n := len(v.votes.buckets); n > maxLimiterKeys {
			t.Fatalf("%d keys after %d votes, bound is %d", n, i+1, maxLimiterKeys)
		}
	}
	for i := 0; i < 100; i++ {
		if !v.Allow(fmt.Sprintf("new-reader-%d", i), fmt.Sprintf("192.0.2.%d", i)) {
			t.Fatalf("new reader %d refused with the key table full", i)
		}
	}
	if n := len(v.votes.buckets); n > maxLimiterKeys {
		t.Errorf("%d keys, bound is %d", n, maxLimiterKeys)
	}
}

// TestLimiterForgetsOnlyWhatIsFull: a reader who used their budget is
// still limited a moment later, and a bucket idle for its refill time is
// forgotten, which gives its owner exactly what they would have had.
func TestLimiterForgetsOnlyWhatIsFull(t *testing.T) {
	v := New(3, nil)
	t0 := time.Now()
	for i := 0; i < 3; i++ {
		if !v.allowAt("reader", "198.51.100.7", t0) {
			t.Fatalf("vote %d refused within the budget", i+1)
		}
	}
	if v.allowAt("reader", "198.51.100.7", t0.Add(time.Second)) {
		t.Fatal("a fourth vote in a second passed a budget of 3 a minute")
	}
	// Another address arriving 30 s later keeps the first reader's bucket.
	v.allowAt("other", "198.51.100.8", t0.Add(30*time.Second))
	if _, ok := v.votes.buckets["r:reader"]; !ok {
		t.Fatal("a bucket in use was forgotten")
	}
	// Half a minute refills one and a half votes: one passes, not two.
	half := t0.Add(30 * time.Second)
	if first, second := v.allowAt("reader", "198.51.100.7", half), v.allowAt("reader", "198.51.100.7", half); !first || second {
		t.Fatalf("after 30 s on a budget of 3 a minute: votes allowed %v, %v; want true, false", first, second)
	}
	// A minute after their last use, the buckets are full and forgotten.
	later := t0.Add(30*time.Second + time.Minute + time.Second)
	v.allowAt("third", "198.51.100.9", later)
	if len(v.votes.buckets) != 2 {
		t.Errorf("%d buckets after the others went idle, want the newcomer's 2", len(v.votes.buckets))
	}
	for i := 0; i < 3; i++ {
		if !v.allowAt("reader", "198.51.100.7", later) {
			t.Fatalf("vote %d refused after a minute's rest", i+1)
		}
	}
}

// TestLimiterBoundUnderFlood: three tables' worth of new keys in one
// instant (none old enough to expire) never grow it past the bound.
func TestLimiterBoundUnderFlood(t *testing.T) {
	if testing.Short() {
		t.Skip("creates 600,000 keys")
	}
	v := New(20, nil)
	now := time.Now()
	for i := 0; i < 3*maxLimiterKeys/2; i++ {
		v.allowAt(fmt.Sprintf("flood-%d", i), fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255), now)
	}
	if n, l := len(v.votes.buckets), v.votes.lru.Len(); n != maxLimiterKeys || l != n {
		t.Errorf("map %d, list %d keys; want both %d", n, l, maxLimiterKeys)
	}
	if !v.allowAt("late", "203.0.113.1", now) {
		t.Error("a new reader was refused")
	}
}

// TestDraftBudget: an address may keep DraftBudget bytes of draft
// screenshots an hour; another address has its own.
func TestDraftBudget(t *testing.T) {
	v := New(20, nil)
	if !v.AllowDraft("198.51.100.1", DraftBudget-1000) || v.AllowDraft("198.51.100.1", 2000) {
		t.Error("the draft budget is not DraftBudget bytes")
	}
	if !v.AllowDraft("198.51.100.2", 2000) {
		t.Error("another address was refused")
	}
}
