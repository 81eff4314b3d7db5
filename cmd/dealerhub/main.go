// Command dealerhub is the one binary of the dealerhub integration hub: it
// runs the hub (serve) and the commands operators and scripts use against
// the same data dir or database (partners, apikey, validate, messages,
// bench). It is the only place that wires concrete parts together.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

const usage = `dealerhub — EDI and integration hub for dealer networks

Usage:
  dealerhub serve [flags]                     run the hub (API, pipeline, deliveries)
  dealerhub partners add|list|disable|enable  manage partners
  dealerhub apikey create|list|revoke         manage API keys
  dealerhub users add|list                    portal users (add --partner ID --email E --admin prints an invite link)
  dealerhub validate --doctype T FILE...      check canonical documents against their schema
  dealerhub messages list|show|replay         inspect and replay raw messages
  dealerhub bench ingest --docs N             measure the pipeline's throughput
  dealerhub bench import --rows N             measure a spreadsheet import against excelize alone
  dealerhub import FILE --partner ID --doctype T --dry-run  check a spreadsheet (XLSX/CSV) row by row
  dealerhub mapping suggest FILE              propose a mapping file for a spreadsheet
  dealerhub sync runs|now                     list sync runs (ERP, REST); run a partner's source now
  dealerhub edi to-json|from-json|ack FILE    what an EDI file maps to; the EDI for a document; its 997/CONTRL
  dealerhub bench edi --mb 5                  measure X12 parsing and mapping

Every command takes --data-dir and --database-url (or DEALERHUB_DATA_DIR and
DEALERHUB_DATABASE_URL) and works while serve runs. Reporting commands take
--json. Run "dealerhub COMMAND -h" for a command's flags.
`

// exitError carries an exit code through run.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err == nil {
		return
	}
	code := 1
	var ee *exitError
	if errors.As(err, &ee) {
		code, err = ee.code, ee.err
	}
	if errors.Is(err, flag.ErrHelp) { // -h printed the usage
		return
	}
	fmt.Fprintln(os.Stderr, "dealerhub:", err)
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return &exitError{code: 2, err: errors.New("no command given")}
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return cmdServe(ctx, rest, stdout, stderr)
	case "partners":
		return cmdPartners(ctx, rest, stdout, stderr)
	case "apikey":
		return cmdAPIKey(ctx, rest, stdout, stderr)
	case "users":
		return cmdUsers(ctx, rest, stdout, stderr)
	case "validate":
		return cmdValidate(ctx, rest, stdout, stderr)
	case "messages":
		return cmdMessages(ctx, rest, stdout, stderr)
	case "bench":
		return cmdBench(ctx, rest, stdout, stderr)
	case "import":
		return cmdImport(ctx, rest, stdout, stderr)
	case "mapping":
		return cmdMapping(ctx, rest, stdout, stderr)
	case "sync":
		return cmdSync(ctx, rest, stdout, stderr)
	case "edi":
		return cmdEDI(ctx, rest, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return &exitError{code: 2, err: fmt.Errorf("unknown command %q", cmd)}
	}
}

// newFlagSet makes a flag set that reports errors to stderr and returns
// them instead of exiting.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("dealerhub "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parseFlags parses args and then fills every flag not given on the command
// line from its DEALERHUB_* environment variable (--data-dir ←
// DEALERHUB_DATA_DIR).
//
// Flags may come after positional arguments ("partners add acme --roles
// dealer"); "--" ends the flags.
func parseFlags(fs *flag.FlagSet, args []string) error {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return &exitError{code: 2, err: err}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		// fs.Parse stops at the first positional argument, or after "--".
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			positional = append(positional, rest...)
			break
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
	if err := fs.Parse(append([]string{"--"}, positional...)); err != nil {
		return &exitError{code: 2, err: err}
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if set[f.Name] || err != nil {
			return
		}
		env := envName(f.Name)
		if v, ok := os.LookupEnv(env); ok {
			if e := fs.Set(f.Name, v); e != nil {
				err = &exitError{code: 2, err: fmt.Errorf("%s=%q: %w", env, v, e)}
			}
		}
	})
	return err
}

func envName(flagName string) string {
	return "DEALERHUB_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// usageErr is a command-line mistake: exit code 2.
func usageErr(format string, a ...any) error {
	return &exitError{code: 2, err: fmt.Errorf(format, a...)}
}
