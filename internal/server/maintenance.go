package server

import (
	"context"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// reloadInterval is how often WatchContent looks for edited files.
const reloadInterval = time.Second

// WatchContent reloads the message files and articles under dir whenever
// one changes, so writers see their edits on refresh. A reload that fails
// keeps the previous content and logs every problem. Polling a few
// hundred files' sizes and times once a second costs nothing and, unlike
// inotify, sees new subfolders and works on any file system.
func (s *Server) WatchContent(ctx context.Context, dir string, localesFS, articlesFS fs.FS) {
	last := fingerprint(dir)
	t := time.NewTicker(reloadInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		fp := fingerprint(dir)
		if fp == last {
			continue
		}
		last = fp
		started := time.Now()
		site, err := LoadSite(localesFS, articlesFS, s.log)
		if err != nil {
			s.log.Error("content reload failed; keeping the previous content", "err", err)
			continue
		}
		old := s.Site()
		s.SetSite(site)
		// Requests that took the old snapshot may still be searching.
		go func() { time.Sleep(time.Minute); old.closeIndex() }()
		s.log.Info("content reloaded", "took", time.Since(started).Round(time.Millisecond))
	}
}

// fingerprint hashes the names, sizes and modification times of the
// content files.
func fingerprint(dir string) uint64 {
	h := fnv.New64a()
	for _, sub := range []string{"locales", "articles"} {
		_ = filepath.WalkDir(filepath.Join(dir, sub), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			if info, err := os.Stat(p); err == nil {
				fmt.Fprintf(h, "%s|%d|%d\n", p, info.Size(), info.ModTime().UnixNano())
			}
			return nil
		})
	}
	return h.Sum64()
}

// missedSearchRetention is how long the counts of searches that found
// nothing are kept.
const missedSearchRetention = 365 * 24 * time.Hour

// PurgeOldData deletes, once at start and then daily, the votes and
// search counts older than their retention period.
func (s *Server) PurgeOldData(ctx context.Context) {
	t := time.NewTicker(24 * time.Hour)
	defer t.Stop()
	for {
		// With several instances on one PostgreSQL database, one of them
		// purges and the others skip the round.
		if _, err := s.store.Exclusive(ctx, "purge", func(ctx context.Context) error {
			s.purgeOnce(ctx, time.Now())
			return nil
		}); err != nil {
			s.log.Warn("purge", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// purgeOnce deletes what has outlived its retention period as of now.
func (s *Server) purgeOnce(ctx context.Context, now time.Time) {
	if n, err := s.store.PurgeVotes(ctx, now.Add(-s.cfg.VoteRetention)); err != nil {
		s.log.Warn("purge votes", "err", err)
	} else if n > 0 {
		s.log.Info("purged old votes", "count", n)
	}
	if err := s.store.PurgeMissedSearches(ctx, now.Add(-missedSearchRetention)); err != nil {
		s.log.Warn("purge missed searches", "err", err)
	}
}
