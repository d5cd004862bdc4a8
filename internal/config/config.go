// Package config reads the server's settings from flags and HELPCENTER_*
// environment variables (the environment wins over flag defaults; a flag
// given on the command line wins over both) and validates them.
package config

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is every setting of the server.
type Config struct {
	Addr           string         // listen address
	DB             string         // SQLite file, or a postgres:// URL
	BaseURL        string         // public origin for canonical links and the sitemap
	SiteName       string         // shown in the header and titles; "" shows each language's own name
	LogFormat      string         // text or json
	LogLevel       slog.Level     // debug, info, warn, error
	ContentDir     string         // read articles/ and locales/ from here, live, instead of the embedded copy
	RateLimit      int            // votes a reader may send per minute; 0 turns limiting off
	TrustedProxies []netip.Prefix // peers whose X-Forwarded-For is believed
	VoteRetention  time.Duration  // votes untouched this long are deleted
	ShutdownGrace  time.Duration  // time in-flight requests get to finish on SIGTERM
	MaxDBSize      int64          // bytes of data above which writes are refused; 0: no limit
	PageCache      uint64         // bytes of rendered pages kept in memory; 0 turns the cache off
	MetricsAddr    string         // listen address of the Prometheus metrics; empty turns them off
	// Contact requests
	RequestRetention time.Duration // closed contact requests are deleted this long after closing
	SMTPURL          string        // smtp://user:pass@host:port (STARTTLS) or smtps://; empty: no mail
	MailFrom         string        // sender address of the site's mail
	FormKey          string        // signs the contact form's issue time; instances behind one site share it
	ReplyDays        int           // working days within which support usually replies, shown after sending
	// --- end contact requests ---
}

// envPrefix starts every variable name.
const envPrefix = "HELPCENTER_"

