// Package store holds what both storage engines share: one interface per
// concern (votes, searches, requests, staff…), the types they read and
// write, and the errors they return. internal/store/sqlite (the default)
// and internal/store/postgres implement the interfaces; handlers depend
// on them, never on an engine.
package store

import "errors"

// ErrNotFound is returned when a row asked for does not exist.
var ErrNotFound = errors.New("store: not found")

// ErrFull is returned for a write refused because the database reached
// its size limit or the disk is full. Reading goes on as usual.
var ErrFull = errors.New("store: database full")

// ErrClosed is returned for writes that arrive after Close began.
var ErrClosed = errors.New("store: closed")

// ErrCorrupt is returned by sqlite.Open for a file that is damaged or is not a
// SQLite database. Restore it from a backup (see README.md).
var ErrCorrupt = errors.New("store: database file is corrupt")
