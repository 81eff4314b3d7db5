package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/bus"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/schemas"
)

var knownRoles = map[string]bool{"supplier": true, "dealer": true, "logistics": true, "operator": true}

// storeCommand is the frame shared by the commands that work on the store:
// a sub-command, its flag set with --data-dir, --database-url and --json,
// and the opened store.
type storeCommand struct {
	sub    string
	fs     *flag.FlagSet
	sf     storeFlags
	asJSON *bool
}

// newStoreCommand takes the sub-command off args; subs lists the valid ones
// for the error message.
func newStoreCommand(name, subs string, args []string, stderr io.Writer) (*storeCommand, []string, error) {
	if len(args) == 0 {
		return nil, nil, usageErr("%s: give %s", name, subs)
	}
	c := &storeCommand{sub: args[0], fs: newFlagSet(name+" "+args[0], stderr)}
	c.sf.register(c.fs)
	c.asJSON = c.fs.Bool("json", false, "print JSON")
	return c, args[1:], nil
}

// open parses the flags (define the command's own first) and opens the
// store; the caller closes it.
func (c *storeCommand) open(ctx context.Context, args []string) (store.Store, error) {
	if err := parseFlags(c.fs, args); err != nil {
		return nil, err
	}
	return c.sf.open(ctx)
}

func cmdPartners(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, args, err := newStoreCommand("partners", "add, list, disable or enable", args, stderr)
	if err != nil {
		return err
	}
	sub, fs, asJSON := c.sub, c.fs, c.asJSON
	name := fs.String("name", "", "display name (add)")
	roles := fs.String("roles", "", "comma-separated roles: supplier, dealer, logistics, operator (add)")
	st, err := c.open(ctx, args)
	if err != nil {
		return err
	}
	defer st.Close()
	switch sub {
	case "add":
		if fs.NArg() != 1 {
			return usageErr("partners add ID --name NAME --roles supplier,dealer")
		}
		id := fs.Arg(0)
		if !hub.IsPartnerID(id) {
			return usageErr("partner id %q must be lowercase letters, digits and dashes", id)
		}
		var rs []string
		for _, r := range strings.Split(*roles, ",") {
			if r = strings.TrimSpace(r); r == "" {
				continue
			}
			if !knownRoles[r] {
				return usageErr("unknown role %q (supplier, dealer, logistics, operator)", r)
			}
			rs = append(rs, r)
		}
		if len(rs) == 0 {
			return usageErr("--roles is required (supplier, dealer, logistics, operator)")
		}
		if *name == "" {
			*name = id
		}
		p, err := st.UpsertPartner(ctx, store.Partner{ID: id, Name: *name, Roles: rs, Enabled: true})
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(stdout, p)
		}
		fmt.Fprintf(stdout, "partner %s saved (%s)\n", p.ID, strings.Join(p.Roles, ", "))
		return nil
	case "list":
		ps, err := st.ListPartners(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(stdout, nonNil(ps))
		}
		rows := make([][]string, len(ps))
		for i, p := range ps {
			rows[i] = []string{p.ID, p.Name, strings.Join(p.Roles, ","), fmt.Sprint(p.Enabled)}
		}
		return table(stdout, []string{"ID", "NAME", "ROLES", "ENABLED"}, rows)
	case "disable", "enable":
		if fs.NArg() != 1 {
			return usageErr("partners %s ID", sub)
		}
		if err := st.SetPartnerEnabled(ctx, fs.Arg(0), sub == "enable"); err != nil {
			return fmt.Errorf("partner %q: %w", fs.Arg(0), err)
		}
		if *asJSON {
			return printJSON(stdout, map[string]any{"id": fs.Arg(0), "enabled": sub == "enable"})
		}
		fmt.Fprintf(stdout, "partner %s %sd\n", fs.Arg(0), sub)
		return nil
	default:
		return usageErr("partners: unknown subcommand %q (add, list, disable, enable)", sub)
	}
}

