package cli

// The service-token workflow (provision, rotate, check): the flags they
// share, the second credential, and how they print tokens.

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/go-aisearch/tokens/aisearch"
	"github.com/go-aisearch/tokens/internal/cfauth"
)

// envIssuerToken holds the API token that creates, reads and deletes the
// Cloudflare API tokens, when it is not the credential that manages AI
// Search (Cloudflare's guide makes a "Token Creator" token for that).
const envIssuerToken = "CLOUDFLARE_ISSUER_API_TOKEN"

// workflowFlags are the flags provision, rotate and check share.
type workflowFlags struct {
	api        *apiFlags
	owner      string
	issuerFile string
	groups     groupList // nil (the library's default) unless --permission-group was given
}

// addWorkflowFlags adds them; issuerNeeds says what the issuer credential
// must be allowed to do for this command.
func addWorkflowFlags(fs *pflag.FlagSet, issuerNeeds string) *workflowFlags {
	w := &workflowFlags{api: addAPIFlags(fs)}
	fs.StringVar(&w.owner, "owner", string(aisearch.OwnerUser), "who owns the Cloudflare API tokens: user (/user/tokens, as Cloudflare's guide does) or account (/accounts/ID/tokens)")
	fs.StringVar(&w.issuerFile, "issuer-token-file", "", "read the API token that "+issuerNeeds+" from this `file` (default $"+envIssuerToken+", else the main credential)")
	fs.Var(&w.groups, "permission-group", "a permission group `ID` the service token needs on the account (repeatable; default "+defaultGroups()+")")
	return w
}

// defaultGroups names the library's default permission groups, for the help:
// each id with its name.
func defaultGroups() string {
	var groups []string
	for _, id := range aisearch.ServiceTokenPermissions() {
		groups = append(groups, id+" "+strconv.Quote(aisearch.PermissionGroupName(id)))
	}
	return strings.Join(groups, " and ")
}

// clients returns the client of the AI Search tokens API and the Cloudflare
// API tokens of --owner, reached with the issuer credential: the file or
// $CLOUDFLARE_ISSUER_API_TOKEN, else the main credential. Configuration
// errors are usage errors, reported before any request.
func (r *runner) clients(ctx context.Context, w *workflowFlags) (*aisearch.Client, *aisearch.APITokens, error) {
	owner, err := aisearch.ParseOwner(w.owner)
	if err != nil {
		return nil, nil, usagef("--owner %q: want user or account", w.owner)
	}
	c, err := r.connect(ctx, w.api)
	if err != nil {
		return nil, nil, err
	}
	var issuer aisearch.Secret
	switch {
	case w.issuerFile != "":
		if issuer, err = readSecretFile(ctx, w.issuerFile, "--issuer-token-file"); err != nil {
			return nil, nil, err
		}
		r.issuerCred = "--issuer-token-file " + w.issuerFile
	case r.env.Getenv(envIssuerToken) != "":
		if issuer, err = checkSecret(r.env.Getenv(envIssuerToken), envIssuerToken); err != nil {
			return nil, nil, err
		}
		r.issuerCred = envIssuerToken
	}
	if issuer.IsZero() {
		if !c.UsesAPIToken() {
			// The main credential is a Global API key, which the API token
			// operations refuse.
			return nil, nil, usagef("the Cloudflare API token operations take an API token, not the Global API key of %s: give one with --issuer-token-file or %s", cfauth.EnvAPIKey, envIssuerToken)
		}
		return c, c.APITokens(owner), nil
	}
	// The issuer is the main client's settings with another credential.
	ic, err := r.client(aisearch.WithAPIToken(issuer.Reveal()))
	if err != nil {
		return nil, nil, err
	}
	return c, ic.APITokens(owner), nil
}

// service is what provision and rotate share: the expiry the flags ask
// for, the clients, and the options of the service token to create.
func (r *runner) service(ctx context.Context, w *workflowFlags, exp *expiryFlags) (*aisearch.Client, aisearch.ServiceTokenOptions, error) {
	expires, err := exp.at(r.env.Now())
	if err != nil {
		return nil, aisearch.ServiceTokenOptions{}, err
	}
	c, issuer, err := r.clients(ctx, w)
	if err != nil {
		return nil, aisearch.ServiceTokenOptions{}, err
	}
	return c, aisearch.ServiceTokenOptions{Issuer: issuer, PermissionGroups: w.groups, ExpiresOn: expires}, nil
}

// groupList is the repeatable --permission-group.
type groupList []string

func (l *groupList) String() string { return strings.Join(*l, ",") }
func (l *groupList) Type() string   { return "id" }

func (l *groupList) Set(v string) error {
	if len(v) != 32 || strings.Trim(v, "0123456789abcdef") != "" {
		return fmt.Errorf("want a permission group id, 32 lowercase hex digits such as %s", aisearch.PermissionAISearchIndexEngine)
	}
	*l = append(*l, v)
	return nil
}

// expiryFlags are --expires-in and --expires-on, for the tokens provision
// and rotate create.
type expiryFlags struct {
	in days
	on string
}

