package testutil

import (
	"strings"
	"testing"
	"time"
)

func TestStartAtReadsELKTestNow(t *testing.T) {
	before := time.Now()
	for _, tc := range []struct {
		value   string
		want    time.Time // zero: the real now
		problem string
	}{
		{value: "2028-02-29T23:30:00+03:00", want: time.Date(2028, 2, 29, 20, 30, 0, 0, time.UTC)},
		{value: "2032-02-29T20:30:00Z", want: time.Date(2032, 2, 29, 20, 30, 0, 0, time.UTC)},
		{value: ""},
		{value: "29.02.2028", problem: NowVariable},
		{value: "2028-02-30T20:30:00Z", problem: "out of range"},
	} {
		at, err := startAt(tc.value)
		switch {
		case tc.problem != "":
			if err == nil || !strings.Contains(err.Error(), tc.problem) {
				t.Errorf("%q: %v, %v; want an error naming %s", tc.value, at, err, tc.problem)
			}
		case err != nil || at.Location() != time.UTC:
			t.Errorf("%q: %v, %v", tc.value, at, err)
		case tc.want.IsZero() && (at.Before(before.Truncate(time.Second)) || at.After(time.Now())):
			t.Errorf("%q: %v is not the real now", tc.value, at)
		case !tc.want.IsZero() && !at.Equal(tc.want):
			t.Errorf("%q: %v, want %v", tc.value, at, tc.want)
		}
	}
}

func TestClockMovesOnlyWhenTold(t *testing.T) {
	c := NewClock(t)
	at := c.Now()
	if again := c.Now(); !again.Equal(at) {
		t.Errorf("the clock moved by itself: %v, then %v", at, again)
	}
	c.Advance(time.Hour)
	if got := c.Now(); !got.Equal(at.Add(time.Hour)) {
		t.Errorf("advanced an hour: %v", got)
	}
	c.Set(time.Date(2028, 2, 29, 20, 30, 0, 0, time.UTC))
	if got := c.Day(9, 15); !got.Equal(time.Date(2028, 2, 29, 9, 15, 0, 0, time.UTC)) {
		t.Errorf("Day(9, 15) = %v", got)
	}
}
