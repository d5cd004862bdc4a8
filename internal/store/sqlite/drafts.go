package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"helpcenter/internal/store"
)

// AddDraftScreenshots adds shots to draft draftID, creating it if needed;
// the draft's hour starts again, so it lasts an hour after its last change.
func (s *Store) AddDraftScreenshots(ctx context.Context, draftID string, shots []store.Screenshot) error {
	err := s.grow(ctx, func(tx *sql.Tx) error {
		if _, err := tx.Exec(`INSERT INTO contact_drafts (id, created_at) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET created_at = excluded.created_at`, draftID, now()); err != nil {
			return err
		}
		for _, sh := range shots {
			if _, err := tx.Exec(`INSERT INTO draft_screenshots (draft_id, name, sha256, type, size, width, height, data)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, draftID, sh.Name, sh.SHA256, sh.Type, sh.Size, sh.Width, sh.Height, sh.Data); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: save draft: %w", err)
	}
	return nil
}

// DraftScreenshots returns the screenshots of draft draftID, bytes
// included, if the draft was created after since; none otherwise.
func (s *Store) DraftScreenshots(ctx context.Context, draftID string, since time.Time) ([]store.Screenshot, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT s.id, s.name, s.sha256, s.type, s.size, s.width, s.height, s.data
		FROM draft_screenshots s JOIN contact_drafts d ON d.id = s.draft_id
		WHERE d.id = ? AND d.created_at >= ? ORDER BY s.id`, draftID, since.UTC().Format(time.RFC3339Nano))
	if err != nil {
		return nil, fmt.Errorf("store: draft: %w", err)
	}
	defer rows.Close()
	var out []store.Screenshot
	for rows.Next() {
		var sh store.Screenshot
		if err := rows.Scan(&sh.ID, &sh.Name, &sh.SHA256, &sh.Type, &sh.Size, &sh.Width, &sh.Height, &sh.Data); err != nil {
			return nil, fmt.Errorf("store: draft: %w", err)
		}
		out = append(out, sh)
	}
	return out, rows.Err()
}

// RemoveDraftScreenshot removes one screenshot from a draft.
func (s *Store) RemoveDraftScreenshot(ctx context.Context, draftID string, id int64) error {
	return s.writer.do(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`DELETE FROM draft_screenshots WHERE draft_id = ? AND id = ?`, draftID, id)
		return err
	})
}

// DeleteDraft deletes a draft and its screenshots.
func (s *Store) DeleteDraft(ctx context.Context, draftID string) error {
	return s.writer.do(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`DELETE FROM contact_drafts WHERE id = ?`, draftID)
		return err
	})
}

// PurgeDrafts deletes drafts created before the time given.
func (s *Store) PurgeDrafts(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.writer.do(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(`DELETE FROM contact_drafts WHERE created_at < ?`, before.UTC().Format(time.RFC3339Nano))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: purge drafts: %w", err)
	}
	return n, nil
}
