//go:build !unix

package trytontest

import "syscall"

// lockFile does not lock outside Unix: parallel test binaries may both
// build the template, the rename keeps the result whole.
func lockFile(string) (func(), error) { return func() {}, nil }

// procAttr has nothing to set outside Unix.
func procAttr() *syscall.SysProcAttr { return nil }
