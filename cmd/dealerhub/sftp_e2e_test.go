//go:build linux

package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pkg/sftp"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"

	"github.com/dealerhub/dealerhub/connectors/sftp/sshtest"
	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/store"
)

// These tests run the built binary (`dealerhub serve`) against a real
// OpenSSH server, configured through the hub config file the way the
// README's "Configuration" section documents it. The file is Linux only:
// the kill tests find the sshd session that has a file open in /proc.

// sftpE2E is one hub process with a supplier whose SFTP server is a private
// OpenSSH sshd: price lists are polled from "outbox", orders written into
// "inbox" (paths relative to the session's start folder, srv.DataDir).
type sftpE2E struct {
	srv       *sshtest.Server
	hub       *server
	args      []string
	opKey     string
	dealerKey string
}

// sftpE2EConfig is the hub config: the README's SFTP partner example with
// the test server's address and keys and a short poll interval.
const sftpE2EConfig = `version: 1
partners:
  - {id: dealer-s, name: Dealer S, roles: [dealer]}
  - id: supplier-s
    name: Supplier S (供应商)
    roles: [supplier]
    sftp:
      host: %s
      port: %d
      user: %s
      key_file: %s
      known_hosts: %s
      timeout: 2s
      poll:
        dir: outbox
        pattern: "*.csv"
        interval: 200ms
        complete: stable
        on_done: archive
        doctype: price_list
        format: csv
      upload:
        dir: inbox
        name: "{doctype}-{external_id}-{delivery_id}.{ext}"
    routes:
      - {doctype: order, channel: sftp, format: json}
relationships:
  - {dealer: dealer-s, supplier: supplier-s}
delivery: {max_attempts: 20, initial_backoff: 100ms, max_backoff: 1s}
`

// startSFTPE2E starts sshd and serve with the config, and creates an
// operator key and the dealer's key.
func startSFTPE2E(t *testing.T) *sftpE2E {
	t.Helper()
	srv := sshtest.Start(t)
	srv.MkdirAll(t, "outbox")
	srv.MkdirAll(t, "inbox")
	dir := t.TempDir()
	cfg := filepath.Join(dir, "hub.yaml")
	yaml := fmt.Sprintf(sftpE2EConfig, srv.Host, srv.Port, srv.User, srv.ClientKeyFile, srv.KnownHostsFile)
	require.NoError(t, os.WriteFile(cfg, []byte(yaml), 0o600))
	data := filepath.Join(dir, "data")
	e := &sftpE2E{srv: srv, args: []string{"--data-dir", data, "--config", cfg}}
	e.hub = startServe(t, e.args...)
	e.opKey = lines(cli(t, "apikey", "create", "--operator", "--data-dir", data))[0]
	e.dealerKey = lines(cli(t, "apikey", "create", "--partner", "dealer-s", "--data-dir", data))[0]
	return e
}

// kill SIGKILLs serve and waits for it to end.
func (e *sftpE2E) kill(t *testing.T) {
	t.Helper()
	require.NoError(t, e.hub.cmd.Process.Signal(syscall.SIGKILL))
	<-e.hub.done
}

// restart starts serve again on the same data folder and config.
func (e *sftpE2E) restart(t *testing.T) {
	t.Helper()
	e.hub = startServe(t, e.args...)
}

// client returns an SFTP client of the partner's own, closed when the test
// ends.
func (e *sftpE2E) client(t *testing.T) *sftp.Client {
	t.Helper()
	conn, err := ssh.Dial("tcp", e.srv.Addr, e.srv.ClientConfig())
	require.NoError(t, err)
	c, err := sftp.NewClient(conn)
	require.NoError(t, err)
	t.Cleanup(func() {
		c.Close()
		conn.Close()
	})
	return c
}

// drop uploads body as the partner does: under a temporary name that the
// poll pattern does not match, then renamed to name.
func drop(t *testing.T, c *sftp.Client, name string, body []byte) {
	t.Helper()
	tmp := name + ".part"
	f, err := c.Create(tmp)
	require.NoError(t, err)
	_, err = f.Write(body)
	require.NoError(t, err)
	require.NoError(t, f.Close())
	require.NoError(t, c.PosixRename(tmp, name))
}

