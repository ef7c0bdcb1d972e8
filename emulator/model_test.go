package emulator_test

import (
	"slices"
	"strings"
	"time"
)

// The reference model: what the documentation (openapi.yaml, the reference
// README and the emulator's documented error codes) says the API does,
// written as plainly as possible and independently of the emulator's code.

// Documented error codes (emulator package documentation).
const (
	codeAuth       = 10000
	codeValidation = 10001
	codeNotFound   = 10003
	codeInUse      = 10004
)

type mtoken struct {
	id, name, cfAPIID string
	legacy            bool
	inUse             bool
	createdAt         time.Time
	modifiedAt        time.Time
}

type maccount struct {
	order  []string // creation order
	tokens map[string]*mtoken
}

type model struct {
	accounts map[string]*maccount
	deleted  []string // ids that existed once: get/update/delete must 404
}

func newModel(accounts ...string) *model {
	m := &model{accounts: map[string]*maccount{}}
	for _, a := range accounts {
		m.accounts[a] = &maccount{tokens: map[string]*mtoken{}}
	}
	return m
}

func (m *model) acct(a string) *maccount { return m.accounts[a] }

func (a *maccount) get(id string) *mtoken { return a.tokens[id] }

func (a *maccount) add(t *mtoken) {
	a.order = append(a.order, t.id)
	a.tokens[t.id] = t
}

func (m *model) remove(acct, id string) {
	a := m.acct(acct)
	delete(a.tokens, id)
	a.order = slices.DeleteFunc(a.order, func(x string) bool { return x == id })
	m.deleted = append(m.deleted, id)
}

// listPage is what a list answers: names containing search
// (case-insensitive), in creation order, page by page.
func (a *maccount) listPage(search string, page, perPage int) (ids []string, total int) {
	needle := strings.ToLower(search)
	var matching []string
	for _, id := range a.order {
		if strings.Contains(strings.ToLower(a.tokens[id].name), needle) {
			matching = append(matching, id)
		}
	}
	from := min(len(matching), (page-1)*perPage)
	to := min(len(matching), from+perPage)
	return matching[from:to], len(matching)
}

// authorized: a valid bearer token decides alone; without an Authorization
// header, the e-mail and key pair must both be right.
func authorized(s authScheme) bool {
	switch s {
	case authBearer, authBearerWithBadKey, authKey:
		return true
	}
	return false
}
