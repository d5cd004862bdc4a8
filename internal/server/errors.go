package server

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"helpcenter/internal/content"
	"helpcenter/internal/i18n"
	"helpcenter/internal/store"
	"helpcenter/web/page"
)

// errorMessages maps a status to its localized title and text.
var errorMessages = map[int][2]string{
	http.StatusBadRequest:            {"error.bad_request_title", "error.bad_request_text"},
	http.StatusUnprocessableEntity:   {"error.bad_request_title", "error.bad_request_text"},
	http.StatusForbidden:             {"error.forbidden_title", "error.forbidden_text"},
	http.StatusNotFound:              {"error.not_found_title", "error.not_found_text"},
	http.StatusMethodNotAllowed:      {"error.method_title", "error.method_text"},
	http.StatusRequestEntityTooLarge: {"error.too_large_title", "error.too_large_text"},
	http.StatusTooManyRequests:       {"error.too_many_title", "error.too_many_text"},
	http.StatusInternalServerError:   {"error.server_title", "error.server_text"},
	http.StatusServiceUnavailable:    {"error.unavailable_title", "error.unavailable_text"},
}

// statusClientClosed is logged for requests whose client left before the
// answer (nginx's 499).
const statusClientClosed = 499

// publicError is an error whose localized text is meant for the reader,
// such as a feedback validation message.
type publicError struct {
	status int
	text   string // already localized
	field  string
}

func (e *publicError) Error() string { return e.text }

// handleError is echo's single error handler: it maps an error to a
// status, logs it (5xx at Error, 4xx at Info) and answers in the reader's
// language as an HTML page, JSON for the page's script, or plain text.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	if errors.Is(err, context.Canceled) && c.Request().Context().Err() != nil {
		// The reader went away (closed the tab, lost the network): there
		// is no one to answer and nothing wrong with the server. 499 is
		// the status proxies log for this; nothing is sent.
		c.Response().Status = statusClientClosed
		s.log.Debug("client went away", "method", c.Request().Method, "path", logPath(c.Request().URL.Path))
		return
	}
	status := http.StatusInternalServerError
	var (
		he  *echo.HTTPError
		pe  *publicError
		msg string
	)
	switch {
	case errors.Is(err, content.ErrNotFound), errors.Is(err, store.ErrNotFound):
		status = http.StatusNotFound
	case errors.As(err, &pe):
		status, msg = pe.status, pe.text
	case errors.As(err, &he):
		status = he.Code
	}
	attrs := []any{"status", status, "method", c.Request().Method, "path", logPath(c.Request().URL.Path), "err", err}
	if status >= 500 {
		s.log.Error("request failed", attrs...)
	} else {
		s.log.Info("request refused", attrs...)
	}

	loc := s.localizerFor(c)
	keys, ok := errorMessages[status]
	if !ok {
		keys = errorMessages[http.StatusInternalServerError]
		if status < 500 {
			keys = errorMessages[http.StatusBadRequest]
		}
	}
	title, text := loc.T(keys[0]), loc.T(keys[1])
	if msg != "" {
		text = msg
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	switch status {
	case http.StatusTooManyRequests:
		h.Set("Retry-After", "60")
	case http.StatusServiceUnavailable:
		h.Set("Retry-After", "300")
	}
	accept := c.Request().Header.Get("Accept")
	switch {
	case strings.Contains(accept, "application/json"):
		body := map[string]string{"error": text}
		if pe != nil && pe.field != "" {
			body["field"] = pe.field
		}
		err = c.JSON(status, body)
	case strings.Contains(accept, "text/html"):
		c.SetRequest(c.Request().WithContext(i18n.WithLocalizer(c.Request().Context(), loc)))
		p := s.layoutPage(c, title, text, "")
		p.NoIndex = true
		err = render(c, status, page.Error(page.ErrorProps{Page: p, Title: title, Text: text}))
	default:
		err = c.String(status, title+"\n"+text+"\n")
	}
	if err != nil {
		s.log.Error("error handler: write response", "err", err)
	}
}

// localizerFor is the request's Localizer when the path has a language;
// otherwise the one the reader would be redirected to.
func (s *Server) localizerFor(c echo.Context) *i18n.Localizer {
	if loc, ok := c.Get(ctxLocalizer).(*i18n.Localizer); ok {
		return loc
	}
	site := s.Site()
	if l, ok := i18n.Lookup(firstSegment(c.Request().URL.Path)); ok {
		return site.Bundle.For(l.Code)
	}
	return site.Bundle.For(negotiate(c).Code)
}

func firstSegment(p string) string {
	p = strings.TrimPrefix(p, "/")
	seg, _, _ := strings.Cut(p, "/")
	return seg
}
