package sshtest

import "syscall"

// procAttr makes the kernel send SIGTERM to sshd when the test process
// dies without running its cleanups (a panic on timeout, SIGKILL), so no
// listener outlives it.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
