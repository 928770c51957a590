package db

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// SecretKeySize is the length of the key that seals second-factor secrets:
// 32 bytes, for AES-256.
const SecretKeySize = 32

// ErrWrongSecretKey refuses to open a database with a key other than the
// one its second-factor secrets were sealed with: they could not be read,
// and every two-factor login would fail.
var ErrWrongSecretKey = errors.New("db: the secret key is not the one this database was started with")

// KeyFile is where the secret key is kept when none is given: beside the
// database file, outside it, so that a copy of the database alone does not
// reveal the secrets.
func KeyFile(dbPath string) string { return dbPath + ".key" }

// ParseSecretKey reads a key written as 64 hexadecimal digits or as 32
// bytes in base64 (standard or URL alphabet, padded or not).
func ParseSecretKey(text string) ([]byte, error) {
	text = strings.TrimSpace(text)
	if key, err := hex.DecodeString(text); err == nil && len(key) == SecretKeySize {
		return key, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if key, err := enc.DecodeString(text); err == nil && len(key) == SecretKeySize {
			return key, nil
		}
	}
	return nil, fmt.Errorf("db: a secret key is %d bytes written as 64 hexadecimal digits or in base64", SecretKeySize)
}

// ErrKeyFileMissing refuses to make a new key for a database that was
// started with one kept in its key file, the file now gone: a new key
// could not open its second-factor secrets.
var ErrKeyFileMissing = errors.New("db: the key file is missing")

// DatabaseKey reads the key file beside the database at dbPath. It creates
// one only for a database that has adopted no key yet (a new one, or one
// made before keys); for one that has, a missing file is ErrKeyFileMissing.
func DatabaseKey(ctx context.Context, dbPath string) ([]byte, error) {
	path := KeyFile(dbPath)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		adopted, err := hasAdoptedKey(ctx, dbPath)
		if err != nil {
			return nil, err
		}
		if adopted {
			return nil, fmt.Errorf("%w: %s", ErrKeyFileMissing, path)
		}
	}
	return LoadKeyFile(path)
}

// hasAdoptedKey tells whether the database at dbPath, if there is one,
// holds the check of a key it was started with.
func hasAdoptedKey(ctx context.Context, dbPath string) (bool, error) {
	if _, err := os.Stat(dbPath); errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	conn, err := sql.Open("sqlite", "file:"+dbPath+"?mode=rw&_pragma=busy_timeout(5000)")
	if err != nil {
		return false, fmt.Errorf("db: secret key: %w", err)
	}
	defer conn.Close()
	var adopted bool
	err = conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'settings')`).Scan(&adopted)
	if err == nil && adopted {
		err = conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM settings WHERE key = ?)`, keyCheckSetting).Scan(&adopted)
	}
	if err != nil {
		return false, fmt.Errorf("db: secret key: %s: %w", dbPath, err)
	}
	return adopted, nil
}

// LoadKeyFile reads the secret key from path, creating the file with a new
// random key, readable by its owner only, when there is none.
func LoadKeyFile(path string) ([]byte, error) {
	text, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return createKeyFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("db: secret key: %w", err)
	}
	if info, err := os.Stat(path); err == nil && runtime.GOOS != "windows" && info.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("db: secret key file %s may be read by others (mode %v): chmod 600 it", path, info.Mode().Perm())
	}
	key, err := ParseSecretKey(string(text))
	if err != nil {
		return nil, fmt.Errorf("%w (in %s)", err, path)
	}
	return key, nil
}

// createKeyFile writes a new random key to path. It is written whole under
// another name and linked into place, which fails if the file exists: two
// processes starting at once end up with one key, never half of one.
func createKeyFile(path string) ([]byte, error) {
	key := make([]byte, SecretKeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("db: secret key: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.part") // mode 0600
	if err != nil {
		return nil, fmt.Errorf("db: secret key: %w", err)
	}
	defer os.Remove(f.Name())
	_, err = f.WriteString(hex.EncodeToString(key) + "\n")
	if err = errors.Join(err, f.Sync(), f.Close()); err != nil {
		return nil, fmt.Errorf("db: secret key: %w", err)
	}
	if err := os.Link(f.Name(), path); errors.Is(err, os.ErrExist) {
		return LoadKeyFile(path)
	} else if err != nil {
		return nil, fmt.Errorf("db: secret key: %w", err)
	}
	return key, nil
}

// keyCheckSetting names the settings row that holds keyCheck.
const keyCheckSetting = "secret-key-check"

// keyCheck is what the database keeps to recognise its key: a MAC of a
// fixed text, which tells nothing about the key itself.
func keyCheck(key []byte) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("elk secret key check"))
	return hex.EncodeToString(mac.Sum(nil))
}
