package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"

	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/store"
)

// cmdUsers manages portal users: "add" creates one (the first admin of a
// partner, typically) and prints an invite link once, or sets its password
// from a file or stdin; "list" shows a partner's users.
func cmdUsers(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, args, err := newStoreCommand("users", "add or list", args, stderr)
	if err != nil {
		return err
	}
	sub, fs, asJSON := c.sub, c.fs, c.asJSON
	partner := fs.String("partner", "", "partner the user belongs to (add, list)")
	email := fs.String("email", "", "the user's email, used to log in (add)")
	name := fs.String("name", "", "display name (add)")
	admin := fs.Bool("admin", false, "make the user an admin of the partner (add)")
	lang := fs.String("lang", "", "preferred language: en or zh-CN; empty follows the browser (add)")
	baseURL := fs.String("base-url", "http://localhost:8080", "where the portal is served, for the invite link (add)")
	pwFile := fs.String("password-file", "", "set the password from the first line of this file, - for stdin, instead of printing an invite (add)")
	st, err := c.open(ctx, args)
	if err != nil {
		return err
	}
	defer st.Close()
	acc, err := hub.NewAccounts(st, hub.AccountOptions{})
	if err != nil {
		return err
	}
	switch sub {
	case "add":
		if *partner == "" || *email == "" {
			return usageErr("users add --partner ID --email EMAIL [--name NAME] [--admin] [--password-file FILE|-]")
		}
		role := store.RoleMember
		if *admin {
			role = store.RoleAdmin
		}
		nu := hub.NewUser{Partner: *partner, Email: *email, Name: *name, Role: role, Lang: *lang}
		return addUser(ctx, acc, nu, *pwFile, *baseURL, *asJSON, stdout, stderr)
	case "list":
		if *partner == "" {
			return usageErr("users list --partner ID")
		}
		us, err := st.ListUsers(ctx, *partner)
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(stdout, nonNil(us))
		}
		rows := make([][]string, len(us))
		for i, u := range us {
			status := "active"
			switch {
			case u.Disabled:
				status = "disabled"
			case u.PasswordHash == "":
				status = "invited"
			}
			rows[i] = []string{u.Email, u.Name, string(u.Role), u.Lang, status}
		}
		return table(stdout, []string{"EMAIL", "NAME", "ROLE", "LANG", "STATUS"}, rows)
	default:
		return usageErr("users: unknown subcommand %q (add, list)", sub)
	}
}

// addUser creates the user and either sets its password from pwFile or
// prints the invite link, once.
func addUser(ctx context.Context, acc *hub.Accounts, nu hub.NewUser, pwFile, baseURL string, asJSON bool, stdout, stderr io.Writer) error {
	var password string
	if pwFile != "" {
		pw, err := readPassword(pwFile)
		if err != nil {
			return err
		}
		if err := hub.CheckPasswordPolicy(pw); err != nil {
			return usageErr("%v", err)
		}
		password = pw
	}
	u, token, err := acc.AddUser(ctx, nu)
	if err != nil {
		return err
	}
	if password != "" {
		if _, err := acc.AcceptInvite(ctx, token, password); err != nil {
			return err
		}
		if asJSON {
			return printJSON(stdout, map[string]any{"id": u.ID, "partner": u.Partner, "email": u.Email, "role": u.Role})
		}
		fmt.Fprintf(stdout, "user %s of %s created (%s); password set\n", u.Email, u.Partner, u.Role)
		return nil
	}
	link := strings.TrimRight(baseURL, "/") + "/invite?" + url.Values{"token": {token}}.Encode()
	if asJSON {
		return printJSON(stdout, map[string]any{"id": u.ID, "partner": u.Partner, "email": u.Email, "role": u.Role,
			"invite_token": token, "invite_url": link})
	}
	fmt.Fprintln(stdout, link)
	fmt.Fprintf(stderr, "user %s of %s created (%s); the invite link is shown only once and works for %s.\n",
		u.Email, u.Partner, u.Role, hub.DefaultInviteTTL)
	return nil
}

// readPassword reads the first line of a file, or of stdin for "-".
func readPassword(path string) (string, error) {
	var r io.Reader = os.Stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return "", fmt.Errorf("reading the password: %w", err)
		}
		defer f.Close()
		r = f
	}
	line, err := bufio.NewReader(io.LimitReader(r, hub.MaxPasswordBytes+2)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("reading the password: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}
