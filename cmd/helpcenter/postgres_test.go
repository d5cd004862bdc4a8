package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"helpcenter/internal/store/storetest"
)

// voteLoad votes from workers goroutines against addrs in turn until ctx
// ends, and returns how many votes were acknowledged.
func voteLoad(ctx context.Context, workers int, addrs ...string) func() int {
	var (
		mu    sync.Mutex
		acked int
		wg    sync.WaitGroup
	)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				// No cookie: every vote is a new reader, so each is a row.
				if code, err := vote(addrs[(w+i)%len(addrs)], "log-out", "yes"); err == nil && code == http.StatusSeeOther {
					mu.Lock()
					acked++
					mu.Unlock()
				}
			}
		}()
	}
	return func() int { wg.Wait(); return acked }
}

// TestPostgresTwoInstances runs two instances of the binary against one
// PostgreSQL database, as behind a load balancer: votes sent to either
// are in one export, and killing one instance with SIGKILL under load
// loses no acknowledged vote.
func TestPostgresTwoInstances(t *testing.T) {
	db := storetest.PostgresDatabase(t)
	a, b := start(t, db), start(t, db)
	for _, p := range []*proc{a, b} {
		if code, err := vote(p.addr, "update-app", "yes"); err != nil || code != http.StatusSeeOther {
			t.Fatalf("vote through %s: %d %v\n%s", p.addr, code, err, p.logs)
		}
	}
	if n := strings.Count(exportVotes(t, db), "update-app,en,yes"); n != 2 {
		t.Errorf("export has %d of the 2 votes sent through two instances", n)
	}

	// A staff member added once signs in on one instance; the session,
	// kept in PostgreSQL, opens the back office of the other, which shows
	// the votes sent through both.
	add := exec.Command(binary, "staff", "add", "ana@example.com", "--role", "admin")
	add.Env = append(os.Environ(), "HELPCENTER_DB="+db)
	add.Stdin = strings.NewReader("correct horse battery staple\n")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("staff add: %v\n%s", err, out)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm("http://"+a.addr+"/admin/login", url.Values{"email": {"ana@example.com"}, "password": {"correct horse battery staple"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var session *http.Cookie
	for _, c := range resp.Cookies() {
		if strings.HasSuffix(c.Name, "helpcenter_staff") {
			session = c
		}
	}
	if resp.StatusCode != http.StatusSeeOther || session == nil {
		t.Fatalf("sign-in on instance a: %d, cookie %v\n%s", resp.StatusCode, session, a.logs)
	}
	req, _ := http.NewRequest(http.MethodGet, "http://"+b.addr+"/admin/", nil)
	req.AddCookie(session)
	resp, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), "update-app") {
		t.Errorf("back office of instance b with a's session: %d\n%.400s", resp.StatusCode, page)
	}

	ctx, cancel := context.WithCancel(context.Background())
	wait := voteLoad(ctx, 8, a.addr, b.addr)
	time.Sleep(time.Second)
	a.cmd.Process.Signal(syscall.SIGKILL)
	time.Sleep(300 * time.Millisecond)
	cancel()
	acked := wait()
	a.cmd.Wait()
	rows := strings.Count(exportVotes(t, db), "log-out,en,yes")
	if acked == 0 || rows < acked {
		t.Errorf("%d votes acknowledged, %d stored after kill -9 of one instance", acked, rows)
	}
	t.Logf("kill -9 of one of two instances: %d acknowledged, %d stored", acked, rows)
}

// TestPostgresRestartUnderLoad restarts PostgreSQL while votes arrive:
// votes fail (503) while it is down and are never acknowledged then,
// /readyz says not ready, and both recover by themselves. Needs the
// throwaway cluster of .ci/postgres (PGCLUSTER_DIR), which it restarts.
func TestPostgresRestartUnderLoad(t *testing.T) {
	db := storetest.PostgresDatabase(t)
	if os.Getenv("PGCLUSTER_DIR") == "" {
		t.Skip("PGCLUSTER_DIR is not set: the test restarts the cluster of .ci/postgres")
	}
	p := start(t, db)
	ctx, cancel := context.WithCancel(context.Background())
	wait := voteLoad(ctx, 8, p.addr)
	time.Sleep(500 * time.Millisecond)

	restarted := make(chan error, 1)
	go func() {
		out, err := exec.Command("bash", "../../.ci/postgres", "restart").CombinedOutput()
		if err != nil {
			t.Logf("restart: %s", out)
		}
		restarted <- err
	}()
	sawNotReady := false
	for done := false; !done; {
		select {
		case err := <-restarted:
			if err != nil {
				t.Fatal(err)
			}
			done = true
		default:
			if resp, err := http.Get("http://" + p.addr + "/readyz"); err == nil {
				sawNotReady = sawNotReady || resp.StatusCode == http.StatusServiceUnavailable
				resp.Body.Close()
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	// Ready again, and votes are acknowledged again, within a few seconds.
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get("http://" + p.addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				if code, err := vote(p.addr, "update-app", "yes"); err == nil && code == http.StatusSeeOther {
					break
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready or not voting 20 s after PostgreSQL restarted\n%s", p.logs)
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	cancel()
	acked := wait()
	rows := strings.Count(exportVotes(t, db), "log-out,en,yes")
	if rows < acked {
		t.Errorf("%d votes acknowledged, %d stored after a PostgreSQL restart", acked, rows)
	}
	t.Logf("PostgreSQL restart under load: %d acknowledged, %d stored, not ready seen: %v", acked, rows, sawNotReady)
}
