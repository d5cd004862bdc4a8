// Package assets serves the embedded static files under content-hashed
// URLs (/static/css/site.3f9a1c2e.css), compressed once at start with
// gzip and brotli, so browsers and CDNs may cache them for a year.
package assets

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
)

// Prefix is the URL path under which assets are served.
const Prefix = "/static/"

type file struct {
	name        string // logical name: css/site.css
	contentType string
	etag        string
	raw, gz, br []byte
}

// Set is the immutable set of assets.
type Set struct {
	byURL  map[string]*file // hashed path below Prefix -> file
	byName map[string]string
	// compressed is closed once every file's gzip and brotli forms are
	// made. Load returns before that (brotli's best level takes a while,
	// and start-up waits for Load); only asset requests wait for it.
	compressed chan struct{}
}

// Load reads every file of fsys and prepares its hashed URL and its
// compressed forms.
func Load(fsys fs.FS) (*Set, error) {
	s := &Set{byURL: map[string]*file{}, byName: map[string]string{}, compressed: make(chan struct{})}
	var todo []*file
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".go") {
			return err
		}
		raw, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(raw)
		hash := hex.EncodeToString(sum[:])[:12]
		ext := path.Ext(p)
		hashed := strings.TrimSuffix(p, ext) + "." + hash + ext
		f := &file{name: p, raw: raw, etag: `"` + hash + `"`, contentType: mime.TypeByExtension(ext)}
		if f.contentType == "" {
			f.contentType = "application/octet-stream"
		}
		if compressible(f.contentType) {
			todo = append(todo, f)
		}
		s.byURL[hashed] = f
		s.byName[p] = Prefix + hashed
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("assets: %w", err)
	}
	go func() {
		defer close(s.compressed)
		var wg sync.WaitGroup
		for _, f := range todo {
			wg.Go(func() { f.gz, f.br = compress(f.raw) })
		}
		wg.Wait()
	}()
	return s, nil
}

func compressible(ct string) bool {
	return strings.HasPrefix(ct, "text/") || strings.Contains(ct, "javascript") ||
		strings.Contains(ct, "json") || strings.Contains(ct, "svg") || strings.Contains(ct, "xml")
}

func compress(raw []byte) (gz, br []byte) {
	var g bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&g, gzip.BestCompression)
	zw.Write(raw)
	zw.Close()
	var b bytes.Buffer
	bw := brotli.NewWriterLevel(&b, brotli.BestCompression)
	bw.Write(raw)
	bw.Close()
	// Keep a compressed form only where it actually saves bytes.
	if g.Len() < len(raw) {
		gz = g.Bytes()
	}
	if b.Len() < len(raw) {
		br = b.Bytes()
	}
	return gz, br
}

// URL returns the hashed URL of a logical asset name such as
// "css/site.css". It panics on a name that does not exist: templates name
// assets literally, and a typo must fail the tests, not ship a broken link.
func (s *Set) URL(name string) string {
	u, ok := s.byName[name]
	if !ok {
		panic("assets: no asset " + name)
	}
	return u
}

// ServeHTTP serves an asset by its hashed path, choosing brotli, gzip or
// the raw bytes from Accept-Encoding.
func (s *Set) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f, ok := s.byURL[strings.TrimPrefix(r.URL.Path, Prefix)]
	if !ok {
		http.NotFound(w, r)
		return
	}
	<-s.compressed
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("X-Content-Type-Options", "nosniff")
	body, enc := f.raw, ""
	if f.gz != nil || f.br != nil {
		h.Add("Vary", "Accept-Encoding")
		ae := r.Header.Get("Accept-Encoding")
		switch {
		case f.br != nil && acceptsEncoding(ae, "br"):
			body, enc = f.br, "br"
		case f.gz != nil && acceptsEncoding(ae, "gzip"):
			body, enc = f.gz, "gzip"
		}
	}
	etag := f.etag
	if enc != "" {
		h.Set("Content-Encoding", enc)
		etag = strings.TrimSuffix(etag, `"`) + "-" + enc + `"`
	}
	h.Set("ETag", etag)
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// acceptsEncoding reports whether an Accept-Encoding header allows enc
// (present and not q=0).
func acceptsEncoding(header, enc string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), enc) {
			continue
		}
		params = strings.ReplaceAll(params, " ", "")
		return !strings.HasPrefix(params, "q=0") || strings.HasPrefix(params, "q=0.") && strings.Trim(params[4:], "0") != ""
	}
	return false
}
