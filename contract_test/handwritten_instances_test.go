package contract_test

// The hand-written fixtures of the AI Search instance, job and namespace
// operations: what the emulator never answers. A job operation's 503 (code
// 7017, AI Search unreachable: the emulator has no backend to lose) and a
// namespace update's 409 (code 7099, modified concurrently: the emulator
// serialises writes), in Cloudflare's AI Search error envelope
// (`result: {}`, no `messages`).

const aisURL = "https://api.cloudflare.com/client/v4/accounts/" + acct + "/ai-search"

func aisFail(code int, msg string) string {
	return `{"success":false,"errors":[{"code":` + itoa(code) + `,"message":"` + msg + `"}],"result":{}}`
}

func handwrittenInstances() map[string][]hx {
	const job = "/jobs/1f1e5c2a-6d1b-4a4e-9f0e-3c2b1a0d9e8f"
	unreachable := aisFail(7017, "unable_to_connect_to_ai_search")
	var down []hx
	for _, inst := range []string{"/instances/my-ai-search", "/namespaces/default/instances/my-ai-search"} {
		down = append(down,
			hx{base: aisURL, method: "GET", path: inst + "/jobs", auth: "bearer", status: 503, respBody: unreachable},
			hx{base: aisURL, method: "POST", path: inst + "/jobs", auth: "bearer", reqBody: `{"description":"nightly"}`, status: 503, respBody: unreachable},
			hx{base: aisURL, method: "GET", path: inst + job, auth: "bearer", status: 503, respBody: unreachable},
			hx{base: aisURL, method: "PATCH", path: inst + job, auth: "bearer", reqBody: `{"action":"cancel"}`, status: 503, respBody: unreachable},
			hx{base: aisURL, method: "GET", path: inst + job + "/logs", auth: "bearer", status: 503, respBody: unreachable},
		)
	}
	return map[string][]hx{
		"instances-unreachable": down,
		"namespaces-concurrent-update": {
			{base: aisURL, method: "PUT", path: "/namespaces/production", auth: "bearer", reqBody: `{"description":"Production environment"}`,
				status: 409, respBody: aisFail(7099, "namespace_modified_concurrently_please_retry")},
		},
	}
}
