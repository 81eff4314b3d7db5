//go:build !unix

package bus

// dirLock is a no-op where flock is not available: running two hubs on one
// data dir is then the operator's responsibility.
type dirLock struct{}

func lockDir(string) (*dirLock, error) { return &dirLock{}, nil }

func (l *dirLock) unlock() {}