func cmdAPIKey(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, args, err := newStoreCommand("apikey", "create, list or revoke", args, stderr)
	if err != nil {
		return err
	}
	sub, fs, asJSON := c.sub, c.fs, c.asJSON
	partner := fs.String("partner", "", "partner the key acts for (create, list)")
	operator := fs.Bool("operator", false, "create an operator key that sees everything (create)")
	label := fs.String("label", "", "a note on what the key is for (create)")
	st, err := c.open(ctx, args)
	if err != nil {
		return err
	}
	defer st.Close()
	switch sub {
	case "create":
		if (*partner == "") == !*operator {
			return usageErr("apikey create needs --partner ID or --operator (one of them)")
		}
		key, k, err := hub.CreateAPIKey(ctx, st, *partner, *operator, *label)
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(stdout, map[string]any{"id": k.ID, "partner": k.Partner, "operator": k.Operator, "key": key})
		}
		fmt.Fprintf(stdout, "%s\n", key)
		fmt.Fprintf(stderr, "API key %s created; it is shown only once: store it now.\n", k.ID)
		return nil
	case "list":
		ks, err := st.ListAPIKeys(ctx, *partner)
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(stdout, nonNil(ks))
		}
		rows := make([][]string, len(ks))
		for i, k := range ks {
			who := k.Partner
			if k.Operator {
				who = "(operator)"
			}
			revoked := ""
			if k.RevokedAt != nil {
				revoked = k.RevokedAt.Format(time.RFC3339)
			}
			rows[i] = []string{k.ID, who, k.Label, k.CreatedAt.Format(time.RFC3339), revoked}
		}
		return table(stdout, []string{"ID", "PARTNER", "LABEL", "CREATED", "REVOKED"}, rows)
	case "revoke":
		if fs.NArg() != 1 {
			return usageErr("apikey revoke ID (the 16 hex digits after dhk_, or the whole key)")
		}
		id := keyID(fs.Arg(0))
		if err := st.RevokeAPIKey(ctx, id); err != nil {
			return fmt.Errorf("API key %s: %w", id, err)
		}
		if *asJSON {
			return printJSON(stdout, map[string]any{"id": id, "revoked": true})
		}
		fmt.Fprintf(stdout, "API key %s revoked\n", id)
		return nil
	default:
		return usageErr("apikey: unknown subcommand %q (create, list, revoke)", sub)
	}
}

// keyID accepts a key id or a whole key and returns the id.
func keyID(s string) string {
	if rest, ok := strings.CutPrefix(s, "dhk_"); ok {
		id, _, _ := strings.Cut(rest, "_")
		return id
	}
	return s
}

// validateResult is one file's outcome for --json.
type validateResult struct {
	File       string              `json:"file"`
	Valid      bool                `json:"valid"`
	Error      string              `json:"error,omitempty"`
	Violations []schemas.Violation `json:"violations,omitempty"`
}

func cmdValidate(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("validate", stderr)
	doctype := fs.String("doctype", "", "canonical document type: "+strings.Join(schemas.DocTypes, ", "))
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if !schemas.IsDocType(*doctype) {
		return usageErr("--doctype must be one of %s", strings.Join(schemas.DocTypes, ", "))
	}
	if fs.NArg() == 0 {
		return usageErr("validate --doctype T FILE...")
	}
	reg, err := schemas.New()
	if err != nil {
		return err
	}
	results := make([]validateResult, 0, fs.NArg())
	bad := 0
	for _, file := range fs.Args() {
		r := validateResult{File: file}
		b, err := os.ReadFile(file)
		if err == nil {
			r.Violations, err = reg.ValidateJSON(*doctype, b)
		}
		if err != nil {
			r.Error = err.Error()
		}
		r.Valid = err == nil && len(r.Violations) == 0
		if !r.Valid {
			bad++
		}
		results = append(results, r)
	}
	if *asJSON {
		if err := printJSON(stdout, results); err != nil {
			return err
		}
	} else {
		for _, r := range results {
			switch {
			case r.Valid:
				fmt.Fprintf(stdout, "%s: valid %s\n", r.File, *doctype)
			case r.Error != "":
				fmt.Fprintf(stdout, "%s: %s\n", r.File, r.Error)
			default:
				for _, v := range r.Violations {
					ptr := v.Pointer
					if ptr == "" {
						ptr = "/"
					}
					fmt.Fprintf(stdout, "%s: %s: %s\n", r.File, ptr, v.Reason)
				}
			}
		}
	}
	if bad > 0 {
		return &exitError{code: 1, err: fmt.Errorf("%d of %d file(s) invalid", bad, len(results))}
	}
	return nil
}

