package emulator

import (
	"encoding/json"
	"math/rand"
	"reflect"
	"testing"
	"testing/quick"
	"time"

	"github.com/go-aisearch/tokens/generated"
)

// An instance row of a state file written before instances kept their
// settings loads with every default, modified_at its created_at.
func TestOldInstanceRowsGetTheDefaults(t *testing.T) {
	t.Parallel()
	var in instance
	if err := json.Unmarshal([]byte(`{"account":"a","namespace":"default","id":"docs","token_id":"r","created_at":"2026-01-02T03:04:05Z"}`), &in); err != nil {
		t.Fatal(err)
	}
	want := newInstance("a", defaultNamespace, "docs", time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	want.TokenID = "r"
	got, _ := json.Marshal(in)
	exp, _ := json.Marshal(want)
	if string(got) != string(exp) {
		t.Fatalf("loaded\n%s\nwant\n%s", got, exp)
	}
	// A stored setting is not overwritten by its default.
	if err := json.Unmarshal([]byte(`{"id":"x","cache":false,"cache_ttl":600}`), &in); err != nil || in.Cache || in.CacheTTL != 600 || in.ChunkOverlap != 10 {
		t.Fatalf("%+v %v", in, err)
	}
}

// setCreate and setUpdate each copy the shared settings out of their body
// field by field (oapi-codegen flattens the spec's allOf, so the body types
// are not InstanceSettings): every InstanceSettings field, set alone in a
// body, must change the instance, and exactly as setSettings does. A field
// added to the spec's InstanceSettings and left out of either copy, or of
// setSettings, fails here.
func TestCreateAndUpdateCopyEverySetting(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewSource(1))
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	settings := reflect.TypeFor[generated.InstanceSettings]()
	for i := range settings.NumField() {
		f := settings.Field(i)
		if f.Name == "TokenID" {
			continue // resolved by the callers (createInstance, updateInstance)
		}
		// A value setSettings stores (one equal to the default would
		// prove nothing); none in 100 tries: setSettings ignores the field.
		fresh := newInstance("a", defaultNamespace, "docs", now)
		var v reflect.Value
		want := fresh
		for try := 0; reflect.DeepEqual(want, fresh); try++ {
			if try == 100 {
				t.Fatalf("setSettings does not apply %s", f.Name)
			}
			var ok bool
			if v, ok = quick.Value(f.Type, r); !ok {
				t.Fatalf("%s: cannot make a %s", f.Name, f.Type)
			}
			var s generated.InstanceSettings
			reflect.ValueOf(&s).Elem().Field(i).Set(v)
			want = fresh
			want.setSettings(s)
		}

		var c generated.InstanceCreate
		var u generated.InstanceUpdate
		for _, body := range []any{&c, &u} {
			field := reflect.ValueOf(body).Elem().FieldByName(f.Name)
			if !field.IsValid() || field.Type() != f.Type {
				t.Fatalf("%T has no field %s %s", body, f.Name, f.Type)
			}
			field.Set(v)
		}
		created, updated := fresh, fresh
		created.setCreate(c)
		updated.setUpdate(u)
		if !reflect.DeepEqual(created, want) {
			t.Errorf("setCreate does not apply %s", f.Name)
		}
		if !reflect.DeepEqual(updated, want) {
			t.Errorf("setUpdate does not apply %s", f.Name)
		}
	}
}
