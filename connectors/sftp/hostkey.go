package sftp

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"strings"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// HostKeyError says that the server's host key was refused: unknown to
// known_hosts, different from what it lists, revoked, or not the pinned key.
// It is permanent: retrying cannot fix it, and it may be an attack.
type HostKeyError struct {
	// Addr is the server as host:port.
	Addr string
	// Offered is the key type and SHA256 fingerprint the server presented.
	Offered string
	// Expected says what was wanted: the known_hosts lines or the pinned key;
	// empty when the host is unknown.
	Expected []string
	// Reason is "unknown host", "mismatch" or "revoked".
	Reason string
	// Source is the known_hosts file or "host_key".
	Source string
}

func (e *HostKeyError) Error() string {
	switch e.Reason {
	case "unknown host":
		return fmt.Sprintf("host key of %s refused: the host is not in %s; the server offered %s (check that fingerprint with the partner, then add the key)",
			e.Addr, e.Source, e.Offered)
	case "revoked":
		return fmt.Sprintf("host key of %s refused: the server offered %s, which %s marks as revoked", e.Addr, e.Offered, e.Source)
	default:
		return fmt.Sprintf("host key of %s does not match: the server offered %s but %s expects %s (the server's key changed, or someone is in between)",
			e.Addr, e.Offered, e.Source, strings.Join(e.Expected, " or "))
	}
}

// describeKey renders a key as its type and SHA256 fingerprint.
func describeKey(k ssh.PublicKey) string {
	return k.Type() + " " + ssh.FingerprintSHA256(k)
}

// pin is a pinned host key: a whole key, or only its fingerprint.
type pin struct {
	key         ssh.PublicKey // nil when only the fingerprint is known
	fingerprint string        // "SHA256:…"
}

// parsePin reads a host_key setting.
func parsePin(s string) (pin, error) {
	s = strings.TrimSpace(s)
	if fp, ok := strings.CutPrefix(s, "SHA256:"); ok {
		raw, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(fp, "="))
		if err != nil || len(raw) != 32 {
			return pin{}, fmt.Errorf("%q is not a SHA256 fingerprint (SHA256: and 43 base64 characters)", s)
		}
		return pin{fingerprint: "SHA256:" + base64.RawStdEncoding.EncodeToString(raw)}, nil
	}
	k, _, _, _, err := ssh.ParseAuthorizedKey([]byte(s))
	if err != nil {
		return pin{}, fmt.Errorf("not a public key (\"ssh-ed25519 AAAA…\") or a fingerprint (\"SHA256:…\"): %w", err)
	}
	return pin{key: k, fingerprint: ssh.FingerprintSHA256(k)}, nil
}

func (p pin) String() string {
	if p.key != nil {
		return describeKey(p.key)
	}
	return p.fingerprint
}

// hostKeyCheck builds the host key callback and the host key algorithms to
// ask for (so that a server with several keys presents the one we know).
func hostKeyCheck(c Connection, addr string) (ssh.HostKeyCallback, []string, error) {
	if c.HostKey != "" {
		p, err := parsePin(c.HostKey)
		if err != nil {
			return nil, nil, fmt.Errorf("reading host_key: %w", err)
		}
		cb := func(_ string, _ net.Addr, key ssh.PublicKey) error {
			if p.key != nil && bytes.Equal(p.key.Marshal(), key.Marshal()) ||
				p.key == nil && ssh.FingerprintSHA256(key) == p.fingerprint {
				return nil
			}
			return &HostKeyError{Addr: addr, Offered: describeKey(key), Expected: []string{p.String()}, Reason: "mismatch", Source: "host_key"}
		}
		var algos []string
		if p.key != nil {
			algos = algorithmsFor(p.key.Type())
		}
		return cb, algos, nil
	}
	kh, err := knownhosts.New(c.KnownHosts)
	if err != nil {
		return nil, nil, fmt.Errorf("reading known_hosts %s: %w", c.KnownHosts, err)
	}
	known := knownKeys(kh, addr)
	cb := func(hostname string, remote net.Addr, key ssh.PublicKey) error {
		err := kh(hostname, remote, key)
		var ke *knownhosts.KeyError
		var re *knownhosts.RevokedError
		switch {
		case err == nil:
			return nil
		case errors.As(err, &re):
			return &HostKeyError{Addr: addr, Offered: describeKey(key), Reason: "revoked", Source: c.KnownHosts}
		case errors.As(err, &ke) && len(ke.Want) == 0:
			return &HostKeyError{Addr: addr, Offered: describeKey(key), Reason: "unknown host", Source: c.KnownHosts}
		case errors.As(err, &ke):
			want := make([]string, len(ke.Want))
			for i, k := range ke.Want {
				want[i] = fmt.Sprintf("%s (%s:%d)", describeKey(k.Key), k.Filename, k.Line)
			}
			return &HostKeyError{Addr: addr, Offered: describeKey(key), Expected: want, Reason: "mismatch", Source: c.KnownHosts}
		default:
			return fmt.Errorf("checking host key of %s: %w", addr, err)
		}
	}
	var algos []string
	for _, k := range known {
		algos = append(algos, algorithmsFor(k.Type())...)
	}
	return cb, algos, nil
}

// knownKeys asks the known_hosts callback which keys it holds for addr, by
// offering a key it cannot know.
func knownKeys(kh ssh.HostKeyCallback, addr string) []ssh.PublicKey {
	probe, _, _, _, err := ssh.ParseAuthorizedKey([]byte("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))
	if err != nil {
		return nil
	}
	var ke *knownhosts.KeyError
	if !errors.As(kh(addr, &net.TCPAddr{IP: net.IPv4zero}, probe), &ke) {
		return nil
	}
	keys := make([]ssh.PublicKey, 0, len(ke.Want))
	for _, k := range ke.Want {
		keys = append(keys, k.Key)
	}
	return keys
}

// algorithmsFor lists the host key algorithms that verify a key type.
func algorithmsFor(keyType string) []string {
	if keyType == ssh.KeyAlgoRSA {
		return []string{ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256, ssh.KeyAlgoRSA}
	}
	return []string{keyType}
}
