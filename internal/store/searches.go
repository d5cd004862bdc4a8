package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// MissedSearch is how often one normalized query found nothing on a day.
type MissedSearch struct {
	Day    string // YYYY-MM-DD, UTC
	Locale string
	Query  string
	Count  int
}

// MaxMissedPerDay bounds the distinct queries kept per day and locale.
const MaxMissedPerDay = 2000

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
			day, locale, query, day, locale, MaxMissedPerDay)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: record missed search: %w", err)
	}
	return nil
}

// MissedSearches returns the counts since a day, most frequent first.
func (s *Store) MissedSearches(ctx context.Context, since time.Time) ([]MissedSearch, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT day, locale, query, count FROM missed_searches
		WHERE day >= ? ORDER BY count DESC, day DESC, locale, query`, since.UTC().Format(time.DateOnly))
	if err != nil {
		return nil, fmt.Errorf("store: missed searches: %w", err)
	}
	defer rows.Close()
	var out []MissedSearch
	for rows.Next() {
		var m MissedSearch
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
