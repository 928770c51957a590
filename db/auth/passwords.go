// Package auth holds what proves who a user is, apart from storage:
// password rules and hashes, one-time codes of a second factor.
package auth

import (
	"bufio"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Password length limits: long enough to resist guessing, short enough that
// hashing a hostile megabyte of input costs nothing.
const (
	MinPasswordLen = 8
	MaxPasswordLen = 128
)

// PasswordError names why a chosen password is refused; its text is a
// translation key.
type PasswordError string

func (e PasswordError) Error() string { return string(e) }

// The reasons a chosen password is refused.
const (
	ErrPasswordTooShort    PasswordError = "password.too_short"
	ErrPasswordTooLong     PasswordError = "password.too_long"
	ErrPasswordCommon      PasswordError = "password.common"
	ErrPasswordWrongFormat PasswordError = "password.invalid"
)

//go:embed common-passwords.txt
var commonPasswordsText string

var commonPasswords = func() map[string]bool {
	set := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(commonPasswordsText))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line != "" && !strings.HasPrefix(line, "#") {
			set[strings.ToLower(line)] = true
		}
	}
	return set
}()

// CheckPasswordPolicy applies the rules for passwords people choose: 8 to 128
// characters, no composition rules, not one of the most common passwords,
// and hard enough to guess (checkStrength) for someone who knows personal:
// the user's login, name, e-mail and company.
func CheckPasswordPolicy(password string, personal ...string) error {
	if !utf8.ValidString(password) {
		return ErrPasswordWrongFormat
	}
	n := utf8.RuneCountInString(password)
	switch {
	case n < MinPasswordLen:
		return ErrPasswordTooShort
	case n > MaxPasswordLen:
		return ErrPasswordTooLong
	case commonPasswords[strings.ToLower(password)]:
		return ErrPasswordCommon
	}
	return checkStrength(password, personal)
}

// argon2id parameters recommended by OWASP: 19 MiB of memory, two passes, one thread.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// HashPassword returns the argon2id hash of password in the PHC string format,
// which carries its own parameters so they can be raised later.
func HashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: password salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches the PHC-encoded hash, in constant time.
func VerifyPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	var memory, passes uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &passes, &threads); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, passes, memory, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// DummyHash is verified against when a login does not exist, so that an
// unknown login takes as long to refuse as a wrong password.
func DummyHash() string { return dummyHash() }

var dummyHash = sync.OnceValue(func() string {
	h, err := HashPassword("elk-unknown-login-placeholder")
	if err != nil {
		panic(err)
	}
	return h
})

// GeneratePassword returns a random password that is easy to dictate:
// 12 characters without look-alikes (0/O, 1/l/I), grouped by dashes, drawn
// again in the rare case that chance spelled a word or a run such as «abcd».
func GeneratePassword() string {
	for {
		if p := randomPassword(); CheckPasswordPolicy(p) == nil {
			return p
		}
	}
}

func randomPassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	var sb strings.Builder
	buf := make([]byte, 1)
	for n := 0; n < 12; {
		if _, err := rand.Read(buf); err != nil {
			panic(err) // crypto/rand never fails on supported platforms
		}
		// Reject bytes past the last whole multiple of the alphabet to keep the choice uniform.
		if int(buf[0]) >= 256/len(alphabet)*len(alphabet) {
			continue
		}
		if n > 0 && n%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(alphabet[int(buf[0])%len(alphabet)])
		n++
	}
	return sb.String()
}
