package cli

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/go-aisearch/tokens/spec"
)

// The help's groups: the workflow a user runs, the registry it is built
// on, and the tools for testing and spec work.
const (
	groupWorkflow = "workflow"
	groupRegistry = "registry"
	groupTools    = "tools"
)

const rootLong = `aisearch-tokens manages the service API token that Cloudflare AI Search
uses to reach R2, Vectorize and Workers AI: it creates and registers it
(provision), replaces it without breaking instances (rotate), and checks it
(check, for cron and CI). It also runs a local emulator of the API and checks
recorded traffic against the contract.

Credentials are never flags: they come from CLOUDFLARE_API_TOKEN (or
CLOUDFLARE_API_KEY with CLOUDFLARE_EMAIL) or a file; the account from
--account-id or CLOUDFLARE_ACCOUNT_ID.

Exit codes: 0 ok, 1 failure, 2 usage (nothing was sent), 3 not found (check:
no registration at all), 4 unhealthy (check, provision), 130 interrupted
(Ctrl-C).`

// usageTemplate is cobra's, but the root, which runs only to say that a
// command is missing, shows "aisearch-tokens [command]" alone.
const usageTemplate = `Usage:{{if and .Runnable (not .HasAvailableSubCommands)}}
  {{.UseLine}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} [command]{{end}}{{if gt (len .Aliases) 0}}

Aliases:
  {{.NameAndAliases}}{{end}}{{if .HasExample}}

Examples:
{{.Example}}{{end}}{{if .HasAvailableSubCommands}}{{$cmds := .Commands}}{{if eq (len .Groups) 0}}

Available Commands:{{range $cmds}}{{if (or .IsAvailableCommand (eq .Name "help"))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{else}}{{range $group := .Groups}}

{{.Title}}{{range $cmds}}{{if (and (eq .GroupID $group.ID) (or .IsAvailableCommand (eq .Name "help")))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{if not .AllChildCommandsHaveGroup}}

Additional Commands:{{range $cmds}}{{if (and (eq .GroupID "") (or .IsAvailableCommand (eq .Name "help")))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}

Flags:
{{.LocalFlags.FlagUsages | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableInheritedFlags}}

Global Flags:
{{.InheritedFlags.FlagUsages | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableSubCommands}}

Use "{{.CommandPath}} [command] --help" for more information about a command.{{end}}
`

// newRoot assembles the command tree for one run.
func newRoot(r *runner) *cobra.Command {
	root := &cobra.Command{
		Use:     "aisearch-tokens",
		Short:   "Cloudflare AI Search service tokens, a local emulator, and contract checks",
		Long:    rootLong,
		Version: version(),
		// Errors are printed once, by runner.report, as one line and a
		// pointer to --help; never the whole usage.
		SilenceErrors:              true,
		SilenceUsage:               true,
		SuggestionsMinimumDistance: 2,
	}
	root.SetIn(r.env.Stdin)
	root.SetOut(r.env.Stdout)
	root.SetErr(r.env.Stderr)
	root.SetUsageTemplate(usageTemplate)
	root.SetVersionTemplate("{{.Name}} {{.Version}}\n")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{Msg: err.Error()} })
	root.AddGroup(
		&cobra.Group{ID: groupWorkflow, Title: "Service token workflow:"},
		&cobra.Group{ID: groupRegistry, Title: "Registered service tokens (the AI Search tokens API):"},
		&cobra.Group{ID: groupTools, Title: "Testing and spec tools:"},
	)
	add := func(group string, cmds ...*cobra.Command) {
		for _, c := range cmds {
			c.GroupID = group
			root.AddCommand(c)
		}
	}
	add(groupWorkflow, newProvisionCmd(r), newRotateCmd(r), newCheckCmd(r))
	add(groupRegistry, newListCmd(r), newGetCmd(r), newCreateCmd(r), newRegisterCmd(r), newUpdateCmd(r), newDeleteCmd(r))
	add(groupTools, newServeCmd(r), newDemoCmd(r), newRecordCmd(r), newVerifyCmd(r), newLoadCmd(r))
	root.AddCommand(newVersionCmd(r))
	// cobra adds `completion` when it runs; added now, it gets the same
	// checks as the root: `completion tcsh` is a mistyped command.
	root.InitDefaultCompletionCmd()
	for _, c := range append(root.Commands(), root) {
		if c.HasSubCommands() {
			c.Args = unknownCommand
			c.RunE = func(cmd *cobra.Command, _ []string) error {
				// No command: the help, on stderr as nothing was asked for.
				cmd.SetOut(r.env.Stderr)
				_ = cmd.Help()
				return &exitError{Code: ExitUsage}
			}
		}
	}
	return root
}

// unknownCommand is the root's argument check: any argument the command
// tree did not take is a mistyped command.
func unknownCommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q", args[0])
	if cmd.HasParent() {
		msg += " for " + strconv.Quote(cmd.CommandPath())
	}
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += "; did you mean " + orList(quoteAll(s)) + "?"
	}
	return &usageError{Msg: msg}
}

// positional checks a command's positional arguments: exactly names, each
// not blank.
func positional(names ...string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) != len(names) {
			if len(names) == 0 {
				return usagef("unexpected argument %q", args[0])
			}
			return usagef("want %s, got %d argument(s)", strings.Join(names, " "), len(args))
		}
		for i, a := range args {
			if strings.TrimSpace(a) == "" {
				return usagef("empty %s", names[i])
			}
		}
		return nil
	}
}

// version is the build's module version and the embedded spec's.
func version() string {
	build := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		build = bi.Main.Version
	}
	return build + ", spec " + specVersion()
}

// specVersion reads info.version from the embedded spec without parsing
// it all: every run computes it for --version.
func specVersion() string {
	sc := bufio.NewScanner(bytes.NewReader(spec.YAML))
	inInfo := false
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "info:":
			inInfo = true
		case inInfo && strings.HasPrefix(line, "  version:"):
			v := strings.TrimSpace(strings.TrimPrefix(line, "  version:"))
			if u, err := strconv.Unquote(v); err == nil {
				v = u
			}
			return strings.Trim(v, "'")
		case inInfo && line != "" && line[0] != ' ':
			return "unknown"
		}
	}
	return "unknown"
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strconv.Quote(s)
	}
	return out
}

// orList joins "a", "a or b", "a, b or c".
func orList(ss []string) string {
	if len(ss) <= 1 {
		return strings.Join(ss, "")
	}
	return strings.Join(ss[:len(ss)-1], ", ") + " or " + ss[len(ss)-1]
}

// registrationID checks a command's one argument, a registration's id:
// the API takes only UUIDs, so anything else is a usage error, found
// before any request.
func registrationID(name string) cobra.PositionalArgs {
	count := positional(name)
	return func(cmd *cobra.Command, args []string) error {
		if err := count(cmd, args); err != nil {
			return err
		}
		if !uuidPattern.MatchString(args[0]) {
			arg := oneLine(args[0])
			if len(arg) > 40 {
				arg = arg[:40] + "…"
			}
			return usagef("%s %q is not a registration id: want a UUID such as 62af0db3-c410-40b2-9ee3-0e93f6dd1de0 (see `aisearch-tokens list`)", name, arg)
		}
		return nil
	}
}

var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

func init() {
	// Help lists each group's commands in the order they are added: the
	// workflow's as a user runs them.
	cobra.EnableCommandSorting = false
}
