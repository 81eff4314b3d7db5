// Package sftp is the SFTP transport: a Poller that fetches a partner's files
// from a remote folder (a connectors.Source) and a Sink behind the "sftp"
// channel that writes outbound documents into a partner's folder.
//
// Host keys are always verified, against a known_hosts file or a pinned key
// or fingerprint; a mismatch or an unknown host is a permanent *HostKeyError
// naming the host and both keys. A refused login is a permanent *AuthError.
//
// The poller takes a file only when it is complete (size and time unchanged
// across two polls, or a NAME.ok marker), downloads it whole (a dropped
// connection is retried; a short read is never handed over), hands it to the
// Ingester, waits for the message's final status through Outcomes, and only
// then archives or deletes it, or moves it to the error folder with a
// NAME.error.txt. After a crash the same file is the same message, so the
// poller waits for it again and nothing is imported twice.
//
//	cfg := sftp.Config{
//		Connection: sftp.Connection{Host: "sftp.acme.example", User: "dealerhub",
//			KeyFile: "/etc/dealerhub/acme_ed25519", KnownHosts: "/etc/dealerhub/known_hosts"},
//		Poll: &sftp.Poll{Dir: "/outbox", Pattern: "*.xlsx", Doctype: "price_list", Mapping: "prices"},
//	}
//	p, err := sftp.NewPoller("acme", cfg, outcomes, logger)
//	if err != nil {
//		return err // names the field: sftp.poll.dir: is required
//	}
//	go p.Run(ctx, hub) // or p.PollOnce(ctx, hub) to drive polls yourself
//
// The sink writes ".NAME.tmp" first and renames it to NAME (posix-rename
// when the server has it), so a partner listing the folder never sees a
// partial file under its final name; NAME comes from the delivery, so a
// retry overwrites instead of duplicating:
//
//	sink := sftp.NewSink(func(partner string) (sftp.Connection, bool) { … }, logger)
//	err := sink.Deliver(ctx, out) // out.Config: {"dir": "/inbox"}
package sftp
