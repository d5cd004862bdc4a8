package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestStaffCommands runs `helpcenter staff` as an operator would: a
// password from standard input, a generated one, list, passwd, remove.
func TestStaffCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hc.db")
	staff := func(stdin string, args ...string) (string, error) {
		cmd := exec.Command(binary, append([]string{"staff"}, args...)...)
		cmd.Env = append(os.Environ(), "HELPCENTER_DB="+db)
		cmd.Stdin = strings.NewReader(stdin)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := staff("a long enough password\n", "add", "Ana@Example.com", "--role", "admin"); err != nil || strings.Contains(out, "a long enough password") {
		t.Fatalf("add from stdin: %v %q", err, out)
	}
	out, err := staff("", "add", "li@example.com", "--role=agent")
	if err != nil || !strings.Contains(out, "generated password (shown once): ") {
		t.Fatalf("add with a generated password: %v %q", err, out)
	}
	for _, c := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"a long enough password\n", []string{"add", "ana@example.com", "--role", "admin"}, "already has an account"},
		{"short\n", []string{"add", "x@example.com", "--role", "admin"}, "at least 12 characters"},
		{"a long enough password\n", []string{"add", "x@example.com", "--role", "root"}, "admin or agent"},
		{"", []string{"add", "not an address", "--role", "admin"}, "not an e-mail address"},
		{"", []string{"remove", "nobody@example.com"}, "no account"},
	} {
		if out, err := staff(c.stdin, c.args...); err == nil || !strings.Contains(out, c.want) {
			t.Errorf("staff %v: %v %q, want an error with %q", c.args, err, out, c.want)
		}
	}
	if out, err := staff("", "list"); err != nil || !strings.Contains(out, "ana@example.com\tadmin") || !strings.Contains(out, "li@example.com\tagent") {
		t.Errorf("list: %v %q", err, out)
	}
	if out, err := staff("another long password\n", "passwd", "li@example.com"); err != nil || !strings.Contains(out, "password set") {
		t.Errorf("passwd: %v %q", err, out)
	}
	if out, err := staff("", "remove", "li@example.com"); err != nil {
		t.Errorf("remove: %v %q", err, out)
	}
	if out, _ := staff("", "list"); strings.Contains(out, "li@example.com") {
		t.Errorf("removed account still listed: %q", out)
	}
}