// waitList polls a folder under the server's data folder until it lists
// want.
func (e *sftpE2E) waitList(t *testing.T, dir string, timeout time.Duration, want ...string) {
	t.Helper()
	var got []string
	require.Eventually(t, func() bool {
		got = e.srv.List(t, dir)
		return slices.Equal(got, want)
	}, timeout, 20*time.Millisecond, "%s holds %v, want %v", dir, got, want)
}

// messages returns the supplier's messages.
func (e *sftpE2E) messages(t *testing.T) []store.Message {
	t.Helper()
	var all []store.Message
	for _, raw := range listAll(t, e.hub.url+"/api/v1/messages?partner=supplier-s", e.opKey) {
		var m store.Message
		require.NoError(t, json.Unmarshal(raw, &m))
		all = append(all, m)
	}
	return all
}

// messagesOf returns the supplier's messages stored from filename.
func (e *sftpE2E) messagesOf(t *testing.T, filename string) []store.Message {
	t.Helper()
	return slices.DeleteFunc(e.messages(t), func(m store.Message) bool { return m.Filename != filename })
}

// priceLists returns the supplier's published price lists.
func (e *sftpE2E) priceLists(t *testing.T) []store.PriceList {
	t.Helper()
	var pls []store.PriceList
	for _, raw := range listAll(t, e.hub.url+"/api/v1/price-lists?supplier=supplier-s", e.opKey) {
		var pl store.PriceList
		require.NoError(t, json.Unmarshal(raw, &pl))
		pls = append(pls, pl)
	}
	return pls
}

// TestServeSFTPPriceListArchivedBrokenFileInError: a valid price list
// dropped into the supplier's folder is imported, published once and
// archived; a broken one ends in the error folder beside NAME.error.txt
// with the hub's reasons.
func TestServeSFTPPriceListArchivedBrokenFileInError(t *testing.T) {
	e := startSFTPE2E(t)
	c := e.client(t)
	good := []byte("货号,品名,单位,单价,币种\nA-100,螺丝,个,1.50,CNY\nA-200,螺母,箱,0.35,CNY\n")
	drop(t, c, "outbox/prices.csv", good)
	drop(t, c, "outbox/broken.csv", []byte("foo,bar\n1,2\n"))

	e.waitList(t, "outbox/archive", 60*time.Second, "prices.csv")
	e.waitList(t, "outbox/error", 60*time.Second, "broken.csv", "broken.csv.error.txt")
	require.Equal(t, []string{"archive/", "error/"}, e.srv.List(t, "outbox"))
	require.Equal(t, good, e.srv.ReadFile(t, "outbox/archive/prices.csv"), "the archived file is the file dropped")

	ms := e.messagesOf(t, "prices.csv")
	require.Len(t, ms, 1)
	require.Equal(t, store.StatusDone, ms[0].Status)
	require.Equal(t, "sftp:supplier-s/outbox/prices.csv", ms[0].Source)
	pls := e.priceLists(t)
	require.Len(t, pls, 1, "exactly one price list published")
	require.Equal(t, ms[0].ID, pls[0].MessageID)
	require.Equal(t, 2, pls[0].Lines)

	bad := e.messagesOf(t, "broken.csv")
	require.Len(t, bad, 1)
	require.Equal(t, store.StatusFailed, bad[0].Status)
	require.NotEmpty(t, bad[0].Errors)
	report := string(e.srv.ReadFile(t, "outbox/error/broken.csv.error.txt"))
	require.Contains(t, report, "broken.csv was not imported (message "+bad[0].ID+" ended failed)")
	for _, de := range bad[0].Errors {
		require.Contains(t, report, "- "+hub.DataErrorLine(de)+"\n", "each of the message's errors")
	}
	require.Contains(t, report, "no header row found")
}

// bigPriceList returns a CSV price list of rows lines.
func bigPriceList(rows int) []byte {
	var b strings.Builder
	b.Grow(rows * 36)
	b.WriteString("货号,品名,单位,单价,币种\n")
	for i := range rows {
		fmt.Fprintf(&b, "SKU-%07d,Item %d,EA,%d.%02d,CNY\n", i, i, 1+i%997, i%100)
	}
	return []byte(b.String())
}