func addExpiryFlags(fs *pflag.FlagSet) *expiryFlags {
	e := &expiryFlags{}
	fs.Var(&e.in, "expires-in", "make the service token expire after `D` (90d, 720h; default: never); check warns a week before")
	fs.StringVar(&e.on, "expires-on", "", "make the service token expire at this RFC 3339 `time` (2027-01-31T00:00:00Z)")
	return e
}

// minLife is the shortest life provision and rotate give a service
// token. The library refuses (before any request, in Go words) an expiry
// that could come while it waits for AI Search to know the new token: its
// DefaultPropagationTimeout and a minute (ServiceTokenOptions.ExpiresOn).
// The CLI says so first, in flags.
const minLife = aisearch.DefaultPropagationTimeout + time.Minute

// at is the expiry the flags ask for, zero for none.
func (e *expiryFlags) at(now time.Time) (time.Time, error) {
	switch {
	case e.in.set && e.on != "":
		return time.Time{}, usagef("give --expires-in or --expires-on, not both")
	case e.in.set:
		if e.in.d <= 0 {
			return time.Time{}, usagef("--expires-in must be positive")
		}
		if e.in.d < minLife {
			return time.Time{}, usagef("--expires-in %s: too soon, the token could expire before AI Search takes it: give at least %s", e.in.String(), minLife)
		}
		return now.Add(e.in.d).UTC().Truncate(time.Second), nil
	case e.on != "":
		t, err := time.Parse(time.RFC3339, e.on)
		if err != nil {
			return time.Time{}, usagef("--expires-on %q: want an RFC 3339 time such as 2027-01-31T00:00:00Z", e.on)
		}
		if !t.After(now) {
			return time.Time{}, usagef("--expires-on %s is not in the future", e.on)
		}
		if t.Sub(now) < minLife {
			return time.Time{}, usagef("--expires-on %s: too soon, the token could expire before AI Search takes it: give a time at least %s away", e.on, minLife)
		}
		return t.UTC(), nil
	}
	return time.Time{}, nil
}

// days is a duration flag that also takes whole days ("90d"), as token
// lifetimes are counted.
type days struct {
	d   time.Duration
	set bool
}

func (v *days) Type() string { return "duration" }

func (v *days) String() string {
	if v.d == 0 {
		return "" // pflag prints no default for ""
	}
	if v.d%(24*time.Hour) == 0 {
		return strconv.FormatInt(int64(v.d/(24*time.Hour)), 10) + "d"
	}
	return v.d.String()
}

func (v *days) Set(s string) error {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		i, err := strconv.Atoi(n)
		if err != nil || i < 0 || i > 100*365 {
			return fmt.Errorf("want a duration such as 90d or 720h")
		}
		v.d, v.set = time.Duration(i)*24*time.Hour, true
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("want a duration such as 90d or 720h")
	}
	v.d, v.set = d, true
	return nil
}

// serviceTokenJSON is what provision and rotate print with --json: the
// registration and the Cloudflare token behind it, never a value.
type serviceTokenJSON struct {
	// TokenID is the registration's id: the token_id of AI Search instances.
	TokenID string `json:"token_id"`
	Name    string `json:"name"`
	// CfAPIID is the Cloudflare API token the registration holds.
	CfAPIID          string         `json:"cf_api_id"`
	Owner            aisearch.Owner `json:"owner"`
	Status           string         `json:"status"`
	ExpiresOn        time.Time      `json:"expires_on,omitzero"`
	PermissionGroups []string       `json:"permission_groups"`
}

func serviceToken(reg aisearch.Registration, tok aisearch.APIToken) serviceTokenJSON {
	return serviceTokenJSON{TokenID: reg.ID, Name: reg.Name, CfAPIID: reg.CfAPIID, Owner: tok.Owner,
		Status: string(tok.Status), ExpiresOn: tok.ExpiresOn, PermissionGroups: groupNames(tok)}
}

// groupNames are the names (ids when the API gave none) of the permission
// groups tok allows.
func groupNames(tok aisearch.APIToken) []string {
	out := []string{}
	for _, p := range tok.Policies {
		if p.Effect == "deny" {
			continue
		}
		for _, g := range p.PermissionGroups {
			out = append(out, oneLine(cmp.Or(g.Name, g.ID)))
		}
	}
	return out
}

// describeToken is one line about a Cloudflare token, for text output.
func describeToken(tok aisearch.APIToken) string {
	expiry := "never expires"
	if !tok.ExpiresOn.IsZero() {
		expiry = "expires " + formatTime(tok.ExpiresOn)
	}
	return fmt.Sprintf("%s-owned, %s, %s; %s", tok.Owner, oneLine(string(tok.Status)), expiry, strings.Join(quoteAll(groupNames(tok)), ", "))
}

// printTokenID ends the text output of provision and rotate with the line
// a person or a script looks for.
func printTokenID(w io.Writer, id, note string) {
	fmt.Fprintf(w, "token_id for AI Search instances%s: %s\n", note, id)
}
