package sshtest

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/crypto/ssh"
)

// newKey returns a fresh ed25519 key as an OpenSSH PEM private key and its
// signer.
func newKey(comment string) ([]byte, ssh.Signer, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("generating the %s: %w", comment, err)
	}
	block, err := ssh.MarshalPrivateKey(priv, comment)
	if err != nil {
		return nil, nil, fmt.Errorf("encoding the %s: %w", comment, err)
	}
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		return nil, nil, fmt.Errorf("signing with the %s: %w", comment, err)
	}
	return pem.EncodeToMemory(block), signer, nil
}

// writeKeys writes the host key, the client key and authorized_keys.
// Private keys get mode 0600: sshd refuses a host key others can read.
func (s *Server) writeKeys() error {
	hostPEM, host, err := newKey("sshtest host key")
	if err != nil {
		return err
	}
	clientPEM, client, err := newKey("sshtest client key")
	if err != nil {
		return err
	}
	s.HostKey = host.PublicKey()
	s.ClientKeyPEM = clientPEM
	s.ClientSigner = client
	s.ClientKeyFile = filepath.Join(s.dir, "client_ed25519")
	files := []struct {
		name string
		data []byte
	}{
		{"host_ed25519", hostPEM},
		{"host_ed25519.pub", ssh.MarshalAuthorizedKey(s.HostKey)},
		{"client_ed25519", clientPEM},
		{"client_ed25519.pub", ssh.MarshalAuthorizedKey(client.PublicKey())},
		{"authorized_keys", ssh.MarshalAuthorizedKey(client.PublicKey())},
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(s.dir, f.name), f.data, 0o600); err != nil {
			return fmt.Errorf("writing %s: %w", f.name, err)
		}
	}
	return nil
}

// config returns the sshd_config for the chosen port: key authentication of
// one user, SFTP only (internal-sftp, starting in DataDir), no PAM, and
// everything else a test does not need switched off.
func (s *Server) config() (string, error) {
	lines := []string{
		fmt.Sprintf("ListenAddress %s:%d", s.Host, s.Port),
		fmt.Sprintf("HostKey %q", filepath.Join(s.dir, "host_ed25519")),
		fmt.Sprintf("PidFile %q", filepath.Join(s.dir, "sshd.pid")),
		fmt.Sprintf("AuthorizedKeysFile %q", filepath.Join(s.dir, "authorized_keys")),
		fmt.Sprintf("AllowUsers %s", s.User),
		// Root may log in, with a key only (CI runs as root).
		"PermitRootLogin prohibit-password",
		"PubkeyAuthentication yes",
		"PasswordAuthentication no",
		"KbdInteractiveAuthentication no",
		"HostbasedAuthentication no",
		// PAM's session modules (pam_loginuid) fail in containers.
		"UsePAM no",
		// The temporary folder is not laid out as ~/.ssh would be.
		"StrictModes no",
		"AllowTcpForwarding no",
		"AllowAgentForwarding no",
		"AllowStreamLocalForwarding no",
		"X11Forwarding no",
		"PermitTTY no",
		"PermitUserRC no",
		"PrintMotd no",
		// Tests may open many connections at once.
		"MaxStartups 100",
		"LoginGraceTime 30",
		"LogLevel VERBOSE",
		"Subsystem sftp internal-sftp",
		// internal-sftp splits the rest of the line at spaces and keeps
		// quotes, so the folder goes unquoted (newServer refused spaces).
		"ForceCommand internal-sftp -d " + s.DataDir,
	}
	if major, minor := sshdVersion(s.sshdPath); major > 9 || (major == 9 && minor >= 8) {
		// OpenSSH 9.8 penalises addresses whose logins fail; tests that
		// present a wrong key on purpose must not lock out 127.0.0.1.
		lines = append(lines, "PerSourcePenalties no")
	}
	for _, l := range lines {
		if strings.ContainsAny(l, "\n\r") {
			return "", fmt.Errorf("sshd_config line %q has a line break", l)
		}
	}
	return strings.Join(lines, "\n") + "\n", nil
}
