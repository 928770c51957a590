package auth_test

import (
	"testing"
	"time"

	"elk/db/auth"
)

func TestDelaysGrowUpToTheCap(t *testing.T) {
	slow := auth.Throttle{Limit: 5, Window: 15 * time.Minute, Delay: time.Second, MaxDelay: time.Minute}
	want := []time.Duration{0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60}
	for n, w := range want {
		if got := slow.DelayAfter(n); got != w*time.Second {
			t.Errorf("after %d failures: %v, want %v", n, got, w*time.Second)
		}
	}
	if got := slow.DelayAfter(10_000); got != time.Minute {
		t.Errorf("after ten thousand failures: %v", got)
	}
	if got := (auth.Throttle{Limit: 5, Window: time.Minute}).DelayAfter(50); got != 0 {
		t.Errorf("a locking rule delays: %v", got)
	}
}
