package postgres

import (
	"context"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"helpcenter/internal/store"
)

const (
	// maxBatch bounds how many votes share one transaction.
	maxBatch = 512
	// lingerTime bounds how long a batch waits for more votes once votes
	// are arriving together. A lone vote never waits.
	lingerTime = time.Millisecond
	// committers is how many batches may be committing at once: while one
	// waits for the server's fsync, the next one fills.
	committers = 2
)

type pendingVote struct {
	vote store.Vote
	done chan error
}

// voteWriter batches votes from every request into few transactions, as
// the SQLite store's writer does: a burst of N votes costs a handful of
// commits, and every vote is acknowledged only after its commit.
type voteWriter struct {
	pool   *pgxpool.Pool
	queue  chan pendingVote
	mu     sync.RWMutex // guards closed against sends on a closed queue
	closed bool
	wg     sync.WaitGroup
}

func newVoteWriter(pool *pgxpool.Pool) *voteWriter {
	w := &voteWriter{pool: pool, queue: make(chan pendingVote, 4*maxBatch)}
	for range committers {
		w.wg.Add(1)
		go w.loop()
	}
	return w
}

// save queues v and waits for its commit. If ctx ends first, save returns
// ctx's error, but the vote may still commit.
func (w *voteWriter) save(ctx context.Context, v store.Vote) error {
	p := pendingVote{vote: v, done: make(chan error, 1)}
	w.mu.RLock()
	if w.closed {
		w.mu.RUnlock()
		return store.ErrClosed
	}
	select {
	case w.queue <- p:
	case <-ctx.Done():
		w.mu.RUnlock()
		return ctx.Err()
	}
	w.mu.RUnlock()
	select {
	case err := <-p.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// close stops accepting votes and waits until the queued ones are
// committed or have failed.
func (w *voteWriter) close() {
	w.mu.Lock()
	if !w.closed {
		w.closed = true
		close(w.queue)
	}
	w.mu.Unlock()
	w.wg.Wait()
}

func (w *voteWriter) loop() {
	defer w.wg.Done()
	batch := make([]pendingVote, 0, maxBatch)
	for first := range w.queue {
		batch = append(batch[:0], first)
		batch = w.collect(batch, 0)
		if len(batch) > 1 {
			batch = w.collect(batch, lingerTime)
		}
		w.commit(batch)
	}
}

// collect adds queued votes to batch, up to maxBatch: those already
// queued when wait is 0, else those arriving within wait.
func (w *voteWriter) collect(batch []pendingVote, wait time.Duration) []pendingVote {
	var timeout <-chan time.Time
	if wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		timeout = t.C
	}
	for len(batch) < maxBatch {
		if wait == 0 {
			select {
			case p, ok := <-w.queue:
				if !ok {
					return batch
				}
				batch = append(batch, p)
				continue
			default:
				return batch
			}
		}
		select {
		case p, ok := <-w.queue:
			if !ok {
				return batch
			}
			batch = append(batch, p)
		case <-timeout:
			return batch
		}
	}
	return batch
}

// commit writes a batch in one transaction. A statement cannot update the
// same row twice, so only the last vote per key is written (the earlier
// ones are acknowledged with it: they would have been replaced at once).
// If the batch fails, each vote is retried on its own so that one bad vote
// cannot take the others down.
func (w *voteWriter) commit(batch []pendingVote) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := w.tx(ctx, latestPerKey(batch)); err == nil {
		for _, p := range batch {
			p.done <- nil
		}
		return
	}
	for _, p := range batch {
		p.done <- w.tx(ctx, []store.Vote{p.vote})
	}
}

func (w *voteWriter) tx(ctx context.Context, votes []store.Vote) error {
	return pgx.BeginFunc(ctx, w.pool, func(tx pgx.Tx) error {
		return insertVotes(ctx, tx, votes)
	})
}

type voteKey struct{ reader, article, locale string }

// latestPerKey returns the votes of batch, keeping for each reader,
// article and language only the last one queued.
func latestPerKey(batch []pendingVote) []store.Vote {
	last := make(map[voteKey]int, len(batch))
	for i, p := range batch {
		last[voteKey{p.vote.Reader, p.vote.Article, p.vote.Locale}] = i
	}
	out := make([]store.Vote, 0, len(last))
	for i, p := range batch {
		if last[voteKey{p.vote.Reader, p.vote.Article, p.vote.Locale}] == i {
			out = append(out, p.vote)
		}
	}
	return out
}
