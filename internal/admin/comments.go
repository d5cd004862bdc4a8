package admin

import (
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"helpcenter/internal/i18n"
	"helpcenter/internal/store"
	view "helpcenter/web/admin"
)

const maxComments = 200

func parseState(c echo.Context) (string, error) {
	st := c.QueryParam("state")
	if st != "" && !slices.Contains(store.TriageStates, st) {
		return "", echo.NewHTTPError(http.StatusBadRequest, "unknown state")
	}
	return st, nil
}

func (h *Handler) comments(c echo.Context) ([]store.Comment, string, error) {
	st, err := parseState(c)
	if err != nil {
		return nil, "", err
	}
	cs, err := h.db.Comments(c.Request().Context(), st, maxComments)
	return cs, st, err
}

func (h *Handler) showComments(c echo.Context) error {
	cs, st, err := h.comments(c)
	if err != nil {
		return err
	}
	v := view.Comments{Page: h.page(c, "Reader comments"), CSVHref: "/admin/comments.csv?state=" + st}
	v.States = []view.Filter{{Value: "", Label: "All states", Selected: st == ""}}
	for _, s := range store.TriageStates {
		v.States = append(v.States, view.Filter{Value: s, Label: s, Selected: s == st})
	}
	for _, cm := range cs {
		dir := "ltr"
		if l, ok := i18n.Lookup(cm.Locale); ok {
			dir = l.Dir
		}
		v.Comments = append(v.Comments, view.Comment{
			Key:     strings.Join([]string{cm.Reader, cm.Article, cm.Locale}, "|"),
			Article: cm.Article, Locale: cm.Locale, Dir: dir, Reason: cm.Reason, Text: cm.Comment,
			Date: cm.At.UTC().Format(time.DateTime), State: cm.State, Note: cm.Note, UpdatedBy: cm.UpdatedBy,
		})
	}
	return render(c, http.StatusOK, view.CommentsPage(v))
}

func (h *Handler) saveTriage(c echo.Context) error {
	parts := strings.Split(c.FormValue("key"), "|")
	state, note := c.FormValue("state"), strings.TrimSpace(c.FormValue("note"))
	if len(parts) != 3 || !slices.Contains(store.TriageStates, state) || utf8.RuneCountInString(note) > 1000 || !utf8.ValidString(note) {
		return echo.NewHTTPError(http.StatusBadRequest, "bad triage form")
	}
	who := staff(c).Email
	ctx := c.Request().Context()
	cm := store.Comment{Reader: parts[0], Article: parts[1], Locale: parts[2], State: state, Note: note, UpdatedBy: who}
	if err := h.db.SetTriage(ctx, cm, h.now()); err != nil {
		return err
	}
	if err := h.audit(ctx, who, "triage_comment", parts[1]+" "+parts[2]+" → "+state); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/comments")
}

func (h *Handler) commentsCSV(c echo.Context) error {
	cs, _, err := h.comments(c)
	if err != nil {
		return err
	}
	var out [][]string
	for _, cm := range cs {
		out = append(out, []string{cm.At.UTC().Format(time.RFC3339), cm.Article, cm.Locale, cm.Reason, cm.Comment, cm.State, cm.Note})
	}
	return writeCSV(c, "comments.csv", []string{"date", "article", "language", "reason", "comment", "state", "note"}, out)
}
