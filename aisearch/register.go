package aisearch

import (
	"context"
	"fmt"
)

// Ensure makes sure the service API token p.CfAPIID is
// registered, for the workflow of creating a service token through the API
// and registering it before the first AI Search instance. p is what Create
// takes (Name, CfAPIID and CfAPIKey are required, Legacy is optional). It
// returns the registered token and whether this call created it:
//
//   - a token with this cf_api_id exists: it is returned as is (created
//     false), whatever its name and legacy flag; the API never returns
//     keys, so an existing registration's key is not compared (use Update
//     to replace it);
//   - none exists but a token with this name does: ErrNameTaken, because
//     that name belongs to another service token (rotate it with Update);
//   - neither exists: the token is created from p (created true).
//
// It lists every token to look. Two concurrent calls can both create; the
// API has no uniqueness constraint to stop that.
func (r *Registrations) Ensure(ctx context.Context, p RegistrationParams) (Registration, bool, error) {
	if err := p.check(); err != nil {
		return Registration{}, false, err
	}
	name, cfAPIID := p.Name, p.CfAPIID
	var sameName *Registration
	for t, err := range r.All(ctx, RegistrationListOptions{}) {
		if err != nil {
			return Registration{}, false, err
		}
		if t.CfAPIID == cfAPIID {
			return t, false, nil
		}
		if sameName == nil && t.Name == name {
			sameName = &t
		}
	}
	if sameName != nil {
		return Registration{}, false, fmt.Errorf("%w: %q is token %s (cf_api_id %s)", ErrNameTaken, name, sameName.ID, sameName.CfAPIID)
	}
	t, err := r.Create(ctx, p)
	if err != nil {
		return Registration{}, false, err
	}
	return t, true, nil
}
