package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// buildBinary builds dealerhub once per test binary run.
var buildOnce = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "dealerhub-bin-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "dealerhub")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

func binary(t *testing.T) string {
	t.Helper()
	bin, err := buildOnce()
	require.NoError(t, err)
	return bin
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// server is a `dealerhub serve` child process.
type server struct {
	cmd    *exec.Cmd
	url    string
	mu     sync.Mutex
	stdout bytes.Buffer
	stderr bytes.Buffer
	done   chan struct{}
}

func (s *server) output() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stdout.String() + s.stderr.String()
}

type lockedWriter struct {
	mu *sync.Mutex
	b  *bytes.Buffer
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

// startServe runs `dealerhub serve` with args and waits until /readyz answers.
func startServe(t *testing.T, args ...string) *server {
	t.Helper()
	addr := freeAddr(t)
	s := &server{url: "http://" + addr, done: make(chan struct{})}
	s.cmd = exec.Command(binary(t), append([]string{"serve", "--addr", addr}, args...)...)
	s.cmd.Stdout = lockedWriter{&s.mu, &s.stdout}
	s.cmd.Stderr = lockedWriter{&s.mu, &s.stderr}
	s.cmd.Env = append(os.Environ(), "DEALERHUB_LOG_LEVEL=warn")
	require.NoError(t, s.cmd.Start())
	go func() { s.cmd.Wait(); close(s.done) }()
	t.Cleanup(func() {
		s.cmd.Process.Kill()
		<-s.done
		if t.Failed() {
			t.Logf("serve output:\n%s", s.output())
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-s.done:
			t.Fatalf("serve exited early: %v\n%s", s.cmd.ProcessState, s.output())
		default:
		}
		resp, err := http.Get(s.url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("serve not ready after 60s\n%s", s.output())
	return nil
}

// cli runs a dealerhub command as a separate process and returns stdout.
func cli(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "dealerhub %s: %s", strings.Join(args, " "), stderr.String())
	return string(out)
}

// api calls the API and decodes the JSON answer.
func api(t *testing.T, method, url, key string, body any, out any) int {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(t, err)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, r)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	if out != nil && len(b) > 0 {
		require.NoError(t, json.Unmarshal(b, out), "%s", b)
	}
	return resp.StatusCode
}

// lines splits command output into trimmed non-empty lines.
func lines(s string) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func TestServeRefusesUnknownConfigKey(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "hub.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("partners:\n  - id: acme\n    name: ACME\n    roles: [supplier]\n    routez: []\n"), 0o600))
	cmd := exec.CommandContext(context.Background(), binary(t), "serve", "--data-dir", filepath.Join(dir, "data"), "--addr", freeAddr(t), "--config", cfg)
	out, err := cmd.CombinedOutput()
	require.Error(t, err, "serve must refuse to start")
	require.Contains(t, string(out), "routez")
	require.Contains(t, string(out), "/partners/0")
}

func TestSecondServeOnSameDataDirIsRefused(t *testing.T) {
	dir := t.TempDir()
	startServe(t, "--data-dir", dir)
	out, err := exec.Command(binary(t), "serve", "--data-dir", dir, "--addr", freeAddr(t)).CombinedOutput()
	require.Error(t, err)
	require.Contains(t, string(out), "another dealerhub serve is using data dir")
}
