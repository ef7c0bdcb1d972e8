package aisearch

import (
	"strings"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"1", time.Second},
		{" 30 ", 30 * time.Second},
		{"0", 0},
		{"-5", 0},
		{"soon", 0},
		{"99999999999999", 24 * time.Hour},
		{now.Add(90 * time.Second).Format(http1123), 90 * time.Second},
		{now.Add(-time.Minute).Format(http1123), 0},
	}
	for _, tt := range tests {
		if got := ParseRetryAfter(tt.in, now); got != tt.want {
			t.Errorf("ParseRetryAfter(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

const http1123 = "Mon, 02 Jan 2006 15:04:05 GMT"

func TestExcerpt(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 1000)
	tests := []struct{ in, want string }{
		{"<html><head><style>p{}</style><title>502 Bad Gateway</title></head><body>\n\n<h1>oops</h1></body></html>", "502 Bad Gateway oops"},
		{"plain\x00text\x1b[31m", "plaintext[31m"},
		{long, strings.Repeat("x", excerptLen) + "…"},
		{"\xff\xfe", "(unreadable body)"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Excerpt([]byte(tt.in)); got != tt.want {
			t.Errorf("Excerpt(%.30q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
