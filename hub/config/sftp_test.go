package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors/sftp"
	"github.com/dealerhub/dealerhub/hub/config"
)

func TestExampleConfigSFTP(t *testing.T) {
	t.Parallel()
	cfg, err := config.Load("../../testdata/config/dealerhub.yaml", env(map[string]string{"ACME_WEBHOOK_SECRET": "s3cret"}))
	require.NoError(t, err)

	conn, ok := cfg.SFTPConnection("eastgate")
	require.True(t, ok)
	require.Equal(t, sftp.Connection{Host: "sftp.eastgate.example", Port: 22, User: "dealerhub",
		KeyFile: "/etc/dealerhub/eastgate_ed25519", KnownHosts: "/etc/dealerhub/known_hosts",
		Timeout: sftp.Duration(30 * time.Second)}, conn)
	_, ok = cfg.SFTPConnection("acme")
	require.False(t, ok, "acme has no sftp block")

	polls := cfg.SFTPPollers()
	require.Len(t, polls, 1)
	poll := polls["eastgate"].Poll
	require.Equal(t, "/outbox", poll.Dir)
	require.Equal(t, "*.csv", poll.Pattern)
	require.Equal(t, "price_list", poll.Doctype)
	require.Equal(t, sftp.Duration(time.Minute), poll.Interval)

	route := cfg.Route("eastgate", "order")
	require.Equal(t, "sftp", route.Channel)
	require.Equal(t, sftp.SinkConfig{Connection: "eastgate", Upload: sftp.Upload{Dir: "/inbox", Name: "{doctype}-{external_id}-{delivery_id}.{ext}"}},
		cfg.SFTPSinkConfig("eastgate", route))
}

// sftpPartner is a partner with an sftp block whose keys are given as YAML
// flow-mapping entries, plus extra partner keys.
func sftpPartner(sftpKeys, extra string) string {
	return "partners:\n  - id: acme\n    name: A\n    roles: [supplier]\n" +
		"    sftp: {host: h.example, user: u, key_file: /k, known_hosts: /kh" + sftpKeys + "}\n" + extra
}

func TestSFTPConfigErrorsNameTheKey(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, yaml string
		want       []string
	}{
		{"unknown sftp key", sftpPartner(", hostname: x", ""), []string{"/partners/0/sftp", "hostname"}},
		{"unknown poll key", sftpPartner(", poll: {dir: /o, doctype: price_list, intervall: 1m}", ""), []string{"/partners/0/sftp/poll", "intervall"}},
		{"unknown upload key", sftpPartner(", upload: {dir: /i, tmp_prefix: x}", ""), []string{"/partners/0/sftp/upload", "tmp_prefix"}},
		{"missing host", "partners:\n  - {id: acme, name: A, roles: [supplier], sftp: {user: u, key_file: /k, known_hosts: /kh}}\n", []string{"/partners/0/sftp", "host"}},
		{"no host key check", "partners:\n  - {id: acme, name: A, roles: [supplier], sftp: {host: h, user: u, key_file: /k}}\n",
			[]string{"/partners/0/sftp/known_hosts", "always verified"}},
		{"no credentials", "partners:\n  - {id: acme, name: A, roles: [supplier], sftp: {host: h, user: u, known_hosts: /kh}}\n",
			[]string{"/partners/0/sftp/key_file", "set key_file, key or password"}},
		{"key and key_file", sftpPartner(", key: '${K}'", ""), []string{"/partners/0/sftp/key", "not both"}},
		{"password and password_file", sftpPartner(", password: '${P}', password_file: /p", ""), []string{"/partners/0/sftp/password_file", "not both"}},
		{"bad host_key", "partners:\n  - {id: acme, name: A, roles: [supplier], sftp: {host: h, user: u, key_file: /k, host_key: nonsense}}\n", []string{"/partners/0/sftp/host_key"}},
		{"poll without dir", sftpPartner(", poll: {doctype: price_list}", ""), []string{"/partners/0/sftp/poll", "dir"}},
		{"poll of an unknown doctype", sftpPartner(", poll: {dir: /o, doctype: prices}", ""), []string{"/partners/0/sftp/poll/doctype"}},
		{"bad completion", sftpPartner(", poll: {dir: /o, doctype: price_list, complete: size}", ""), []string{"/partners/0/sftp/poll/complete"}},
		{"bad pattern", sftpPartner(", poll: {dir: /o, doctype: price_list, pattern: '[x'}", ""), []string{"/partners/0/sftp/poll/pattern"}},
		{"archive is the poll folder", sftpPartner(", poll: {dir: /o, doctype: price_list, archive_dir: /o/}", ""), []string{"/partners/0/sftp/poll/archive_dir"}},
		{"a mapping the partner lacks", sftpPartner(", poll: {dir: /o, doctype: price_list, mapping: prices}", ""),
			[]string{"/partners/0/sftp/poll/mapping", `no mapping named "prices"`}},
		{"bad duration", sftpPartner(", timeout: soon", ""), []string{"/partners/0/sftp/timeout"}},
		{"name template without an id", sftpPartner(", upload: {dir: /i, name: '{doctype}.{ext}'}", ""), []string{"/partners/0/sftp/upload/name"}},
		{"sftp route without a connection", "partners:\n  - {id: acme, name: A, roles: [supplier], routes: [{doctype: order, channel: sftp, sftp: {dir: /i}}]}\n",
			[]string{"/partners/0/routes/0", `sftp block under partner "acme"`}},
		{"sftp route without a folder", sftpPartner("", "    routes: [{doctype: order, channel: sftp}]\n"), []string{"/partners/0/routes/0", "upload folder"}},
		{"sftp route naming an unknown connection", sftpPartner(", upload: {dir: /i}", "    routes: [{doctype: order, channel: sftp, sftp: {connection: other}}]\n"),
			[]string{"/partners/0/routes/0/sftp/connection", `"other"`}},
		{"sftp settings on an inbox route", sftpPartner("", "    routes: [{doctype: order, channel: inbox, sftp: {dir: /i}}]\n"), []string{"/partners/0/routes/0/sftp", `channel is "inbox"`}},
		{"unknown route sftp key", sftpPartner(", upload: {dir: /i}", "    routes: [{doctype: order, channel: sftp, sftp: {folder: /x}}]\n"), []string{"/partners/0/routes/0/sftp", "folder"}},
		{"unset variable", sftpPartner(", password: '${NOPE_PASSWORD}'", ""), []string{"/partners/0/sftp/password", "NOPE_PASSWORD"}},
		{"missing password file", sftpPartner(", password_file: /nonexistent/pw", ""), []string{"/partners/0/sftp/password_file", "reading secret file"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := config.Parse([]byte(tc.yaml), "hub.yaml", env(nil))
			require.Error(t, err)
			for _, w := range tc.want {
				require.Contains(t, err.Error(), w)
			}
			require.Contains(t, err.Error(), "hub.yaml")
		})
	}
}

