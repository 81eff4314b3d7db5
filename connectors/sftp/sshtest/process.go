package sshtest

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// stopTimeout bounds how long Stop waits after SIGTERM before SIGKILL, and
// again after SIGKILL.
const stopTimeout = 10 * time.Second

// Stop ends the server and every session process it forked, and waits
// until they are gone. Open client connections break. Start registers it as
// a cleanup; tests call it themselves to see how clients cope with a server
// that goes away. Calling it again returns the first result.
func (s *Server) Stop() error {
	s.stopOnce.Do(func() { s.stopErr = s.stop() })
	return s.stopErr
}

func (s *Server) stop() error {
	if s.cmd == nil || s.cmd.Process == nil {
		return nil
	}
	// sshd's per-connection processes start their own sessions (setsid)
	// and outlive the listener, so they are found by parentage and ended
	// first, while the listener is there to reap them: sshd checks for
	// SIGTERM before it reaps, so a child that exits just before the
	// listener ends would be left to init as a zombie.
	sessions := descendants(s.cmd.Process.Pid)
	var errs []string
	if left := terminate(sessions); len(left) > 0 {
		errs = append(errs, fmt.Sprintf("session processes %v did not end", left))
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(stopTimeout):
		_ = s.cmd.Process.Kill()
		select {
		case <-s.exited:
		case <-time.After(stopTimeout):
			errs = append(errs, fmt.Sprintf("sshd %d did not exit after SIGKILL", s.cmd.Process.Pid))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return nil
}

// terminate kills the process tree levels (children before grandchildren),
// deepest first, so that each parent is alive to reap its children and none
// is left as a zombie for init. It returns the pids still alive.
//
// It uses SIGKILL: a test server's sessions hold nothing worth a clean
// shutdown, and the internal-sftp session process ignores SIGTERM.
func terminate(levels [][]int) []int {
	var left []int
	for i := len(levels) - 1; i >= 0; i-- {
		for _, pid := range levels[i] {
			signal(pid, syscall.SIGKILL)
		}
		alive := waitGone(levels[i], stopTimeout)
		if len(alive) == 0 {
			waitReaped(levels[i], reapGrace)
		}
		left = append(left, alive...)
	}
	return left
}

// signal sends sig to pid, ignoring a process that is already gone.
func signal(pid int, sig syscall.Signal) {
	p, err := os.FindProcess(pid)
	if err != nil {
		return
	}
	_ = p.Signal(sig)
	_ = p.Release()
}

// waitGone polls until none of pids is alive or the timeout passes, and
// returns those still alive.
func waitGone(pids []int, timeout time.Duration) []int {
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		var alive []int
		for _, pid := range pids {
			if processAlive(pid) {
				alive = append(alive, pid)
			}
		}
		if len(alive) == 0 || time.Now().After(deadline) {
			return alive
		}
		<-tick.C
	}
}

// reapGrace is how long terminate waits for a parent to reap a child that
// exited before it ends the parent too; a zombie left after it is reaped by
// init.
const reapGrace = 2 * time.Second

// waitReaped polls until none of pids has a /proc entry any more or the
// timeout passes.
func waitReaped(pids []int, timeout time.Duration) {
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for time.Now().Before(deadline) {
		reaped := true
		for _, pid := range pids {
			if _, ok := readStat(pid); ok {
				reaped = false
				break
			}
		}
		if reaped {
			return
		}
		<-tick.C
	}
}

// processAlive reports whether pid exists and is not a zombie.
func processAlive(pid int) bool {
	st, ok := readStat(pid)
	return ok && st.state != "Z" && st.state != "X"
}

// procStat holds the fields of /proc/PID/stat that are needed here.
type procStat struct {
	state string
	ppid  int
}

// readStat reads /proc/PID/stat; ok is false when the process is gone or
// there is no /proc.
func readStat(pid int) (procStat, bool) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return procStat{}, false
	}
	// "PID (COMM) STATE PPID …": COMM may hold spaces and parentheses, so
	// the fields start after its last ')'.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return procStat{}, false
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 2 {
		return procStat{}, false
	}
	ppid, err := strconv.Atoi(f[1])
	if err != nil {
		return procStat{}, false
	}
	return procStat{state: f[0], ppid: ppid}, true
}

// descendants returns the processes below pid by level: its children,
// then their children, and so on. Zombies are included, so that terminate
// waits for their parents to reap them. Without /proc (not Linux) it
// returns none.
func descendants(pid int) [][]int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	children := map[int][]int{}
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if st, ok := readStat(p); ok {
			children[st.ppid] = append(children[st.ppid], p)
		}
	}
	var levels [][]int
	for level := children[pid]; len(level) > 0; {
		levels = append(levels, level)
		var next []int
		for _, p := range level {
			next = append(next, children[p]...)
		}
		level = next
	}
	return levels
}
