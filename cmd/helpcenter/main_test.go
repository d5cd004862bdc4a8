package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var binary string

// TestMain builds the real binary once: shutdown and crash tests need a
// process to signal.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "helpcenter-test")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "helpcenter")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type proc struct {
	cmd  *exec.Cmd
	addr string
	logs *bytes.Buffer
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// start runs the binary on a free port with db and waits until it answers.
func start(t *testing.T, db string, env ...string) *proc {
	t.Helper()
	p := &proc{addr: freeAddr(t), logs: &bytes.Buffer{}}
	p.cmd = exec.Command(binary)
	p.cmd.Env = append(os.Environ(), "HELPCENTER_ADDR="+p.addr, "HELPCENTER_DB="+db, "HELPCENTER_RATE_LIMIT=0")
	p.cmd.Env = append(p.cmd.Env, env...)
	p.cmd.Stdout, p.cmd.Stderr = p.logs, p.logs
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.cmd.Process.Kill(); p.cmd.Wait() })
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get("http://" + p.addr + "/healthz"); err == nil {
			resp.Body.Close()
			return p
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("server did not start:\n%s", p.logs)
	return nil
}

func vote(addr, article, helpful string) (int, error) {
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm("http://"+addr+"/en/articles/"+article+"/feedback", url.Values{"helpful": {helpful}})
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// voting is a vote load: workers voting as new readers (no cookie, so
// every vote is a row) until stopped, counting the acknowledged votes.
type voting struct {
	mu     sync.Mutex
	n      int
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

func startVoting(addr string, workers int) *voting {
	v := &voting{}
	ctx, cancel := context.WithCancel(context.Background())
	v.cancel = cancel
	for range workers {
		v.wg.Add(1)
		go func() {
			defer v.wg.Done()
			for ctx.Err() == nil {
				if code, err := vote(addr, "log-out", "yes"); err == nil && code == http.StatusSeeOther {
					v.mu.Lock()
					v.n++
					v.mu.Unlock()
				}
			}
		}()
	}
	return v
}

func (v *voting) acked() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.n
}

// stop ends the load and returns how many votes were acknowledged.
func (v *voting) stop() int {
	v.cancel()
	v.wg.Wait()
	return v.acked()
}

// TestGracefulShutdown sends SIGTERM while a request is half sent: the
// request still completes, new connections are refused, the exit code is 0.
func TestGracefulShutdown(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hc.db")
	p := start(t, db)
	conn, err := net.Dial("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := "helpful=yes"
	fmt.Fprintf(conn, "POST /en/articles/log-out/feedback HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s", p.addr, len(body), body[:4])
	time.Sleep(200 * time.Millisecond) // the server is now reading the body
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if c, err := net.DialTimeout("tcp", p.addr, time.Second); err == nil {
		c.Close()
		t.Error("the server still accepts connections after SIGTERM")
	}
	io.WriteString(conn, body[4:])
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("in-flight request lost: %v\n%s", err, p.logs)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("in-flight request: %d", resp.StatusCode)
	}
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit: %v\n%s", err, p.logs)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no exit after SIGTERM")
	}
	if !strings.Contains(p.logs.String(), "database closed") {
		t.Errorf("database not closed:\n%s", p.logs)
	}
	out := exportVotes(t, db)
	if !strings.Contains(out, "log-out,en,yes") {
		t.Errorf("the in-flight vote is not stored:\n%s", out)
	}
}

// TestShutdownDropIsAnError: when the grace runs out with a request still
// running, the process exits non-zero and logs the request it dropped.
func TestShutdownDropIsAnError(t *testing.T) {
	p := start(t, filepath.Join(t.TempDir(), "hc.db"), "HELPCENTER_SHUTDOWN_GRACE=300ms")
	conn, err := net.Dial("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// A body that never finishes keeps the request in its handler.
	fmt.Fprintf(conn, "POST /en/articles/log-out/feedback HTTP/1.1\r\nHost: %s\r\nX-Request-ID: stuck-upload\r\n"+
		"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nhelp", p.addr)
	time.Sleep(200 * time.Millisecond)
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err == nil {
			t.Errorf("exit 0 although a request was dropped\n%s", p.logs)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no exit after SIGTERM")
	}
	logs := p.logs.String()
	if !strings.Contains(logs, "dropped") || !strings.Contains(logs, "POST /en/articles/log-out/feedback stuck-upload") {
		t.Errorf("the log does not name the dropped request:\n%s", logs)
	}
}

func exportVotes(t *testing.T, db string) string {
	t.Helper()
	cmd := exec.Command(binary, "export", "votes")
	cmd.Env = append(os.Environ(), "HELPCENTER_DB="+db)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	return string(out)
}

// TestKillKeepsAcknowledgedVotes votes from many goroutines, kills the
// process with SIGKILL mid-stream, and finds every acknowledged vote after
// a restart.
func TestKillKeepsAcknowledgedVotes(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hc.db")
	p := start(t, db)
	load := startVoting(p.addr, 8)
	time.Sleep(700 * time.Millisecond)
	p.cmd.Process.Signal(syscall.SIGKILL)
	acked := load.stop()
	p.cmd.Wait()
	if acked == 0 {
		t.Fatal("no vote was acknowledged")
	}
	p2 := start(t, db)
	p2.cmd.Process.Signal(syscall.SIGTERM)
	p2.cmd.Wait()
	rows := strings.Count(exportVotes(t, db), "\n") - 1
	if rows < acked {
		t.Errorf("%d votes acknowledged, %d stored after kill -9", acked, rows)
	}
	t.Logf("%d acknowledged, %d stored", acked, rows)
}

// TestBackupCommand backs up the running server's database while votes
// pour in; the copy opens and holds at least the votes acknowledged
// before the backup began.
func TestBackupCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hc.db")
	p := start(t, db)
	load := startVoting(p.addr, 4)
	time.Sleep(300 * time.Millisecond)
	before := load.acked()
	dest := filepath.Join(t.TempDir(), "backup.db")
	cmd := exec.Command(binary, "backup", dest)
	cmd.Env = append(os.Environ(), "HELPCENTER_DB="+db)
	out, err := cmd.CombinedOutput()
	acked := load.stop()
	if err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	rows := strings.Count(exportVotes(t, dest), "\n") - 1
	if rows < before || rows > acked {
		t.Errorf("the copy holds %d votes; %d acknowledged before the backup, %d in all", rows, before, acked)
	}
	t.Logf("%s; %d votes in the copy (%d acknowledged before it, %d in all)", strings.TrimSpace(string(out)), rows, before, acked)
	if err := exec.Command(binary, "backup", dest).Run(); err == nil {
		t.Error("backup overwrote an existing file")
	}
}

