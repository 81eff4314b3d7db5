package store_test

import (
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
)

func TestLoadMigrations(t *testing.T) {
	t.Parallel()
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	tests := []struct {
		name  string
		files fstest.MapFS
		want  []store.Migration
		err   string
	}{
		{
			name: "ordered by number, not by name; other files skipped",
			files: fstest.MapFS{
				"m/0010_ten.sql":       file("ten"),
				"m/0002_two.sql":       file("two"),
				"m/0001_init.sql":      file("one"),
				"m/README.md":          file("docs"),
				"m/0003_dir.sql/x.sql": file("in a folder"),
			},
			want: []store.Migration{
				{Version: 1, Name: "0001_init.sql", SQL: "one"},
				{Version: 2, Name: "0002_two.sql", SQL: "two"},
				{Version: 10, Name: "0010_ten.sql", SQL: "ten"},
			},
		},
		{name: "no underscore", files: fstest.MapFS{"m/0001.sql": file("")},
			err: `migration "0001.sql": name must start with a positive number and an underscore`},
		{name: "not a number", files: fstest.MapFS{"m/init_1.sql": file("")},
			err: `migration "init_1.sql": name must start with a positive number and an underscore`},
		{name: "zero", files: fstest.MapFS{"m/0000_zero.sql": file("")},
			err: `migration "0000_zero.sql": name must start with a positive number and an underscore`},
		{name: "a shared number", files: fstest.MapFS{"m/0001_a.sql": file(""), "m/1_b.sql": file("")},
			err: `migrations "0001_a.sql" and "1_b.sql" share version 1`},
		{name: "no folder", files: fstest.MapFS{},
			err: "reading embedded migrations: open m: file does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := store.LoadMigrations(tt.files, "m")
			if tt.err != "" {
				require.EqualError(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}
