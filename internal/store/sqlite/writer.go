package sqlite

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
	"time"

	"helpcenter/internal/store"
)

// maxBatch bounds how many queued writes share one transaction.
const maxBatch = 512

// op is one write, run inside the writer's transaction.
type op struct {
	fn      func(*sql.Tx) error
	done    chan error
	durable bool // commit with synchronous=FULL (see doDurable)
}

// writer is the single goroutine that owns the write connection. Callers
// queue a write and wait; the writer commits whatever is queued in one
// transaction, so a burst of N votes costs one commit, not N, and there is
// never a "database is locked" between writers of this process.
type writer struct {
	db     *sql.DB
	queue  chan op
	mu     sync.RWMutex // guards closed against sends on a closed queue
	closed bool
	exited chan struct{}

	onBatch atomic.Pointer[func(size int)] // see Store.ObserveBatches
}

func newWriter(db *sql.DB) *writer {
	w := &writer{db: db, queue: make(chan op, 4*maxBatch), exited: make(chan struct{})}
	go w.loop()
	return w
}

// do queues fn and returns once it is committed (nil) or failed. If ctx
// ends first, do returns ctx's error, but the write may still commit.
func (w *writer) do(ctx context.Context, fn func(*sql.Tx) error) error {
	return w.queueOp(ctx, op{fn: fn, done: make(chan error, 1)})
}

// doDurable is do for writes that must survive a power cut, not only a
// crash: their transaction commits with synchronous=FULL, so the WAL is
// synced to disk before it returns. Votes keep NORMAL.
func (w *writer) doDurable(ctx context.Context, fn func(*sql.Tx) error) error {
	return w.queueOp(ctx, op{fn: fn, done: make(chan error, 1), durable: true})
}

func (w *writer) queueOp(ctx context.Context, o op) error {
	w.mu.RLock()
	if w.closed {
		w.mu.RUnlock()
		return store.ErrClosed
	}
	select {
	case w.queue <- o:
	case <-ctx.Done():
		w.mu.RUnlock()
		return ctx.Err()
	}
	w.mu.RUnlock()
	select {
	case err := <-o.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// close stops accepting writes, commits everything already queued and
// waits for the writer to finish.
func (w *writer) close() {
	w.mu.Lock()
	if !w.closed {
		w.closed = true
		close(w.queue)
	}
	w.mu.Unlock()
	<-w.exited
}

func (w *writer) loop() {
	defer close(w.exited)
	batch := make([]op, 0, maxBatch)
	for first := range w.queue {
		batch = append(batch[:0], first)
		batch = w.drain(batch)
		if len(batch) > 1 {
			// Group commit: writes are arriving together, so wait a
			// moment for the ones about to be queued. A commit costs
			// far more than the wait, and a lone write never waits.
			batch = w.linger(batch)
		}
		w.commit(batch)
		if f := w.onBatch.Load(); f != nil {
			(*f)(len(batch))
		}
	}
}

// drain adds whatever is queued, without waiting, up to maxBatch.
func (w *writer) drain(batch []op) []op {
	for len(batch) < maxBatch {
		select {
		case o, ok := <-w.queue:
			if !ok {
				return batch
			}
			batch = append(batch, o)
		default:
			return batch
		}
	}
	return batch
}

// lingerTime bounds how long a batch waits for more writes.
const lingerTime = time.Millisecond

// linger adds writes that arrive within lingerTime, up to maxBatch.
func (w *writer) linger(batch []op) []op {
	timer := time.NewTimer(lingerTime)
	defer timer.Stop()
	for len(batch) < maxBatch {
		select {
		case o, ok := <-w.queue:
			if !ok {
				return batch
			}
			batch = append(batch, o)
		case <-timer.C:
			return batch
		}
	}
	return batch
}

// commit runs a batch in one transaction. If the batch fails, each op is
// retried in a transaction of its own, so one bad write cannot take the
// others down with it.
func (w *writer) commit(batch []op) {
	if err := w.tx(batch); err == nil {
		for _, o := range batch {
			o.done <- nil
		}
		return
	}
	for _, o := range batch {
		o.done <- w.tx([]op{o})
	}
}

func (w *writer) tx(batch []op) error {
	for _, o := range batch {
		if o.durable {
			// The writer owns the one write connection, so the pragma
			// applies to exactly this transaction's commit.
			if _, err := w.db.Exec("PRAGMA synchronous=FULL"); err != nil {
				return err
			}
			defer w.db.Exec("PRAGMA synchronous=NORMAL")
			break
		}
	}
	tx, err := w.db.Begin()
	if err != nil {
		return err
	}
	for _, o := range batch {
		if err := o.fn(tx); err != nil {
			tx.Rollback()
			return err
		}
	}
	return tx.Commit()
}

// ObserveBatches has fn called with the size of every batch the writer
// commits, for the metrics. fn runs on the writer's goroutine: it must
// be quick.
func (s *Store) ObserveBatches(fn func(size int)) { s.writer.onBatch.Store(&fn) }

// QueueDepth is how many writes wait for the writer.
func (s *Store) QueueDepth() int { return len(s.writer.queue) }
