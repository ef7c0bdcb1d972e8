package emulator_test

import (
	"context"
	"sync"
	"testing"

	"github.com/go-aisearch/tokens/emulator"
	"github.com/go-aisearch/tokens/internal/loadgen"
)

// TestConcurrentTrafficMatchesStore runs mixed traffic on two accounts at
// once and then compares each account's store with what the server
// acknowledged: every acknowledged create and update is there with its
// last acknowledged values, every acknowledged delete is gone, nothing else
// exists, and nothing leaked from one account to the other.
func TestConcurrentTrafficMatchesStore(t *testing.T) {
	t.Parallel()
	ts := emulator.NewTestServer(t)
	accounts := []string{ts.AccountID, "0123456789abcdef0123456789abcdef"}
	results := make([]*loadgen.Result, len(accounts))
	var wg sync.WaitGroup
	for i, acct := range accounts {
		wg.Go(func() {
			res, err := loadgen.Run(context.Background(), loadgen.Config{
				BaseURL: ts.BaseURL, AccountID: acct, APIToken: ts.APIToken,
				Concurrency: 6, Requests: 1000, Seed: uint64(i + 1), Record: true,
				Mix: loadgen.Mix{loadgen.OpList: 3, loadgen.OpGet: 3, loadgen.OpCreate: 3, loadgen.OpUpdate: 2, loadgen.OpDelete: 1},
			})
			if err != nil {
				t.Error(err)
				return
			}
			results[i] = res
		})
	}
	wg.Wait()
	for i, acct := range accounts {
		res := results[i]
		if res == nil {
			t.FailNow()
		}
		if res.Requests != 1000 || res.Failed != 0 || res.Unexpected() != 0 || res.LostCreates != 0 {
			t.Errorf("account %d: %d answered, %d failed, %d unexpected statuses %v, %d lost creates", i, res.Requests, res.Failed, res.Unexpected(), res.Statuses, res.LostCreates)
		}
		checkStore(t, acct, ts.Tokens(acct), res.Final)
	}
}

func checkStore(t *testing.T, acct string, stored []emulator.Token, want map[string]loadgen.Expected) {
	t.Helper()
	byID := map[string]emulator.Token{}
	for _, tok := range stored {
		byID[tok.ID] = tok
	}
	live, deleted := 0, 0
	for id, e := range want {
		if e.Uncertain {
			t.Errorf("%s: uncertain outcome without faults", id)
			continue
		}
		got, ok := byID[id]
		if e.Deleted {
			deleted++
			if ok {
				t.Errorf("account %s: %s was deleted (acknowledged) but is stored", acct, id)
			}
			continue
		}
		live++
		if !ok {
			t.Errorf("account %s: %s was created (acknowledged) but is missing", acct, id)
			continue
		}
		if got.Name != e.Name || got.CfAPIID != e.CfAPIID || got.Legacy != e.Legacy {
			t.Errorf("account %s: %s stored as {%s %s legacy=%v}, last acknowledged {%s %s legacy=%v}", acct, id, got.Name, got.CfAPIID, got.Legacy, e.Name, e.CfAPIID, e.Legacy)
		}
	}
	if len(stored) != live {
		t.Errorf("account %s: store holds %d tokens, %d acknowledged as live", acct, len(stored), live)
	}
	if live == 0 || deleted == 0 {
		t.Errorf("account %s: the run must leave live tokens and delete some (live %d, deleted %d)", acct, live, deleted)
	}
	t.Logf("account %s: %d live, %d deleted, all as acknowledged", acct, live, deleted)
}
