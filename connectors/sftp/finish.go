package sftp

import (
	"context"
	"fmt"
	"log/slog"
	"path"
	"strconv"
	"strings"
)

// finishDone archives or deletes an imported file and its marker.
func (p *Poller) finishDone(ctx context.Context, log *slog.Logger, name string, rep *Report) error {
	src := path.Join(p.poll.Dir, name)
	if p.poll.OnDone == OnDoneDelete {
		if err := p.removeMarker(ctx, name); err != nil {
			return err
		}
		if err := p.remote(ctx, func(c *Client) error { return ignoreNotExist(c.Remove(ctx, src)) }); err != nil {
			return fmt.Errorf("deleting imported %s: %w", src, err)
		}
		log.Info("imported and deleted")
	} else {
		dst, err := p.moveAway(ctx, name, p.poll.ArchiveDir, nil)
		if err != nil {
			return fmt.Errorf("archiving imported %s: %w", src, err)
		}
		log.Info("imported and archived", "archived_as", dst)
	}
	delete(p.seen, name)
	rep.Imported++
	return nil
}

// finishFailed moves a file and its marker to the error folder, next to a
// NAME.error.txt that says why.
func (p *Poller) finishFailed(ctx context.Context, log *slog.Logger, name, verdict string, errs []string, rep *Report) error {
	src := path.Join(p.poll.Dir, name)
	report := func(final string) []byte {
		var b strings.Builder
		fmt.Fprintf(&b, "%s was not imported", name)
		if verdict != "" {
			fmt.Fprintf(&b, " (%s)", verdict)
		}
		b.WriteString(".\n\n")
		if len(errs) == 0 {
			b.WriteString("- the hub gave no reason; ask the hub operator\n")
		}
		for _, e := range errs {
			fmt.Fprintf(&b, "- %s\n", e)
		}
		return []byte(b.String())
	}
	dst, err := p.moveAway(ctx, name, p.poll.ErrorDir, report)
	if err != nil {
		return fmt.Errorf("moving failed %s to the error folder: %w", src, err)
	}
	log.Warn("not imported; moved to the error folder", "moved_to", dst, "errors", len(errs))
	delete(p.seen, name)
	rep.Failed++
	return nil
}

// moveAway moves name (and its marker) from the poll folder into dir under
// a name nothing there has yet: NAME, else NAME with a timestamp before its
// extension. When report is set, NAME.error.txt is written first.
func (p *Poller) moveAway(ctx context.Context, name, dir string, report func(string) []byte) (string, error) {
	src := path.Join(p.poll.Dir, name)
	var dst string
	err := p.remote(ctx, func(c *Client) error {
		if err := c.MkdirAll(ctx, dir); err != nil {
			return err
		}
		free, err := p.freeName(ctx, c, dir, name, report != nil)
		if err != nil {
			return err
		}
		dst = path.Join(dir, free)
		if report != nil {
			tmp := path.Join(dir, "."+free+".error.txt.tmp")
			if err := c.WriteFile(ctx, tmp, report(free)); err != nil {
				return err
			}
			if err := c.Replace(ctx, tmp, dst+".error.txt", true); err != nil {
				return err
			}
		}
		// The marker goes first: a marker left behind alone could make a
		// later file of the same name look complete while it is written.
		if p.poll.Complete == CompleteMarker {
			if err := ignoreNotExist(c.Rename(ctx, src+p.poll.MarkerSuffix, dst+p.poll.MarkerSuffix)); err != nil {
				return err
			}
		}
		return c.Rename(ctx, src, dst)
	})
	return dst, err
}

// freeName returns name, or name with the current time (and a counter)
// before its extension, whichever is free in dir.
func (p *Poller) freeName(ctx context.Context, c *Client, dir, name string, withReport bool) (string, error) {
	ext := path.Ext(name)
	base := strings.TrimSuffix(name, ext)
	stamp := p.now().UTC().Format("20060102T150405Z")
	for i := 0; i < 100; i++ {
		cand := name
		switch {
		case i == 1:
			cand = base + "." + stamp + ext
		case i > 1:
			cand = base + "." + stamp + "-" + strconv.Itoa(i) + ext
		}
		taken, err := exists(ctx, c, path.Join(dir, cand))
		if err == nil && !taken && withReport {
			taken, err = exists(ctx, c, path.Join(dir, cand+".error.txt"))
		}
		if err != nil {
			return "", err
		}
		if !taken {
			return cand, nil
		}
	}
	return "", fmt.Errorf("no free name for %s in %s", name, dir)
}

// removeMarker deletes a file's marker, if the poller uses markers.
func (p *Poller) removeMarker(ctx context.Context, name string) error {
	if p.poll.Complete != CompleteMarker {
		return nil
	}
	marker := path.Join(p.poll.Dir, name+p.poll.MarkerSuffix)
	if err := p.remote(ctx, func(c *Client) error { return ignoreNotExist(c.Remove(ctx, marker)) }); err != nil {
		return fmt.Errorf("deleting marker %s: %w", marker, err)
	}
	return nil
}

// exists reports whether a remote path exists.
func exists(ctx context.Context, c *Client, p string) (bool, error) {
	_, err := c.Stat(ctx, p)
	switch {
	case err == nil:
		return true, nil
	case IsNotExist(err):
		return false, nil
	default:
		return false, err
	}
}

func ignoreNotExist(err error) error {
	if IsNotExist(err) {
		return nil
	}
	return err
}
