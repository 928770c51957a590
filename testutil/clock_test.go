package testutil

import (
	"strings"
	"testing"
	"time"
)

func TestStartFollowsELKTestNow(t *testing.T) {
	t.Setenv(NowVariable, "2028-02-29T23:30:00+03:00")
	at, err := Start()
	if err != nil || !at.Equal(time.Date(2028, 2, 29, 20, 30, 0, 0, time.UTC)) || at.Location() != time.UTC {
		t.Errorf("Start() = %v, %v", at, err)
	}
	c := NewClock(t)
	c.Advance(time.Hour)
	if got := c.Now(); !got.Equal(at.Add(time.Hour)) {
		t.Errorf("advanced clock: %v", got)
	}
	if got := c.Day(9, 15); !got.Equal(time.Date(2028, 2, 29, 9, 15, 0, 0, time.UTC)) {
		t.Errorf("Day(9, 15) = %v", got)
	}

	t.Setenv(NowVariable, "")
	before := time.Now()
	if at, err := Start(); err != nil || at.Before(before) || at.After(time.Now()) {
		t.Errorf("unset: Start() = %v, %v", at, err)
	}

	t.Setenv(NowVariable, "29.02.2028")
	if _, err := Start(); err == nil || !strings.Contains(err.Error(), NowVariable) {
		t.Errorf("malformed: %v", err)
	}
}
