package postgres

import (
	"context"
	"fmt"
	"hash/fnv"
)

// Exclusive runs fn unless another instance is running the same job: the
// retention purges and other periodic work then happen once across all
// instances, not once per instance. It holds a session-level advisory lock
// named after job while fn runs and reports whether fn ran.
func (s *Store) Exclusive(ctx context.Context, job string, fn func(context.Context) error) (bool, error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return false, fmt.Errorf("postgres: %s: %w", job, err)
	}
	defer conn.Release()
	key := advisoryKey("helpcenter job " + job)
	var got bool
	if err := conn.QueryRow(ctx, "SELECT pg_try_advisory_lock($1)", key).Scan(&got); err != nil {
		return false, fmt.Errorf("postgres: %s: %w", job, err)
	}
	if !got {
		return false, nil
	}
	defer conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", key)
	return true, fn(ctx)
}

// advisoryKey names an advisory lock: a 64-bit hash of name. A collision
// only makes two unrelated holders wait for each other.
func advisoryKey(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return int64(h.Sum64())
}
