package admin

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"helpcenter/internal/contact"
	"helpcenter/internal/i18n"
	"helpcenter/internal/store"
)

// maxBody bounds a staff reply or note, in characters. The forms post
// multipart/form-data, which sends text as it is: 10,000 characters of
// any script stay under the server's 64 KiB body limit, where
// percent-encoding would triple every non-ASCII byte.
const maxBody = 10000

// mailer is what a reply needs to tell the reader by mail.
type mailer struct {
	bundle  func() *i18n.Bundle
	baseURL string
	enabled bool
}

// WithMail lets replies mail the reader (when mail is enabled and the
// reader gave an address), in the reader's language with a fresh status
// link under baseURL. bundle is called per reply, so a reload of the
// messages shows at once.
func (h *Handler) WithMail(bundle func() *i18n.Bundle, baseURL string, enabled bool) *Handler {
	h.mail = mailer{bundle: bundle, baseURL: strings.TrimSuffix(baseURL, "/"), enabled: enabled && bundle != nil}
	return h
}

// formBody is the body field of a reply or note, checked.
func formBody(c echo.Context) (string, error) {
	body := strings.TrimSpace(strings.ReplaceAll(c.FormValue("body"), "\r\n", "\n"))
	if n := utf8.RuneCountInString(body); n < 1 || n > maxBody || !utf8.ValidString(body) {
		return "", echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf("the text must have 1 to %d characters", maxBody))
	}
	return body, nil
}

// done sends the browser back to the request page with a confirmation.
func done(c echo.Context, r store.ContactRequest, what string) error {
	return c.Redirect(http.StatusSeeOther, requestHref(r.ID)+"?done="+what)
}

// notFound turns the store's ErrNotFound into a 404: the request may have
// been purged between the page and the post.
func notFound(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return echo.NewHTTPError(http.StatusNotFound, "no such request")
	}
	return err
}

func (h *Handler) replyRequest(c echo.Context) error {
	r, err := h.loadRequest(c)
	if err != nil {
		return err
	}
	body, err := formBody(c)
	if err != nil {
		return err
	}
	who := staff(c).Email
	reply := store.StaffReply{Staff: who, Body: body}
	what := "reply"
	if r.Email != "" && h.mail.enabled {
		// The first status link is known only to the reader: the mail
		// carries a new one, stored with the reply and the mail at once.
		loc, ok := i18n.Lookup(r.Locale)
		if !ok {
			loc = i18n.Default
		}
		token, hash := contact.NewToken()
		m := contact.ReplyMail(h.mail.bundle().For(loc.Code), r.Email, r.Code, contact.StatusURL(h.mail.baseURL, loc, token))
		reply.TokenHash, reply.Mail = hash, &m
		what = "reply-mailed"
	}
	ctx := c.Request().Context()
	if err := h.db.Reply(ctx, r.ID, reply); err != nil {
		return notFound(err)
	}
	detail := r.Code
	if reply.Mail != nil {
		detail += " (mailed)"
	}
	if err := h.audit(ctx, who, "reply_request", detail); err != nil {
		return err
	}
	return done(c, r, what)
}

func (h *Handler) addNote(c echo.Context) error {
	r, err := h.loadRequest(c)
	if err != nil {
		return err
	}
	body, err := formBody(c)
	if err != nil {
		return err
	}
	who, ctx := staff(c).Email, c.Request().Context()
	if err := h.db.AddNote(ctx, r.ID, who, body); err != nil {
		return notFound(err)
	}
	if err := h.audit(ctx, who, "note_request", r.Code); err != nil {
		return err
	}
	return done(c, r, "note")
}

func (h *Handler) assignRequest(c echo.Context) error {
	r, err := h.loadRequest(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	to := strings.ToLower(strings.TrimSpace(c.FormValue("staff")))
	if to != "" {
		if _, err := h.db.StaffByEmail(ctx, to); errors.Is(err, store.ErrNotFound) {
			return echo.NewHTTPError(http.StatusBadRequest, "no such staff member")
		} else if err != nil {
			return err
		}
	}
	if err := h.db.AssignRequest(ctx, r.ID, to); err != nil {
		return notFound(err)
	}
	shown := to
	if shown == "" {
		shown = "nobody"
	}
	if err := h.audit(ctx, staff(c).Email, "assign_request", r.Code+" → "+shown); err != nil {
		return err
	}
	return done(c, r, "assign")
}

func (h *Handler) setRequestState(c echo.Context) error {
	r, err := h.loadRequest(c)
	if err != nil {
		return err
	}
	state := c.FormValue("state")
	if !store.ValidState(state) {
		return echo.NewHTTPError(http.StatusBadRequest, "unknown state")
	}
	ctx := c.Request().Context()
	if err := h.db.SetRequestState(ctx, r.ID, state); err != nil {
		return notFound(err)
	}
	if err := h.audit(ctx, staff(c).Email, "set_request_state", r.Code+" → "+state); err != nil {
		return err
	}
	return done(c, r, "state")
}
