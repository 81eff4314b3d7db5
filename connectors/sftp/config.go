package sftp

import (
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"
)

// Config is a partner's SFTP settings as they appear under the partner in the
// hub config file (key "sftp"): one connection, an optional poll of a folder
// the partner drops files into, and an optional upload folder for the
// partner's "sftp" routes.
type Config struct {
	Connection
	// Poll, when set, fetches the partner's files from a remote folder.
	Poll *Poll `json:"poll,omitempty"`
	// Upload, when set, is where the partner's sftp routes write files.
	Upload *Upload `json:"upload,omitempty"`
}

// Connection says how to reach and trust one SFTP server.
type Connection struct {
	// Host is the server's name or address.
	Host string `json:"host"`
	// Port defaults to 22.
	Port int `json:"port,omitempty"`
	// User is the login name.
	User string `json:"user"`
	// KeyFile is the path of an OpenSSH or PEM private key.
	KeyFile string `json:"key_file,omitempty"`
	// Key is a private key's PEM text, usually "${ENV_VAR}"; an
	// alternative to KeyFile.
	Key string `json:"key,omitempty"`
	// KeyPassphrase decrypts an encrypted private key; write "${ENV_VAR}".
	KeyPassphrase string `json:"key_passphrase,omitempty"`
	// Password logs in by password (and keyboard-interactive); write
	// "${ENV_VAR}". With a key as well, the key is tried first.
	Password string `json:"password,omitempty"`
	// KnownHosts is an OpenSSH known_hosts file that must list the server's
	// host key (as "host" for port 22, "[host]:port" otherwise).
	KnownHosts string `json:"known_hosts,omitempty"`
	// HostKey pins the server's host key instead of KnownHosts: a public key
	// in authorized_keys form ("ssh-ed25519 AAAA…") or its SHA256
	// fingerprint ("SHA256:…", as ssh-keygen -lf prints it).
	HostKey string `json:"host_key,omitempty"`
	// Timeout bounds the dial and each remote operation (a download's
	// timeout restarts with each chunk that arrives); default 30s.
	Timeout Duration `json:"timeout,omitempty"`
}

// Poll says which remote files to fetch and what to do with them.
type Poll struct {
	// Dir is the remote folder to watch.
	Dir string `json:"dir"`
	// Pattern selects file names in Dir (path.Match syntax); default "*".
	// Names starting with "." are never taken.
	Pattern string `json:"pattern,omitempty"`
	// Interval between polls; default 1m.
	Interval Duration `json:"interval,omitempty"`
	// Complete says when a file is finished: "stable" (default: size and
	// modification time unchanged across two polls) or "marker" (a companion
	// file NAME+MarkerSuffix exists).
	Complete string `json:"complete,omitempty"`
	// MarkerSuffix names the companion file in marker mode; default ".ok".
	MarkerSuffix string `json:"marker_suffix,omitempty"`
	// OnDone is "archive" (default: move to ArchiveDir) or "delete".
	OnDone string `json:"on_done,omitempty"`
	// ArchiveDir receives imported files; default Dir + "/archive".
	ArchiveDir string `json:"archive_dir,omitempty"`
	// ErrorDir receives files whose import failed, each with a
	// NAME.error.txt saying why; default Dir + "/error".
	ErrorDir string `json:"error_dir,omitempty"`
	// Doctype is the canonical document type the files hold.
	Doctype string `json:"doctype"`
	// Format names the decoder (xlsx, csv, json, x12); default from the
	// file's extension.
	Format string `json:"format,omitempty"`
	// Mapping names the partner mapping to apply, when the format needs one.
	Mapping string `json:"mapping,omitempty"`
	// MaxSize is the largest file taken, in bytes (default 512 MiB); a
	// larger one goes to ErrorDir with a reason, without being downloaded.
	MaxSize int64 `json:"max_size,omitempty"`
}

// Upload says where and under which names outbound files are written.
type Upload struct {
	// Dir is the remote folder files are written into.
	Dir string `json:"dir"`
	// Name is the file-name template; default
	// "{doctype}-{external_id}-{delivery_id}.{ext}". Placeholders:
	// {doctype}, {external_id}, {delivery_id}, {document_id}, {version},
	// {sender}, {receiver}, {format}, {ext}. The same delivery always gets
	// the same name, so a retry overwrites instead of duplicating.
	Name string `json:"name,omitempty"`
	// TempPrefix and TempSuffix make the name a file has while it is being
	// written (default "." and ".tmp": ".NAME.tmp"); the partner's poller
	// must ignore such names.
	TempPrefix string `json:"temp_prefix,omitempty"`
	TempSuffix string `json:"temp_suffix,omitempty"`
}

// Defaults.
const (
	DefaultPort         = 22
	DefaultTimeout      = 30 * time.Second
	DefaultInterval     = time.Minute
	DefaultMarkerSuffix = ".ok"
	DefaultNameTemplate = "{doctype}-{external_id}-{delivery_id}.{ext}"
	DefaultTempPrefix   = "."
	DefaultTempSuffix   = ".tmp"
	DefaultMaxSize      = 512 << 20
)

// Completion modes of Poll.Complete.
const (
	CompleteStable = "stable"
	CompleteMarker = "marker"
)

// Actions of Poll.OnDone.
const (
	OnDoneArchive = "archive"
	OnDoneDelete  = "delete"
)

// Duration is a time.Duration written as "30s", "5m".
type Duration time.Duration

