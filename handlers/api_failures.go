package handlers

import (
	"sync"
	"time"
)

// authFailures counts failed API authentications per client address in
// fixed windows: an address that keeps trying tokens is refused for the
// rest of the window, however many different tokens it tries (the rate
// limit is per token, and a guesser never repeats one).
type authFailures struct {
	mu      sync.Mutex
	limit   int
	window  time.Duration
	started time.Time
	count   map[string]int
}

// maxAuthFailures is how many failed authentications an address may make
// in authFailureWindow; a server's misconfigured token fails a few times,
// a guesser thousands.
const (
	maxAuthFailures   = 20
	authFailureWindow = time.Minute
)

func newAuthFailures() *authFailures {
	return &authFailures{limit: maxAuthFailures, window: authFailureWindow, count: map[string]int{}}
}

// roll starts a new window when the last has passed; one map per window
// keeps memory bounded by the addresses of one minute.
func (f *authFailures) roll(now time.Time) {
	if now.Sub(f.started) >= f.window {
		f.started, f.count = now, map[string]int{}
	}
}

// blocked tells whether the address has failed too often in this window.
func (f *authFailures) blocked(ip string, now time.Time) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.roll(now)
	return f.count[ip] >= f.limit
}

// fail counts a failed authentication from the address.
func (f *authFailures) fail(ip string, now time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.roll(now)
	f.count[ip]++
}
