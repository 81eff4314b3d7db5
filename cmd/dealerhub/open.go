package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/hub/store/pgstore"
	"github.com/dealerhub/dealerhub/hub/store/sqlitestore"
)

// storeFlags are the flags every command uses to find the database.
type storeFlags struct {
	dataDir     string
	databaseURL string
}

func (s *storeFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&s.dataDir, "data-dir", "./data", "directory for the embedded database and bus (env DEALERHUB_DATA_DIR)")
	fs.StringVar(&s.databaseURL, "database-url", "", "PostgreSQL URL (postgres://…); empty uses embedded SQLite in the data dir (env DEALERHUB_DATABASE_URL)")
}

func (s *storeFlags) isPostgres() bool {
	return strings.HasPrefix(s.databaseURL, "postgres://") || strings.HasPrefix(s.databaseURL, "postgresql://")
}

// open opens the store the flags name, applying migrations.
func (s *storeFlags) open(ctx context.Context) (store.Store, error) {
	switch {
	case s.isPostgres():
		st, err := pgstore.Open(ctx, s.databaseURL)
		if err != nil {
			return nil, fmt.Errorf("opening PostgreSQL: %w", err)
		}
		return st, nil
	case s.databaseURL != "":
		return nil, usageErr("--database-url must start with postgres:// or postgresql:// (leave it empty for the embedded store)")
	default:
		if err := os.MkdirAll(s.dataDir, 0o750); err != nil {
			return nil, fmt.Errorf("creating data dir: %w", err)
		}
		path := filepath.Join(s.dataDir, "dealerhub.db")
		st, err := sqlitestore.Open(ctx, path)
		if err != nil {
			return nil, fmt.Errorf("opening %s: %w", path, err)
		}
		return st, nil
	}
}
