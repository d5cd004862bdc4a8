package main

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"regexp"
	"sync"
	"syscall"
	"testing"
	"time"

	"helpcenter/internal/contact"
	"helpcenter/internal/contact/contacttest"
)

const testFormKey = "kill-test-form-key"

var statusLink = regexp.MustCompile(`/en/requests/[0-9a-f]{32}`)

// sendRequest posts a contact request with a screenshot as a human would
// (the form issued a minute ago) and returns its status path once the
// server acknowledged it.
func sendRequest(addr string, n int, shot []byte) (string, error) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range map[string]string{
		"kind": "technical", "device": "android", "step": "confirm",
		"description": fmt.Sprintf("Qzxv wbblr frmblt qrrk vvmm request %d", n),
		"stamp":       contact.Stamper{Key: []byte(testFormKey)}.Stamp(time.Now().Add(-time.Minute)),
	} {
		mw.WriteField(k, v)
	}
	w, _ := mw.CreateFormFile("screenshots", "screen.png")
	w.Write(shot)
	mw.Close()
	resp, err := http.Post("http://"+addr+"/en/contact", mw.FormDataContentType(), &b)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("status %d: %v", resp.StatusCode, err)
	}
	link := statusLink.Find(body)
	if link == nil {
		return "", fmt.Errorf("no status link")
	}
	return string(link), nil
}

// TestKillKeepsAcknowledgedRequests sends requests with screenshots from
// several goroutines, kills the process with SIGKILL mid-stream, and
// finds every acknowledged request and its screenshot after a restart.
func TestKillKeepsAcknowledgedRequests(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hc.db")
	p := start(t, db, "HELPCENTER_FORM_KEY="+testFormKey)
	shot := contacttest.PNG(t, 320, 240)
	var (
		mu    sync.Mutex
		acked []string
		wg    sync.WaitGroup
	)
	ctx, cancel := context.WithCancel(context.Background())
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				if link, err := sendRequest(p.addr, w*100000+i, shot); err == nil {
					mu.Lock()
					acked = append(acked, link)
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(1500 * time.Millisecond)
	p.cmd.Process.Signal(syscall.SIGKILL)
	cancel()
	wg.Wait()
	p.cmd.Wait()
	if len(acked) == 0 {
		t.Fatalf("no request was acknowledged:\n%s", p.logs)
	}
	p2 := start(t, db, "HELPCENTER_FORM_KEY="+testFormKey)
	img := regexp.MustCompile(`/en/requests/[0-9a-f]{32}/screenshots/[0-9]+`)
	for _, link := range acked {
		resp, err := http.Get("http://" + p2.addr + link)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		src := img.Find(page)
		if resp.StatusCode != http.StatusOK || src == nil {
			t.Fatalf("%s after kill -9: status %d, screenshot %q", link, resp.StatusCode, src)
		}
		resp, err = http.Get("http://" + p2.addr + string(src))
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(resp.Body)
		resp.Body.Close()
		if err != nil || cfg.Width != 320 || cfg.Height != 240 {
			t.Fatalf("%s: screenshot %v %dx%d", src, err, cfg.Width, cfg.Height)
		}
	}
	t.Logf("%d requests acknowledged before kill -9, all present with their screenshots", len(acked))
}
