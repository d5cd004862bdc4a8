package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"helpcenter/internal/contact"
	"helpcenter/internal/store"
	"helpcenter/web/page"
)

// Contact request rules the server applies around internal/contact's.
const (
	draftLifetime = time.Hour        // accepted screenshots of an unsent form
	dedupWindow   = 10 * time.Minute // an identical request within it is the same one
)

// sendContact takes the contact form. A form with errors comes back with
// them, its values and its accepted screenshots (kept in a draft). A
// valid form is first shown once more with the articles that may answer
// it; sent again (step=confirm, which the script also sets), it becomes a
// request, acknowledged with the confirmation only once it is durable.
func (s *Server) sendContact(c echo.Context) error {
	loc := localizerOf(c)
	ctx := c.Request().Context()
	up, release, err := s.parseUpload(c)
	if err != nil {
		return s.contactUnreadable(c, err)
	}
	defer release()
	v := up.Values
	form := contact.Form{Kind: v["kind"], Device: v["device"], Description: v["description"], Email: v["email"], Article: v["article"]}
	form.Normalize()
	p := s.contactProps(c, form)
	if st := v["stamp"]; len(st) < 100 && s.stamper.Check(st, time.Now()) != contact.StampUnknown {
		p.Stamp = st // the time the reader first got the form
	}

	shots, err := s.intakeShots(ctx, loc, up)
	if err != nil {
		return err
	}
	p.DraftID = shots.draftID
	if id, err := strconv.ParseInt(v["remove"], 10, 64); err == nil && (shots.draftID != "" || len(shots.fresh) > 0) {
		// "Remove" under a kept screenshot: take it out and show the form,
		// keeping any file chosen along with the click.
		if err := s.keepShots(c, &shots); err != nil {
			return s.contactRefused(c, p, shots, err)
		}
		if err := s.contact.RemoveDraftScreenshot(ctx, shots.draftID, id); err != nil {
			return err
		}
		shots.kept = deleteShot(shots.kept, id)
		p.DraftID, p.Kept = shots.draftID, keptShots(shots.kept)
		if len(shots.kept) == 0 {
			p.DraftID = "" // an empty draft is forgotten, not "expired"
		}
		return render(c, http.StatusOK, page.Contact(p))
	}

	errs := form.Validate()
	for _, field := range []string{"kind", "device", "description", "email"} {
		if id, ok := errs[field]; ok {
			p.Errors = append(p.Errors, page.FieldError{Field: field, Message: loc.T(id,
				"Min", loc.Number(contact.MinDescription), "Max", loc.Number(contact.MaxDescription))})
		}
	}
	if shots.err != "" {
		p.Errors = append(p.Errors, page.FieldError{Field: "screenshots", Message: shots.err})
	}
	confirm := v["step"] == "confirm"
	var suggested bool
	if len(p.Errors) == 0 && !confirm {
		p.Suggestions = s.suggestions(ctx, c, loc, form.Description)
		suggested = len(p.Suggestions) > 0
	}
	if len(p.Errors) > 0 || suggested {
		// Not sent yet: keep what was accepted so it need not be chosen again.
		if err := s.keepShots(c, &shots); err != nil {
			return s.contactRefused(c, p, shots, err)
		}
		p.DraftID, p.Kept, p.Confirm = shots.draftID, keptShots(shots.kept), suggested
		status := http.StatusOK
		if len(p.Errors) > 0 {
			status = http.StatusUnprocessableEntity
		}
		return render(c, status, page.Contact(p))
	}

	// Bots fill the hidden field or post at once (or replay an old form):
	// they get a confirmation that looks real and leads nowhere. A stamp
	// this server cannot read (a form served before a restart, or by an
	// instance with another HELPCENTER_FORM_KEY) is a person's: the form
	// comes back with a fresh stamp, everything kept, to be sent again.
	verdict := s.stamper.Check(v["stamp"], time.Now())
	if verdict == contact.StampUnknown && v["website"] == "" {
		if err := s.keepShots(c, &shots); err != nil {
			return s.contactRefused(c, p, shots, err)
		}
		p.Stamp = s.stamper.Stamp(time.Now())
		p.DraftID, p.Kept, p.Confirm = shots.draftID, keptShots(shots.kept), true
		p.SubmitError = loc.T("contact.error.malformed")
		c.Response().Header().Set("Cache-Control", "no-store")
		return render(c, http.StatusUnprocessableEntity, page.Contact(p))
	}
	if v["website"] != "" || verdict != contact.StampHuman {
		s.log.Info("contact: bot post dropped", "locale", loc.Code)
		token, _ := contact.NewToken()
		return s.renderSent(c, contact.NewCode(), token, "", false)
	}
	reader := s.readerID(c)
	if !s.votes.AllowContact(reader, c.RealIP()) {
		p.SubmitError = loc.T("contact.error.rate_limited")
		return s.contactRefused(c, p, shots, errRateLimited)
	}

	all := shots.all()
	hashes := make([][]byte, len(all))
	for i, sh := range all {
		hashes[i] = sh.SHA256
	}
	code := contact.NewCode()
	token, tokenHash := contact.NewToken()
	nr := store.NewRequest{
		Code: code, TokenHash: tokenHash, Locale: loc.Code, Kind: form.Kind, Device: form.Device,
		Email: form.Email, Article: p.Article, Description: form.Description,
		Fingerprint: form.Fingerprint(reader, loc.Code, hashes), DedupWindow: dedupWindow, Screenshots: all,
	}
	if form.Email != "" && s.cfg.SMTPURL != "" {
		m := contact.ConfirmMail(loc, form.Email, code, contact.StatusURL(s.cfg.BaseURL, loc.Locale, token))
		nr.Mail = &m
	}
	created, dup, err := s.contact.CreateRequest(ctx, nr)
	if err != nil {
		return s.contactRefused(c, p, shots, err)
	}
	if shots.draftID != "" {
		if err := s.contact.DeleteDraft(ctx, shots.draftID); err != nil {
			s.log.Warn("contact: delete draft", "err", err) // purged within the hour anyway
		}
	}
	s.undoDeflections(c, loc)
	s.log.Info("contact: request received", "locale", loc.Code, "kind", form.Kind, "screenshots", len(all), "duplicate", dup)
	email := ""
	if nr.Mail != nil {
		email = form.Email
	}
	return s.renderSent(c, created.Code, token, email, dup)
}

