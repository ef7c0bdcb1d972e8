package emulator

import (
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/go-aisearch/tokens/generated"
)

// The success answers of the token operations are written from each
// token's cached JSON (record.apiJSON) instead of being encoded field by
// field on every request. They are byte for byte what the generated
// response types encode (TestResponsesMatchGenerated holds them to it).

// Envelope framing of generated.TokenEnvelope and TokenListEnvelope, as
// encoding/json writes them: fields in struct order, empty errors and
// messages, and json.Encoder's closing newline.
const (
	tokenPrefix = `{"errors":[],"messages":[],"result":`
	tokenSuffix = `,"success":true}` + "\n"
	listPrefix  = `{"errors":[],"messages":[],"result":[`
)

// encode is r as the API shows it: what encoding/json makes of r.api().
// The common token (UTC times, plain ASCII strings) is appended directly,
// which costs a fraction of the reflection; any other goes through
// encoding/json.
func (r *record) encode() []byte {
	if b, ok := r.appendPlain(make([]byte, 0, 256)); ok {
		return b
	}
	b, err := json.Marshal(r.api())
	if err != nil {
		panic("emulator: encoding a token: " + err.Error()) // strings, bools and UTC times always encode
	}
	return b
}

// appendPlain appends r's JSON, fields in generated.Token's order, when
// encoding/json would write its strings and times verbatim; ok is false
// otherwise.
func (r *record) appendPlain(b []byte) (_ []byte, ok bool) {
	if !plain(r.ID) || !plain(r.Name) || !plain(r.CfAPIID) || !plainTime(r.CreatedAt) || !plainTime(r.ModifiedAt) {
		return nil, false
	}
	b = append(append(append(b, `{"cf_api_id":"`...), r.CfAPIID...), `","created_at":"`...)
	b = append(r.CreatedAt.AppendFormat(b, time.RFC3339Nano), `","created_by":null,"enabled":`...)
	b = append(strconv.AppendBool(b, r.Enabled), `,"id":"`...)
	b = append(append(b, r.ID...), `","legacy":`...)
	b = append(strconv.AppendBool(b, r.Legacy), `,"modified_at":"`...)
	b = append(r.ModifiedAt.AppendFormat(b, time.RFC3339Nano), `","modified_by":null,"name":"`...)
	return append(append(b, r.Name...), `"}`...), true
}

// plain reports whether encoding/json writes s as it is (between quotes):
// ASCII without control characters, quotes, backslashes or HTML's <, > and &.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x80 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}

// plainTime reports whether time.Time's MarshalJSON of t is its
// RFC3339Nano form, quoted: a UTC time in years 0 to 9999.
func plainTime(t time.Time) bool {
	return t.Location() == time.UTC && t.Year() >= 0 && t.Year() <= 9999
}

// tokenResponse answers get (200), create (201) and update (200) with one
// token.
type tokenResponse struct {
	status int
	token  []byte // the token's JSON
}

func (t tokenResponse) VisitGetTokenResponse(w http.ResponseWriter) error    { return t.write(w) }
func (t tokenResponse) VisitCreateTokenResponse(w http.ResponseWriter) error { return t.write(w) }
func (t tokenResponse) VisitUpdateTokenResponse(w http.ResponseWriter) error { return t.write(w) }

func (t tokenResponse) write(w http.ResponseWriter) error {
	buf := getBuffer()
	defer putBuffer(buf)
	b := append(append(append((*buf)[:0], tokenPrefix...), t.token...), tokenSuffix...)
	*buf = b
	return writeBody(w, t.status, b)
}

// listResponse answers a list.
type listResponse struct {
	tokens [][]byte // each token's JSON
	info   generated.ResultInfo
}

func (l listResponse) VisitListTokensResponse(w http.ResponseWriter) error {
	buf := getBuffer()
	defer putBuffer(buf)
	b := append((*buf)[:0], listPrefix...)
	for i, t := range l.tokens {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, t...)
	}
	b = append(b, `],"result_info":{"count":`...)
	b = strconv.AppendInt(b, int64(l.info.Count), 10)
	b = append(b, `,"page":`...)
	b = strconv.AppendInt(b, int64(l.info.Page), 10)
	b = append(b, `,"per_page":`...)
	b = strconv.AppendInt(b, int64(l.info.PerPage), 10)
	b = append(b, `,"total_count":`...)
	b = strconv.AppendInt(b, int64(l.info.TotalCount), 10)
	b = append(b, `},"success":true}`+"\n"...)
	*buf = b
	return writeBody(w, http.StatusOK, b)
}

// Response bodies are built in pooled buffers: Write does not keep its
// argument, so a buffer is free again once the body is written.
var buffers = sync.Pool{New: func() any { b := make([]byte, 0, 4<<10); return &b }}

func getBuffer() *[]byte { return buffers.Get().(*[]byte) }

// putBuffer returns b to the pool, unless it grew unusually large (a page
// of 100 tokens is about 35 KiB).
func putBuffer(b *[]byte) {
	if cap(*b) <= 64<<10 {
		buffers.Put(b)
	}
}

// writeBody sends a JSON body in one write, as the generated responses do.
func writeBody(w http.ResponseWriter, status int, body []byte) error {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, err := w.Write(body)
	return err
}
