package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/go-aisearch/tokens/aisearch"
)

func newDeleteCmd(r *runner) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "delete ID",
		Short: "Delete a registration (asks first unless --yes)",
		Long: `Delete a registration, permanently. AI Search refuses (409, code 7076)
while an instance uses it (names it as its token_id): delete then says
which instances, of every namespace, so you can delete them or point them
at another registration first.

At a terminal, delete shows the registration and asks first. Without a
terminal (a script, CI) nobody can answer: it refuses unless --yes is given,
and sends nothing.

Exit codes: 0 deleted, 1 failure (also: not confirmed), 2 usage (also: no
terminal and no --yes), 3 no registration ID.` + apiPermissions(aiSearchEdit),
		Args: registrationID("ID"),
	}
	api := addAPIFlags(cmd.Flags())
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "delete without asking (required when stdin is not a terminal)")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		id := args[0]
		if !yes && !r.env.StdinIsTerminal {
			return usagef("--yes is required when stdin is not a terminal (nobody can answer the question); nothing was deleted")
		}
		c, err := r.connect(cmd.Context(), api)
		if err != nil {
			return err
		}
		if !yes {
			// Show what would go, and fail early (exit 3) if it does not exist.
			getCtx, cancel := r.bound(cmd.Context(), api)
			t, err := c.Registrations.Get(getCtx, id)
			cancel()
			if err != nil {
				return notFound(err)
			}
			ok, err := r.confirm(cmd.Context(), fmt.Sprintf("Delete registration %s (%q, cf_api_id %s)? This cannot be undone; instances using it will fail.\nType yes to confirm: ",
				t.ID, oneLine(t.Name), oneLine(t.CfAPIID)))
			if err != nil {
				return err
			}
			if !ok {
				return errors.New("not confirmed; nothing was deleted")
			}
		}
		ctx, cancel := r.bound(cmd.Context(), api)
		defer cancel()
		if err := c.Registrations.Delete(ctx, id); err != nil {
			if errors.Is(err, aisearch.ErrConflict) {
				return inUse(ctx, c, id, err)
			}
			return notFound(err)
		}
		if api.json {
			return writeJSON(r.env.Stdout, map[string]any{"id": id, "deleted": true})
		}
		_, err = fmt.Fprintf(r.env.Stdout, "deleted registration %s\n", id)
		return err
	}
	return cmd
}

// inUse explains AI Search's refusal to delete registration id: the
// instances that name it, found by listing every namespace's.
func inUse(ctx context.Context, c *aisearch.Client, id string, refusal error) error {
	var names []string
	for in, err := range c.AllInstances(ctx) {
		if err != nil {
			return fmt.Errorf("%w (listing the instances that use it failed too: %v)", refusal, err)
		}
		if in.TokenID == id {
			names = append(names, oneLine(in.Name()))
		}
	}
	if len(names) == 0 {
		return fmt.Errorf("%w (no instance names it now: try again)", refusal)
	}
	return fmt.Errorf("registration %s is in use by %d instance(s): %s; delete them, or point them at another registration (their token_id), first: %w",
		id, len(names), strings.Join(names, ", "), refusal)
}
