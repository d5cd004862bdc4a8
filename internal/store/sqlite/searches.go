package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"helpcenter/internal/store"
)

// RecordMissedSearch counts a search that found nothing. Only the
// normalized words, the day and the locale are kept: nothing about who
// searched.
func (s *Store) RecordMissedSearch(ctx context.Context, locale, query string) error {
	day := time.Now().UTC().Format(time.DateOnly)
	// A new query is kept only while the day and locale have fewer than
	// MaxMissedPerDay distinct ones, so random queries cannot fill the disk;
	// queries already kept go on counting.
	err := s.grow(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(`UPDATE missed_searches SET count = count + 1
			WHERE day = ? AND locale = ? AND query = ?`, day, locale, query)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n > 0 {
			return err
		}
		_, err = tx.Exec(`INSERT INTO missed_searches (day, locale, query, count)
			SELECT ?, ?, ?, 1
			WHERE (SELECT COUNT(*) FROM missed_searches WHERE day = ? AND locale = ?) < ?`,
			day, locale, query, day, locale, store.MaxMissedPerDay)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: record missed search: %w", err)
	}
	return nil
}

// MissedSearches returns the counts since a day, most frequent first.
func (s *Store) MissedSearches(ctx context.Context, since time.Time) ([]store.MissedSearch, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT day, locale, query, count FROM missed_searches
		WHERE day >= ? ORDER BY count DESC, day DESC, locale, query`, since.UTC().Format(time.DateOnly))
	if err != nil {
		return nil, fmt.Errorf("store: missed searches: %w", err)
	}
	defer rows.Close()
	var out []store.MissedSearch
	for rows.Next() {
		var m store.MissedSearch
		if err := rows.Scan(&m.Day, &m.Locale, &m.Query, &m.Count); err != nil {
			return nil, fmt.Errorf("store: missed searches: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// PurgeMissedSearches deletes the counts of days before a day.
func (s *Store) PurgeMissedSearches(ctx context.Context, before time.Time) error {
	err := s.commit(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`DELETE FROM missed_searches WHERE day < ?`, before.UTC().Format(time.DateOnly))
		return err
	})
	if err != nil {
		return fmt.Errorf("store: purge missed searches: %w", err)
	}
	return nil
}

// TopMissedSearches sums the counts since a day per language and query,
// optionally for one language, most frequent first, at most limit rows.
// Day is the latest day the search was seen.
func (s *Store) TopMissedSearches(ctx context.Context, since time.Time, locale string, limit int) ([]store.MissedSearch, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT MAX(day), locale, query, SUM(count) AS n FROM missed_searches
		WHERE day >= ? AND (? = '' OR locale = ?) GROUP BY locale, query ORDER BY n DESC, locale, query LIMIT ?`,
		since.UTC().Format(time.DateOnly), locale, locale, limit)
	if err != nil {
		return nil, fmt.Errorf("store: top missed searches: %w", err)
	}
	defer rows.Close()
	var out []store.MissedSearch
	for rows.Next() {
		var m store.MissedSearch
		if err := rows.Scan(&m.Day, &m.Locale, &m.Query, &m.Count); err != nil {
			return nil, fmt.Errorf("store: top missed searches: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
