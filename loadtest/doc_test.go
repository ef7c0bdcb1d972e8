// Package loadtest_test puts the emulator and the aisearch client under
// concurrent load and injected faults, in make test (under -race), with
// bounded request counts: the store must match the acknowledged operations
// exactly, a client lifecycle must complete through faults without
// duplicate creates, and memory must stay flat across a long run.
package loadtest_test
