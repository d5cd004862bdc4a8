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

// maxLimiterKeys bounds the limiter's memory under a flood of new keys;
// past it, the oldest idle entries are dropped first.
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
// post now. Both budgets must have room.
func (v *voteLimiter) allow(reader, addr string) bool {
	if v.perMinute == 0 {
		return true
	}
	mac := hmac.New(sha256.New, v.key)
	mac.Write([]byte(addr))
	addrKey := "a:" + hex.EncodeToString(mac.Sum(nil)[:16])
	now := time.Now()
	v.mu.Lock()
	defer v.mu.Unlock()
	v.sweep(now)
	perReader := v.get("r:"+reader, v.perMinute, now)
	perAddr := v.get(addrKey, v.perMinute*addressFactor, now)
	if perReader.Tokens() < 1 || perAddr.Tokens() < 1 {
		return false
	}
	perReader.Allow()
	perAddr.Allow()
	return true
}

func (v *voteLimiter) get(key string, perMinute int, now time.Time) *rate.Limiter {
	b, ok := v.buckets[key]
	if !ok {
		// A burst of a full minute's budget: a reader voting on several
		// articles in a row is never slowed down.
		b = &bucket{lim: rate.NewLimiter(rate.Limit(float64(perMinute)/60), perMinute)}
		v.buckets[key] = b
	}
	b.seen = now
	return b.lim
}

// sweep forgets buckets idle long enough to be full again, and caps the
// map's size.
func (v *voteLimiter) sweep(now time.Time) {
	if now.Sub(v.swept) < time.Minute && len(v.buckets) < maxLimiterKeys {
		return
	}
	v.swept = now
	for k, b := range v.buckets {
		if now.Sub(b.seen) > 2*time.Minute || len(v.buckets) >= maxLimiterKeys {
			delete(v.buckets, k)
		}
	}
}

func prefixToIPNet(p netip.Prefix) *net.IPNet {
	return &net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}
}
