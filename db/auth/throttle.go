package auth

import "time"

// Throttle is the rule for refusing logins: after Limit failures for one key
// (a login or an IP address) within Window, that key is refused until its
// oldest counted failure leaves the window.
//
// With Delay set, the key is slowed down instead of locked: past Limit
// failures each try must wait DelayAfter the last failure, a wait that
// doubles with every further failure up to MaxDelay.
type Throttle struct {
	Limit    int
	Window   time.Duration
	Delay    time.Duration
	MaxDelay time.Duration
}

// DelayAfter is how long a key with n failures in the window waits after
// the last of them: nothing below Limit, then Delay, doubled with each
// further failure, at most MaxDelay.
func (t Throttle) DelayAfter(n int) time.Duration {
	if t.Delay <= 0 || n < t.Limit {
		return 0
	}
	d := t.Delay
	for i := t.Limit; i < n && d < t.MaxDelay; i++ {
		d *= 2
	}
	return min(d, t.MaxDelay)
}
