package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/config"
	"github.com/dealerhub/dealerhub/schemas"
)

const ediUsage = `dealerhub edi to-json FILE [--json] [--config FILE]
dealerhub edi from-json --partner ID [--format x12|edifact] [--control N] [--config FILE] DOC.json
dealerhub edi ack FILE [--config FILE]`

// cmdEDI handles `dealerhub edi`: what an EDI file maps to, the EDI the
// hub would send a partner for a canonical document, and the
// acknowledgment a file should get. Nothing is stored.
func cmdEDI(_ context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageErr("%s", ediUsage)
	}
	sub := args[0]
	fs := newFlagSet("edi "+sub, stderr)
	asJSON := fs.Bool("json", false, "print JSON (to-json)")
	configPath := fs.String("config", "", "the hub config: partners' EDI ids, settings and mapping overrides (env DEALERHUB_CONFIG)")
	partner := fs.String("partner", "", "the partner the EDI is for (from-json)")
	format := fs.String("format", "", "x12 or edifact (from-json; default: the one the partner has settings for)")
	control := fs.Int64("control", 1, "the control number of every envelope level (from-json)")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	var cfg *config.Config
	if *configPath != "" {
		var err error
		if cfg, err = config.Load(*configPath, os.LookupEnv); err != nil {
			return usageErr("reading --config: %w", err)
		}
	}
	if fs.NArg() != 1 {
		return usageErr("%s", ediUsage)
	}
	file := fs.Arg(0)
	reg, err := schemas.New()
	if err != nil {
		return err
	}
	switch sub {
	case "to-json":
		return ediToJSON(cfg, reg, file, *asJSON, stdout)
	case "ack":
		return ediAck(cfg, reg, file, stdout)
	case "from-json":
		return ediFromJSON(cfg, reg, file, *partner, *format, *control, stdout)
	}
	return usageErr("edi: unknown subcommand %q\n%s", sub, ediUsage)
}

func readEDIFile(cfg *config.Config, reg *schemas.Registry, file string) (hub.EDIReport, error) {
	f, err := os.Open(file)
	if err != nil {
		return hub.EDIReport{}, err
	}
	defer f.Close()
	rep, err := hub.ReadEDI(cfg, reg, "", f)
	if err != nil {
		return rep, fmt.Errorf("%s: %w", file, err)
	}
	return rep, nil
}

// ediToJSON prints each interchange's envelope and the canonical
// documents of its sets; exit 1, with every error, when anything is wrong.
func ediToJSON(cfg *config.Config, reg *schemas.Registry, file string, asJSON bool, stdout io.Writer) error {
	rep, err := readEDIFile(cfg, reg, file)
	if err != nil {
		return err
	}
	if asJSON {
		if err := printJSON(stdout, rep); err != nil {
			return err
		}
	} else if err := printEDIReport(stdout, rep); err != nil {
		return err
	}
	if err := rep.Err(); err != nil {
		return &exitError{code: 1, err: fmt.Errorf("%s has errors:\n%w", file, err)}
	}
	return nil
}

