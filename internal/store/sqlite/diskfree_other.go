//go:build !linux && !darwin

package sqlite

// freeSpace is unknown here: the store then learns of a full disk from
// failed writes only.
func freeSpace(string) (uint64, bool) { return 0, false }
