package postgres

import (
	"context"
	"fmt"
	"time"

	"helpcenter/internal/store"
)

// RecordMissedSearch counts a search that found nothing, keeping at most
// store.MaxMissedPerDay distinct queries per day and locale (queries
// already kept go on counting). Concurrent instances may let a day exceed
// the bound by a few rows, never by more than their number.
func (s *Store) RecordMissedSearch(ctx context.Context, locale, query string) error {
	day := time.Now().UTC().Format(time.DateOnly)
	tag, err := s.pool.Exec(ctx, `UPDATE missed_searches SET count = count + 1
		WHERE day = $1 AND locale = $2 AND query = $3`, day, locale, query)
	if err == nil && tag.RowsAffected() == 0 {
		_, err = s.pool.Exec(ctx, `INSERT INTO missed_searches (day, locale, query, count)
			SELECT $1, $2, $3, 1
			WHERE (SELECT COUNT(*) FROM missed_searches WHERE day = $1 AND locale = $2) < $4
			ON CONFLICT (day, locale, query) DO UPDATE SET count = missed_searches.count + 1`,
			day, locale, query, store.MaxMissedPerDay)
	}
	if err != nil {
		return fmt.Errorf("postgres: record missed search: %w", err)
	}
	return nil
}

// MissedSearches returns the counts since a day, most frequent first.
func (s *Store) MissedSearches(ctx context.Context, since time.Time) ([]store.MissedSearch, error) {
	rows, err := s.pool.Query(ctx, `SELECT to_char(day, 'YYYY-MM-DD'), locale, query, count FROM missed_searches
		WHERE day >= $1 ORDER BY count DESC, day DESC, locale, query`, since.UTC().Format(time.DateOnly))
	if err != nil {
		return nil, fmt.Errorf("postgres: missed searches: %w", err)
	}
	defer rows.Close()
	var out []store.MissedSearch
	for rows.Next() {
		var m store.MissedSearch
		if err := rows.Scan(&m.Day, &m.Locale, &m.Query, &m.Count); err != nil {
			return nil, fmt.Errorf("postgres: missed searches: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// PurgeMissedSearches deletes the counts of days before a day.
func (s *Store) PurgeMissedSearches(ctx context.Context, before time.Time) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM missed_searches WHERE day < $1`, before.UTC().Format(time.DateOnly)); err != nil {
		return fmt.Errorf("postgres: purge missed searches: %w", err)
	}
	return nil
}
