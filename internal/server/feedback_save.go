package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"helpcenter/internal/store"
	"helpcenter/web/page"
)

// readerCookie identifies a reader's votes: 16 bytes, the first 6 the
// time it was made (milliseconds, as in a UUIDv7) and 10 random. The
// database keeps the time part and a hash of the whole.
const readerCookie = "hc_reader"

// maxComment is the longest comment accepted, in characters.
const maxComment = 500

// feedbackResponse is the JSON answer to the page's script.
type feedbackResponse struct {
	Next    string `json:"next"` // "reason" or "thanks"
	Message string `json:"message"`
}

// saveFeedback records a vote. Without JavaScript it answers 303 back to
// the article in the next state of the widget; with Accept:
// application/json it answers JSON. A vote is acknowledged only once it
// is committed.
func (s *Server) saveFeedback(c echo.Context) error {
	loc := localizerOf(c)
	a, err := siteOf(c).Catalog.Article(c.Param("slug"))
	if err != nil {
		return err
	}
	wantsJSON := strings.Contains(c.Request().Header.Get("Accept"), "application/json")
	form, err := c.FormParams()
	if err != nil {
		var he *echo.HTTPError
		if errors.As(err, &he) {
			return err
		}
		return &publicError{status: http.StatusBadRequest, text: loc.T("feedback.error_invalid")}
	}
	in := page.FeedbackProps{
		Helpful: form.Get("helpful"),
		Reason:  form.Get("reason"),
		Comment: strings.TrimSpace(strings.ReplaceAll(form.Get("comment"), "\r\n", "\n")),
	}
	step := form.Get("step")

	fail := func(status int, field, id string, kv ...string) error {
		if wantsJSON {
			return &publicError{status: status, text: loc.T(id, kv...), field: field}
		}
		in.State, in.Field, in.Error = "", field, loc.T(id, kv...)
		if in.Helpful == "no" && field != "helpful" {
			in.State = "no"
		}
		return render(c, status, page.Article(s.articleProps(c, a, in)))
	}
	switch {
	case !utf8.ValidString(in.Helpful + in.Reason + in.Comment + step):
		return fail(http.StatusBadRequest, "helpful", "feedback.error_invalid")
	case in.Helpful != "yes" && in.Helpful != "no":
		return fail(http.StatusBadRequest, "helpful", "feedback.error_helpful")
	case in.Reason != "" && !slices.Contains(store.Reasons, in.Reason):
		return fail(http.StatusBadRequest, "reason", "feedback.error_reason")
	case in.Helpful == "yes" && (in.Reason != "" || in.Comment != ""):
		return fail(http.StatusBadRequest, "reason", "feedback.error_reason_with_yes")
	case step == "reason" && in.Reason == "":
		return fail(http.StatusUnprocessableEntity, "reason", "feedback.error_reason")
	case utf8.RuneCountInString(in.Comment) > maxComment:
		return fail(http.StatusUnprocessableEntity, "comment", "feedback.error_comment_length", "Max", loc.Number(maxComment))
	case strings.IndexFunc(in.Comment, isForbiddenControl) >= 0:
		return fail(http.StatusBadRequest, "comment", "feedback.error_invalid")
	}

	reader := s.readerID(c)
	if !s.votes.Allow(reader, c.RealIP()) {
		return &publicError{status: http.StatusTooManyRequests, text: loc.T("feedback.error_rate_limited")}
	}
	if !s.votes.AllowComment(c.RealIP(), len(in.Comment)) {
		return &publicError{status: http.StatusTooManyRequests, text: loc.T("feedback.error_rate_limited")}
	}
	err = s.store.SaveVote(c.Request().Context(), store.Vote{
		Reader: reader, Article: a.Slug, Locale: loc.Code,
		Helpful: in.Helpful == "yes", Reason: in.Reason, Comment: in.Comment,
	})
	if errors.Is(err, store.ErrFull) {
		s.log.Warn("feedback: database full, vote refused", "article", a.Slug, "locale", loc.Code, "err", err)
		c.Response().Header().Set("Retry-After", "300")
		// Shown where the reader was: under the question, or the reasons.
		field := "helpful"
		if in.Helpful == "no" && step == "reason" {
			field = "reason"
		}
		return fail(http.StatusServiceUnavailable, field, "error.storage_full_text")
	}
	if errors.Is(err, context.Canceled) && c.Request().Context().Err() != nil {
		return err // the reader left; the vote may still be committed
	}
	if err != nil {
		s.log.Error("feedback: save vote", "article", a.Slug, "locale", loc.Code, "err", err)
		return &publicError{status: http.StatusServiceUnavailable, text: loc.T("feedback.error_unavailable")}
	}
	s.metrics.VotesWritten.Inc()

	next := "thanks"
	if in.Helpful == "no" && step != "reason" {
		next = "reason"
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	if wantsJSON {
		msg := loc.T("feedback.thanks")
		if next == "reason" {
			msg = loc.T("feedback.reason_question")
		}
		return c.JSON(http.StatusOK, feedbackResponse{Next: next, Message: msg})
	}
	state := "thanks"
	if next == "reason" {
		state = "no"
	}
	return c.Redirect(http.StatusSeeOther, "/"+loc.Slug+"/articles/"+a.Slug+"?feedback="+state+"#feedback")
}

// isForbiddenControl rejects control characters other than line breaks
// and tabs: they have no place in a comment and can hide text.
func isForbiddenControl(r rune) bool {
	return (unicode.IsControl(r) && r != '\n' && r != '\t') || unicode.Is(unicode.Bidi_Control, r)
}

// readerID returns the key of the reader's votes, creating the cookie for
// a reader who has none (or a malformed one).
func (s *Server) readerID(c echo.Context) string {
	if ck, err := c.Cookie(readerCookie); err == nil {
		if raw, err := base64.RawURLEncoding.DecodeString(ck.Value); err == nil && len(raw) == 16 {
			return readerKey(raw)
		}
	}
	raw := make([]byte, 16)
	binary.BigEndian.PutUint64(raw, uint64(time.Now().UnixMilli())<<16)
	_, _ = rand.Read(raw[6:])
	c.SetCookie(&http.Cookie{
		Name: readerCookie, Value: base64.RawURLEncoding.EncodeToString(raw), Path: "/",
		MaxAge: int((365 * 24 * time.Hour).Seconds()), HttpOnly: true,
		Secure: c.Scheme() == "https" || strings.HasPrefix(s.cfg.BaseURL, "https://"), SameSite: http.SameSiteLaxMode,
	})
	return readerKey(raw)
}

// readerKey is the cookie's time part followed by 80 bits of its SHA-256:
// as unique as the cookie, not reversible to it, and ordered by when the
// reader first voted, so the votes of new readers are appended to the
// primary key instead of landing on random pages of it.
func readerKey(raw []byte) string {
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(raw[:6]) + hex.EncodeToString(sum[:10])
}
