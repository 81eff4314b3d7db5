// Package sshtest gives tests a real OpenSSH server of their own: a private
// sshd on 127.0.0.1 with its own config, host key and authorized client key,
// serving only SFTP (internal-sftp) to the current OS user.
//
// Every call to Start runs a separate sshd on a free port, with its keys,
// config, log and data folder in a fresh temporary folder; the server, every
// session process it forked and the folder are gone when the test ends.
// When sshd is not installed, tests are skipped, or fail when CI=true
// (install it with: apt-get install -y openssh-server).
//
//	func TestUpload(t *testing.T) {
//		srv := sshtest.Start(t)
//		conn, err := ssh.Dial("tcp", srv.Addr, srv.ClientConfig())
//		require.NoError(t, err)
//		t.Cleanup(func() { conn.Close() })
//		…
//		require.Equal(t, []string{"order.x12"}, srv.List(t, "inbound"))
//	}
//
// The SFTP session starts in DataDir: relative remote paths ("inbound/a.csv")
// land there. There is no chroot (sshd wants a root-owned path for that, which
// a temporary folder is not), so absolute remote paths are real paths on this
// machine; tests should use relative paths or paths under DataDir.
//
// Running as root, the server needs sshd's privilege-separation folder
// /run/sshd; Start creates it when it is missing. The server runs without
// PAM, so sshd itself refuses accounts it takes for locked: root with a
// password starting with "!" in /etc/shadow, and the "nobody" account. If a
// test process dies without its cleanups, Linux sends sshd SIGTERM; only
// the temporary folder (/tmp/sshtest-*) stays behind.
package sshtest
