package search

import (
	"fmt"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"helpcenter/articles"
	"helpcenter/internal/content"
)

// libraryDocs returns every translation of the real articles/ folder as
// docs, loaded once per test binary.
var libraryDocs = sync.OnceValues(func() ([]Doc, error) {
	c, err := content.Load(articles.FS, content.Options{Now: time.Now()})
	if err != nil {
		return nil, err
	}
	var docs []Doc
	for _, a := range c.Articles {
		for _, code := range a.Locales() {
			tr := a.Translations[code]
			docs = append(docs, Doc{Locale: tr.Locale, Slug: a.Slug, Title: tr.Title, Keywords: tr.Keywords, Body: tr.Text()})
		}
	}
	return docs, nil
})

// library returns the real library's docs, or fails tb.
func library(tb testing.TB) []Doc {
	tb.Helper()
	docs, err := libraryDocs()
	if err != nil {
		tb.Fatalf("load articles: %v", err)
	}
	return slices.Clone(docs)
}

// buildLibrary builds the index of the real library, closed when tb ends.
func buildLibrary(tb testing.TB) *Index {
	tb.Helper()
	ix, err := Build(library(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := ix.Close(); err != nil {
			tb.Error(err)
		}
	})
	return ix
}

// sharedLibrary is one index of the real library for the tests that only
// read it, built on first use and closed by TestMain.
var sharedLibrary = sync.OnceValues(func() (*Index, error) {
	sharedBuilt.Store(true)
	docs, err := libraryDocs()
	if err != nil {
		return nil, err
	}
	return Build(docs)
})

var sharedBuilt atomic.Bool

// libraryIndex returns the shared index of the real library, or fails tb.
func libraryIndex(tb testing.TB) *Index {
	tb.Helper()
	ix, err := sharedLibrary()
	if err != nil {
		tb.Fatal(err)
	}
	return ix
}

func TestMain(m *testing.M) {
	code := m.Run()
	if !sharedBuilt.Load() {
		os.Exit(code)
	}
	if ix, err := sharedLibrary(); err == nil {
		if err := ix.Close(); err != nil && code == 0 {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	os.Exit(code)
}
