package config

import (
	"log/slog"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestDefaults(t *testing.T) {
	c, err := Parse(nil, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.DB != "data/helpcenter.db" || c.SiteName != "" ||
		c.LogFormat != "text" || c.LogLevel != slog.LevelInfo || c.BaseURL != "http://localhost:8080" ||
		c.RateLimit != 20 || c.VoteRetention != 730*24*time.Hour || c.ContentDir != "" {
		t.Errorf("defaults = %+v", c)
	}
}

func TestEnvironmentAndFlags(t *testing.T) {
	e := env(map[string]string{
		"HELPCENTER_ADDR":            "127.0.0.1:9000",
		"HELPCENTER_DB":              "/var/lib/hc/db.sqlite",
		"HELPCENTER_BASE_URL":        "https://help.example.com/",
		"HELPCENTER_SITE_NAME":       "  Example Help  ",
		"HELPCENTER_LOG_FORMAT":      "json",
		"HELPCENTER_LOG_LEVEL":       "debug",
		"HELPCENTER_RATE_LIMIT":      "0",
		"HELPCENTER_TRUSTED_PROXIES": "10.0.0.0/8, 192.168.1.7",
	})
	c, err := Parse(nil, e)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9000" || c.BaseURL != "https://help.example.com" || c.SiteName != "Example Help" ||
		c.LogFormat != "json" || c.LogLevel != slog.LevelDebug || c.RateLimit != 0 || len(c.TrustedProxies) != 2 ||
		c.TrustedProxies[1].String() != "192.168.1.7/32" {
		t.Errorf("from environment: %+v", c)
	}
	// A flag on the command line wins over the environment.
	c, err = Parse([]string{"-addr", ":7000", "-base-url", "http://x.test"}, e)
	if err != nil || c.Addr != ":7000" {
		t.Errorf("flag: %v %+v", err, c)
	}
}

func TestValidation(t *testing.T) {
	tests := map[string]string{
		"HELPCENTER_ADDR":            "nonsense",
		"HELPCENTER_BASE_URL":        "ftp://x",
		"HELPCENTER_LOG_FORMAT":      "xml",
		"HELPCENTER_LOG_LEVEL":       "loud",
		"HELPCENTER_RATE_LIMIT":      "-1",
		"HELPCENTER_TRUSTED_PROXIES": "not-an-ip",
		"HELPCENTER_CONTENT_DIR":     "/does/not/exist",
		"HELPCENTER_VOTE_RETENTION":  "1h",
		"HELPCENTER_SITE_NAME":       strings.Repeat("x", 81),
		"HELPCENTER_MAX_DB_SIZE":     "lots",
	}
	for name, value := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := Parse(nil, env(map[string]string{name: value}))
			if err == nil || !strings.Contains(err.Error(), name) {
				t.Errorf("%s=%q: want an error naming it, got %v", name, value, err)
			}
		})
	}
	if _, err := Parse([]string{"extra"}, env(nil)); err == nil {
		t.Error("a stray argument was accepted")
	}
}

func TestMaxDBSize(t *testing.T) {
	for in, want := range map[string]int64{"0": 0, "1048576": 1 << 20, "500MB": 500e6, "2GB": 2e9, "1 GiB": 1 << 30, "64KiB": 64 << 10} {
		c, err := Parse(nil, env(map[string]string{"HELPCENTER_MAX_DB_SIZE": in}))
		if err != nil || c.MaxDBSize != want {
			t.Errorf("%q: %d, %v; want %d", in, c.MaxDBSize, err, want)
		}
	}
	for _, in := range []string{"-1", "2TB", "1.5GB", "99999999999GB"} {
		if _, err := Parse(nil, env(map[string]string{"HELPCENTER_MAX_DB_SIZE": in})); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
}
