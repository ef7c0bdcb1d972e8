package emulator

// TestServer helpers for AI Search namespaces, instances and jobs: each
// fails the test on an error, as Server's forms of the same names return
// it.

// SeedAccount loads an account's registrations, namespaces, instances and
// jobs, as Server.SeedAccount, failing the test on an error.
func (ts *TestServer) SeedAccount(accountID string, a SeedAccount) {
	ts.t.Helper()
	ts.must(ts.srv.SeedAccount(accountID, a))
}

// CreateInstance creates an instance as the API does, as
// Server.CreateInstance, failing the test on an error.
func (ts *TestServer) CreateInstance(accountID string, in SeedInstance) Instance {
	ts.t.Helper()
	out, err := ts.srv.CreateInstance(accountID, in)
	ts.must(err)
	return out
}

// StartJob starts an indexing job, as Server.StartJob, failing the test on
// an error (a built-in instance, the cooldown...).
func (ts *TestServer) StartJob(accountID, namespace, instanceID string) Job {
	ts.t.Helper()
	out, err := ts.srv.StartJob(accountID, namespace, instanceID)
	ts.must(err)
	return out
}

// RunJob runs an indexing job to its end at once and returns how it ended,
// as Server.RunJob, failing the test on an error.
func (ts *TestServer) RunJob(accountID, namespace, instanceID string) Job {
	ts.t.Helper()
	out, err := ts.srv.RunJob(accountID, namespace, instanceID)
	ts.must(err)
	return out
}

// Job returns one job as it is now, as Server.Job, failing the test when
// there is no such job.
func (ts *TestServer) Job(accountID, namespace, instanceID, jobID string) Job {
	ts.t.Helper()
	out, err := ts.srv.Job(accountID, namespace, instanceID, jobID)
	ts.must(err)
	return out
}

// Jobs returns an instance's jobs, oldest first, as Server.Jobs.
func (ts *TestServer) Jobs(accountID, namespace, instanceID string) []Job {
	return ts.srv.Jobs(accountID, namespace, instanceID)
}

// Namespaces returns the account's namespaces, as Server.Namespaces.
func (ts *TestServer) Namespaces(accountID string) []Namespace { return ts.srv.Namespaces(accountID) }
