//go:build unix && !linux

package trytontest

import "syscall"

// pdeathsig is Linux only; elsewhere a killed test process may leave
// trytond running until it is stopped by hand.
func pdeathsig() *syscall.SysProcAttr { return &syscall.SysProcAttr{} }
