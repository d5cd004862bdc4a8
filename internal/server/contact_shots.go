package server

import (
	"bytes"
	"context"
	"time"

	"github.com/labstack/echo/v4"

	"helpcenter/internal/contact"
	"helpcenter/internal/i18n"
	"helpcenter/internal/store"
)

// maxUploads is how many contact posts may be read at once. A post holds
// up to contact.MaxBody bytes in memory until its images are checked, so
// this bounds that memory (8 × 16 MB) whatever the number of senders;
// the others wait for a slot, within their request's deadline.
const maxUploads = 8

// parseUpload reads a contact post within the upload slots.
func (s *Server) parseUpload(c echo.Context) (*contact.Upload, func(), error) {
	select {
	case s.uploads <- struct{}{}:
	case <-c.Request().Context().Done():
		return nil, nil, c.Request().Context().Err()
	}
	s.memoryChanged()
	release := func() {
		<-s.uploads
		s.memoryChanged()
	}
	up, err := contact.ParseUpload(c.Response(), c.Request())
	if err != nil {
		release()
		return nil, nil, err
	}
	return up, release, nil
}

// shotIntake is the screenshots of a post: those already kept in its
// draft and those just uploaded and accepted, with the first refusal as a
// localized message for the field.
type shotIntake struct {
	draftID string
	kept    []store.Screenshot // in the draft, bytes included
	fresh   []store.Screenshot // accepted now, not stored yet
	err     string
}

// intakeShots reads the post's draft and checks its new files: each is
// sniffed, bounded and re-encoded by contact.Process, and the draft and
// the new files together hold at most contact.MaxScreenshots.
func (s *Server) intakeShots(ctx context.Context, loc *i18n.Localizer, up *contact.Upload) (shotIntake, error) {
	var in shotIntake
	refuse := func(msg string) {
		if in.err == "" {
			in.err = msg
		}
	}
	if id := up.Values["draft"]; contact.ValidDraftID(id) {
		kept, err := s.contact.DraftScreenshots(ctx, id, time.Now().Add(-draftLifetime))
		if err != nil {
			return in, err
		}
		if len(kept) > 0 {
			in.draftID, in.kept = id, kept
		} else {
			// A form names a draft only while it holds screenshots: these
			// expired (an hour after the last change). Say so rather
			// than send the request without them.
			refuse(loc.T("contact.error.screenshots_again"))
		}
	}
	for _, f := range up.Files {
		if f.Err != nil {
			refuse(loc.T(f.Err.ID, "Name", f.Name))
			continue
		}
		if len(in.kept)+len(in.fresh) >= contact.MaxScreenshots {
			refuse(loc.T(contact.ErrTooMany, "Max", loc.Number(contact.MaxScreenshots)))
			break
		}
		sh, err := contact.Process(f.Data)
		if ie, ok := err.(*contact.ImageError); ok {
			refuse(loc.T(ie.ID, "Name", f.Name))
			continue
		}
		if err != nil {
			return in, err
		}
		if in.has(sh.SHA256) {
			continue // chosen again after it was kept: one copy is enough
		}
		sh.Name = f.Name
		in.fresh = append(in.fresh, sh)
	}
	if up.TooMany {
		refuse(loc.T(contact.ErrTooMany, "Max", loc.Number(contact.MaxScreenshots)))
	}
	return in, nil
}

func (in *shotIntake) has(sum []byte) bool {
	for _, sh := range in.all() {
		if bytes.Equal(sh.SHA256, sum) {
			return true
		}
	}
	return false
}

// keepShots stores the post's new screenshots in its draft, charged to
// the client address's draft budget (errRateLimited when it is spent).
func (s *Server) keepShots(c echo.Context, in *shotIntake) error {
	n := 0
	for _, sh := range in.fresh {
		n += sh.Size
	}
	if !s.votes.AllowDraft(c.RealIP(), n) {
		return errRateLimited
	}
	return in.keep(c.Request().Context(), s.contact)
}

// keep stores the newly accepted screenshots in the draft (creating it),
// so a form shown again need not have them chosen again.
func (in *shotIntake) keep(ctx context.Context, d store.Drafts) error {
	if len(in.fresh) == 0 {
		return nil
	}
	if in.draftID == "" {
		in.draftID = contact.NewDraftID()
	}
	if err := d.AddDraftScreenshots(ctx, in.draftID, in.fresh); err != nil {
		return err
	}
	kept, err := d.DraftScreenshots(ctx, in.draftID, time.Now().Add(-draftLifetime))
	if err != nil {
		return err
	}
	in.kept, in.fresh = kept, nil
	return nil
}

// all is every screenshot of the post, the draft's first.
func (in *shotIntake) all() []store.Screenshot {
	return append(append([]store.Screenshot(nil), in.kept...), in.fresh...)
}

func deleteShot(shots []store.Screenshot, id int64) []store.Screenshot {
	out := shots[:0:0]
	for _, sh := range shots {
		if sh.ID != id {
			out = append(out, sh)
		}
	}
	return out
}
