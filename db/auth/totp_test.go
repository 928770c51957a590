package auth_test

import (
	"fmt"
	"testing"
	"time"

	"elk/db/auth"
)

// Recovery codes are stored as hashes: the hash must never change, or the
// codes users keep on paper stop working. Typed with or without the dash
// they are the same code.
func TestRecoveryCodeHashIsStable(t *testing.T) {
	const want = "72399361da6a7754fec986dca5b7cbaf1c810a28ded4abaf56b2106d06cb78b0" // sha256("abcdefghij")
	for _, typed := range []string{"abcde-fghij", "abcdefghij"} {
		if got := fmt.Sprintf("%x", auth.HashRecoveryCode(typed)); got != want {
			t.Errorf("%s hashes to %s", typed, got)
		}
	}
}

// Codes are RFC 6238's: its SHA-1 test vector (the secret "12345678901234567890"
// at 59 s gives 94287082, of which an authenticator shows the last six
// digits), accepted one step either side for a drifting clock.
func TestTOTPFollowsRFC6238(t *testing.T) {
	const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" // base32 of "12345678901234567890"
	at := time.Unix(59, 0)
	for _, now := range []time.Time{at, at.Add(30 * time.Second), at.Add(-30 * time.Second)} {
		if step, ok := auth.TOTPStep(secret, "287082", now); !ok || step != 1 {
			t.Errorf("at %v: step %d, %v", now.Unix(), step, ok)
		}
	}
	if _, ok := auth.TOTPStep(secret, "287082", at.Add(2*time.Minute)); ok {
		t.Error("a code four steps old was taken")
	}
	if _, ok := auth.TOTPStep(secret, "28708", at); ok {
		t.Error("a five-digit code was taken")
	}
}
