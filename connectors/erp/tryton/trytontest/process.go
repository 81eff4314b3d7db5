package trytontest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// startTimeout bounds how long a trytond may take to answer.
const startTimeout = 30 * time.Second

// daemon is one running trytond.
type daemon struct {
	cmd     *exec.Cmd
	url     string
	logFile string
	exited  chan struct{}
	waitErr error
}

// writeConfig writes trytond's config for a SQLite database folder and a
// loopback port.
func writeConfig(dir string, port int) (string, error) {
	conf := fmt.Sprintf(`[database]
uri = sqlite://
path = %s

[web]
listen = 127.0.0.1:%d

[session]
timeout = 86400
max_attempt = 1000
`, dir, port)
	path := filepath.Join(dir, "trytond.conf")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		return "", fmt.Errorf("writing %s: %w", path, err)
	}
	return path, nil
}

// freePort returns a loopback port nobody listens on right now.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("finding a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// startDaemon runs trytond on a free port with a config in dir and waits
// until it answers common.server.version. A port taken meanwhile is retried.
func startDaemon(trytond, dir string) (*daemon, error) {
	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		conf, err := writeConfig(dir, port)
		if err != nil {
			return nil, err
		}
		d := &daemon{url: fmt.Sprintf("http://127.0.0.1:%d", port), logFile: filepath.Join(dir, "trytond.log"), exited: make(chan struct{})}
		logf, err := os.OpenFile(d.logFile, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
		if err != nil {
			return nil, fmt.Errorf("creating the log file: %w", err)
		}
		d.cmd = exec.Command(trytond, "-c", conf)
		d.cmd.Dir = dir
		d.cmd.Stdout, d.cmd.Stderr = logf, logf
		d.cmd.SysProcAttr = procAttr()
		if err := d.cmd.Start(); err != nil {
			logf.Close()
			return nil, fmt.Errorf("starting %s: %w", trytond, err)
		}
		go func() {
			d.waitErr = d.cmd.Wait()
			logf.Close()
			close(d.exited)
		}()
		if err := d.waitReady(); err != nil {
			lastErr = fmt.Errorf("%w\n%s", err, d.logTail())
			_ = d.stop()
			if strings.Contains(lastErr.Error(), "Address already in use") {
				continue
			}
			return nil, lastErr
		}
		return d, nil
	}
	return nil, lastErr
}

// waitReady polls common.server.version until trytond answers, exits or
// startTimeout passes.
func (d *daemon) waitReady() error {
	deadline := time.Now().Add(startTimeout)
	hc := &http.Client{Timeout: 2 * time.Second}
	for time.Now().Before(deadline) {
		select {
		case <-d.exited:
			return fmt.Errorf("trytond exited during start: %v", d.waitErr)
		default:
		}
		resp, err := hc.Post(d.url+"/", "application/json", strings.NewReader(`{"id":0,"method":"common.server.version","params":[]}`))
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("trytond did not answer at %s within %s", d.url, startTimeout)
}

// stop ends trytond (SIGTERM, then SIGKILL after 10 s) and waits for it.
func (d *daemon) stop() error {
	select {
	case <-d.exited:
		return nil
	default:
	}
	_ = d.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-d.exited:
	case <-time.After(10 * time.Second):
		_ = d.cmd.Process.Kill()
		<-d.exited
		return errors.New("trytond did not stop within 10s of SIGTERM; killed")
	}
	return nil
}

// logTail returns the end of trytond's log.
func (d *daemon) logTail() string {
	b, _ := os.ReadFile(d.logFile)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// runAdmin initialises the database dir/db.sqlite with the modules.
func runAdmin(ctx context.Context, admin, dir, db, passFile string) error {
	conf, err := writeConfig(dir, 0)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, db+".sqlite"), nil, 0o600); err != nil {
		return fmt.Errorf("creating the empty database file: %w", err)
	}
	cmd := exec.CommandContext(ctx, admin, "-c", conf, "-d", db, "--all",
		"-u", "party", "product", "stock", "purchase", "sale", "--activate-dependencies",
		"--email", "admin@example.com")
	cmd.Env = append(os.Environ(), "TRYTONPASSFILE="+passFile)
	cmd.Dir = dir
	cmd.SysProcAttr = procAttr()
	out, err := cmd.CombinedOutput()
	if err != nil {
		tail := string(out)
		if len(tail) > 4000 {
			tail = tail[len(tail)-4000:]
		}
		return fmt.Errorf("trytond-admin: %w\n%s", err, tail)
	}
	return nil
}