func TestSFTPSecrets(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	pw, pass := filepath.Join(dir, "pw"), filepath.Join(dir, "pass")
	require.NoError(t, os.WriteFile(pw, []byte("from-file\n"), 0o600))
	require.NoError(t, os.WriteFile(pass, []byte("phrase\r\n"), 0o600))

	cfg, err := config.Parse([]byte("partners:\n  - {id: acme, name: A, roles: [supplier], sftp: {host: h, user: u, known_hosts: /kh, "+
		"password_file: '"+pw+"', key: '${ACME_KEY}', key_passphrase_file: '"+pass+"'}}\n"), "hub.yaml",
		env(map[string]string{"ACME_KEY": "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n"}))
	require.NoError(t, err)
	conn, ok := cfg.SFTPConnection("acme")
	require.True(t, ok)
	require.Equal(t, "from-file", conn.Password)
	require.Equal(t, "phrase", conn.KeyPassphrase)
	require.True(t, strings.HasPrefix(conn.Key, "-----BEGIN OPENSSH PRIVATE KEY-----"))
}

func TestSFTPSinkConfigMergesRouteOverPartner(t *testing.T) {
	t.Parallel()
	cfg, err := config.Parse([]byte(`partners:
  - id: hq
    name: HQ
    roles: [supplier]
    sftp: {host: h, user: u, key_file: /k, known_hosts: /kh, upload: {dir: /in, name: "{document_id}.{ext}", temp_suffix: .part}}
  - id: branch
    name: Branch
    roles: [supplier]
    routes:
      - {doctype: order, channel: sftp, sftp: {connection: hq, dir: /branch}}
  - id: hq2
    name: HQ2
    roles: [supplier]
    sftp: {host: h, user: u, key_file: /k, known_hosts: /kh, upload: {dir: /in}}
    routes:
      - {doctype: order, channel: sftp}
      - {doctype: shipment, channel: sftp, sftp: {name: "asn-{delivery_id}.{ext}"}}
`), "hub.yaml", env(nil))
	require.NoError(t, err)
	for _, tc := range []struct {
		receiver, doctype string
		want              sftp.SinkConfig
	}{
		{"branch", "order", sftp.SinkConfig{Connection: "hq", Upload: sftp.Upload{Dir: "/branch"}}},
		{"hq2", "order", sftp.SinkConfig{Connection: "hq2", Upload: sftp.Upload{Dir: "/in"}}},
		{"hq2", "shipment", sftp.SinkConfig{Connection: "hq2", Upload: sftp.Upload{Dir: "/in", Name: "asn-{delivery_id}.{ext}"}}},
	} {
		require.Equal(t, tc.want, cfg.SFTPSinkConfig(tc.receiver, cfg.Route(tc.receiver, tc.doctype)), "%s %s", tc.receiver, tc.doctype)
	}
}

// TestREADMESFTPExample loads the SFTP example of the README's
// "Configuration" section, so that it cannot drift from the schema.
func TestREADMESFTPExample(t *testing.T) {
	t.Parallel()
	block := readmeYAML(t, "../../README.md", "## Configuration")
	cfg, err := config.Parse([]byte(block), "README.md", env(map[string]string{"EASTGATE_KEY_PASSPHRASE": "phrase"}))
	require.NoError(t, err)
	conn, ok := cfg.SFTPConnection("eastgate")
	require.True(t, ok)
	require.Equal(t, "phrase", conn.KeyPassphrase)
	require.Contains(t, cfg.SFTPPollers(), "eastgate")
	require.Equal(t, "sftp", cfg.Route("eastgate", "order").Channel)
}