// openBySSHD reports whether an sshd process (the SFTP session serving the
// hub) has the local file p open.
func openBySSHD(p string) bool {
	procs, err := os.ReadDir("/proc")
	if err != nil {
		return false
	}
	for _, pe := range procs {
		pid := pe.Name()
		if pid[0] < '0' || pid[0] > '9' {
			continue
		}
		comm, err := os.ReadFile("/proc/" + pid + "/comm")
		if err != nil || !strings.HasPrefix(string(comm), "sshd") {
			continue
		}
		fds, err := os.ReadDir("/proc/" + pid + "/fd")
		if err != nil {
			continue
		}
		for _, fd := range fds {
			if link, err := os.Readlink("/proc/" + pid + "/fd/" + fd.Name()); err == nil && link == p {
				return true
			}
		}
	}
	return false
}

// TestServeSFTPKillDuringDownloadImportsOnce SIGKILLs serve while the sshd
// session is sending it a large price list, restarts it, and checks that the
// file is archived and imported exactly once.
func TestServeSFTPKillDuringDownloadImportsOnce(t *testing.T) {
	e := startSFTPE2E(t)
	const rows = 800_000
	body := bigPriceList(rows)
	sum := sha256.Sum256(body)
	local := e.srv.Path(t, "outbox/big.csv")
	e.srv.WriteFile(t, "outbox/big.csv.part", body)
	require.NoError(t, os.Rename(local+".part", local))

	// Kill as soon as the session has the file open (the download), or, if
	// the download was missed, while its message is not done yet.
	// The download takes some 70 ms over loopback; the scan repeats every
	// millisecond.
	phase := ""
	deadline := time.Now().Add(60 * time.Second)
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for i := 0; phase == ""; i++ {
		<-tick.C
		require.True(t, time.Now().Before(deadline), "the hub never downloaded big.csv\n%s", e.hub.output())
		if openBySSHD(local) {
			phase = "download"
			break
		}
		if i%100 != 99 {
			continue
		}
		require.Empty(t, e.srv.List(t, "outbox/archive"), "big.csv archived before the test could kill the hub")
		if ms := e.messagesOf(t, "big.csv"); len(ms) > 0 {
			require.NotEqual(t, store.StatusDone, ms[0].Status, "big.csv imported before the test could kill the hub")
			phase = "import"
		}
	}
	e.kill(t)
	t.Logf("%d bytes; serve killed during the %s", len(body), phase)
	require.Equal(t, []string{"big.csv"}, slices.DeleteFunc(e.srv.List(t, "outbox"), func(n string) bool { return strings.HasSuffix(n, "/") }),
		"the file stays until the hub's verdict")

	e.restart(t)
	e.waitList(t, "outbox/archive", 180*time.Second, "big.csv")
	ms := e.messages(t)
	require.Len(t, ms, 1, "one message from the supplier")
	require.Equal(t, "big.csv", ms[0].Filename)
	require.Equal(t, store.StatusDone, ms[0].Status)
	require.Equal(t, hex.EncodeToString(sum[:]), ms[0].SHA256, "the message holds the file's bytes")
	require.Equal(t, len(body), ms[0].Size)
	pls := e.priceLists(t)
	require.Len(t, pls, 1, "one publication")
	require.Equal(t, ms[0].ID, pls[0].MessageID)
	require.Equal(t, rows, pls[0].Lines)
}

// sighting is a final-name file the watcher saw, with its size.
type sighting struct {
	name string
	size int64
}

// watchFolder lists dir through its own SFTP client every two milliseconds
// until the returned function is called (or the test ends); that function
// returns every final-name file (not starting with ".") seen, once per size
// it had.
func watchFolder(t *testing.T, c *sftp.Client, dir string) (stop func() []sighting) {
	quit := make(chan struct{})
	out := make(chan []sighting, 1)
	go func() {
		seen := map[sighting]bool{}
		var all []sighting
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-quit:
				out <- all
				return
			case <-tick.C:
			}
			fis, err := c.ReadDir(dir)
			if err != nil {
				continue // the next listing is two milliseconds away
			}
			for _, fi := range fis {
				s := sighting{fi.Name(), fi.Size()}
				if !strings.HasPrefix(s.name, ".") && !seen[s] {
					seen[s] = true
					all = append(all, s)
				}
			}
		}
	}()
	var once sync.Once
	var got []sighting
	stop = func() []sighting {
		once.Do(func() {
			close(quit)
			got = <-out
		})
		return got
	}
	t.Cleanup(func() { stop() })
	return stop
}