func printEDIReport(w io.Writer, rep hub.EDIReport) error {
	var b strings.Builder
	for _, ic := range rep.Interchanges {
		fmt.Fprintf(&b, "%s interchange %s from %s to %s", strings.ToUpper(ic.Standard), ic.Control, partyText(ic.Sender, ic.SenderPartner),
			partyText(ic.Receiver, ic.ReceiverPartner))
		if ic.Date != "" {
			fmt.Fprintf(&b, ", %s %s", ic.Date, ic.Time)
		}
		fmt.Fprintf(&b, " (%s)\n", ic.Version)
		for _, e := range ic.Errors {
			fmt.Fprintf(&b, "  error: %v\n", e)
		}
		for _, g := range ic.Groups {
			fmt.Fprintf(&b, "  group %s %s %s\n", g.FunctionalID, g.Control, g.Version)
			for _, e := range g.Errors {
				fmt.Fprintf(&b, "    error: %v\n", e)
			}
			for _, s := range g.Sets {
				fmt.Fprintf(&b, "    %s %s: %d document(s)\n", s.Type, s.Control, len(s.Documents))
				for _, e := range s.Errors {
					fmt.Fprintf(&b, "      error: %v\n", e)
				}
				for _, d := range s.Documents {
					body, err := json.MarshalIndent(d.Document, "      ", "  ")
					if err != nil {
						return err
					}
					fmt.Fprintf(&b, "      %s %s\n", d.Doctype, body)
				}
			}
		}
	}
	for _, e := range rep.Errors {
		fmt.Fprintf(&b, "error: %v\n", e)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func partyText(p connectors.EDIParty, partner string) string {
	s := p.ID
	if p.Qualifier != "" {
		s = p.Qualifier + ":" + p.ID
	}
	if partner != "" {
		s += " (" + partner + ")"
	}
	return s
}

// ediAck prints the 997s or CONTRL a file should get.
func ediAck(cfg *config.Config, reg *schemas.Registry, file string, stdout io.Writer) error {
	rep, err := readEDIFile(cfg, reg, file)
	if err != nil {
		return err
	}
	if len(rep.Interchanges) == 0 {
		return &exitError{code: 1, err: fmt.Errorf("%s: no interchange to acknowledge: %w", file, rep.Err())}
	}
	out, err := hub.EDIAck(cfg, rep, time.Now())
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	_, err = stdout.Write(out)
	return err
}

// ediFromJSON prints the interchange the hub would send partner for a
// canonical document; its doctype is the one whose schema it fits.
func ediFromJSON(cfg *config.Config, reg *schemas.Registry, file, partner, format string, control int64, stdout io.Writer) error {
	if partner == "" {
		return usageErr("edi from-json: give --partner ID, the partner the EDI is for")
	}
	if cfg == nil {
		return usageErr("edi from-json: give the hub config with --config (or DEALERHUB_CONFIG): it holds partner %q's EDI settings", partner)
	}
	settings := cfg.PartnerEDI(partner)
	if format == "" {
		switch {
		case settings.X12 != nil:
			format = connectors.FormatX12
		case settings.EDIFACT != nil:
			format = connectors.FormatEDIFACT
		default:
			return fmt.Errorf("partner %q has no edi settings in the config", partner)
		}
	}
	if !slices.Contains(config.EDIFormats, format) {
		return usageErr("--format must be x12 or edifact, not %q", format)
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return fmt.Errorf("%s is not a JSON object: %w", file, err)
	}
	doctype, err := fitDoctype(reg, doc)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	sender, _ := doc["sender"].(string)
	out, err := hub.EncodeEDI(cfg, hub.EDIOptions{Format: format, Sender: sender, Receiver: partner, Doctype: doctype, Control: control, Now: time.Now()}, raw)
	if err != nil {
		return fmt.Errorf("%s as %s for %s: %w", file, format, partner, err)
	}
	_, err = stdout.Write(out)
	return err
}

// fitDoctype is the doctype whose schema a document fits; when none does,
// the error lists the problems against the closest ones.
func fitDoctype(reg *schemas.Registry, doc map[string]any) (string, error) {
	best, fewest := "", -1
	var problems []schemas.Violation
	for _, dt := range schemas.DocTypes {
		vs := reg.Validate(dt, doc)
		if len(vs) == 0 {
			return dt, nil
		}
		if fewest < 0 || len(vs) < fewest {
			best, fewest, problems = dt, len(vs), vs
		}
	}
	var lines []string
	for _, v := range problems {
		lines = append(lines, fmt.Sprintf("%s: %s", v.Pointer, v.Reason))
	}
	return "", errors.New("the document fits no canonical schema; closest is " + best + ":\n  " + strings.Join(lines, "\n  "))
}
