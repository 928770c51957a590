package db_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"elk/db"
	"elk/testutil"
)

// fileHolds reports whether the database file, or its write-ahead log,
// holds text anywhere in its bytes.
func fileHolds(t *testing.T, path, text string) bool {
	t.Helper()
	for _, f := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(f)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(text)) {
			return true
		}
	}
	return false
}

// turnOn sets up the second factor for a user as the account page does and
// returns the secret the user's authenticator holds.
func turnOn(t *testing.T, s *db.Store, clock *testutil.Clock, login string) string {
	t.Helper()
	ctx := context.Background()
	u, err := s.UserByLogin(ctx, login)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.StartTwoFactor(ctx, u); err != nil {
		t.Fatal(err)
	}
	if u, err = s.UserByLogin(ctx, login); err != nil || !u.SettingUpTwoFactor() {
		t.Fatalf("pending: %v", err)
	}
	secret, err := s.PendingTwoFactorSecret(u)
	if err != nil || len(secret) != 32 {
		t.Fatalf("pending secret %q: %v", secret, err)
	}
	code, _ := totp.GenerateCode(secret, clock.Now())
	if _, err := s.EnableTwoFactor(ctx, db.Actor{Login: login}, u, code, ""); err != nil {
		t.Fatal(err)
	}
	return secret
}

// checkCode passes a fresh code of the secret, half a minute on.
func checkCode(t *testing.T, s *db.Store, clock *testutil.Clock, login, secret string) {
	t.Helper()
	clock.Advance(30 * time.Second)
	u, err := s.UserByLogin(context.Background(), login)
	if err != nil {
		t.Fatal(err)
	}
	code, _ := totp.GenerateCode(secret, clock.Now())
	if err := s.CheckSecondFactor(context.Background(), u, code); err != nil {
		t.Errorf("%s's code: %v", login, err)
	}
}

func TestSecondFactorSecretsAreSealedAtRest(t *testing.T) {
	ctx := context.Background()
	path, clock := testutil.DemoCopy(t), testutil.NewClock(t)
	s := testutil.Open(t, path, clock)
	secret := turnOn(t, s, clock, "taxi")
	if fileHolds(t, path, secret) {
		t.Error("the database holds the secret in plain text")
	}
	checkCode(t, s, clock, "taxi", secret)
	s.Close()
	if fileHolds(t, path, secret) {
		t.Error("the closed database holds the secret in plain text")
	}

	// The same key again: the code still works.
	s = testutil.Open(t, path, clock)
	checkCode(t, s, clock, "taxi", secret)
	s.Close()

	// Another key is refused, before anything is read with it.
	other := make([]byte, db.SecretKeySize)
	rand.Read(other)
	if s, err := db.OpenWithKey(ctx, path, other); !errors.Is(err, db.ErrWrongSecretKey) {
		if s != nil {
			s.Close()
		}
		t.Fatalf("opened with another key: %v", err)
	}
	os.Remove(db.KeyFile(path))
	if _, err := db.Open(ctx, path); !errors.Is(err, db.ErrKeyFileMissing) {
		t.Errorf("opened without its key file: %v", err)
	}
	if _, err := os.Stat(db.KeyFile(path)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a new key file was made in place of the missing one: %v", err)
	}
}

// A secret kept in plain text by an older version is sealed at the next
// start, leaves no plain copy behind, and keeps working.
func TestPlainSecretsFromBeforeAreSealedAtStart(t *testing.T) {
	path, clock := testutil.DemoCopy(t), testutil.NewClock(t)
	const secret, pending = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "KRUGKIDROVUWG2ZAMJZG653OEBTG66BA"
	rawExec(t, path, `UPDATE users SET totp_secret = ? WHERE login = 'taxi'`, secret)
	rawExec(t, path, `UPDATE users SET totp_pending = ? WHERE login = 'buh'`, pending)
	if !fileHolds(t, path, secret) {
		t.Fatal("the setup left no plain secret to seal")
	}

	s := testutil.Open(t, path, clock)
	stored := storedSecrets(t, path)
	if !strings.HasPrefix(stored["taxi"], "v1:") || !strings.HasPrefix(stored["buh"], "v1:") {
		t.Errorf("not sealed: %v", stored)
	}
	checkCode(t, s, clock, "taxi", secret)
	buh, _ := s.UserByLogin(context.Background(), "buh")
	if got, err := s.PendingTwoFactorSecret(buh); got != pending || err != nil {
		t.Errorf("buh's pending secret: %q, %v", got, err)
	}
	s.Close()
	if fileHolds(t, path, secret) || fileHolds(t, path, pending) {
		t.Error("a plain secret is left in the file")
	}

	// Starting again seals nothing twice.
	s = testutil.Open(t, path, clock)
	if again := storedSecrets(t, path); again["taxi"] != stored["taxi"] || again["buh"] != stored["buh"] {
		t.Errorf("sealed again: %v → %v", stored, again)
	}
	checkCode(t, s, clock, "taxi", secret)
}

