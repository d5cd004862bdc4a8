package contact

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Kinds are the request types, in the form's order.
var Kinds = []string{"technical", "account", "privacy", "payments", "suggestion", "other"}

// Devices are the devices, in the form's order.
var Devices = []string{"android", "iphone", "web", "desktop", "kaios", "other"}

// Bounds of the description, in characters.
const (
	MinDescription = 20
	MaxDescription = 5000
	maxEmail       = 254
)

// Form is the contact form as posted.
type Form struct {
	Kind        string
	Device      string
	Description string
	Email       string
	Article     string
}

// Field errors, as message IDs of the locale files.
const (
	ErrKind             = "contact.error.kind"
	ErrDevice           = "contact.error.device"
	ErrDescriptionShort = "contact.error.description_short"
	ErrDescriptionLong  = "contact.error.description_long"
	ErrEmail            = "contact.error.email"
)

// Errors maps a field name to the message ID of its error.
type Errors map[string]string

// Normalize trims the fields and makes line endings uniform.
func (f *Form) Normalize() {
	f.Kind = strings.TrimSpace(f.Kind)
	f.Device = strings.TrimSpace(f.Device)
	f.Description = strings.TrimSpace(strings.ReplaceAll(f.Description, "\r\n", "\n"))
	f.Email = strings.TrimSpace(f.Email)
	f.Article = strings.TrimSpace(f.Article)
	if len(f.Article) > 100 || strings.ContainsAny(f.Article, "/?#% ") {
		f.Article = ""
	}
}

// Validate returns the errors of f, field by field; none when f is valid.
func (f Form) Validate() Errors {
	errs := Errors{}
	if !contains(Kinds, f.Kind) {
		errs["kind"] = ErrKind
	}
	if !contains(Devices, f.Device) {
		errs["device"] = ErrDevice
	}
	switch n := utf8.RuneCountInString(f.Description); {
	case n < MinDescription:
		errs["description"] = ErrDescriptionShort
	case n > MaxDescription || !utf8.ValidString(f.Description):
		errs["description"] = ErrDescriptionLong
	}
	if f.Email != "" && !validEmail(f.Email) {
		errs["email"] = ErrEmail
	}
	return errs
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// validEmail accepts a bare address (no display name) with a dotted
// domain, as a reply can actually reach.
func validEmail(s string) bool {
	if len(s) > maxEmail || strings.ContainsAny(s, " \t\r\n<>\"") {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	return at > 0 && strings.Contains(domain, ".") && !strings.HasSuffix(domain, ".") && !strings.HasPrefix(domain, ".")
}

// Fingerprint identifies an exact duplicate: the same sender (reader
// hash) sending the same fields and screenshots again.
func (f Form) Fingerprint(reader string, locale string, shotHashes [][]byte) string {
	h := sha256.New()
	for _, s := range []string{reader, locale, f.Kind, f.Device, f.Description, f.Email, f.Article} {
		h.Write([]byte(strconv.Itoa(len(s))))
		h.Write([]byte{':'})
		h.Write([]byte(s))
	}
	for _, sh := range shotHashes {
		h.Write(sh)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Bot timing: a form sent sooner than MinFillTime after it was issued, or
// with a stamp older than MaxFormAge, is treated as sent by a bot.
const (
	MinFillTime = 3 * time.Second
	MaxFormAge  = 24 * time.Hour
)

// Stamper signs the time a form was issued, so the server can tell how
// long the reader took without keeping any state.
type Stamper struct{ Key []byte }

// Stamp returns the signed issued-at token for a form issued at t.
func (s Stamper) Stamp(t time.Time) string {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(t.Unix()))
	return hex.EncodeToString(b[:]) + "." + hex.EncodeToString(s.mac(b[:]))
}

func (s Stamper) mac(b []byte) []byte {
	m := hmac.New(sha256.New, s.Key)
	m.Write([]byte("contact-form-issued-at\x00"))
	m.Write(b)
	return m.Sum(nil)[:16]
}

// Stamp verdicts.
const (
	StampHuman   = iota // issued between MaxFormAge and MinFillTime ago
	StampBot            // sent too soon after it was issued, or replayed after MaxFormAge
	StampUnknown        // missing, malformed or signed with another key
)

// Check tells what stamp says of the sender. A stamp this server cannot
// verify is StampUnknown, not StampBot: it is what a reader holds whose
// form was served before a restart with a new random key, and that
// reader must be asked to send again, never silently dropped.
func (s Stamper) Check(stamp string, now time.Time) int {
	ts, sig, ok := strings.Cut(stamp, ".")
	if !ok {
		return StampUnknown
	}
	b, err1 := hex.DecodeString(ts)
	got, err2 := hex.DecodeString(sig)
	if err1 != nil || err2 != nil || len(b) != 8 || !hmac.Equal(got, s.mac(b)) {
		return StampUnknown
	}
	issued := time.Unix(int64(binary.BigEndian.Uint64(b)), 0)
	if age := now.Sub(issued); age < MinFillTime || age > MaxFormAge {
		return StampBot
	}
	return StampHuman
}

// Human reports whether stamp is a valid token issued between MaxFormAge
// and MinFillTime before now.
func (s Stamper) Human(stamp string, now time.Time) bool {
	return s.Check(stamp, now) == StampHuman
}
