// Command helpcenter serves the help center and carries its tools:
//
//	helpcenter [serve]       run the site (the default)
//	helpcenter check         validate articles and message files
//	helpcenter healthcheck   exit 0 if the local server answers /healthz
//	helpcenter export votes  print every vote as CSV
//	helpcenter backup <file> copy the live database to file, consistently
//	helpcenter staff ...     add, list, passwd, remove back-office accounts
//	helpcenter translations [-format csv]  article × locale translation states
//	helpcenter translations stamp          record the English source of checked translations
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"
	"helpcenter/articles"
	"helpcenter/internal/assets"

	"helpcenter/internal/config"
	"helpcenter/internal/server"
	"helpcenter/internal/store"
	"helpcenter/internal/store/sqlite"
	"helpcenter/locales"
	"helpcenter/static"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// run dispatches to a subcommand and returns the exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = serve(ctx, args, getenv, stderr)
	case "check":
		err = check(args, getenv, stdout)
	case "healthcheck":
		err = healthcheck(ctx, args, getenv)
	case "export":
		err = export(ctx, args, getenv, stdout)
	case "backup":
		err = backup(ctx, args, getenv, stdout)
	case "migrate-data":
		err = migrateData(ctx, args, stdout)
	case "staff":
		err = staffCmd(ctx, args, getenv, os.Stdin, stdout)
	case "translations":
		err = translations(args, getenv, stdout)
	default:
		err = fmt.Errorf("unknown command %q: want serve, check, healthcheck, export votes, backup <file>, migrate-data, staff or translations", cmd)
	}
	if err != nil {
		fmt.Fprintln(stderr, "helpcenter:", err)
		return 1
	}
	return 0
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// contentFS returns the locales/ and articles/ to read: the embedded
// copies, or the folders under dir for writers who want to see edits live.
func contentFS(dir string) (localesFS, articlesFS fs.FS) {
	if dir == "" {
		return locales.FS, articles.FS
	}
	return os.DirFS(filepath.Join(dir, "locales")), os.DirFS(filepath.Join(dir, "articles"))
}

