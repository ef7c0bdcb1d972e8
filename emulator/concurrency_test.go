package emulator_test

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sync"
	"testing"

	"github.com/go-aisearch/tokens/generated"
)

// Many goroutines create, update, delete and list at once. Each goroutine
// owns the tokens it created, so the acknowledged answers it got fully
// determine what must be left: the store must hold exactly that.
func TestConcurrentWrites(t *testing.T) {
	t.Parallel()
	e := start(t)
	c := e.client(t, bearer(token))
	const workers, ops = 8, 40
	var mu sync.Mutex
	want := map[string]string{} // id → name, from acknowledged operations
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := context.Background()
			mine := []string{}
			for i := range ops {
				switch {
				case i%4 == 3 && len(mine) > 0: // delete the oldest
					id := mine[0]
					r, err := c.DeleteTokenWithResponse(ctx, account, id)
					if err != nil {
						errs <- fmt.Errorf("delete: %w", err)
						return
					}
					if r.StatusCode() != http.StatusOK {
						errs <- fmt.Errorf("delete: %d %s", r.StatusCode(), r.Body)
						return
					}
					mine = mine[1:]
					mu.Lock()
					delete(want, id)
					mu.Unlock()
				case i%4 == 2 && len(mine) > 0: // rename the newest
					id, name := mine[len(mine)-1], fmt.Sprintf("w%d-upd%d", w, i)
					r, err := c.UpdateTokenWithResponse(ctx, account, id, input(name))
					if err != nil {
						errs <- fmt.Errorf("update: %w", err)
						return
					}
					if r.JSON200 == nil || r.JSON200.Result.Name != name {
						errs <- fmt.Errorf("update: %d %s", r.StatusCode(), r.Body)
						return
					}
					mu.Lock()
					want[id] = name
					mu.Unlock()
				case i%4 == 1:
					r, err := c.ListTokensWithResponse(ctx, account, &generated.ListTokensParams{PerPage: ptr(100)})
					if err != nil {
						errs <- fmt.Errorf("list: %w", err)
						return
					}
					if r.JSON200 == nil {
						errs <- fmt.Errorf("list: %d %s", r.StatusCode(), r.Body)
						return
					}
				default:
					name := fmt.Sprintf("w%d-new%d", w, i)
					r, err := c.CreateTokenWithResponse(ctx, account, input(name))
					if err != nil {
						errs <- fmt.Errorf("create: %w", err)
						return
					}
					if r.JSON201 == nil {
						errs <- fmt.Errorf("create: %d %s", r.StatusCode(), r.Body)
						return
					}
					mine = append(mine, r.JSON201.Result.ID)
					mu.Lock()
					want[r.JSON201.Result.ID] = name
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, tok := range e.srv.Tokens(account) {
		got[tok.ID] = tok.Name
	}
	if !maps.Equal(got, want) {
		t.Errorf("final state differs from the acknowledged operations:\n got %d tokens %v\nwant %d tokens %v",
			len(got), slices.Sorted(maps.Values(got)), len(want), slices.Sorted(maps.Values(want)))
	}
	// The API agrees with the inspection view, in creation order.
	r, err := c.ListTokensWithResponse(context.Background(), account, &generated.ListTokensParams{PerPage: ptr(100)})
	if err != nil {
		t.Fatal(err)
	}
	if r.JSON200 == nil || r.JSON200.ResultInfo.TotalCount != len(want) {
		t.Fatalf("list: %d %s, want total_count %d", r.StatusCode(), r.Body, len(want))
	}
	for i, tok := range e.srv.Tokens(account) {
		if r.JSON200.Result[i].ID != tok.ID {
			t.Fatalf("list order differs from Tokens at %d", i)
		}
	}
}
