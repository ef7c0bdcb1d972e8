package emulator

import (
	"encoding/json"
	"net/http"
	"strconv"
	"sync"

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

// encode is r as the API shows it.
func (r *record) encode() []byte {
	b, err := json.Marshal(r.api())
	if err != nil {
		panic("emulator: encoding a token: " + err.Error()) // strings, bools and UTC times always encode
	}
	return b
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