// errRateLimited marks a request refused by the contact budget.
var errRateLimited = errors.New("server: contact rate limited")

// contactRefused shows the form again when the request could not be
// stored (rate limit, full disk, database down): nothing the reader typed
// or attached is lost, and the reason sits next to the send button.
func (s *Server) contactRefused(c echo.Context, p page.ContactProps, shots shotIntake, err error) error {
	loc := localizerOf(c)
	status := http.StatusServiceUnavailable
	switch {
	case errors.Is(err, errRateLimited):
		status = http.StatusTooManyRequests
		if p.SubmitError == "" {
			p.SubmitError = loc.T("contact.error.rate_limited")
		}
	case errors.Is(err, store.ErrFull):
		p.SubmitError = loc.T("error.storage_full_text")
		c.Response().Header().Set("Retry-After", "300")
	case errors.Is(err, context.Canceled) && c.Request().Context().Err() != nil:
		return err // the reader left
	default:
		s.log.Error("contact: store request", "locale", loc.Code, "err", err)
		p.SubmitError = loc.T("contact.error.unavailable")
		c.Response().Header().Set("Retry-After", "60")
	}
	// What was kept before stays; files chosen with this post could not be
	// kept (nothing is stored for a refused post), so the reader is told.
	p.DraftID, p.Kept = shots.draftID, keptShots(shots.kept)
	if len(shots.fresh) > 0 && p.ErrorFor("screenshots") == "" {
		p.Errors = append(p.Errors, page.FieldError{Field: "screenshots", Message: loc.T("contact.error.screenshots_again")})
	}
	p.Confirm = true // the reader already saw the suggestions
	c.Response().Header().Set("Cache-Control", "no-store")
	return render(c, status, page.Contact(p))
}

// contactUnreadable answers a body that could not be read at all (too
// large, not a form): the form comes back empty with the reason.
func (s *Server) contactUnreadable(c echo.Context, err error) error {
	var ie *contact.ImageError
	if !errors.As(err, &ie) {
		return err
	}
	loc := localizerOf(c)
	p := s.contactProps(c, contact.Form{})
	p.SubmitError = loc.T(ie.ID)
	status := http.StatusBadRequest
	if ie.ID == contact.ErrBodyTooLarge {
		status = http.StatusRequestEntityTooLarge
	}
	c.Response().Header().Set("Connection", "close") // the rest of the body is not read
	return render(c, status, page.Contact(p))
}

// renderSent is the confirmation page. It is answered to the post itself
// (no redirect): the status link it shows is the request's only key, and
// a URL the browser would store in its history as a GET target is no
// safer than the page.
func (s *Server) renderSent(c echo.Context, code, token, email string, dup bool) error {
	loc := localizerOf(c)
	p := page.ContactSentProps{
		Page:      s.layoutPage(c, loc.T("contact.sent_title"), loc.T("contact.description"), ""),
		Code:      code,
		StatusURL: contact.StatusURL(s.cfg.BaseURL, loc.Locale, token),
		ReplyDays: s.cfg.ReplyDays,
		Email:     email,
		Duplicate: dup,
	}
	p.Page.NoIndex = true
	p.Page.Rest = "/contact"
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	return render(c, http.StatusOK, page.ContactSent(p))
}
