//go:build !linux

package parsers

// inotifyInstance has nothing to check where nxadm/tail watches with
// kqueue or another mechanism than inotify.
func inotifyInstance() error { return nil }
