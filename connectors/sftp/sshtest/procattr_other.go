//go:build !linux

package sshtest

import "syscall"

// procAttr returns nil: only Linux can tie sshd's life to the test
// process; elsewhere Stop alone ends it.
func procAttr() *syscall.SysProcAttr {
	return nil
}
