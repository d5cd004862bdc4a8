// Package glossary embeds one glossary per locale (<code>.toml): the words
// articles must use for the app's screen and menu names and key product
// terms, and the digits their running text uses. `helpcenter check` holds
// every article and message file to it.
package glossary

import "embed"

//go:embed *.toml
var FS embed.FS
