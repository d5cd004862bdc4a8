// Package auth holds the rules of staff accounts: password hashing with
// argon2id, session tokens and their lifetimes, and sign-in throttling.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: RFC 9106's second recommended option (64 MiB,
// 3 passes) with 2 lanes for a 2-core machine. About 60–100 ms per hash
// here; the README repeats them.
const (
	argonTime    = 3
	argonMemory  = 64 * 1024 // KiB
	argonThreads = 2
	argonKeyLen  = 32
	argonSaltLen = 16
)

// ErrMismatch is returned by CheckPassword for a wrong password.
var ErrMismatch = errors.New("auth: password does not match")

// MinPasswordLen is the shortest password staff may choose.
const MinPasswordLen = 12

// HashPassword returns the PHC string of password under argon2id.
func HashPassword(password string) (string, error) {
	if len(password) < MinPasswordLen {
		return "", fmt.Errorf("auth: password must be at least %d characters", MinPasswordLen)
	}
	salt := make([]byte, argonSaltLen)
	rand.Read(salt)
	return phc(salt, argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)), nil
}

// phc writes a salt and key as a PHC string with today's parameters.
func phc(salt, key []byte) string {
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// CheckPassword reports whether password matches the PHC string hash,
// with the parameters stored in the hash (so they can be raised later).
func CheckPassword(hash, password string) error {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return errors.New("auth: not an argon2id hash")
	}
	var v int
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return errors.New("auth: unsupported argon2 version")
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return fmt.Errorf("auth: bad argon2 parameters: %w", err)
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return fmt.Errorf("auth: bad salt: %w", err)
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil {
		return fmt.Errorf("auth: bad key: %w", err)
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return ErrMismatch
	}
	return nil
}

// dummyHash is checked against when the e-mail is unknown, so that an
// unknown account costs the same time as a wrong password: the same
// parameters, a random salt and a random key that no password gives.
// It is not hashed from anything, because a hash at start-up would cost
// every process (the CLI included) 64 MiB and a fifth of a second.
var dummyHash = func() string {
	salt, key := make([]byte, argonSaltLen), make([]byte, argonKeyLen)
	rand.Read(salt)
	rand.Read(key)
	return phc(salt, key)
}()

// CheckUnknown spends the time of one CheckPassword and fails.
func CheckUnknown(password string) error {
	_ = CheckPassword(dummyHash, password)
	return ErrMismatch
}

// GeneratePassword returns a random password of 26 base32 characters.
func GeneratePassword() string { return rand.Text() }

// NewToken returns a fresh session token for the cookie and its hash for
// the database: a stolen database does not hold usable tokens.
func NewToken() (token, hash string) {
	token = rand.Text() + rand.Text()
	return token, HashToken(token)
}

// HashToken is the SHA-256 of a token in hex. A fast hash is right here:
// the token has 256 bits of entropy, nothing to brute-force.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
