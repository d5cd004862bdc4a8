package admin

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"helpcenter/internal/i18n"
	"helpcenter/internal/store"
	view "helpcenter/web/admin"
)

// thumbWidth is the widest a screenshot's thumbnail is shown.
const thumbWidth = 160

// notices confirm the last action on a request page (post, redirect,
// get); only these fixed texts are ever shown.
var notices = map[string]string{
	"reply":        "Reply saved. The reader sees it at their status link.",
	"reply-mailed": "Reply saved and an e-mail with a new status link queued for the reader.",
	"note":         "Internal note added.",
	"assign":       "Assignment saved.",
	"state":        "State changed.",
}

// imageExt is the file extension of each type a screenshot can have.
var imageExt = map[string]string{"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp"}

// requestID reads the :id route parameter; anything but a positive
// integer is a request that does not exist.
func requestID(c echo.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, echo.NewHTTPError(http.StatusNotFound, "no such request")
	}
	return id, nil
}

// loadRequest returns the request of the :id parameter with its thread.
func (h *Handler) loadRequest(c echo.Context) (store.ContactRequest, error) {
	id, err := requestID(c, "id")
	if err != nil {
		return store.ContactRequest{}, err
	}
	r, err := h.db.RequestByID(c.Request().Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return r, echo.NewHTTPError(http.StatusNotFound, "no such request")
	}
	return r, err
}

func (h *Handler) showRequest(c echo.Context) error {
	r, err := h.loadRequest(c)
	if err != nil {
		return err
	}
	loc, ok := i18n.Lookup(r.Locale)
	if !ok {
		loc = i18n.Locale{Code: r.Locale, Slug: r.Locale, English: r.Locale, Dir: "ltr"}
	}
	href := requestHref(r.ID)
	v := view.Request{Page: h.page(c, "Request "+r.Code), Action: href, Notice: notices[c.QueryParam("done")],
		Code: r.Code, State: r.State, Kind: r.Kind, Device: r.Device,
		Locale: r.Locale, LocaleName: loc.English, Dir: loc.Dir, Email: r.Email, AssignedTo: r.AssignedTo,
		Created: utc(r.CreatedAt), Updated: utc(r.UpdatedAt), MaxBody: maxBody}
	if r.Article != "" {
		v.ArticleSlug, v.ArticleHref = r.Article, "/"+loc.Slug+"/articles/"+url.PathEscape(r.Article)
	}
	switch {
	case r.Email == "":
		v.ReplyHint = "The reader gave no e-mail address: they see the reply at their status link."
	case h.mail.enabled:
		v.ReplyHint = "The reader gets an e-mail in their language with a new link to the conversation."
	default:
		v.ReplyHint = "Mail is not configured: the reader sees the reply at their status link only."
	}
	n := 0
	for _, m := range r.Messages {
		e := view.ThreadEntry{Author: m.Author, Who: m.Staff, At: utc(m.CreatedAt), Body: m.Body}
		if m.Author == store.AuthorReader {
			e.Lang, e.Dir = r.Locale, loc.Dir
		}
		for _, sh := range m.Screenshots {
			n++
			w, hgt := sh.Width, sh.Height
			if w > thumbWidth && w > 0 {
				w, hgt = thumbWidth, max(sh.Height*thumbWidth/sh.Width, 1)
			}
			e.Shots = append(e.Shots, view.Shot{Href: href + "/screenshots/" + strconv.FormatInt(sh.ID, 10),
				Alt: fmt.Sprintf("Screenshot %d, %d × %d pixels (opens full size)", n, sh.Width, sh.Height), Width: w, Height: hgt})
		}
		v.Thread = append(v.Thread, e)
	}
	if v.Assignees, err = h.staffChoices(c, r.AssignedTo); err != nil {
		return err
	}
	for _, s := range requestStates {
		v.States = append(v.States, view.Filter{Value: s, Label: s, Selected: s == r.State})
	}
	return render(c, http.StatusOK, view.RequestPage(v))
}

// staffChoices is the assign form's select: nobody, then every account.
func (h *Handler) staffChoices(c echo.Context, selected string) ([]view.Filter, error) {
	ms, err := h.db.StaffMembers(c.Request().Context())
	if err != nil {
		return nil, err
	}
	out := []view.Filter{{Value: "", Label: "Unassigned", Selected: selected == ""}}
	for _, m := range ms {
		out = append(out, view.Filter{Value: m.Email, Label: m.Email, Selected: m.Email == selected})
	}
	return out, nil
}

// showScreenshot serves a screenshot's bytes to staff. The bytes come
// from readers: the response may only ever be shown as an image, never
// run or sniffed into anything else.
func (h *Handler) showScreenshot(c echo.Context) error {
	id, err := requestID(c, "id")
	if err != nil {
		return err
	}
	sid, err := requestID(c, "sid")
	if err != nil {
		return err
	}
	sh, err := h.db.ScreenshotByID(c.Request().Context(), id, sid)
	if errors.Is(err, store.ErrNotFound) {
		return echo.NewHTTPError(http.StatusNotFound, "no such screenshot")
	} else if err != nil {
		return err
	}
	ct, ext := sh.Type, imageExt[sh.Type]
	if ext == "" {
		ct, ext = "application/octet-stream", "bin"
	}
	hd := c.Response().Header()
	hd.Set("Content-Disposition", fmt.Sprintf(`inline; filename="screenshot-%d.%s"`, sh.ID, ext))
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	hd.Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, ct, sh.Data)
}