// Parse reads args (without the program name) and the environment through
// getenv.
func Parse(args []string, getenv func(string) string) (Config, error) {
	fs := flag.NewFlagSet("helpcenter serve", flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	var (
		c        Config
		level    string
		proxies  string
		retain   string
		shutdown string
	)
	str := func(p *string, name, def, usage string) {
		env := envPrefix + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
		if v := getenv(env); v != "" {
			def = v
		}
		fs.StringVar(p, name, def, usage+" ($"+env+")")
	}
	str(&c.Addr, "addr", ":8080", "listen address")
	str(&c.DB, "db", "data/helpcenter.db", "SQLite database file (its folder is created), or a postgres:// URL")
	str(&c.BaseURL, "base-url", "", "public URL of the site, e.g. https://help.example.com (default: http://localhost + addr)")
	str(&c.SiteName, "site-name", "", "site name shown in headers and titles, as given in every language (default: \"Help Center\" translated into each)")
	str(&c.LogFormat, "log-format", "text", "log format: text or json")
	str(&level, "log-level", "info", "log level: debug, info, warn or error")
	str(&c.ContentDir, "content-dir", "", "folder holding articles/ and locales/ to read live instead of the embedded copy")
	var rate string
	str(&rate, "rate-limit", "20", "feedback posts per reader per minute; 0 turns rate limiting off")
	str(&proxies, "trusted-proxies", "", "comma-separated CIDRs of proxies whose X-Forwarded-For is trusted")
	str(&retain, "vote-retention", "730d", "how long votes are kept after their last change (e.g. 730d, 4380h)")
	str(&shutdown, "shutdown-grace", "20s", "how long in-flight requests may run after SIGTERM")
	var maxDB, pageCache string
	str(&maxDB, "max-db-size", "0", "database size above which votes are refused with 503 while pages are served (e.g. 2GB); 0: no limit")
	str(&pageCache, "page-cache", "64MB", "memory for rendered pages (e.g. 64MB, 256MB; 0 turns the cache off)")
	// Contact requests
	var requestRetain string
	str(&requestRetain, "request-retention", "365d", "how long a contact request is kept after it is closed (e.g. 365d)")
	str(&c.SMTPURL, "smtp-url", "", "SMTP server for mail: smtp://user:pass@host:587 (STARTTLS) or smtps://…:465; empty: no mail")
	str(&c.MailFrom, "mail-from", "", "sender address of the site's mail, e.g. help@example.com")
	str(&c.FormKey, "form-key", "", "secret that signs the contact form's issue time; set the same value on every instance (default: random at start)")
	var replyDays string
	str(&replyDays, "reply-days", "3", "working days within which support usually replies, as told to readers")
	str(&c.MetricsAddr, "metrics-addr", "", "listen address for Prometheus metrics at /metrics, e.g. 127.0.0.1:9090 (default: off)")
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("config: unexpected argument %q", fs.Arg(0))
	}

	var errs []error
	bad := func(name, format string, a ...any) {
		errs = append(errs, fmt.Errorf("config: %s%s: %s", envPrefix, strings.ToUpper(name), fmt.Sprintf(format, a...)))
	}
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil {
		bad("addr", "%q is not host:port", c.Addr)
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		bad("addr", "port %q is not a number from 0 to 65535", port)
	}
	if strings.TrimSpace(c.DB) == "" {
		bad("db", "must not be empty")
	}
	if c.BaseURL == "" {
		if host == "" || host == "0.0.0.0" || host == "::" {
			host = "localhost"
		}
		c.BaseURL = "http://" + net.JoinHostPort(host, port)
	}
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		bad("base_url", "%q must be an http(s) origin such as https://help.example.com", c.BaseURL)
	}
	c.BaseURL = strings.TrimSuffix(c.BaseURL, "/")
	c.SiteName = strings.TrimSpace(c.SiteName)
	if len(c.SiteName) > 80 {
		bad("site_name", "must be at most 80 characters")
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		bad("log_format", "%q: want text or json", c.LogFormat)
	}
	if err := c.LogLevel.UnmarshalText([]byte(level)); err != nil {
		bad("log_level", "%q: want debug, info, warn or error", level)
	}
	if c.ContentDir != "" {
		for _, sub := range []string{"articles", "locales"} {
			if st, err := os.Stat(c.ContentDir + "/" + sub); err != nil || !st.IsDir() {
				bad("content_dir", "%q has no %s/ folder", c.ContentDir, sub)
			}
		}
	}
	if n, err := strconv.Atoi(rate); err != nil || n < 0 {
		bad("rate_limit", "%q: want a whole number, 0 or more", rate)
	} else {
		c.RateLimit = n
	}
	for _, p := range strings.Split(proxies, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if !strings.Contains(p, "/") {
			if a, err := netip.ParseAddr(p); err == nil {
				p = netip.PrefixFrom(a, a.BitLen()).String()
			}
		}
		pf, err := netip.ParsePrefix(p)
		if err != nil {
			bad("trusted_proxies", "%q is not an address or CIDR", p)
			continue
		}
		c.TrustedProxies = append(c.TrustedProxies, pf.Masked())
	}
	if c.VoteRetention, err = parseDuration(retain); err != nil || c.VoteRetention < 24*time.Hour {
		bad("vote_retention", "%q: want a duration of at least 1d", retain)
	}
	if c.ShutdownGrace, err = parseDuration(shutdown); err != nil || c.ShutdownGrace <= 0 {
		bad("shutdown_grace", "%q: want a positive duration such as 20s", shutdown)
	}
	if c.MaxDBSize, err = parseSize(maxDB); err != nil {
		bad("max_db_size", "%q: want a size such as 500MB or 2GB, or 0", maxDB)
	}
	if n, err := parseSize(pageCache); err != nil {
		bad("page_cache", "%q: want a size such as 64MB or 0", pageCache)
	} else {
		c.PageCache = uint64(n)
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			bad("metrics_addr", "%q is not host:port", c.MetricsAddr)
		}
	}
	// Contact requests
	if c.RequestRetention, err = parseDuration(requestRetain); err != nil || c.RequestRetention < 24*time.Hour {
		bad("request_retention", "%q: want a duration of at least 1d", requestRetain)
	}
	if c.ReplyDays, err = strconv.Atoi(replyDays); err != nil || c.ReplyDays < 1 || c.ReplyDays > 60 {
		bad("reply_days", "%q must be a number of working days from 1 to 60", replyDays)
	}
	if c.SMTPURL != "" && c.MailFrom == "" {
		bad("mail_from", "must be set when smtp_url is")
	}
	// --- end contact requests ---
	return c, errors.Join(errs...)
}

// parseSize reads a byte count with an optional KB, MB or GB suffix
// (powers of 1000) or KiB, MiB or GiB (powers of 1024).
func parseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1}} {
		if n, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = strings.TrimSpace(n), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("bad size %q", s)
	}
	return n * mult, nil
}

// parseDuration is time.ParseDuration plus whole days ("730d").
func parseDuration(s string) (time.Duration, error) {
	if d, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(d)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("bad days %q", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	return time.ParseDuration(s)
}

// LogValue lists the settings for the start-up log line. The only secret
// a setting can hold, a database password, is masked.
func (c Config) LogValue() slog.Value {
	proxies := make([]string, len(c.TrustedProxies))
	for i, p := range c.TrustedProxies {
		proxies[i] = p.String()
	}
	return slog.GroupValue(
		slog.String("addr", c.Addr), slog.String("db", redactURL(c.DB)), slog.String("base_url", c.BaseURL),
		slog.String("site_name", c.SiteName), slog.String("log_format", c.LogFormat),
		slog.String("log_level", c.LogLevel.String()), slog.String("content_dir", c.ContentDir),
		slog.Int("rate_limit", c.RateLimit), slog.String("trusted_proxies", strings.Join(proxies, ",")),
		slog.Duration("vote_retention", c.VoteRetention), slog.Duration("shutdown_grace", c.ShutdownGrace),
		slog.Int64("max_db_size", c.MaxDBSize), slog.Uint64("page_cache", c.PageCache), slog.String("metrics_addr", c.MetricsAddr),
	)
}

// redactURL masks the password of a database URL; a file path is kept.
func redactURL(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		return u.Redacted()
	}
	return dsn
}
