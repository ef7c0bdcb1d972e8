package emulator

// opAPIToken is the state-file entry of a Cloudflare API token change: a
// token put, a delete, a revoked value or a seeded permission group (see
// apiTokenEntry). Logs written before it existed load unchanged.
const opAPIToken = "api_token"

func (sf *stateFile) apiToken(e apiTokenEntry) error {
	return sf.append(logEntry{Op: opAPIToken, APIToken: &e})
}

func (memJournal) apiToken(apiTokenEntry) error { return nil }
