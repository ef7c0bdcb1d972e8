package emulator_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/go-aisearch/tokens/emulator"
)

// Without WithClock (as in `serve`), a job runs on real time: it ends
// WithJobDuration after it started. The bubble's clock stands in for real
// time, so the test waits without sleeping.
func TestJobsEndInRealTime(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, err := emulator.New(emulator.WithAPITokens(token), emulator.WithJobDuration(3*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		if err := srv.SeedAPITokens(emulator.UserOwner, seedAPIToken("77777777777777777777777777777777", "v7", account, emulator.AISearchIndexEngineGroupID)); err != nil {
			t.Fatal(err)
		}
		if err := srv.Seed(account, emulator.SeedToken{ID: "00000000-0000-4000-8000-000000000007", Name: "svc", CfAPIID: "77777777777777777777777777777777", CfAPIKey: "v7"}); err != nil {
			t.Fatal(err)
		}
		path := emulator.BasePath + aisPath("/instances/site")
		if rec := serveDirect(srv.Handler(), "POST", emulator.BasePath+aisPath("/instances"), `{"id":"site","type":"web-crawler","source":"https://example.com"}`); rec.Code != http.StatusCreated {
			t.Fatalf("create: %d %s", rec.Code, rec.Body)
		}
		rec := serveDirect(srv.Handler(), "POST", path+"/jobs", "")
		var env struct{ Result wireJob }
		if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil || rec.Code != http.StatusOK || env.Result.EndedAt != nil {
			t.Fatalf("create job: %d %s", rec.Code, rec.Body)
		}
		read := func() wireJob {
			rec := serveDirect(srv.Handler(), "GET", path+"/jobs/"+env.Result.ID, "")
			var got struct{ Result wireJob }
			_ = json.Unmarshal(rec.Body.Bytes(), &got)
			return got.Result
		}
		time.Sleep(2 * time.Second)
		if j := read(); j.EndedAt != nil {
			t.Fatalf("ended before its duration: %+v", j)
		}
		time.Sleep(time.Second)
		if j := read(); j.EndedAt == nil || j.EndReason != nil {
			t.Fatalf("not ended well after its duration: %+v", j)
		}
	})
}
