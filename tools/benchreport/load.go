package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/go-aisearch/tokens/bench"
	"github.com/go-aisearch/tokens/emulator"
	"github.com/go-aisearch/tokens/internal/loadgen"
)

// loadRow is one load generator run against the emulator and the same run
// against the bare handler.
type loadRow struct {
	Concurrency int
	Emulator    *loadgen.Result
	Bare        *loadgen.Result
}

const loadToken = "bench-load-token"

// runLoad drives the default mix at each concurrency, first at the emulator
// (validation on, fresh per run) and then at the bare canned handler.
func runLoad(concurrencies []int, requests int) ([]loadRow, error) {
	var rows []loadRow
	for _, c := range concurrencies {
		emu, err := emulator.New(emulator.WithAPITokens(loadToken))
		if err != nil {
			return nil, err
		}
		row := loadRow{Concurrency: c}
		if row.Emulator, err = loadOnce(emu.Handler(), c, requests); err != nil {
			return nil, err
		}
		emu.Close()
		if row.Bare, err = loadOnce(bench.BareHandler(20), c, requests); err != nil {
			return nil, err
		}
		rows = append(rows, row)
	}
	return rows, nil
}

func loadOnce(h http.Handler, conc, requests int) (*loadgen.Result, error) {
	srv := httptest.NewServer(h)
	defer srv.Close()
	res, err := loadgen.Run(context.Background(), loadgen.Config{
		BaseURL: srv.URL + emulator.BasePath, AccountID: emulator.DefaultAccountID, APIToken: loadToken,
		Concurrency: conc, Requests: requests, Seed: 1,
	})
	if err != nil {
		return nil, err
	}
	if res.Failed > 0 || res.Unexpected() > 0 {
		return nil, fmt.Errorf("load at concurrency %d: %d failed, statuses %v", conc, res.Failed, res.Statuses)
	}
	return res, nil
}
