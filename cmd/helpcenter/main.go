// Command helpcenter serves the help center and carries its tools:
//
//	helpcenter [serve]       run the site (the default)
//	helpcenter check         validate articles and message files
//	helpcenter healthcheck   exit 0 if the local server answers /healthz
//	helpcenter export votes  print every vote as CSV
//	helpcenter backup <file> copy the live database to file, consistently
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
	"syscall"
	"time"

	"helpcenter/articles"
	"helpcenter/internal/assets"
	"helpcenter/internal/config"
	"helpcenter/internal/server"
	"helpcenter/internal/store"
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
	case "translations":
		err = translations(args, getenv, stdout)
	default:
		err = fmt.Errorf("unknown command %q: want serve, check, healthcheck, export votes, backup <file>, migrate-data or translations", cmd)
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

	lfs, afs := contentFS(cfg.ContentDir)
	site, err := server.LoadSite(lfs, afs, log)
	if err != nil {
		return err
	}
	as, err := assets.Load(static.FS)
	if err != nil {
		return err
	}
	st, err := openDB(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer func() {
		if err := st.Close(); err != nil {
			log.Error("close database", "err", err)
		}
		log.Info("database closed")
	}()

	// The size limit guards the disk a SQLite file lives on; PostgreSQL
	// has its own quotas and monitoring.
	if sq, ok := st.(*store.Store); ok {
		sq.LimitSize(cfg.MaxDBSize, log)
	} else if cfg.MaxDBSize > 0 {
		log.Warn("HELPCENTER_MAX_DB_SIZE applies to SQLite only; ignored for PostgreSQL")
	}

	srv := server.New(cfg, log, st, as, site)
	if cfg.ContentDir != "" {
		go srv.WatchContent(ctx, cfg.ContentDir, lfs, afs)
	}
	go srv.PurgeOldData(ctx)

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
