package admin

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"helpcenter/internal/store"
	view "helpcenter/web/admin"
)

func (h *Handler) showStaff(c echo.Context) error {
	ms, err := h.db.StaffMembers(c.Request().Context())
	if err != nil {
		return err
	}
	me := staff(c).Email
	v := view.Staff{Page: h.page(c, "Staff")}
	for _, m := range ms {
		v.Rows = append(v.Rows, view.StaffRow{Email: m.Email, Role: m.Role, Created: m.CreatedAt.UTC().Format(time.DateOnly), Self: m.Email == me})
	}
	return render(c, http.StatusOK, view.StaffPage(v))
}

func (h *Handler) removeStaff(c echo.Context) error {
	email := strings.ToLower(strings.TrimSpace(c.FormValue("email")))
	me := staff(c).Email
	if email == me {
		return echo.NewHTTPError(http.StatusBadRequest, "you cannot remove your own account")
	}
	ctx := c.Request().Context()
	if err := h.db.RemoveStaff(ctx, email); errors.Is(err, store.ErrNotFound) {
		return echo.NewHTTPError(http.StatusNotFound, "no such account")
	} else if err != nil {
		return err
	}
	if err := h.audit(ctx, me, "remove_staff", email); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/staff")
}

func (h *Handler) audits(c echo.Context) ([]view.AuditRow, error) {
	es, err := h.db.AuditLog(c.Request().Context(), 1000)
	if err != nil {
		return nil, err
	}
	var out []view.AuditRow
	for _, e := range es {
		out = append(out, view.AuditRow{At: e.At.UTC().Format(time.DateTime), Actor: e.Actor, Action: e.Action, Detail: e.Detail})
	}
	return out, nil
}

func (h *Handler) showAudit(c echo.Context) error {
	rows, err := h.audits(c)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, view.AuditPage(view.Audit{Page: h.page(c, "Audit log"), Rows: rows, CSVHref: "/admin/audit.csv"}))
}

func (h *Handler) auditCSV(c echo.Context) error {
	rows, err := h.audits(c)
	if err != nil {
		return err
	}
	var out [][]string
	for _, r := range rows {
		out = append(out, []string{r.At, r.Actor, r.Action, r.Detail})
	}
	return writeCSV(c, "audit.csv", []string{"at", "actor", "action", "detail"}, out)
}
