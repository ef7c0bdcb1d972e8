package cli

import (
	"context"
	"errors"
	"fmt"
)

func runDelete(ctx context.Context, cmd *Command, stdio Stdio, args []string) error {
	fs := NewFlagSet(cmd, stdio)
	api := addAPIFlags(fs)
	yes := fs.Bool("yes", false, "do not ask for confirmation")
	pos, err := parseArgs(fs, args, "ID")
	if err != nil {
		return err
	}
	id := pos[0]
	c, err := api.client(ctx)
	if err != nil {
		return err
	}
	if !*yes {
		// Show what would go, and fail early (exit 3) if it does not exist.
		getCtx, cancel := api.bound(ctx)
		t, err := c.Registrations.Get(getCtx, id)
		cancel()
		if err != nil {
			return apiError(err)
		}
		fmt.Fprintf(stdio.Err, "Delete token %s (%q, cf_api_id %s)? This cannot be undone; instances using it will fail.\nType yes to confirm: ", t.ID, oneLine(t.Name), oneLine(t.CfAPIID))
		ok, err := confirmed(ctx, stdio.In)
		if err != nil {
			return err
		}
		if !ok {
			return errors.New("not confirmed; nothing deleted (use --yes to skip the question)")
		}
	}
	ctx, cancel := api.bound(ctx)
	defer cancel()
	if err := c.Registrations.Delete(ctx, id); err != nil {
		return apiError(err)
	}
	if api.json {
		return writeJSON(stdio.Out, map[string]any{"id": id, "deleted": true})
	}
	_, err = fmt.Fprintf(stdio.Out, "deleted token %s\n", id)
	return err
}
