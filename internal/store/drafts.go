package store

import (
	"context"
	"time"
)

// Drafts keeps the screenshots of a form that has not been sent yet.
type Drafts interface {
	AddDraftScreenshots(ctx context.Context, draftID string, shots []Screenshot) error
	DraftScreenshots(ctx context.Context, draftID string, since time.Time) ([]Screenshot, error)
	RemoveDraftScreenshot(ctx context.Context, draftID string, id int64) error
	DeleteDraft(ctx context.Context, draftID string) error
	PurgeDrafts(ctx context.Context, before time.Time) (int64, error)
}
