package contact

import (
	"net/http/httptest"
	"strings"
	"testing"

	"helpcenter/internal/contact/contacttest"
)

// FuzzProcess: whatever bytes arrive as a screenshot, Process never
// panics, and what it accepts is a bounded image with no metadata.
func FuzzProcess(f *testing.F) {
	f.Add(contacttest.PNG(f, 3, 2))
	f.Add(contacttest.GPSJPEG(f, 4, 2))
	f.Add(contacttest.BombPNG(f, 50_000, 50_000))
	f.Add([]byte("%PDF-1.7"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sh, err := Process(data)
		if err != nil {
			return
		}
		if sh.Width > MaxSide || sh.Height > MaxSide || sh.Width*sh.Height > MaxPixels || HasMetadata(sh.Data) {
			t.Fatalf("accepted %dx%d %s with metadata=%v", sh.Width, sh.Height, sh.Type, HasMetadata(sh.Data))
		}
	})
}

// FuzzParseUpload: a hostile multipart body is parsed or refused with an
// *ImageError, never a panic, and never yields more than the bounds.
func FuzzParseUpload(f *testing.F) {
	f.Add("b", "--b\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\nhello\r\n--b--\r\n")
	f.Add("b", "--b\r\nContent-Disposition: form-data; name=\"screenshots\"; filename=\"a.png\"\r\n\r\n\x89PNG\r\n--b--\r\n")
	f.Add("x", "--x\r\n\r\n--x")
	f.Fuzz(func(t *testing.T, boundary, body string) {
		r := httptest.NewRequest("POST", "/en/contact", strings.NewReader(body))
		r.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
		u, err := ParseUpload(httptest.NewRecorder(), r)
		if err != nil {
			if !isErr(err, ErrMalformed) && !isErr(err, ErrBodyTooLarge) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if len(u.Files) > MaxScreenshots || len(u.Values) > MaxParts {
			t.Fatalf("bounds exceeded: %d files %d values", len(u.Files), len(u.Values))
		}
	})
}
