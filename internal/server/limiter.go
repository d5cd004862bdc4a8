package server

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"
)

// addressFactor is how many readers' worth of votes one client address
// may send: a carrier's NAT puts thousands of phones behind one address.
const addressFactor = 30

// maxLimiterKeys bounds the limiter's memory under a flood of new keys
// (about 200 bytes each); past it, new keys are refused until a sweep.
const maxLimiterKeys = 200_000

// voteLimiter rate-limits feedback posts per reader cookie and per client
// address. Addresses are kept only in memory and only as a keyed hash
// (HMAC with a key made at start), so not even a memory dump maps back to
// an address without the key.
type voteLimiter struct {
	perMinute int // per reader; 0 turns limiting off
	key       []byte
	extract   echo.IPExtractor
	mu        sync.Mutex
	buckets   map[string]*bucket
	swept     time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newVoteLimiter(perMinute int, trusted []netip.Prefix) *voteLimiter {
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	v := &voteLimiter{perMinute: perMinute, key: key, buckets: map[string]*bucket{}, swept: time.Now()}
	v.extract = echo.ExtractIPDirect()
	if len(trusted) > 0 {
		opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
		for _, p := range trusted {
			opts = append(opts, echo.TrustIPRange(prefixToIPNet(p)))
		}
		v.extract = echo.ExtractIPFromXFFHeader(opts...)
	}
	return v
}

// clientIP is echo's IPExtractor: X-Forwarded-For only from trusted proxies.
func (v *voteLimiter) clientIP(r *http.Request) string { return v.extract(r) }

// allow reports whether a reader (their cookie hash) at an address may
// post now. Both budgets must have room. The address is checked first, so
// a client that drops its cookie on every post (a new reader each time)
// is held to the address budget without creating a bucket per post.
func (v *voteLimiter) allow(reader, addr string) bool {
	if v.perMinute == 0 {
		return true
	}
	mac := hmac.New(sha256.New, v.key)
	mac.Write([]byte(addressKey(addr)))
	addrKey := "a:" + hex.EncodeToString(mac.Sum(nil)[:16])
	now := time.Now()
	v.mu.Lock()
	defer v.mu.Unlock()
	v.sweep(now)
	perAddr, ok := v.get(addrKey, v.perMinute*addressFactor, now)
	if !ok || perAddr.Tokens() < 1 {
		return false
	}
	perReader, ok := v.get("r:"+reader, v.perMinute, now)
	if !ok || perReader.Tokens() < 1 {
		return false
	}
	perReader.Allow()
	perAddr.Allow()
	return true
}

// addressKey groups IPv6 clients by their /64: one subscriber usually has a
// whole /64 and could otherwise take a fresh address for every post.
func addressKey(addr string) string {
	a, err := netip.ParseAddr(addr)
	if err != nil || a.Is4() || a.Is4In6() {
		return addr
	}
	p, _ := a.Prefix(64)
	return p.String()
}

// get returns the bucket for key, creating it with a full minute's budget
// as burst, so a reader voting on several articles in a row is never
// slowed down. It reports false when the table is full: then only keys
// already known may post until the next sweep.
func (v *voteLimiter) get(key string, perMinute int, now time.Time) (*rate.Limiter, bool) {
	b, ok := v.buckets[key]
	if !ok {
		if len(v.buckets) >= maxLimiterKeys {
			return nil, false
		}
		b = &bucket{lim: rate.NewLimiter(rate.Limit(float64(perMinute)/60), perMinute)}
		v.buckets[key] = b
	}
	b.seen = now
	return b.lim, true
}

// sweep forgets, once a minute, the buckets idle long enough to be full
// again; forgetting them changes nothing for their owners.
func (v *voteLimiter) sweep(now time.Time) {
	if now.Sub(v.swept) < time.Minute {
		return
	}
	v.swept = now
	for k, b := range v.buckets {
		if now.Sub(b.seen) > 2*time.Minute {
			delete(v.buckets, k)
		}
	}
}

func prefixToIPNet(p netip.Prefix) *net.IPNet {
	return &net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}
}
