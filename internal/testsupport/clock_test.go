package testsupport

import (
	"testing"
	"time"
)

func TestClockMovesOnlyWhenAdvanced(t *testing.T) {
	start := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	c := NewClock(start)
	// Two reads in a row: the clock stands still between them.
	first, second := c.Now(), c.Now()
	if !first.Equal(start) || !second.Equal(start) {
		t.Fatalf("a new clock reads %v then %v, want %v both times", first, second, start)
	}
	c.Advance(time.Minute)
	c.Advance(-time.Second)
	if want := start.Add(59 * time.Second); !c.Now().Equal(want) {
		t.Errorf("after +1m -1s the clock reads %v, want %v", c.Now(), want)
	}
}
