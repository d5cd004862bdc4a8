package admin

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"helpcenter/internal/auth"
	"helpcenter/internal/store"
	view "helpcenter/web/admin"
)

// badSignIn is the one answer for an unknown e-mail and a wrong password.
const badSignIn = "Wrong e-mail or password."

func (h *Handler) page(c echo.Context, title string) view.Page {
	se := staff(c)
	return view.Page{Title: title, CSS: h.css, Email: se.Email, Role: se.Role}
}

func (h *Handler) showLogin(c echo.Context) error {
	if _, err := h.session(c); err == nil {
		return c.Redirect(http.StatusSeeOther, "/admin/")
	}
	return render(c, http.StatusOK, view.LoginPage(view.Login{Page: h.page(c, "Sign in")}))
}

// login checks the throttle for the account and the address first, then
// the password; an unknown e-mail spends the same argon2id time as a
// known one and gets the same answer.
func (h *Handler) login(c echo.Context) error {
	ctx := c.Request().Context()
	email := strings.ToLower(strings.TrimSpace(c.FormValue("email")))
	password := c.FormValue("password")
	now := h.now()
	acct, addr := "account:"+email, "address:"+c.RealIP()
	fail := func(status int, msg string) error {
		return render(c, status, view.LoginPage(view.Login{Page: h.page(c, "Sign in"), Email: email, Error: msg}))
	}
	for _, k := range []string{acct, addr} {
		if until, locked := h.throttle.Locked(k, now); locked {
			mins := int(until.Sub(now).Minutes()) + 1
			return fail(http.StatusTooManyRequests, fmt.Sprintf("Too many failed sign-ins. Try again in %d minutes.", mins))
		}
	}
	m, err := h.db.StaffByEmail(ctx, email)
	switch {
	case errors.Is(err, store.ErrNotFound) || email == "" || len(password) > 1024:
		err = auth.CheckUnknown(password)
	case err != nil:
		return err
	default:
		err = auth.CheckPassword(m.Password, password)
	}
	if err != nil {
		h.throttle.Fail(acct, now)
		h.throttle.Fail(addr, now)
		h.log.Info("admin sign-in failed") // neither the e-mail nor the password is logged
		return fail(http.StatusUnauthorized, badSignIn)
	}
	h.throttle.Succeed(acct)
	token, hash := auth.NewToken()
	if err := h.db.CreateSession(ctx, hash, m.Email, now); err != nil {
		return err
	}
	if err := h.audit(ctx, m.Email, "sign_in", ""); err != nil {
		return err
	}
	setCookie(c, token)
	return c.Redirect(http.StatusSeeOther, safeNext(c.QueryParam("next")))
}

// logout revokes the session in the database, not only the cookie.
func (h *Handler) logout(c echo.Context) error {
	ctx := c.Request().Context()
	if ck, err := c.Cookie(CookieName); err == nil {
		if err := h.db.DeleteSession(ctx, auth.HashToken(ck.Value)); err != nil {
			return err
		}
	}
	if err := h.audit(ctx, staff(c).Email, "sign_out", ""); err != nil {
		return err
	}
	clearCookie(c)
	return c.Redirect(http.StatusSeeOther, "/admin/login")
}