// rawExec changes the database file behind the store's back, as an older
// version or an intruder would.
func rawExec(t *testing.T, path, query string, args ...any) {
	t.Helper()
	conn, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Exec(query, args...); err != nil {
		t.Fatal(err)
	}
}

// storedSecrets are the users' second-factor secrets as stored, by login.
func storedSecrets(t *testing.T, path string) map[string]string {
	t.Helper()
	conn, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.Query(`SELECT login, totp_secret || totp_pending FROM users WHERE totp_secret || totp_pending <> ''`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var login, value string
		if err := rows.Scan(&login, &value); err != nil {
			t.Fatal(err)
		}
		out[login] = value
	}
	return out
}

// A sealed secret copied onto another user's row does not open there.
func TestSealedSecretBelongsToItsUser(t *testing.T) {
	path, clock := testutil.DemoCopy(t), testutil.NewClock(t)
	s := testutil.Open(t, path, clock)
	turnOn(t, s, clock, "taxi")
	rawExec(t, path, `UPDATE users SET totp_secret = (SELECT totp_secret FROM users WHERE login = 'taxi') WHERE login = 'buh'`)
	buh, _ := s.UserByLogin(context.Background(), "buh")
	if err := s.CheckSecondFactor(context.Background(), buh, "123456"); err == nil || errors.Is(err, db.ErrWrongSecretKey) {
		t.Errorf("a secret moved to another user: %v", err)
	}
}

func TestKeyFileIsMadeOnceForItsOwnerOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "elk.db")
	first, err := db.LoadKeyFile(db.KeyFile(path))
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(db.KeyFile(path))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, %v", info.Mode(), err)
	}
	if again, err := db.LoadKeyFile(db.KeyFile(path)); err != nil || !bytes.Equal(again, first) {
		t.Errorf("the key changed at the second start: %v", err)
	}
	if err := os.Chmod(db.KeyFile(path), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := db.LoadKeyFile(db.KeyFile(path)); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("a key file others may read: %v", err)
	}
}

func TestSecretKeyFormats(t *testing.T) {
	key := make([]byte, db.SecretKeySize)
	rand.Read(key)
	for _, text := range []string{hex.EncodeToString(key), strings.ToUpper(hex.EncodeToString(key)) + "\n",
		base64.StdEncoding.EncodeToString(key), base64.RawURLEncoding.EncodeToString(key)} {
		if got, err := db.ParseSecretKey(text); err != nil || !bytes.Equal(got, key) {
			t.Errorf("%q: %v", text, err)
		}
	}
	for _, text := range []string{"", "secret", hex.EncodeToString(key[:16]), base64.StdEncoding.EncodeToString(append(key, 1))} {
		if _, err := db.ParseSecretKey(text); err == nil {
			t.Errorf("%q accepted", text)
		}
	}
}

// With the key lost, every second factor is turned off and a new key
// adopted: the users log in with the password alone.
func TestForgetSecretKey(t *testing.T) {
	ctx := context.Background()
	path, clock := testutil.DemoCopy(t), testutil.NewClock(t)
	s := testutil.Open(t, path, clock)
	turnOn(t, s, clock, "taxi")
	turnOn(t, s, clock, "admin")
	s.Close()
	os.Remove(db.KeyFile(path))
	newKey := make([]byte, db.SecretKeySize)
	rand.Read(newKey)
	logins, err := db.ForgetSecretKey(ctx, path, newKey, db.Actor{Login: "cli"})
	if err != nil || strings.Join(logins, ",") != "admin,taxi" {
		t.Fatalf("forgot %v: %v", logins, err)
	}
	s, err = db.OpenWithKey(ctx, path, newKey)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if u, _ := s.UserByLogin(ctx, "taxi"); u.TwoFactor || u.SettingUpTwoFactor() {
		t.Errorf("taxi still has a second factor: %+v", u)
	}
}
