package pagecache

import (
	"context"
	"errors"
	"sync/atomic"

	"github.com/maypok86/otter/v2"
)

// Cache holds pages by key, bounded by their bytes. Reset empties it at
// once, as a content reload needs.
type Cache struct {
	max     uint64
	current atomic.Pointer[otter.Cache[string, *Page]]

	hits, misses atomic.Uint64
}

// New returns a cache of at most maxBytes; 0 disables it (Load always
// renders).
func New(maxBytes uint64) *Cache {
	c := &Cache{max: maxBytes}
	c.Reset()
	return c
}

// Reset replaces the whole cache by an empty one. Loads that started
// before store their page in the old cache, which nobody reads any more.
func (c *Cache) Reset() {
	if c.max == 0 {
		return
	}
	c.current.Store(otter.Must(&otter.Options[string, *Page]{
		MaximumWeight: c.max,
		Weigher: func(key string, p *Page) uint32 {
			return uint32(min(len(key)+p.Size(), 1<<31))
		},
	}))
}

// errSkip carries a page that must not be cached back through otter's
// loader, which caches whatever it returns without an error.
type errSkip struct{ page *Page }

func (errSkip) Error() string { return "pagecache: not cacheable" }

// Skip wraps a page that render produced but that must not be kept (it
// depends on the reader): Load returns it to its caller, uncached.
func Skip(p *Page) error { return errSkip{p} }

// Load returns the page for key, rendering it on a miss. Concurrent misses
// of one key render once; the others wait for that page. hit says whether
// the page came from the cache. A page that render passes through Skip is
// returned to the caller that rendered it; callers that waited for it get
// ErrRetry and render for themselves.
func (c *Cache) Load(ctx context.Context, key string, render func() (*Page, error)) (p *Page, hit bool, err error) {
	oc := c.current.Load()
	if oc == nil {
		p, err = render()
		var skip errSkip
		if errors.As(err, &skip) {
			return skip.page, false, nil
		}
		return p, false, err
	}
	if p, ok := oc.GetIfPresent(key); ok {
		c.hits.Add(1)
		return p, true, nil
	}
	c.misses.Add(1)
	mine := false
	p, err = oc.Get(ctx, key, otter.LoaderFunc[string, *Page](func(context.Context, string) (*Page, error) {
		mine = true
		return render()
	}))
	var skip errSkip
	if errors.As(err, &skip) {
		if mine {
			return skip.page, false, nil
		}
		return nil, false, ErrRetry
	}
	return p, false, err
}

// Peek returns the page for key if the cache holds it, and counts a hit;
// it never renders.
func (c *Cache) Peek(key string) (*Page, bool) {
	oc := c.current.Load()
	if oc == nil {
		return nil, false
	}
	p, ok := oc.GetIfPresent(key)
	if ok {
		c.hits.Add(1)
	}
	return p, ok
}

// ErrRetry tells a caller that waited for another request's render that
// the page could not be shared: render it yourself.
var ErrRetry = errors.New("pagecache: render the page yourself")

// Stats is what the metrics show of the cache.
type Stats struct {
	Hits, Misses   uint64
	Bytes, Entries uint64
	MaxBytes       uint64
}

// Stats returns the counters since start and the current size.
func (c *Cache) Stats() Stats {
	s := Stats{Hits: c.hits.Load(), Misses: c.misses.Load(), MaxBytes: c.max}
	if oc := c.current.Load(); oc != nil {
		s.Bytes = oc.WeightedSize()
		s.Entries = uint64(oc.EstimatedSize())
	}
	return s
}
