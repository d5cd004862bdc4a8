//go:build linux || darwin

package sqlite

import "golang.org/x/sys/unix"

// freeSpace is the space left for an unprivileged writer on the file
// system holding dir.
func freeSpace(dir string) (uint64, bool) {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return 0, false
	}
	return uint64(st.Bavail) * uint64(st.Bsize), true
}
