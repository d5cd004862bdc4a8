// Package contact holds the rules of a contact request: its fields and
// their validation, reference codes, status-link tokens and screenshots
// (sniffed by their bytes, bounded, re-encoded without metadata).
package contact

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// crockford is Crockford's base32 alphabet: no I, L, O or U, so a code
// read aloud or typed from a screenshot is not mistaken.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// NewCode returns a reference code such as HC-7K2M-9QXD-4TPA: 12
// Crockford base32 digits, 60 random bits, in groups of four. The code
// only names a request; it never opens one.
func NewCode() string {
	var b [8]byte
	rand.Read(b[:])
	v := uint64(0)
	for _, x := range b {
		v = v<<8 | uint64(x)
	}
	var sb strings.Builder
	sb.WriteString("HC")
	for i := range 12 {
		if i%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(crockford[v&31])
		v >>= 5
	}
	return sb.String()
}

// NewToken returns a status-link secret (128 random bits, in lower-case
// hex: URL paths are case-folded by the site's canonical redirects) and
// the SHA-256 that is all the database keeps of it.
func NewToken() (token string, hash []byte) {
	var b [16]byte
	rand.Read(b[:])
	token = hex.EncodeToString(b[:])
	return token, HashToken(token)
}

// HashToken is the SHA-256 of a status-link secret.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// ValidToken reports whether token has the shape NewToken gives, so a
// malformed link is refused without a database query (yet after the same
// work as a real one: the handler hashes and looks up both).
func ValidToken(token string) bool {
	return len(token) == 32 && strings.Trim(token, "0123456789abcdef") == ""
}

// NewDraftID names a form's draft of screenshots: 128 random bits, hex.
func NewDraftID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// ValidDraftID reports whether id has the shape NewDraftID gives.
func ValidDraftID(id string) bool {
	if len(id) != 32 {
		return false
	}
	_, err := hex.DecodeString(id)
	return err == nil
}
