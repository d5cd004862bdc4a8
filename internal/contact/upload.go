package contact

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
)

// Limits of one posted form.
const (
	MaxBody      = 16 << 20 // the whole body
	MaxParts     = 24       // fields and files together
	maxFieldSize = 32 << 10 // one text field (the description is 5,000 characters)
)

// Upload errors that refuse the whole post (message IDs).
const (
	ErrBodyTooLarge = "contact.error.body_size"
	ErrMalformed    = "contact.error.malformed"
)

// File is one uploaded file, read in full but bounded.
type File struct {
	Name string
	Data []byte
	Err  *ImageError // set when the file was refused while reading (too large)
}

// Upload is a parsed multipart post.
type Upload struct {
	Values  map[string]string
	Files   []File // at most MaxScreenshots+1: one more only to say "too many"
	TooMany bool
}

// ParseUpload streams r's multipart body with hard limits: at most
// MaxBody bytes, MaxParts parts, text fields of maxFieldSize and files of
// MaxScreenshotSize (a larger file is drained and refused, never kept).
// A form posted urlencoded (no file chosen, old browsers) is read too.
// The error is an *ImageError carrying a message ID for the reader.
func ParseUpload(w http.ResponseWriter, r *http.Request) (*Upload, error) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxBody)
	u := &Upload{Values: map[string]string{}}
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return nil, &ImageError{ErrMalformed}
	}
	if mt == "application/x-www-form-urlencoded" {
		if err := r.ParseForm(); err != nil {
			return nil, bodyErr(err)
		}
		for k := range r.PostForm {
			u.Values[k] = r.PostForm.Get(k)
		}
		return u, nil
	}
	if mt != "multipart/form-data" || params["boundary"] == "" {
		return nil, &ImageError{ErrMalformed}
	}
	mr := multipart.NewReader(r.Body, params["boundary"])
	for parts := 0; ; parts++ {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return u, nil
		}
		if err != nil {
			return nil, bodyErr(err)
		}
		if parts >= MaxParts {
			p.Close()
			return nil, &ImageError{ErrMalformed}
		}
		name := p.FormName()
		if p.FileName() == "" {
			b, err := io.ReadAll(io.LimitReader(p, maxFieldSize+1))
			p.Close()
			if err != nil {
				return nil, bodyErr(err)
			}
			if len(b) > maxFieldSize {
				return nil, &ImageError{ErrBodyTooLarge}
			}
			if _, seen := u.Values[name]; !seen {
				u.Values[name] = string(b)
			}
			continue
		}
		if name != "screenshots" {
			p.Close()
			continue
		}
		b, err := io.ReadAll(io.LimitReader(p, MaxScreenshotSize+1))
		if err != nil {
			p.Close()
			return nil, bodyErr(err)
		}
		f := File{Name: cleanName(p.FileName())}
		if len(b) > MaxScreenshotSize {
			// Drain the rest so the next part can be read; never keep it.
			if _, err := io.Copy(io.Discard, p); err != nil {
				p.Close()
				return nil, bodyErr(err)
			}
			f.Err = &ImageError{ErrTooLarge}
		} else if len(b) == 0 {
			p.Close()
			continue // an empty file input
		} else {
			f.Data = b
		}
		p.Close()
		if len(u.Files) >= MaxScreenshots {
			u.TooMany = true
			continue
		}
		u.Files = append(u.Files, f)
	}
}

func bodyErr(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &ImageError{ErrBodyTooLarge}
	}
	return &ImageError{ErrMalformed}
}

// cleanName keeps a file name short and free of paths and controls, for
// listing a draft's screenshots back to the reader.
func cleanName(s string) string {
	if i := strings.LastIndexAny(s, `/\`); i >= 0 {
		s = s[i+1:]
	}
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 80 {
		s = string(r[:80])
	}
	return s
}
