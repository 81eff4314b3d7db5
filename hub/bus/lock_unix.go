//go:build unix

package bus

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// lockFileName sits next to nats-server's own "jetstream" folder.
const lockFileName = "dealerhub-bus.lock"

// dirLock is an exclusive advisory lock on a data dir. flock locks belong to
// the open file, so a second Open in the same process is refused too.
type dirLock struct {
	f *os.File
}

// lockDir takes the lock without waiting.
func lockDir(dir string) (*dirLock, error) {
	path := filepath.Join(dir, lockFileName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return nil, fmt.Errorf("opening lock file of bus data dir %q: %w", dir, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("locking bus data dir %q: %w", dir, ErrDataDirLocked)
		}
		return nil, fmt.Errorf("locking bus data dir %q: %w", dir, err)
	}
	return &dirLock{f: f}, nil
}

// unlock releases the lock; closing the file drops it.
func (l *dirLock) unlock() {
	if l != nil && l.f != nil {
		l.f.Close()
	}
}
