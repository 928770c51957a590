package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// totpOpts are the usual authenticator settings: six digits every 30 s.
var totpOpts = totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// RecoveryCodeCount is how many one-time recovery codes a user gets.
const RecoveryCodeCount = 10

// ErrBadCode refuses a second-factor code that is wrong, stale or used.
var ErrBadCode = errors.New("twofactor.bad_code")

// totpIssuer names the portal in the user's authenticator.
const totpIssuer = "ELK"

// NewTOTPSecret makes a new secret for the user of a login to scan.
func NewTOTPSecret(login string) (string, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: totpIssuer, AccountName: login})
	if err != nil {
		return "", err
	}
	return key.Secret(), nil
}

// TOTPURL is the otpauth:// address of a login's secret, for the QR code an
// authenticator scans.
func TOTPURL(login, secret string) string {
	q := url.Values{"secret": {secret}, "issuer": {totpIssuer}, "algorithm": {"SHA1"}, "digits": {"6"}, "period": {"30"}}
	return (&url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + totpIssuer + ":" + login, RawQuery: q.Encode()}).String()
}

// TOTPStep finds the 30-second step, now or one either side (clocks drift),
// whose code is the one given.
func TOTPStep(secret, code string, now time.Time) (int64, bool) {
	if len(code) != 6 {
		return 0, false
	}
	for _, d := range []int64{0, -1, 1} {
		at := now.Add(time.Duration(d) * 30 * time.Second)
		want, err := totp.GenerateCodeCustom(secret, at, totpOpts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return at.Unix() / 30, true
		}
	}
	return 0, false
}

// NewRecoveryCode is ten random letters and digits as «abcde-fghij».
func NewRecoveryCode() string {
	b := make([]byte, 7)
	rand.Read(b)
	s := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))[:10]
	return s[:5] + "-" + s[5:]
}

// HashRecoveryCode is a recovery code's hash, typed with or without its dash.
func HashRecoveryCode(code string) []byte {
	sum := sha256.Sum256([]byte(strings.ReplaceAll(code, "-", "")))
	return sum[:]
}
