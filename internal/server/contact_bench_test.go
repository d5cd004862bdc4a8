package server

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"testing"

	"helpcenter/internal/config"
	"helpcenter/internal/contact/contacttest"
	"helpcenter/internal/store/sqlite"
)

// BenchmarkContactPost sends a contact request with a 1 MB screenshot
// through the real server: parse, sniff, decode, re-encode, durable
// commit. B/op is the memory one upload costs.
func BenchmarkContactPost(b *testing.B) {
	shot := contacttest.NoisePNG(b, 580, 580)
	b.Logf("screenshot: %d bytes", len(shot))
	b.Run("screenshot-1MB", func(b *testing.B) { benchContact(b, shot) })
	b.Run("text-only", func(b *testing.B) { benchContact(b, nil) })
}

func benchContact(b *testing.B, shot []byte) {
	ts := newTestServer(b, func(c *config.Config) { c.RateLimit = 0 })
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		p := validContact(ts).with("step", "confirm", "description", fmt.Sprintf("Qzxv wbblr frmblt qrrk vvmm bench %d", i))
		if shot != nil {
			p = p.file("noise.png", shot)
		}
		body, ct := p.body()
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/en/contact", body)
		req.Header.Set("Content-Type", ct)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
	b.StopTimer()
	// What a request costs on disk: the file after a checkpoint, per request.
	if size, err := sqlite.Backup(context.Background(), ts.dbPath, filepath.Join(b.TempDir(), "copy.db")); err == nil {
		b.ReportMetric(float64(size)/float64(b.N), "disk-B/req")
	}
}
