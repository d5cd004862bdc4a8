// Package locales embeds the UI message files (one go-i18n TOML file per
// locale) and locales.tsv, the table of the 59 locales the site serves.
package locales

import "embed"

// FS holds locales.tsv and every <code>.toml message file.
//
//go:embed locales.tsv *.toml
var FS embed.FS
