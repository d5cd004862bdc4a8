package server

import (
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"helpcenter/internal/i18n"
)

// langCookie remembers the language a reader chose in the picker. It is
// set only by that choice, never by visiting a page.
const langCookie = "hc_lang"

func negotiate(c echo.Context) i18n.Locale {
	cookie := ""
	if ck, err := c.Cookie(langCookie); err == nil {
		cookie = ck.Value
	}
	return i18n.Negotiate(cookie, c.Request().Header.Get("Accept-Language"))
}

// redirectToLanguage sends a path without a language (/, /articles/x) to
// the same path in the reader's language. The answer depends on the
// cookie and Accept-Language, and says so in Vary.
func (s *Server) redirectToLanguage(c echo.Context) error {
	l := negotiate(c)
	target := (&url.URL{Path: "/" + l.Slug + c.Request().URL.Path}).EscapedPath()
	if c.Request().URL.Path == "/" {
		target = "/" + l.Slug + "/"
	}
	if q := c.Request().URL.RawQuery; q != "" {
		target += "?" + q
	}
	h := c.Response().Header()
	h.Add("Vary", "Accept-Language, Cookie")
	h.Set("Cache-Control", "private, no-cache")
	return c.Redirect(http.StatusFound, target)
}

// chooseLanguage is where the picker's links lead: it remembers the choice
// in a cookie and redirects to the page the reader was on, in the chosen
// language. return is a path below the language prefix; anything that is
// not a plain local path is replaced by home, so this is no open redirect.
func (s *Server) chooseLanguage(c echo.Context) error {
	l, ok := i18n.Lookup(c.Param("code"))
	if !ok {
		return echo.ErrNotFound
	}
	c.SetCookie(&http.Cookie{
		Name: langCookie, Value: l.Code, Path: "/",
		MaxAge: int((365 * 24 * time.Hour).Seconds()), HttpOnly: true,
		Secure: c.Scheme() == "https" || strings.HasPrefix(s.cfg.BaseURL, "https://"), SameSite: http.SameSiteLaxMode,
	})
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Redirect(http.StatusSeeOther, "/"+l.Slug+returnPath(c.QueryParam("return")))
}

// returnPath cleans the picker's return parameter to "/..." with only the
// query parameters our pages use.
func returnPath(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(u.Path, "/") || strings.ContainsAny(u.Path, "\\\x00") {
		return "/"
	}
	p := path.Clean(u.Path)
	if p != "/" && strings.HasSuffix(u.Path, "/") {
		p += "/"
	}
	p = (&url.URL{Path: p}).EscapedPath()
	q := url.Values{}
	for _, k := range []string{"q", "page"} {
		if v := u.Query().Get(k); v != "" {
			q.Set(k, v)
		}
	}
	if len(q) > 0 {
		return p + "?" + q.Encode()
	}
	return p
}
