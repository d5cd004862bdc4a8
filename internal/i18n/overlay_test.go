package i18n

import (
	"io/fs"
	"testing/fstest"
	"time"

	"helpcenter/locales"
)

// overlay is the embedded locales/ with some files replaced, for tests
// of broken message files.
type overlay map[string]string

func (o overlay) Open(name string) (fs.File, error) {
	if s, ok := o[name]; ok {
		return fstest.MapFS{name: {Data: []byte(s), ModTime: time.Now()}}.Open(name)
	}
	return locales.FS.Open(name)
}