func serve(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	started := time.Now()
	cfg, err := config.Parse(args, getenv)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	log.Info("starting", "config", cfg)

	// The three independent loads run side by side; the search index is
	// built after them, in the background, while pages are served.
	lfs, afs := contentFS(cfg.ContentDir)
	var (
		site   *server.Site
		phases []server.Phase
		as     *assets.Set
		st     store.DB
		took   = map[string]time.Duration{}
		mu     sync.Mutex
	)
	timed := func(name string, fn func() error) func() error {
		return func() error {
			t := time.Now()
			err := fn()
			mu.Lock()
			took[name] = time.Since(t)
			mu.Unlock()
			return err
		}
	}
	var g errgroup.Group
	g.Go(timed("content", func() (err error) {
		// The embedded library passed every check in CI before this binary
		// was built; a content directory is a writer's and gets them all.
		site, phases, err = server.LoadSiteFast(lfs, afs, cfg.ContentDir == "", log)
		return err
	}))
	g.Go(timed("assets", func() (err error) { as, err = assets.Load(static.FS); return err }))
	g.Go(timed("database", func() (err error) { st, err = openDB(ctx, cfg.DB); return err }))
	if err := g.Wait(); err != nil {
		if st != nil {
			st.Close()
		}
		return err
	}
	attrs := []any{"total", time.Since(started).Round(time.Millisecond)}
	for _, p := range phases {
		attrs = append(attrs, p.Name, p.Took.Round(time.Millisecond))
	}
	for _, name := range []string{"content", "assets", "database"} {
		attrs = append(attrs, name, took[name].Round(time.Millisecond))
	}
	log.Info("loaded", attrs...)
	defer func() {
		if err := st.Close(); err != nil {
			log.Error("close database", "err", err)
		}
		log.Info("database closed")
	}()

	// The size limit guards the disk a SQLite file lives on; PostgreSQL
	// has its own quotas and monitoring.
	if sq, ok := st.(*sqlite.Store); ok {
		sq.LimitSize(cfg.MaxDBSize, log)
	} else if cfg.MaxDBSize > 0 {
		log.Warn("HELPCENTER_MAX_DB_SIZE applies to SQLite only; ignored for PostgreSQL")
	}

	if cs, ok := st.(contactDB); ok {
		if err := runContact(ctx, cfg, cs, log); err != nil {
			return err
		}
	}
	srv := server.New(cfg, log, st, as, site)
	if cfg.ContentDir != "" {
		go srv.WatchContent(ctx, cfg.ContentDir, lfs, afs)
	}
	go srv.PurgeOldData(ctx)
	if os.Getenv("GOMEMLIMIT") == "" {
		go followMemoryLimit(ctx, srv, site)
	}
	for _, p := range phases {
		srv.Metrics().StartupPhase.WithLabelValues(p.Name).Set(p.Took.Seconds())
	}
	for name, d := range took {
		srv.Metrics().StartupPhase.WithLabelValues(name).Set(d.Seconds())
	}
	if cfg.MetricsAddr != "" {
		stop, err := serveMetrics(cfg.MetricsAddr, srv.Metrics().Handler(), log)
		if err != nil {
			return err
		}
		defer stop()
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	srv.Metrics().StartupPhase.WithLabelValues("listening").Set(time.Since(started).Seconds())
	log.Info("listening", "addr", ln.Addr().String(), "url", cfg.BaseURL, "startup", time.Since(started).Round(time.Millisecond))

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Stop accepting, let in-flight requests and their background writes
	// finish, then (deferred) commit queued votes and close the database.
	// A second signal ends the process at once.
	signal.Reset(os.Interrupt, syscall.SIGTERM)
	log.Info("shutting down", "grace", cfg.ShutdownGrace)
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownGrace)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		// The grace ran out: say which requests are cut off, cut them,
		// and exit non-zero so the supervisor knows readers saw errors.
		dropped := srv.InFlight()
		log.Error("shutdown grace ran out; requests dropped", "grace", cfg.ShutdownGrace, "count", len(dropped), "dropped", dropped)
		_ = hs.Close()
		srv.Wait()
		return fmt.Errorf("shutdown: %d requests dropped after the %s grace", len(dropped), cfg.ShutdownGrace)
	}
	srv.Wait()
	return nil
}

// serveMetrics serves Prometheus metrics at /metrics on a listener of its
// own, so that they are never exposed to readers through the site. stop
// closes it.
func serveMetrics(addr string, h http.Handler, log *slog.Logger) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", h)
	ms := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second}
	go ms.Serve(ln)
	log.Info("metrics", "addr", ln.Addr().String(), "path", "/metrics")
	return func() { ms.Close() }, nil
}

// memoryFloor is the least room the soft memory limit leaves the site
// besides the page cache and the uploads.
const memoryFloor = 48 << 20

// followMemoryLimit keeps Go's soft memory limit at what the site holds at
// rest (messages, articles, search index) plus as much again for garbage,
// plus what the page cache and the uploads being read hold now, unless GOMEMLIMIT says
// otherwise. By default the garbage collector lets the heap grow to twice
// what is live, and memory freed during a burst (uploads above all) goes
// back to the system only slowly; the limit makes it collect sooner when
// the burst's garbage, not what is live, nears it. The base is measured,
// not fixed: a limit near the live heap makes the collector run without
// pause (a fixed 48 MiB against 37 MB live cut /healthz from 37k to 15k
// requests/s).
func followMemoryLimit(ctx context.Context, srv *server.Server, site *server.Site) {
	// At rest: the index is built and start-up's garbage collected.
	if _, err := site.Index(ctx); err != nil {
		return
	}
	// What the limit counts (all the runtime holds, less what it gave
	// back) plus room for as much garbage as is live: where GOGC=100
	// would start a collection anyway.
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(sample)
	live, total, released := sample[0].Value.Uint64(), sample[1].Value.Uint64(), sample[2].Value.Uint64()
	base := max(memoryFloor, int64(total-released+live))
	set := func(working int64) { debug.SetMemoryLimit(base + working) }
	srv.FollowMemory(set)
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		set(srv.WorkingBytes())
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
