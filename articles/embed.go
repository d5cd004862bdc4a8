// Package articles embeds the Help Center's articles (one folder per slug,
// one Markdown file per locale) and categories.toml.
package articles

import "embed"

// FS holds categories.toml and every <slug>/<locale>.md file.
//
//go:embed categories.toml */*.md
var FS embed.FS
