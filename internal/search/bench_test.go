package search

import (
	"context"
	"runtime"
	"slices"
	"testing"
	"time"
)

// benchQueries are the three query shapes of the benchmarks, each with
// queries in several locales so the numbers are not one lucky case.
var benchQueries = []struct {
	name    string
	queries []Query
}{
	{"one-word", []Query{
		{Locale: "en", Text: "backup"},
		{Locale: "es", Text: "sesión"},
		{Locale: "ru", Text: "аккаунт"},
		{Locale: "fr", Text: "notifications"},
	}},
	{"three-words", []Query{
		{Locale: "en", Text: "delete my account"},
		{Locale: "es", Text: "cerrar sesion computadora"},
		{Locale: "pt-BR", Text: "mudar numero telefone"},
		{Locale: "ru", Text: "удалить мой аккаунт"},
	}},
	{"cjk-two-chars", []Query{
		{Locale: "zh-TW", Text: "退出"},
		{Locale: "zh-CN", Text: "备份"},
		{Locale: "ja", Text: "削除"},
		{Locale: "zh-TW", Text: "帳號"},
	}},
}

// BenchmarkSearch searches the full real library in all its locales; each
// sub-benchmark also reports the p50 and p99 latency of its iterations.
func BenchmarkSearch(b *testing.B) {
	ix := buildLibrary(b)
	ctx := context.Background()
	for _, bq := range benchQueries {
		b.Run(bq.name, func(b *testing.B) {
			b.ReportAllocs()
			var lat []time.Duration
			i := 0
			for b.Loop() {
				q := bq.queries[i%len(bq.queries)]
				i++
				t0 := time.Now()
				if _, _, err := ix.Search(ctx, q); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(t0))
			}
			p50, p99 := percentiles(lat)
			b.ReportMetric(float64(p50.Microseconds()), "p50-µs")
			b.ReportMetric(float64(p99.Microseconds()), "p99-µs")
		})
	}
}

// BenchmarkSearchParallel is BenchmarkSearch with every CPU searching at
// once, which is what the connection pool is for.
func BenchmarkSearchParallel(b *testing.B) {
	ix := buildLibrary(b)
	ctx := context.Background()
	for _, bq := range benchQueries {
		b.Run(bq.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				i := 0
				for pb.Next() {
					if _, _, err := ix.Search(ctx, bq.queries[i%len(bq.queries)]); err != nil {
						b.Error(err)
						return
					}
					i++
				}
			})
		})
	}
}

// BenchmarkBuild builds the index of the full real library. Beside time and
// allocations it reports the Go heap the index keeps (live heap after a GC,
// minus before) and the size of its SQLite database, which lives outside
// the Go heap.
func BenchmarkBuild(b *testing.B) {
	docs := library(b)
	b.ReportAllocs()
	var heap, dbBytes int64
	for b.Loop() {
		before := liveHeap()
		ix, err := Build(docs)
		if err != nil {
			b.Fatal(err)
		}
		heap = liveHeap() - before
		dbBytes = ix.dbSize(b)
		if err := ix.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(docs)), "docs")
	b.ReportMetric(float64(heap)/(1<<20), "heap-MiB")
	b.ReportMetric(float64(dbBytes)/(1<<20), "db-MiB")
}

// TestLatency prints the p50 and p99 latency of Search over 2000 searches
// per query shape. It only reports (go test -v -run Latency): timings
// depend on the machine, so they are never asserted.
func TestLatency(t *testing.T) {
	if !testing.Verbose() || testing.Short() || raceEnabled {
		t.Skip("reports only with -v, without -short or -race")
	}
	ix := libraryIndex(t)
	ctx := context.Background()
	for _, bq := range benchQueries {
		lat := make([]time.Duration, 0, 2000)
		for i := range 2000 {
			t0 := time.Now()
			if _, _, err := ix.Search(ctx, bq.queries[i%len(bq.queries)]); err != nil {
				t.Fatal(err)
			}
			lat = append(lat, time.Since(t0))
		}
		p50, p99 := percentiles(lat)
		t.Logf("%-14s p50 %8v  p99 %8v", bq.name, p50, p99)
	}
}

func percentiles(lat []time.Duration) (p50, p99 time.Duration) {
	if len(lat) == 0 {
		return 0, 0
	}
	s := slices.Clone(lat)
	slices.Sort(s)
	return s[len(s)*50/100], s[min(len(s)-1, len(s)*99/100)]
}

func liveHeap() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// dbSize returns the bytes of the index's database.
func (ix *Index) dbSize(tb testing.TB) int64 {
	var pages, size int64
	ctx := context.Background()
	if err := ix.keep.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages); err != nil {
		tb.Fatal(err)
	}
	if err := ix.keep.QueryRowContext(ctx, "PRAGMA page_size").Scan(&size); err != nil {
		tb.Fatal(err)
	}
	return pages * size
}
