package auth

import "time"

// Throttle is the rule for refusing logins: after Limit failures for one key
// (a login or an IP address) within Window, that key is refused until its
// oldest counted failure leaves the window.
type Throttle struct {
	Limit  int
	Window time.Duration
}
