// Package ratelimit holds the site's per-reader and per-address budgets:
// votes a minute, comment bytes and contact requests an hour. Addresses
// are kept only in memory and only as a keyed hash.
package ratelimit

import (
	"container/list"
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

// maxLimiterKeys bounds the limiter's memory (about 250 bytes a key).
// When the table is full the least recently seen key is forgotten, so a
// flood of new keys never locks new readers out.
const maxLimiterKeys = 200_000

// CommentBudget is how many bytes of comments one client address may
// have stored per hour (burst and hourly refill): about 30 long comments,
// far beyond what readers behind one address write, while one address
// posting 500-emoji comments at the vote rate would add 168 MB an hour.
const CommentBudget = 64 << 10

// Limiter rate-limits feedback posts and contact requests per reader
// cookie and per client address, and the comment bytes stored per
// address. Addresses are kept
// only in memory and only as a keyed hash (HMAC with a key made at
// start), so not even a memory dump maps back to an address without the
// key.
type Limiter struct {
	perMinute int // per reader; 0 turns limiting off
	key       []byte
	extract   echo.IPExtractor
	mu        sync.Mutex
	votes     bucketTable // a minute's budget of votes per reader and per address
	comments  bucketTable // an hour's budget of comment bytes per address
	contacts  bucketTable // an hour's budget of contact requests per reader and per address
	drafts    bucketTable // an hour's budget of draft screenshot bytes per address
}

// DraftBudget is how many bytes of screenshots one client address may
// have kept in drafts per hour (burst and hourly refill): enough for a
// dozen forms with three large screenshots each, while a script posting
// broken forms with attachments cannot fill the disk.
const DraftBudget = 96 << 20

// Contact requests a reader, and a client address, may send in an hour.
// An address gets more: readers behind one carrier NAT share it.
const (
	contactsPerReader  = 5
	contactsPerAddress = 20
)

// bucketTable holds token buckets that all refill in the same time, in
// the order they were last used. A bucket unused for its refill time is
// full again, exactly like a new one, so those are dropped as they age
// out; if the table still fills up, the least recently used bucket goes.
// That can only hand a fresh budget to a key idle for less than the
// refill time while more than max others were used: memory stays bounded
// and nobody is refused for lack of room.
type bucketTable struct {
	max     int
	refill  time.Duration
	buckets map[string]*list.Element // of *bucket
	lru     list.List                // front: most recently used
}

type bucket struct {
	key  string
	lim  *rate.Limiter
	seen time.Time
}

func newBucketTable(max int, refill time.Duration) bucketTable {
	return bucketTable{max: max, refill: refill, buckets: map[string]*list.Element{}}
}

// New returns a limiter allowing perMinute votes per reader (0 turns
// every budget off, for load tests) that believes X-Forwarded-For only
// from the trusted proxies.
func New(perMinute int, trusted []netip.Prefix) *Limiter {
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	v := &Limiter{perMinute: perMinute, key: key,
		votes:    newBucketTable(maxLimiterKeys, time.Minute),
		comments: newBucketTable(maxLimiterKeys/4, time.Hour),
		contacts: newBucketTable(maxLimiterKeys/4, time.Hour),
		drafts:   newBucketTable(maxLimiterKeys/4, time.Hour),
	}
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

// ClientIP is echo's IPExtractor: X-Forwarded-For only from trusted proxies.
func (v *Limiter) ClientIP(r *http.Request) string { return v.extract(r) }

// Allow reports whether a reader (their cookie hash) at an address may
// post now. Both budgets must have room. The address is checked first, so
// a client that drops its cookie on every post (a new reader each time)
// is held to the address budget without creating a bucket per post.
func (v *Limiter) Allow(reader, addr string) bool {
	return v.allowAt(reader, addr, time.Now())
}

func (v *Limiter) allowAt(reader, addr string, now time.Time) bool {
	if v.perMinute == 0 {
		return true
	}
	addrKey := v.addressHash(addr)
	v.mu.Lock()
	defer v.mu.Unlock()
	v.votes.expire(now)
	perAddr := v.votes.get(addrKey, v.perMinute*addressFactor, now)
	if perAddr.TokensAt(now) < 1 {
		return false
	}
	perReader := v.votes.get("r:"+reader, v.perMinute, now)
	if perReader.TokensAt(now) < 1 {
		return false
	}
	perReader.AllowN(now, 1)
	perAddr.AllowN(now, 1)
	return true
}

// AllowComment reports whether an address may store n more bytes of
// comments now, and takes them from its budget if so.
func (v *Limiter) AllowComment(addr string, n int) bool {
	return v.allowCommentAt(addr, n, time.Now())
}

func (v *Limiter) allowCommentAt(addr string, n int, now time.Time) bool {
	if v.perMinute == 0 || n == 0 {
		return true
	}
	addrKey := v.addressHash(addr)
	v.mu.Lock()
	defer v.mu.Unlock()
	v.comments.expire(now)
	return v.comments.get(addrKey, CommentBudget, now).AllowN(now, n)
}

// AllowDraft reports whether an address may keep n more bytes of draft
// screenshots now, and takes them from its budget if so.
func (v *Limiter) AllowDraft(addr string, n int) bool {
	if v.perMinute == 0 || n == 0 {
		return true
	}
	now := time.Now()
	addrKey := v.addressHash(addr)
	v.mu.Lock()
	defer v.mu.Unlock()
	v.drafts.expire(now)
	return v.drafts.get(addrKey, DraftBudget, now).AllowN(now, n)
}

// AllowContact reports whether a reader at an address may send a
// contact request now, and takes it from both budgets if so.
func (v *Limiter) AllowContact(reader, addr string) bool {
	return v.allowContactAt(reader, addr, time.Now())
}

func (v *Limiter) allowContactAt(reader, addr string, now time.Time) bool {
	if v.perMinute == 0 {
		return true
	}
	addrKey := v.addressHash(addr)
	v.mu.Lock()
	defer v.mu.Unlock()
	v.contacts.expire(now)
	perAddr := v.contacts.get(addrKey, contactsPerAddress, now)
	perReader := v.contacts.get("r:"+reader, contactsPerReader, now)
	if perAddr.TokensAt(now) < 1 || perReader.TokensAt(now) < 1 {
		return false
	}
	perAddr.AllowN(now, 1)
	perReader.AllowN(now, 1)
	return true
}

func (v *Limiter) addressHash(addr string) string {
	mac := hmac.New(sha256.New, v.key)
	mac.Write([]byte(addressKey(addr)))
	return "a:" + hex.EncodeToString(mac.Sum(nil)[:16])
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

// get returns the bucket for key, creating it full: burst tokens,
// refilled over the table's refill time (a minute's votes, so a reader
// voting on several articles in a row is never slowed down). A full table
// makes room by forgetting the least recently used bucket.
func (t *bucketTable) get(key string, burst int, now time.Time) *rate.Limiter {
	if e, ok := t.buckets[key]; ok {
		b := e.Value.(*bucket)
		b.seen = now
		t.lru.MoveToFront(e)
		return b.lim
	}
	for len(t.buckets) >= t.max {
		t.remove(t.lru.Back())
	}
	b := &bucket{key: key, lim: rate.NewLimiter(rate.Limit(float64(burst)/t.refill.Seconds()), burst), seen: now}
	t.buckets[key] = t.lru.PushFront(b)
	return b.lim
}

// expire forgets the buckets unused for the refill time: they are full
// again, so forgetting them changes nothing for their owners. They sit at
// the back of the list, so this costs one comparison when there are none.
func (t *bucketTable) expire(now time.Time) {
	for e := t.lru.Back(); e != nil && now.Sub(e.Value.(*bucket).seen) >= t.refill; e = t.lru.Back() {
		t.remove(e)
	}
}

func (t *bucketTable) remove(e *list.Element) {
	delete(t.buckets, e.Value.(*bucket).key)
	t.lru.Remove(e)
}

func prefixToIPNet(p netip.Prefix) *net.IPNet {
	return &net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}
}