// TestServeSFTPOrderUploadSurvivesKill posts an order routed to the
// supplier over sftp, SIGKILLs serve as soon as the upload's temporary file
// appears, restarts it, and checks that a watcher listing the folder
// throughout never saw a partial file under the final name and that the
// final file is the whole document.
func TestServeSFTPOrderUploadSurvivesKill(t *testing.T) {
	e := startSFTPE2E(t)
	const nLines = 30_000
	lns := make([]map[string]any, nLines)
	for i := range lns {
		lns[i] = map[string]any{"line_no": i + 1, "sku": fmt.Sprintf("SKU-%06d", i), "quantity": "2", "unit": "EA", "note": "deliver to dock 4"}
	}
	order := []map[string]any{{"external_id": "PO-SFTP-1", "receiver": "supplier-s", "status": "sent", "order_date": "2026-11-25", "lines": lns}}

	stopWatch := watchFolder(t, e.client(t), "inbox")
	var rcpt struct {
		Messages []struct{ ID string } `json:"messages"`
	}
	require.Equal(t, http.StatusAccepted, api(t, http.MethodPost, e.hub.url+"/api/v1/documents/order", e.dealerKey, order, &rcpt))
	require.Len(t, rcpt.Messages, 1)

	// Kill as soon as the temporary file exists.
	inbox := e.srv.Path(t, "inbox")
	var tmp string
	var writing bool
	require.Eventually(t, func() bool {
		for _, n := range e.srv.List(t, "inbox") {
			if strings.HasPrefix(n, ".") && strings.HasSuffix(n, ".tmp") {
				tmp = n
				writing = openBySSHD(filepath.Join(inbox, n))
				return true
			}
		}
		return false
	}, 120*time.Second, time.Millisecond, "no upload started\n%s", e.hub.output())
	e.kill(t)
	atKill := e.srv.List(t, "inbox")
	t.Logf("serve killed with %s in the inbox (temporary file open by sshd: %v)", atKill, writing)

	e.restart(t)
	final := strings.TrimSuffix(strings.TrimPrefix(tmp, "."), ".tmp")
	e.waitList(t, "inbox", 180*time.Second, final)
	seen := stopWatch()

	body := e.srv.ReadFile(t, path.Join("inbox", final))
	for _, s := range seen {
		require.Equal(t, final, s.name, "only the final name appears")
		require.Equal(t, int64(len(body)), s.size, "the watcher saw %s with %d of %d bytes", s.name, s.size, len(body))
	}
	require.NotEmpty(t, seen, "the watcher saw the file")
	var doc struct {
		ExternalID string            `json:"external_id"`
		Receiver   string            `json:"receiver"`
		Lines      []json.RawMessage `json:"lines"`
	}
	require.NoError(t, json.Unmarshal(body, &doc), "the whole document")
	require.Equal(t, "PO-SFTP-1", doc.ExternalID)
	require.Equal(t, "supplier-s", doc.Receiver)
	require.Len(t, doc.Lines, nLines)

	var d struct {
		ID       string `json:"id"`
		Status   string `json:"status"`
		Channel  string `json:"channel"`
		Attempts int    `json:"attempts"`
	}
	require.Eventually(t, func() bool {
		ds := listAll(t, e.hub.url+"/api/v1/deliveries", e.opKey)
		require.Len(t, ds, 1, "one delivery")
		require.NoError(t, json.Unmarshal(ds[0], &d))
		return d.Status == "delivered"
	}, 60*time.Second, 20*time.Millisecond, "the delivery ends delivered")
	require.Equal(t, "sftp", d.Channel)
	require.Contains(t, final, d.ID, "the file is named after its delivery")
	t.Logf("delivered after %d attempts", d.Attempts)
}
