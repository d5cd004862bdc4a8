package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"helpcenter/internal/contact"
	"helpcenter/internal/store"
	"helpcenter/web/page"
)

// minFollowUp is the shortest message a reader can add to a request.
const minFollowUp = 2

// requestByToken opens the request of a status link, or ErrNotFound. A
// malformed token is hashed and looked up like a real one, so a wrong
// link answers in the same time whatever its shape.
func (s *Server) requestByToken(c echo.Context) (store.ContactRequest, []byte, error) {
	token := c.Param("token")
	hash := contact.HashToken(token)
	r, err := s.contact.RequestByToken(c.Request().Context(), hash)
	if err == nil && !contact.ValidToken(token) {
		err = store.ErrNotFound
	}
	return r, hash, err
}

// showRequest is the reader's private status page of a request.
func (s *Server) showRequest(c echo.Context) error {
	loc := localizerOf(c)
	r, _, err := s.requestByToken(c)
	if err != nil {
		return err
	}
	p := s.requestProps(c, r)
	switch c.QueryParam("done") {
	case "followup":
		p.Notice = loc.T("request.followup_added")
	case "solved":
		p.Notice = loc.T("request.solved")
	}
	return render(c, http.StatusOK, page.Request(p))
}

// requestProps builds the status page; every request-specific answer is
// private, kept from the Referer of outgoing links and from search engines.
func (s *Server) requestProps(c echo.Context, r store.ContactRequest) page.RequestProps {
	loc := localizerOf(c)
	base := "/" + loc.Slug + "/requests/" + c.Param("token")
	p := page.RequestProps{
		Page:     s.layoutPage(c, loc.T("request.title"), loc.T("request.description"), ""),
		Action:   base,
		Code:     r.Code,
		State:    r.State,
		Kind:     r.Kind,
		Device:   r.Device,
		Sent:     loc.Date(r.CreatedAt),
		SentISO:  r.CreatedAt.UTC().Format(time.DateOnly),
		MinLen:   minFollowUp,
		MaxLen:   contact.MaxDescription,
		MaxShots: contact.MaxScreenshots,
	}
	p.Page.NoIndex = true
	n := 0
	for _, m := range r.Messages {
		rm := page.RequestMessage{Staff: m.Author == store.AuthorStaff, Body: m.Body, Date: loc.Date(m.CreatedAt), DateISO: m.CreatedAt.UTC().Format(time.DateOnly)}
		for _, sh := range m.Screenshots {
			n++
			rm.Shots = append(rm.Shots, page.ShotLink{
				Href:  base + "/screenshots/" + strconv.FormatInt(sh.ID, 10),
				Label: loc.T("request.screenshot", "Number", loc.Number(n)),
				Width: sh.Width, Height: sh.Height,
			})
		}
		p.Messages = append(p.Messages, rm)
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Robots-Tag", "noindex")
	return p
}

// updateRequest takes the reader's follow-up (with screenshots) or marks
// the request solved, then returns to the status page (post, redirect, get).
func (s *Server) updateRequest(c echo.Context) error {
	loc := localizerOf(c)
	ctx := c.Request().Context()
	r, hash, err := s.requestByToken(c)
	if err != nil {
		return err
	}
	up, release, err := s.parseUpload(c)
	if err != nil {
		var ie *contact.ImageError
		if !errors.As(err, &ie) {
			return err
		}
		p := s.requestProps(c, r)
		p.Errors = []page.FieldError{{Field: "screenshots", Message: loc.T(ie.ID)}}
		status := http.StatusBadRequest
		if ie.ID == contact.ErrBodyTooLarge {
			status = http.StatusRequestEntityTooLarge
			c.Response().Header().Set("Connection", "close")
		}
		return render(c, status, page.Request(p))
	}
	defer release()
	back := "/" + loc.Slug + "/requests/" + c.Param("token")
	switch up.Values["action"] {
	case "solve":
		if err := s.contact.MarkSolved(ctx, hash); err != nil {
			return s.requestWriteFailed(c, r, err)
		}
		return c.Redirect(http.StatusSeeOther, back+"?done=solved")
	case "followup":
	default:
		return &publicError{status: http.StatusBadRequest, text: loc.T("error.bad_request_text")}
	}
	if r.State == store.StateClosed {
		return &publicError{status: http.StatusConflict, text: loc.T("request.closed_text")}
	}

	body := strings.TrimSpace(strings.ReplaceAll(up.Values["body"], "\r\n", "\n"))
	p := s.requestProps(c, r)
	p.Body = body
	shots, err := s.intakeShots(ctx, loc, up)
	if err != nil {
		return err
	}
	p.DraftID = shots.draftID
	switch n := utf8.RuneCountInString(body); {
	case !utf8.ValidString(body) || strings.IndexFunc(body, isForbiddenControl) >= 0:
		p.Errors = append(p.Errors, page.FieldError{Field: "body", Message: loc.T("error.bad_request_text")})
	case n < minFollowUp:
		p.Errors = append(p.Errors, page.FieldError{Field: "body", Message: loc.T("contact.error.message_short", "Min", loc.Number(minFollowUp))})
	case n > contact.MaxDescription:
		p.Errors = append(p.Errors, page.FieldError{Field: "body", Message: loc.T("contact.error.description_long", "Max", loc.Number(contact.MaxDescription))})
	}
	if shots.err != "" {
		p.Errors = append(p.Errors, page.FieldError{Field: "screenshots", Message: shots.err})
	}
	if len(p.Errors) > 0 {
		if err := s.keepShots(c, &shots); errors.Is(err, errRateLimited) {
			return &publicError{status: http.StatusTooManyRequests, text: loc.T("error.too_many_text")}
		} else if err != nil {
			return s.requestWriteFailed(c, r, err)
		}
		p.DraftID, p.Kept = shots.draftID, keptShots(shots.kept)
		return render(c, http.StatusUnprocessableEntity, page.Request(p))
	}
	if !s.votes.Allow(s.readerID(c), c.RealIP()) {
		return &publicError{status: http.StatusTooManyRequests, text: loc.T("error.too_many_text")}
	}
	if err := s.contact.AddFollowUp(ctx, hash, body, shots.all()); err != nil {
		return s.requestWriteFailed(c, r, err)
	}
	if shots.draftID != "" {
		if err := s.contact.DeleteDraft(ctx, shots.draftID); err != nil {
			s.log.Warn("contact: delete draft", "err", err)
		}
	}
	return c.Redirect(http.StatusSeeOther, back+"?done=followup")
}

// requestWriteFailed answers a follow-up or "solved" that could not be
// stored: a 503 with the reason, in the reader's language.
func (s *Server) requestWriteFailed(c echo.Context, r store.ContactRequest, err error) error {
	loc := localizerOf(c)
	if errors.Is(err, store.ErrNotFound) {
		return err
	}
	text := loc.T("contact.error.unavailable")
	if errors.Is(err, store.ErrFull) {
		text = loc.T("error.storage_full_text")
	} else {
		s.log.Error("contact: update request", "code", r.Code, "err", err)
	}
	c.Response().Header().Set("Retry-After", "60")
	return &publicError{status: http.StatusServiceUnavailable, text: text}
}

// showRequestScreenshot serves one screenshot of the token's request. It
// is an image the reader sent, re-encoded; still it is served as a
// download-safe, sandboxed, never-sniffed file of its stored type.
func (s *Server) showRequestScreenshot(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	token := c.Param("token")
	if err != nil || id <= 0 || !contact.ValidToken(token) {
		return store.ErrNotFound
	}
	sh, err := s.contact.ScreenshotByToken(c.Request().Context(), contact.HashToken(token), id)
	if err != nil {
		return err
	}
	return serveScreenshot(c, sh)
}

// serveScreenshot writes a stored screenshot with the headers that keep it
// an inert image.
func serveScreenshot(c echo.Context, sh store.Screenshot) error {
	ext := ".png"
	if sh.Type == "image/jpeg" {
		ext = ".jpg"
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", `inline; filename="screenshot-`+strconv.FormatInt(sh.ID, 10)+ext+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Referrer-Policy", "no-referrer")
	return c.Blob(http.StatusOK, sh.Type, sh.Data)
}