func cmdMessages(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, args, err := newStoreCommand("messages", "list, show or replay", args, stderr)
	if err != nil {
		return err
	}
	sub, fs, asJSON := c.sub, c.fs, c.asJSON
	status := fs.String("status", "", "only messages with this status: received, processing, done, failed, dead (list)")
	partner := fs.String("partner", "", "only messages from this partner (list)")
	doctype := fs.String("doctype", "", "only messages of this doctype (list)")
	limit := fs.Int("limit", 50, "how many (list)")
	natsNS := fs.String("nats-namespace", "", "bus namespace of the hub, if it uses one (replay)")
	st, err := c.open(ctx, args)
	if err != nil {
		return err
	}
	defer st.Close()
	scope := store.OperatorScope()
	switch sub {
	case "list":
		ms, _, err := st.ListMessages(ctx, scope, store.MessageFilter{Partner: *partner, Doctype: *doctype, Status: store.MessageStatus(*status), Page: store.Page{Limit: *limit}})
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(stdout, nonNil(ms))
		}
		rows := make([][]string, len(ms))
		for i, m := range ms {
			errs := ""
			if len(m.Errors) > 0 {
				errs = m.Errors[0].Reason
				if len(m.Errors) > 1 {
					errs += fmt.Sprintf(" (+%d)", len(m.Errors)-1)
				}
			}
			rows[i] = []string{m.ID, m.ReceivedAt.Format(time.RFC3339), m.Partner, m.Doctype, string(m.Status), m.Source, errs}
		}
		return table(stdout, []string{"ID", "RECEIVED", "PARTNER", "DOCTYPE", "STATUS", "SOURCE", "ERRORS"}, rows)
	case "show":
		if fs.NArg() != 1 {
			return usageErr("messages show ID")
		}
		m, err := st.GetMessage(ctx, scope, fs.Arg(0))
		if err != nil {
			return fmt.Errorf("message %s: %w", fs.Arg(0), err)
		}
		if *asJSON {
			return printMessageJSON(ctx, stdout, st, m)
		}
		fmt.Fprintf(stdout, "id:        %s\npartner:   %s\ndoctype:   %s\nformat:    %s\nsource:    %s\nstatus:    %s\nattempts:  %d\nreceived:  %s\nsha256:    %s\nsize:      %d bytes\n",
			m.ID, m.Partner, m.Doctype, m.Format, m.Source, m.Status, m.Attempts, m.ReceivedAt.Format(time.RFC3339), m.SHA256, m.Size)
		if len(m.DocumentIDs) > 0 {
			fmt.Fprintf(stdout, "documents: %s\n", strings.Join(m.DocumentIDs, ", "))
		}
		for _, e := range m.Errors {
			where := e.Pointer
			if e.Location != "" {
				where = strings.TrimSpace(e.Location + " " + e.Pointer)
			}
			fmt.Fprintf(stdout, "error:     %s: %s\n", where, e.Reason)
		}
		return nil
	case "replay":
		if fs.NArg() != 1 {
			return usageErr("messages replay ID")
		}
		m, err := hub.ReplayMessage(ctx, st, bus.Names{Namespace: *natsNS}, scope, fs.Arg(0), time.Now)
		if err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("message %s: %w", fs.Arg(0), err)
			}
			return err
		}
		if *asJSON {
			return printJSON(stdout, m)
		}
		fmt.Fprintf(stdout, "message %s queued again (status %s); a running hub processes it now\n", m.ID, m.Status)
		return nil
	default:
		return usageErr("messages: unknown subcommand %q (list, show, replay)", sub)
	}
}

// nonNil makes an empty list print as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// maxShownBody is the largest body `messages show --json` prints.
const maxShownBody = 1 << 20

// printMessageJSON prints a message with its body as text, when the body
// is at most maxShownBody; a larger one is left out, and body_omitted says
// so (GET /api/v1/messages/{id}/body downloads it).
func printMessageJSON(ctx context.Context, w io.Writer, st store.Store, m store.Message) error {
	out := struct {
		store.Message
		Body        *string `json:"body,omitempty"`
		BodyOmitted string  `json:"body_omitted,omitempty"`
	}{Message: m}
	if m.Size > maxShownBody {
		out.BodyOmitted = fmt.Sprintf("the body is %d bytes, more than the %d shown here; GET /api/v1/messages/%s/body downloads it",
			m.Size, maxShownBody, m.ID)
		return printJSON(w, out)
	}
	b, err := store.ReadBody(ctx, st, store.OperatorScope(), m.ID)
	if err != nil {
		return fmt.Errorf("message %s: %w", m.ID, err)
	}
	body := string(b)
	out.Body = &body
	return printJSON(w, out)
}
