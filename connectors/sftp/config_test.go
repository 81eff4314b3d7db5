package sftp

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
)

func TestValidateNamesTheField(t *testing.T) {
	t.Parallel()
	good := func() Config {
		return Config{
			Connection: Connection{Host: "sftp.acme.example", User: "hub", KeyFile: "/k", KnownHosts: "/kh"},
			Poll:       &Poll{Dir: "/outbox", Doctype: "price_list"},
			Upload:     &Upload{Dir: "/inbox"},
		}
	}
	cases := []struct {
		name string
		edit func(*Config)
		want string // "" for valid
	}{
		{"valid", func(*Config) {}, ""},
		{"password only", func(c *Config) { c.KeyFile, c.Password = "", "pw" }, ""},
		{"no host", func(c *Config) { c.Host = "" }, "sftp.host: is required"},
		{"bad port", func(c *Config) { c.Port = 70000 }, "sftp.port: 70000 is not a TCP port"},
		{"no user", func(c *Config) { c.User = "" }, "sftp.user: is required"},
		{"no credentials", func(c *Config) { c.KeyFile = "" }, "sftp.key_file: set key_file, key or password"},
		{"two keys", func(c *Config) { c.Key = "pem" }, "sftp.key: set key_file or key, not both"},
		{"no host key check", func(c *Config) { c.KnownHosts = "" }, "sftp.known_hosts: set known_hosts or host_key"},
		{"both host key checks", func(c *Config) { c.HostKey = "SHA256:x" }, "sftp.host_key: set known_hosts or host_key, not both"},
		{"bad pin", func(c *Config) { c.KnownHosts, c.HostKey = "", "SHA256:short" }, "sftp.host_key: \"SHA256:short\" is not a SHA256 fingerprint"},
		{"no poll dir", func(c *Config) { c.Poll.Dir = "" }, "sftp.poll.dir: is required"},
		{"bad pattern", func(c *Config) { c.Poll.Pattern = "[" }, "sftp.poll.pattern"},
		{"bad complete", func(c *Config) { c.Poll.Complete = "size" }, `sftp.poll.complete: "size" is not stable or marker`},
		{"bad on_done", func(c *Config) { c.Poll.OnDone = "keep" }, `sftp.poll.on_done: "keep" is not archive or delete`},
		{"archive is dir", func(c *Config) { c.Poll.ArchiveDir = "/outbox/" }, "sftp.poll.archive_dir"},
		{"no doctype", func(c *Config) { c.Poll.Doctype = "" }, "sftp.poll.doctype: is required"},
		{"no upload dir", func(c *Config) { c.Upload.Dir = "" }, "sftp.upload.dir: is required"},
		{"unknown placeholder", func(c *Config) { c.Upload.Name = "{delivery_id}.{extension}" }, "sftp.upload.name: \"{delivery_id}.{extension}\" names {extension}"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := good()
			tc.edit(&c)
			err := c.Validate("sftp")
			if tc.want == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, tc.want)
		})
	}
}

func TestConfigReadsDurations(t *testing.T) {
	t.Parallel()
	var c Config
	require.NoError(t, json.Unmarshal([]byte(`{"host":"h","user":"u","timeout":"5s","poll":{"dir":"/d","interval":"2m","doctype":"order"}}`), &c))
	require.Equal(t, "5s", jsonString(t, c.Timeout))
	require.Equal(t, "2m0s", jsonString(t, c.Poll.Interval))
	require.Error(t, json.Unmarshal([]byte(`{"timeout":5}`), &c))
}

func jsonString(t *testing.T, d Duration) string {
	b, err := json.Marshal(d)
	require.NoError(t, err)
	return strings.Trim(string(b), `"`)
}

func TestFileName(t *testing.T) {
	t.Parallel()
	out := connectors.Outbound{DeliveryID: "d-1", Doctype: "order", ExternalID: "PO 7/8", DocumentID: "doc-9",
		Version: 2, Sender: "dealer-a", Receiver: "acme", Format: "edifact-orders"}
	cases := []struct{ tmpl, want, err string }{
		{"", "order-PO_7_8-d-1.edi", ""},
		{"{receiver}/{delivery_id}", "", "unusable file name"},
		{"{external_id}-{delivery_id}", "PO_7_8-d-1", ""},
		{"{delivery_id", "", "without its }"},
		{"{nope}", "", "names {nope}"},
	}
	for _, tc := range cases {
		got, err := FileName(tc.tmpl, out)
		if tc.err != "" {
			require.ErrorContains(t, err, tc.err, tc.tmpl)
			continue
		}
		require.NoError(t, err)
		require.Equal(t, tc.want, got)
	}
	out.ExternalID = "..hidden"
	got, err := FileName("{external_id}-{delivery_id}", out)
	require.NoError(t, err)
	require.Equal(t, "_.hidden-d-1", got)
}

func TestFormats(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]string{"a.xlsx": "xlsx", "a.XLSM": "xlsx", "a.csv": "csv", "a.txt": "csv",
		"a.json": "json", "a.edi": "x12", "a.x12": "x12", "a.pdf": "", "a": ""} {
		require.Equal(t, want, FormatOf(name), name)
	}
	for _, tc := range []struct{ format, ctype, want string }{
		{"json", "", "json"}, {"x12-850", "", "x12"}, {"edifact-orders", "", "edi"}, {"csv", "", "csv"},
		{"", "application/json; charset=utf-8", "json"}, {"", "text/csv", "csv"}, {"", "", "dat"},
	} {
		require.Equal(t, tc.want, Extension(tc.format, tc.ctype), tc)
	}
}
