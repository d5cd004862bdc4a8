package content_test

import (
	"testing"
	"time"

	"helpcenter/articles"
	"helpcenter/internal/content"
)

// BenchmarkLoadLibrary loads the embedded library as `helpcenter check`
// does (every comparison with English) and as start-up does (Checked).
func BenchmarkLoadLibrary(b *testing.B) {
	for _, checked := range []bool{false, true} {
		name := map[bool]string{false: "full", true: "checked"}[checked]
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := content.Load(articles.FS, content.Options{Now: time.Now(), Checked: checked}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
