package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"os"
	"strings"
	"time"

	"helpcenter/internal/auth"
	"helpcenter/internal/config"
	"helpcenter/internal/store"
)

const staffUsage = "staff: want `helpcenter staff add <email> --role admin|agent`, `staff list`, `staff passwd <email>` or `staff remove <email>`"

// staffCmd manages back-office accounts. A new password is read from the
// first line of standard input; when standard input is a terminal or
// empty, one is generated and printed once. Passwords are never logged.
func staffCmd(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New(staffUsage)
	}
	sub, args := args[0], args[1:]
	var email, role string
	if sub != "list" {
		if len(args) == 0 || strings.HasPrefix(args[0], "-") {
			return errors.New(staffUsage)
		}
		a, err := mail.ParseAddress(args[0])
		if err != nil || a.Name != "" {
			return fmt.Errorf("staff: %q is not an e-mail address", args[0])
		}
		email, args = strings.ToLower(a.Address), args[1:]
	}
	var rest []string
	for i := 0; i < len(args); i++ {
		switch {
		case args[i] == "--role" || args[i] == "-role":
			if i+1 == len(args) {
				return errors.New(staffUsage)
			}
			role, i = args[i+1], i+1
		case strings.HasPrefix(args[i], "--role="):
			role = strings.TrimPrefix(args[i], "--role=")
		default:
			rest = append(rest, args[i])
		}
	}
	cfg, err := config.Parse(rest, getenv)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	st, ok := db.(store.Staff)
	if !ok {
		return errors.New("staff: this database engine does not support staff accounts yet")
	}
	now := time.Now()
	switch sub {
	case "add":
		if role != "admin" && role != "agent" {
			return errors.New("staff add: --role must be admin or agent")
		}
		password, generated, err := newPassword(stdin)
		if err != nil {
			return err
		}
		hash, err := auth.HashPassword(password)
		if err != nil {
			return err
		}
		if err := st.AddStaff(ctx, store.StaffMember{Email: email, Role: role, Password: hash, CreatedAt: now}); errors.Is(err, store.ErrExists) {
			return fmt.Errorf("staff add: %s already has an account", email)
		} else if err != nil {
			return err
		}
		if err := st.Audit(ctx, store.AuditEntry{At: now, Actor: "cli", Action: "add_staff", Detail: email + " " + role}); err != nil {
			return err
		}
		printPassword(stdout, email, password, generated)
	case "passwd":
		password, generated, err := newPassword(stdin)
		if err != nil {
			return err
		}
		hash, err := auth.HashPassword(password)
		if err != nil {
			return err
		}
		if err := st.SetStaffPassword(ctx, email, hash, now); errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("staff passwd: no account for %s", email)
		} else if err != nil {
			return err
		}
		if err := st.Audit(ctx, store.AuditEntry{At: now, Actor: "cli", Action: "set_password", Detail: email + " (sessions revoked)"}); err != nil {
			return err
		}
		printPassword(stdout, email, password, generated)
	case "remove":
		if err := st.RemoveStaff(ctx, email); errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("staff remove: no account for %s", email)
		} else if err != nil {
			return err
		}
		if err := st.Audit(ctx, store.AuditEntry{At: now, Actor: "cli", Action: "remove_staff", Detail: email}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "removed %s\n", email)
	case "list":
		ms, err := st.StaffMembers(ctx)
		if err != nil {
			return err
		}
		for _, m := range ms {
			fmt.Fprintf(stdout, "%s\t%s\t%s\n", m.Email, m.Role, m.CreatedAt.UTC().Format(time.DateOnly))
		}
	default:
		return errors.New(staffUsage)
	}
	return nil
}

// newPassword reads the first line of stdin, or generates a password when
// stdin is a terminal or gives nothing.
func newPassword(stdin io.Reader) (password string, generated bool, err error) {
	if f, ok := stdin.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			return auth.GeneratePassword(), true, nil
		}
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, 1025)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", false, fmt.Errorf("staff: read password: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return auth.GeneratePassword(), true, nil
	}
	if len(line) > 1024 {
		return "", false, errors.New("staff: password longer than 1024 bytes")
	}
	return line, false, nil
}

func printPassword(w io.Writer, email, password string, generated bool) {
	if generated {
		fmt.Fprintf(w, "%s: generated password (shown once): %s\n", email, password)
		return
	}
	fmt.Fprintf(w, "%s: password set\n", email)
}