func TestHealthcheckCommand(t *testing.T) {
	p := start(t, filepath.Join(t.TempDir(), "hc.db"))
	cmd := exec.Command(binary, "healthcheck")
	cmd.Env = append(os.Environ(), "HELPCENTER_ADDR="+p.addr)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("healthcheck: %v %s", err, out)
	}
	cmd = exec.Command(binary, "healthcheck")
	cmd.Env = append(os.Environ(), "HELPCENTER_ADDR="+freeAddr(t))
	if err := cmd.Run(); err == nil {
		t.Error("healthcheck passed with no server")
	}
}

func TestCheckCommand(t *testing.T) {
	var out bytes.Buffer
	if code := run(context.Background(), []string{"check"}, func(string) string { return "" }, &out, &out); code != 0 {
		t.Fatalf("check of the embedded content: exit %d\n%s", code, out.String())
	}
	// A broken copy on disk: non-zero, with file:line.
	dir := t.TempDir()
	for _, sub := range []string{"articles", "locales"} {
		if err := os.CopyFS(filepath.Join(dir, sub), os.DirFS(filepath.Join("..", "..", sub))); err != nil {
			t.Fatal(err)
		}
	}
	broken := filepath.Join(dir, "articles", "log-out", "en.md")
	data, _ := os.ReadFile(broken)
	os.WriteFile(broken, bytes.Replace(data, []byte("category: account"), []byte("category: nowhere"), 1), 0o644)
	os.Remove(filepath.Join(dir, "locales", "sw.toml"))
	out.Reset()
	code := run(context.Background(), []string{"check", "-content-dir", dir}, func(string) string { return "" }, &out, &out)
	if code == 0 {
		t.Fatal("check passed broken content")
	}
	for _, want := range []string{`articles/log-out/en.md`, `unknown category "nowhere"`, "locales/sw.toml: missing message file"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("check output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestUnknownCommand(t *testing.T) {
	var out bytes.Buffer
	if code := run(context.Background(), []string{"frobnicate"}, func(string) string { return "" }, &out, &out); code == 0 {
		t.Error("unknown command succeeded")
	}
}

// TestMetricsListener: with HELPCENTER_METRICS_ADDR the metrics are on
// their own listener, start-up phases included, and not on the site.
func TestMetricsListener(t *testing.T) {
	maddr := freeAddr(t)
	p := start(t, filepath.Join(t.TempDir(), "hc.db"), "HELPCENTER_METRICS_ADDR="+maddr)
	resp, err := http.Get("http://" + maddr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`helpcenter_startup_phase_seconds{phase="messages"}`, `helpcenter_startup_phase_seconds{phase="listening"}`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if resp, err := http.Get("http://" + p.addr + "/metrics"); err == nil {
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Error("the site serves /metrics")
		}
	}
}

// TestMemoryLimitLeavesRoom: once the site is at rest, Go's soft memory
// limit sits well above the heap in use. A limit near the live heap makes
// the collector run without pause (it halved the requests per second).
func TestMemoryLimitLeavesRoom(t *testing.T) {
	maddr := freeAddr(t)
	start(t, filepath.Join(t.TempDir(), "hc.db"), "HELPCENTER_METRICS_ADDR="+maddr)
	gauge := func(body, name string) float64 {
		for _, line := range strings.Split(body, "\n") {
			var v float64
			if rest, ok := strings.CutPrefix(line, name+" "); ok {
				if _, err := fmt.Sscan(rest, &v); err == nil {
					return v
				}
			}
		}
		t.Fatalf("no %s in the metrics", name)
		return 0
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get("http://" + maddr + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		limit := gauge(string(body), "go_gc_gomemlimit_bytes")
		inuse := gauge(string(body), "go_memstats_heap_inuse_bytes")
		if limit < 1<<50 { // set once the search index is built
			if limit-inuse < 16<<20 {
				t.Errorf("memory limit %.0f MB leaves %.0f MB above the heap in use", limit/(1<<20), (limit-inuse)/(1<<20))
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the memory limit was never set")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestUnreachableDatabaseFailsCleanly: a database that cannot be opened
// ends start-up with its error and exit code 1, not a panic.
func TestUnreachableDatabaseFailsCleanly(t *testing.T) {
	cmd := exec.Command(binary)
	cmd.Env = append(os.Environ(), "HELPCENTER_ADDR="+freeAddr(t), "HELPCENTER_DB=postgres://nobody@127.0.0.1:1/none?connect_timeout=2")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 || strings.Contains(string(out), "panic") {
		t.Errorf("exit %v\n%s", err, out)
	}
}
