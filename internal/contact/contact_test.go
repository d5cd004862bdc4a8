package contact

import (
	"bytes"
	"errors"
	"image/png"
	"net/http/httptest"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"helpcenter/internal/contact/contacttest"
)

func TestCodesAndTokens(t *testing.T) {
	re := regexp.MustCompile(`^HC-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$`)
	seen := map[string]bool{}
	for range 1000 {
		c := NewCode()
		if !re.MatchString(c) || seen[c] {
			t.Fatalf("code %q malformed or repeated", c)
		}
		seen[c] = true
	}
	tok, hash := NewToken()
	if !ValidToken(tok) || len(hash) != 32 || !bytes.Equal(HashToken(tok), hash) || strings.Contains(string(hash), tok) {
		t.Fatalf("token %q hash %x", tok, hash)
	}
	for _, bad := range []string{"", "abc", tok + "x", strings.Repeat("A", 40)} {
		if ValidToken(bad) {
			t.Errorf("ValidToken(%q) = true", bad)
		}
	}
}

func TestValidate(t *testing.T) {
	ok := Form{Kind: "technical", Device: "android", Description: "The app closes when I open a chat."}
	if errs := ok.Validate(); len(errs) != 0 {
		t.Fatalf("valid form: %v", errs)
	}
	cases := []struct {
		name  string
		edit  func(*Form)
		field string
		id    string
	}{
		{"no kind", func(f *Form) { f.Kind = "" }, "kind", ErrKind},
		{"bad device", func(f *Form) { f.Device = "toaster" }, "device", ErrDevice},
		{"missing description", func(f *Form) { f.Description = "" }, "description", ErrDescriptionShort},
		{"19 characters", func(f *Form) { f.Description = strings.Repeat("字", 19) }, "description", ErrDescriptionShort},
		{"too long", func(f *Form) { f.Description = strings.Repeat("a", 5001) }, "description", ErrDescriptionLong},
		{"bad e-mail", func(f *Form) { f.Email = "me@" }, "email", ErrEmail},
		{"display name", func(f *Form) { f.Email = "Me <me@example.com>" }, "email", ErrEmail},
		{"no dot", func(f *Form) { f.Email = "me@localhost" }, "email", ErrEmail},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := ok
			c.edit(&f)
			if got := f.Validate()[c.field]; got != c.id {
				t.Errorf("error for %s = %q, want %q", c.field, got, c.id)
			}
		})
	}
	f := ok
	f.Email = "reader@example.com"
	if errs := f.Validate(); len(errs) != 0 {
		t.Errorf("good e-mail refused: %v", errs)
	}
}

func TestStamper(t *testing.T) {
	s := Stamper{Key: []byte("k")}
	now := time.Now()
	stamp := s.Stamp(now.Add(-10 * time.Second))
	if !s.Human(stamp, now) {
		t.Error("form filled in 10 s refused")
	}
	if s.Human(s.Stamp(now.Add(-time.Second)), now) {
		t.Error("form filled in 1 s accepted")
	}
	if s.Human(s.Stamp(now.Add(-25*time.Hour)), now) {
		t.Error("day-old form accepted")
	}
	if (Stamper{Key: []byte("other")}).Human(stamp, now) || s.Human("", now) || s.Human(stamp+"0", now) {
		t.Error("forged stamp accepted")
	}
	// Too soon or too late is a bot; a stamp of another key (a restart) is
	// unknown, so the reader is asked to send again.
	for _, tc := range []struct {
		stamp string
		want  int
	}{
		{stamp, StampHuman}, {s.Stamp(now.Add(-time.Second)), StampBot}, {s.Stamp(now.Add(-25 * time.Hour)), StampBot},
		{(Stamper{Key: []byte("other")}).Stamp(now.Add(-time.Minute)), StampUnknown}, {"", StampUnknown}, {"zz.zz", StampUnknown},
	} {
		if got := s.Check(tc.stamp, now); got != tc.want {
			t.Errorf("Check(%q) = %d, want %d", tc.stamp, got, tc.want)
		}
	}
}

