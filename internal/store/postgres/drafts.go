package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"helpcenter/internal/store"
)

// AddDraftScreenshots adds shots to draft draftID, creating it if needed.
func (s *Store) AddDraftScreenshots(ctx context.Context, draftID string, shots []store.Screenshot) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO contact_drafts (id, created_at) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET created_at = excluded.created_at`,
			draftID, time.Now().UTC()); err != nil {
			return err
		}
		for _, sh := range shots {
			if _, err := tx.Exec(ctx, `INSERT INTO draft_screenshots (draft_id, name, sha256, type, size, width, height, data)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, draftID, sh.Name, sh.SHA256, sh.Type, sh.Size, sh.Width, sh.Height, sh.Data); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: save draft: %w", err)
	}
	return nil
}

// DraftScreenshots returns the screenshots of draft draftID, bytes
// included, if the draft was created after since; none otherwise.
func (s *Store) DraftScreenshots(ctx context.Context, draftID string, since time.Time) ([]store.Screenshot, error) {
	rows, err := s.pool.Query(ctx, `SELECT s.id, s.name, s.sha256, s.type, s.size, s.width, s.height, s.data
		FROM draft_screenshots s JOIN contact_drafts d ON d.id = s.draft_id
		WHERE d.id = $1 AND d.created_at >= $2 ORDER BY s.id`, draftID, since.UTC())
	if err != nil {
		return nil, fmt.Errorf("postgres: draft: %w", err)
	}
	defer rows.Close()
	var out []store.Screenshot
	for rows.Next() {
		var sh store.Screenshot
		if err := rows.Scan(&sh.ID, &sh.Name, &sh.SHA256, &sh.Type, &sh.Size, &sh.Width, &sh.Height, &sh.Data); err != nil {
			return nil, fmt.Errorf("postgres: draft: %w", err)
		}
		out = append(out, sh)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: draft: %w", err)
	}
	return out, nil
}

// RemoveDraftScreenshot removes one screenshot from a draft.
func (s *Store) RemoveDraftScreenshot(ctx context.Context, draftID string, id int64) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM draft_screenshots WHERE draft_id = $1 AND id = $2`, draftID, id); err != nil {
		return fmt.Errorf("postgres: remove draft screenshot: %w", err)
	}
	return nil
}

// DeleteDraft deletes a draft and its screenshots.
func (s *Store) DeleteDraft(ctx context.Context, draftID string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM contact_drafts WHERE id = $1`, draftID); err != nil {
		return fmt.Errorf("postgres: delete draft: %w", err)
	}
	return nil
}

// PurgeDrafts deletes drafts created before the time given.
func (s *Store) PurgeDrafts(ctx context.Context, before time.Time) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM contact_drafts WHERE created_at < $1`, before.UTC())
	if err != nil {
		return 0, fmt.Errorf("postgres: purge drafts: %w", err)
	}
	return tag.RowsAffected(), nil
}
