package trytontest

import "syscall"

// pdeathsig asks the kernel to send SIGTERM to the child when the test
// process dies.
func pdeathsig() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