func TestProcess(t *testing.T) {
	t.Run("png", func(t *testing.T) {
		sh, err := Process(contacttest.PNG(t, 30, 20))
		if err != nil || sh.Type != "image/png" || sh.Width != 30 || sh.Height != 20 || len(sh.SHA256) != 32 {
			t.Fatalf("%v %+v", err, sh)
		}
	})
	t.Run("pdf renamed png", func(t *testing.T) {
		_, err := Process([]byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"))
		if !isErr(err, ErrNotImage) {
			t.Fatal(err)
		}
	})
	t.Run("6 MB", func(t *testing.T) {
		big := append(contacttest.PNG(t, 4, 4), make([]byte, 6<<20)...)
		if _, err := Process(big); !isErr(err, ErrTooLarge) {
			t.Fatal(err)
		}
	})
	t.Run("truncated", func(t *testing.T) {
		if _, err := Process(contacttest.PNG(t, 30, 20)[:40]); !isErr(err, ErrUnreadable) {
			t.Fatal(err)
		}
	})
	t.Run("decompression bomb", func(t *testing.T) {
		bomb := contacttest.BombPNG(t, 50_000, 50_000)
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := Process(bomb)
		runtime.ReadMemStats(&after)
		if !isErr(err, ErrTooManyPixel) {
			t.Fatal(err)
		}
		// Decoding would need 10 GB; refusing reads only the header.
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
			t.Fatalf("refusing the bomb allocated %d bytes", grew)
		} else {
			t.Logf("refusing a 50,000×50,000 PNG header allocated %d bytes", grew)
		}
		if _, err := Process(contacttest.BombPNG(t, 10_001, 10)); !isErr(err, ErrTooManyPixel) {
			t.Fatal("10,001 px side accepted")
		}
	})
	t.Run("exif gps jpeg", func(t *testing.T) {
		in := contacttest.GPSJPEG(t, 40, 10)
		if !bytes.Contains(in, []byte("Exif\x00\x00")) {
			t.Fatal("fixture has no EXIF")
		}
		sh, err := Process(in)
		if err != nil {
			t.Fatal(err)
		}
		if sh.Type != "image/jpeg" || sh.Width != 10 || sh.Height != 40 {
			t.Fatalf("orientation not applied: %dx%d %s", sh.Width, sh.Height, sh.Type)
		}
		if HasMetadata(sh.Data) || bytes.Contains(sh.Data, []byte("secret!")) {
			t.Fatal("metadata survived")
		}
	})
}

func isErr(err error, id string) bool {
	var ie *ImageError
	return errors.As(err, &ie) && ie.ID == id
}

func TestParseUpload(t *testing.T) {
	shot := contacttest.PNG(t, 4, 4)
	t.Run("fields and files", func(t *testing.T) {
		u, err := ParseUpload(httptest.NewRecorder(), contacttest.Multipart(t, "/en/contact", map[string]string{"description": "hello"}, [][]byte{shot, shot}, 0))
		if err != nil || u.Values["description"] != "hello" || len(u.Files) != 2 || u.TooMany {
			t.Fatalf("%v %+v", err, u)
		}
	})
	t.Run("4 files", func(t *testing.T) {
		u, err := ParseUpload(httptest.NewRecorder(), contacttest.Multipart(t, "/en/contact", nil, [][]byte{shot, shot, shot, shot}, 0))
		if err != nil || !u.TooMany || len(u.Files) != 3 {
			t.Fatalf("%v %+v", err, u)
		}
	})
	t.Run("1,000 parts", func(t *testing.T) {
		_, err := ParseUpload(httptest.NewRecorder(), contacttest.Multipart(t, "/en/contact", nil, nil, 1000))
		if !isErr(err, ErrMalformed) {
			t.Fatal(err)
		}
	})
	t.Run("6 MB file", func(t *testing.T) {
		u, err := ParseUpload(httptest.NewRecorder(), contacttest.Multipart(t, "/en/contact", nil, [][]byte{make([]byte, 6<<20)}, 0))
		if err != nil || len(u.Files) != 1 || u.Files[0].Err == nil || u.Files[0].Data != nil {
			t.Fatalf("%v %+v", err, u)
		}
	})
	t.Run("17 MB body", func(t *testing.T) {
		files := [][]byte{make([]byte, 5<<20), make([]byte, 5<<20), make([]byte, 5<<20), make([]byte, 2<<20)}
		_, err := ParseUpload(httptest.NewRecorder(), contacttest.Multipart(t, "/en/contact", nil, files, 0))
		if !isErr(err, ErrBodyTooLarge) {
			t.Fatal(err)
		}
	})
}

// TestEncodedSizeBound: an encoder writing past the bound is stopped with
// errTooLarge, which Process reports as a file too large.
func TestEncodedSizeBound(t *testing.T) {
	img, err := png.Decode(bytes.NewReader(contacttest.NoisePNG(t, 200, 200)))
	if err != nil {
		t.Fatal(err)
	}
	out := &cappedBuffer{max: 10_000}
	if err := pngEncoder.Encode(out, img); !errors.Is(err, errTooLarge) || out.Len() > 10_000 {
		t.Fatalf("encode past the bound: %v, %d bytes kept", err, out.Len())
	}
}
