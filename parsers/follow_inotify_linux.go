package parsers

import "syscall"

// inotifyInstance checks that an inotify instance can be created (the
// limit fs.inotify.max_user_instances is per user, shared with every other
// program watching files).
func inotifyInstance() error {
	fd, err := syscall.InotifyInit1(syscall.IN_CLOEXEC)
	if err != nil {
		return err
	}
	return syscall.Close(fd)
}
