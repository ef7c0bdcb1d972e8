package interop_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/cloudflare/cloudflare-go/v6/accounts"
	"github.com/cloudflare/cloudflare-go/v6/ai_search"
	"github.com/cloudflare/cloudflare-go/v6/option"
	"github.com/cloudflare/cloudflare-go/v6/packages/pagination"
	"github.com/cloudflare/cloudflare-go/v6/shared"
	"github.com/cloudflare/cloudflare-go/v6/user"
)

// The SDK's root package (cloudflare.NewClient, cloudflare.F,
// cloudflare.Error) imports every one of the SDK's ~100 services: with it
// these tests built 117 SDK packages, not the 14 the three services here
// need, and a cold `make test` took about 5 min instead of about 2.5. So
// the tests build those services as NewClient does, and make request fields
// as F does.

// client is the part of a cloudflare.Client these tests drive, built as
// cloudflare.NewClient builds it: the SDK's production defaults, then the
// caller's options, handed to each service. What NewClient adds is reading
// CLOUDFLARE_* variables from the environment (the services themselves read
// none), which also keeps a developer's real credentials out of the tests.
type client struct {
	AISearch *ai_search.AISearchService
	User     *user.UserService
	Accounts *accounts.AccountService
}

func newClient(opts ...option.RequestOption) *client {
	opts = append([]option.RequestOption{option.WithEnvironmentProduction()}, opts...)
	return &client{
		AISearch: ai_search.NewAISearchService(opts...),
		User:     user.NewUserService(opts...),
		Accounts: accounts.NewAccountService(opts...),
	}
}

// apiErr is cloudflare.Error, which every service package aliases.
type apiErr = ai_search.Error

// Request fields: what cloudflare.F(v) returns, for each type of v these
// tests send. A field's type (param.Field[T]) is internal to the SDK and
// only its root package makes one; fieldOf makes them from a field of the
// same type.
var (
	str      = fieldOf[string](ai_search.TokenNewParams{}.Name)
	boolean  = fieldOf[bool](ai_search.TokenNewParams{}.Legacy)
	int64F   = fieldOf[int64](ai_search.TokenListParams{}.PerPage)
	float64F = fieldOf[float64](user.TokenListParams{}.PerPage)
	policies = fieldOf[[]shared.TokenPolicyParam](shared.TokenParam{}.Policies)
	groups   = fieldOf[[]shared.TokenPolicyPermissionGroupParam](shared.TokenPolicyParam{}.PermissionGroups)
	effect   = fieldOf[shared.TokenPolicyEffect](shared.TokenPolicyParam{}.Effect)
	resource = fieldOf[shared.TokenPolicyResourcesUnionParam](shared.TokenPolicyParam{}.Resources)
)

// fieldOf returns cloudflare.F for fields of like's type, which must be the
// SDK's param.Field[T]: a struct whose Value is a T and whose Present says
// the field is sent. It panics at start-up (failing every test, by name)
// if a new SDK version changes that shape.
func fieldOf[T, P any](like P) func(T) P {
	t := reflect.TypeOf(like)
	if v, ok := t.FieldByName("Value"); !ok || v.Type != reflect.TypeFor[T]() {
		panic(fmt.Sprintf("interop: %v has no field Value of type %v: has the SDK's param.Field changed?", t, reflect.TypeFor[T]()))
	}
	if p, ok := t.FieldByName("Present"); !ok || p.Type.Kind() != reflect.Bool {
		panic(fmt.Sprintf("interop: %v has no bool field Present: has the SDK's param.Field changed?", t))
	}
	return func(v T) P {
		var f P
		rv := reflect.ValueOf(&f).Elem()
		rv.FieldByName("Value").Set(reflect.ValueOf(&v).Elem())
		rv.FieldByName("Present").SetBool(true)
		return f
	}
}

func TestFieldOfRefusesAnotherShape(t *testing.T) {
	defer func() {
		if p := recover(); p == nil || !strings.Contains(fmt.Sprint(p), "no field Value of type string") {
			t.Errorf("fieldOf on a struct without Value: %v, want a panic naming the field", p)
		}
	}()
	fieldOf[string](struct{ Present bool }{})
}

// collect reads every item of an SDK auto-pager, then its error: Next
// turns false on an error as at the end, so only Err tells them apart.
func collect[T any](pager *pagination.V4PagePaginationArrayAutoPager[T]) ([]T, error) {
	var out []T
	for pager.Next() {
		out = append(out, pager.Current())
	}
	return out, pager.Err()
}

// keys is what key says of each item of the pager, failing the test on
// the pager's error.
func keys[T any](t *testing.T, pager *pagination.V4PagePaginationArrayAutoPager[T], key func(T) string) []string {
	t.Helper()
	items, err := collect(pager)
	if err != nil {
		t.Fatalf("auto-pager: %v", err)
	}
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = key(it)
	}
	return out
}
