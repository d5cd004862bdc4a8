// Package pagecache keeps rendered pages that are the same for every
// reader, with their gzip and brotli encodings made once, so that a
// repeated request costs what serving a file costs. The cache is bounded
// in bytes and admits pages by W-TinyLFU (otter), so a flood of one-off
// URLs cannot push the popular pages out.
package pagecache

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"

	"github.com/andybalholm/brotli"
)

// minCompress is the smallest body worth compressing: below it the
// encodings save less than their headers cost.
const minCompress = 512

// Page is one rendered response, ready to be written many times.
type Page struct {
	Status int
	// Extra is left for the code that caches pages, e.g. to redo a side
	// effect of rendering on every hit.
	Extra any

	tag                  string // hex digest of the identity body
	identity, gzip, br   []byte
	contentType, control []string
	vary                 []string
	etags, lengths       [3][]string // per encoding: identity, gzip, br
}

const (
	encIdentity = iota
	encGzip
	encBrotli
)

var encodingNames = [3][]string{nil, {"gzip"}, {"br"}}

// NewPage makes a page of body, compressing it once. cacheControl and vary
// are sent as given on every hit; Accept-Encoding is added to vary.
func NewPage(status int, contentType, cacheControl, vary string, body []byte) *Page {
	sum := sha256.Sum256(body)
	p := &Page{
		Status:      status,
		tag:         hex.EncodeToString(sum[:12]),
		identity:    body,
		contentType: []string{contentType},
	}
	if cacheControl != "" {
		p.control = []string{cacheControl}
	}
	if len(body) >= minCompress {
		p.gzip = gzipBytes(body)
		p.br = brotliBytes(body)
		if vary == "" {
			vary = "Accept-Encoding"
		} else {
			vary += ", Accept-Encoding"
		}
	}
	if vary != "" {
		p.vary = []string{vary}
	}
	for i, b := range [3][]byte{p.identity, p.gzip, p.br} {
		suffix := [3]string{"", "-gz", "-br"}[i]
		p.etags[i] = []string{`"` + p.tag + suffix + `"`}
		p.lengths[i] = []string{strconv.Itoa(len(b))}
	}
	return p
}

// Size is the memory the page holds, for the cache's bound.
func (p *Page) Size() int {
	return len(p.identity) + len(p.gzip) + len(p.br) + 512
}

// Body returns the identity bytes.
func (p *Page) Body() []byte { return p.identity }

// Write sends the page: the best encoding the request accepts, or 304
// when the request already holds it. It sets only its own headers; those
// already in w's header map (security headers, request ID) go out too. It
// returns the status and the number of body bytes sent.
func (p *Page) Write(w http.ResponseWriter, r *http.Request) (status, n int) {
	enc := encIdentity
	if p.gzip != nil {
		ae := r.Header["Accept-Encoding"]
		switch {
		case Accepts(ae, "br"):
			enc = encBrotli
		case Accepts(ae, "gzip"):
			enc = encGzip
		}
	}
	h := w.Header()
	h["Content-Type"] = p.contentType
	if p.control != nil {
		h["Cache-Control"] = p.control
	}
	if p.vary != nil {
		h["Vary"] = p.vary
	}
	h["Etag"] = p.etags[enc]
	if p.Status == http.StatusOK {
		if inm := r.Header["If-None-Match"]; len(inm) > 0 && matches(inm, p.tag) {
			w.WriteHeader(http.StatusNotModified)
			return http.StatusNotModified, 0
		}
	}
	if enc != encIdentity {
		h["Content-Encoding"] = encodingNames[enc]
	}
	h["Content-Length"] = p.lengths[enc]
	w.WriteHeader(p.Status)
	if r.Method != http.MethodHead {
		n, _ = w.Write([][]byte{p.identity, p.gzip, p.br}[enc])
	}
	return p.Status, n
}

// matches reports whether an If-None-Match header names any encoding of
// the page (or is "*"). Comparison is weak, as RFC 9110 asks for GET.
func matches(inm []string, tag string) bool {
	for _, v := range inm {
		if strings.Contains(v, tag) || strings.TrimSpace(v) == "*" {
			return true
		}
	}
	return false
}

// Accepts reports whether Accept-Encoding header values allow the coding
// enc: named (case-insensitively) with a q-value above zero. It does not
// allocate.
func Accepts(values []string, enc string) bool {
	for _, v := range values {
		for v != "" {
			var part string
			part, v, _ = strings.Cut(v, ",")
			name, params, _ := strings.Cut(part, ";")
			if !strings.EqualFold(strings.TrimSpace(name), enc) {
				continue
			}
			return !zeroQ(params)
		}
	}
	return false
}

// zeroQ reports whether parameters such as " q=0.000" give q = 0.
func zeroQ(params string) bool {
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		k, val, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		val = strings.TrimSpace(val)
		if val == "" || val[0] != '0' {
			return false
		}
		return strings.Trim(val, "0.") == ""
	}
	return false
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(b) / 4)
	zw, _ := gzip.NewWriterLevel(&buf, gzipLevel)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// gzipLevel and brotliLevel trade a few percent of size for speed: a
// page is compressed on a cache miss, while a reader waits, and a crawler
// walking every page in every language makes misses by the thousand.
const (
	gzipLevel   = 6
	brotliLevel = 5
)

func brotliBytes(b []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(b) / 5)
	bw := brotli.NewWriterLevel(&buf, brotliLevel)
	bw.Write(b)
	bw.Close()
	return buf.Bytes()
}
