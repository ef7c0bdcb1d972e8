package cli

import (
	"context"

	"github.com/spf13/pflag"

	"github.com/go-aisearch/tokens/aisearch"
)

// envCfAPIKey is where create, update and register look for the secret
// after --cf-api-key-file and before stdin.
const envCfAPIKey = "CF_API_KEY"

// tokenFlags describe the service token that create, register and update
// send: its name, its cf_api_id, and where its secret value comes from.
type tokenFlags struct {
	name, cfAPIID, keyFile string
	legacy                 optBool
	// required: --name and --cf-api-id must be given (create and register);
	// update keeps what is not given.
	required bool
}

// addTokenFlags adds them; with required (create, register), --name and
// --cf-api-id must be given.
func addTokenFlags(fs *pflag.FlagSet, required bool, legacyUsage string) *tokenFlags {
	tf := &tokenFlags{required: required}
	nameUsage, cfAPIIDUsage := "new name (default: keep)", "new service token id (default: keep)"
	if required {
		nameUsage, cfAPIIDUsage = "a name for people (required)", "the service token's id, from POST /user/tokens (required)"
	}
	fs.StringVar(&tf.name, "name", "", nameUsage)
	fs.StringVar(&tf.cfAPIID, "cf-api-id", "", cfAPIIDUsage)
	fs.StringVar(&tf.keyFile, "cf-api-key-file", "", "read the service token's value (cf_api_key) from this `file`; otherwise from $"+envCfAPIKey+", otherwise from stdin. Never a plain flag.")
	boolVar(fs, &tf.legacy, "legacy", legacyUsage)
	return tf
}

// check refuses a command line without --name or --cf-api-id where they
// are required.
func (tf *tokenFlags) check() error {
	switch {
	case !tf.required:
		return nil
	case tf.name == "" && tf.cfAPIID == "":
		return usagef("--name and --cf-api-id are required")
	case tf.name == "":
		return usagef("--name is required")
	case tf.cfAPIID == "":
		return usagef("--cf-api-id is required")
	}
	return nil
}

// params are what create and register send: the flags and key.
func (tf *tokenFlags) params(key aisearch.Secret) aisearch.RegistrationParams {
	return aisearch.RegistrationParams{Name: tf.name, CfAPIID: tf.cfAPIID, CfAPIKey: key, Legacy: tf.legacy.v}
}

// clientAndKey checks the flags, builds the client, then reads the key:
// configuration errors are reported before anyone is asked for a secret.
func (r *runner) clientAndKey(ctx context.Context, api *apiFlags, tf *tokenFlags) (*aisearch.Client, aisearch.Secret, error) {
	if err := tf.check(); err != nil {
		return nil, "", err
	}
	c, err := r.connect(ctx, api)
	if err != nil {
		return nil, "", err
	}
	key, err := r.readCfAPIKey(ctx, tf.keyFile)
	if err != nil {
		return nil, "", err
	}
	return c, key, nil
}
