// Package ui holds small templ components shared by pages, and the
// helpers templates use to reach the request's Localizer.
package ui

import (
	"context"
	"strings"

	"github.com/a-h/templ"

	"helpcenter/internal/i18n"
)

// T localizes a message for the request's locale.
func T(ctx context.Context, id string, kv ...string) string {
	return i18n.FromContext(ctx).T(id, kv...)
}

// N localizes a plural message for n.
func N(ctx context.Context, id string, n int, kv ...string) string {
	return i18n.FromContext(ctx).N(id, n, kv...)
}

// Locale returns the request's locale.
func Locale(ctx context.Context) i18n.Locale {
	return i18n.FromContext(ctx).Locale
}

// Href prefixes a path with the request's language: Href(ctx, "/search")
// is "/pt-br/search".
func Href(ctx context.Context, path string) string {
	return "/" + Locale(ctx).Slug + path
}

// LangAttrs returns lang and dir for text in another language than the
// page, or nothing when lang is empty (the page's own language).
func LangAttrs(lang string) templ.Attributes {
	if lang == "" {
		return nil
	}
	l, ok := i18n.Lookup(lang)
	if !ok {
		return nil
	}
	return templ.Attributes{"lang": l.Code, "dir": l.Dir}
}

// Marker stands in for a value inside a localized message, so a template
// can split the message and put markup (a <time>, a <bdi>) where the
// translator placed the value.
const Marker = "\x00"

// Split cuts a message at the marker.
func Split(message, marker string) (before, after string) {
	before, after, _ = strings.Cut(message, marker)
	return before, after
}

// Number writes n in the locale's digits.
func Number(ctx context.Context, n int) string {
	return i18n.FromContext(ctx).Number(n)
}