// UnmarshalJSON reads a Go duration string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration must be a string like \"30s\": %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// MarshalJSON writes a Go duration string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// FieldError is a config error that names the field ("sftp.poll.dir").
type FieldError struct {
	Field   string
	Message string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

// Validate checks the whole partner config; each error names its field
// under prefix (e.g. "partners[2].sftp").
func (c Config) Validate(prefix string) error {
	errs := c.Connection.Validate(prefix)
	if c.Poll != nil {
		errs = errors.Join(errs, c.Poll.Validate(prefix+".poll"))
	}
	if c.Upload != nil {
		errs = errors.Join(errs, c.Upload.Validate(prefix+".upload"))
	}
	return errs
}

// Validate checks the connection settings; each error names its field
// under prefix.
func (c Connection) Validate(prefix string) error {
	var errs []error
	bad := func(field, msg string) { errs = append(errs, &FieldError{Field: prefix + "." + field, Message: msg}) }
	if c.Host == "" {
		bad("host", "is required")
	}
	if c.Port < 0 || c.Port > 65535 {
		bad("port", fmt.Sprintf("%d is not a TCP port", c.Port))
	}
	if c.User == "" {
		bad("user", "is required")
	}
	if c.KeyFile != "" && c.Key != "" {
		bad("key", "set key_file or key, not both")
	}
	if c.KeyFile == "" && c.Key == "" && c.Password == "" {
		bad("key_file", "set key_file, key or password")
	}
	if c.KeyPassphrase != "" && c.KeyFile == "" && c.Key == "" {
		bad("key_passphrase", "is set without key_file or key")
	}
	switch {
	case c.KnownHosts == "" && c.HostKey == "":
		bad("known_hosts", "set known_hosts or host_key: the server's host key is always verified")
	case c.KnownHosts != "" && c.HostKey != "":
		bad("host_key", "set known_hosts or host_key, not both")
	case c.HostKey != "":
		if _, err := parsePin(c.HostKey); err != nil {
			bad("host_key", err.Error())
		}
	}
	if c.Timeout < 0 {
		bad("timeout", "must not be negative")
	}
	return errors.Join(errs...)
}

// Validate checks the poll settings; each error names its field under prefix.
func (p Poll) Validate(prefix string) error {
	var errs []error
	bad := func(field, msg string) { errs = append(errs, &FieldError{Field: prefix + "." + field, Message: msg}) }
	if p.Dir == "" {
		bad("dir", "is required")
	}
	if _, err := path.Match(p.Pattern, "x"); err != nil {
		bad("pattern", fmt.Sprintf("%q is not a valid pattern: %v", p.Pattern, err))
	}
	if p.Interval < 0 {
		bad("interval", "must not be negative")
	}
	switch p.Complete {
	case "", CompleteStable, CompleteMarker:
	default:
		bad("complete", fmt.Sprintf("%q is not stable or marker", p.Complete))
	}
	if strings.Contains(p.MarkerSuffix, "/") {
		bad("marker_suffix", "must not contain /")
	}
	switch p.OnDone {
	case "", OnDoneArchive, OnDoneDelete:
	default:
		bad("on_done", fmt.Sprintf("%q is not archive or delete", p.OnDone))
	}
	q := p.withDefaults()
	if q.Dir != "" && (path.Clean(q.ArchiveDir) == path.Clean(q.Dir) || path.Clean(q.ErrorDir) == path.Clean(q.Dir)) {
		bad("archive_dir", "archive_dir and error_dir must differ from dir")
	}
	if p.Doctype == "" {
		bad("doctype", "is required")
	}
	if p.MaxSize < 0 {
		bad("max_size", "must not be negative")
	}
	return errors.Join(errs...)
}

// Validate checks the upload settings; each error names its field under
// prefix.
func (u Upload) Validate(prefix string) error {
	var errs []error
	bad := func(field, msg string) { errs = append(errs, &FieldError{Field: prefix + "." + field, Message: msg}) }
	if u.Dir == "" {
		bad("dir", "is required")
	}
	if err := checkTemplate(u.withDefaults().Name); err != nil {
		bad("name", err.Error())
	}
	q := u.withDefaults()
	if strings.Contains(q.TempPrefix+q.TempSuffix, "/") {
		bad("temp_prefix", "temp_prefix and temp_suffix must not contain /")
	}
	return errors.Join(errs...)
}

func (c Connection) withDefaults() Connection {
	if c.Port == 0 {
		c.Port = DefaultPort
	}
	if c.Timeout == 0 {
		c.Timeout = Duration(DefaultTimeout)
	}
	return c
}

func (p Poll) withDefaults() Poll {
	if p.Pattern == "" {
		p.Pattern = "*"
	}
	if p.Interval == 0 {
		p.Interval = Duration(DefaultInterval)
	}
	if p.Complete == "" {
		p.Complete = CompleteStable
	}
	if p.MarkerSuffix == "" {
		p.MarkerSuffix = DefaultMarkerSuffix
	}
	if p.OnDone == "" {
		p.OnDone = OnDoneArchive
	}
	if p.ArchiveDir == "" {
		p.ArchiveDir = path.Join(p.Dir, "archive")
	}
	if p.ErrorDir == "" {
		p.ErrorDir = path.Join(p.Dir, "error")
	}
	if p.MaxSize == 0 {
		p.MaxSize = DefaultMaxSize
	}
	return p
}

func (u Upload) withDefaults() Upload {
	if u.Name == "" {
		u.Name = DefaultNameTemplate
	}
	if u.TempPrefix == "" && u.TempSuffix == "" {
		u.TempPrefix, u.TempSuffix = DefaultTempPrefix, DefaultTempSuffix
	}
	return u
}
