package bus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// embeddedStartTimeout bounds how long Open waits for the embedded server,
// including JetStream recovering its store from DataDir.
const embeddedStartTimeout = 30 * time.Second

// embedded is an in-process nats-server with JetStream, listening on no
// port: clients reach it through nats.InProcessServer.
type embedded struct {
	srv  *server.Server
	lock *dirLock
}

// startEmbedded locks dataDir, starts the server on it and waits until it is
// ready for connections. Every error names the directory.
func startEmbedded(ctx context.Context, dataDir string, log *slog.Logger) (*embedded, error) {
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, fmt.Errorf("creating bus data dir %q: %w", dataDir, err)
	}
	lock, err := lockDir(dataDir)
	if err != nil {
		return nil, err
	}
	srv, err := server.NewServer(&server.Options{
		ServerName:             "dealerhub-embedded",
		DontListen:             true,
		JetStream:              true,
		StoreDir:               dataDir,
		NoSigs:                 true,
		DisableJetStreamBanner: true,
	})
	if err != nil {
		lock.unlock()
		return nil, fmt.Errorf("configuring embedded nats server in %q: %w", dataDir, err)
	}
	fatal := make(chan string, 1)
	srv.SetLoggerV2(&serverLogger{log: log, fatal: fatal}, log.Enabled(ctx, slog.LevelDebug), false, false)

	started := make(chan struct{})
	go func() {
		defer close(started)
		srv.Start()
	}()
	fail := func(err error) (*embedded, error) {
		srv.Shutdown()
		<-started
		srv.WaitForShutdown()
		lock.unlock()
		return nil, err
	}
	timer := time.NewTimer(embeddedStartTimeout)
	defer timer.Stop()
	select {
	case <-started:
	case msg := <-fatal:
		return fail(fmt.Errorf("starting embedded nats server in %q: %s", dataDir, msg))
	case <-ctx.Done():
		return fail(fmt.Errorf("starting embedded nats server in %q: %w", dataDir, ctx.Err()))
	case <-timer.C:
		return fail(fmt.Errorf("starting embedded nats server in %q: not started after %s", dataDir, embeddedStartTimeout))
	}
	// Start returns early (without error) when JetStream cannot use the store
	// dir; the reason only reaches the logger.
	select {
	case msg := <-fatal:
		return fail(fmt.Errorf("starting embedded nats server in %q: %s", dataDir, msg))
	default:
	}
	if !srv.ReadyForConnections(embeddedStartTimeout) {
		return fail(fmt.Errorf("starting embedded nats server in %q: not ready for connections after %s", dataDir, embeddedStartTimeout))
	}
	if !srv.JetStreamEnabled() {
		return fail(fmt.Errorf("starting embedded nats server in %q: jetstream is not enabled", dataDir))
	}
	return &embedded{srv: srv, lock: lock}, nil
}

// shutdown stops the server, waits for it and releases the data dir.
func (e *embedded) shutdown() {
	e.srv.Shutdown()
	e.srv.WaitForShutdown()
	e.lock.unlock()
}

// serverLogger sends nats-server's log lines to slog at debug (errors at
// error), and reports fatal lines to startEmbedded instead of exiting.
type serverLogger struct {
	log   *slog.Logger
	fatal chan<- string
}

func (l *serverLogger) logf(level slog.Level, format string, v []any) {
	if l.log.Enabled(context.Background(), level) {
		l.log.Log(context.Background(), level, fmt.Sprintf(format, v...), "component", "nats-server")
	}
}

// Noticef logs at debug.
func (l *serverLogger) Noticef(format string, v ...any) { l.logf(slog.LevelDebug, format, v) }

// Warnf logs at debug: the server warns about things the hub reports itself.
func (l *serverLogger) Warnf(format string, v ...any) { l.logf(slog.LevelDebug, format, v) }

// Errorf logs at error.
func (l *serverLogger) Errorf(format string, v ...any) { l.logf(slog.LevelError, format, v) }

// Debugf logs at debug.
func (l *serverLogger) Debugf(format string, v ...any) { l.logf(slog.LevelDebug, format, v) }

// Tracef logs at debug.
func (l *serverLogger) Tracef(format string, v ...any) { l.logf(slog.LevelDebug, format, v) }

// Fatalf logs at error and hands the message to startEmbedded.
func (l *serverLogger) Fatalf(format string, v ...any) {
	msg := fmt.Sprintf(format, v...)
	l.log.Error(msg, "component", "nats-server")
	select {
	case l.fatal <- msg:
	default:
	}
}

// ErrDataDirLocked is returned by Open when another embedded bus (in this
// or another process) already runs on the same DataDir. nats-server does not
// guard its store dir itself, and two servers on one store corrupt it.
var ErrDataDirLocked = errors.New("data dir is locked by another bus (is another dealerhub running on it?)")
