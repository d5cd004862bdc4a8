// Package metrics defines the server's Prometheus metrics and serves them
// on a listener of their own (HELPCENTER_METRICS_ADDR), away from
// readers. Labels never carry a raw path, a query or anything a reader
// typed: routes are echo's patterns ("/:lang/articles/:slug").
package metrics

import (
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is every metric of one server. Its methods are safe for
// concurrent use and cheap enough for every request.
type Metrics struct {
	reg *prometheus.Registry

	requests *prometheus.HistogramVec // route, method, class
	observe  sync.Map                 // route|method|class → prometheus.Observer

	VotesWritten   prometheus.Counter
	VoteBatch      prometheus.Histogram
	SearchLatency  prometheus.Histogram
	MissedSearches prometheus.Counter
	StartupPhase   *prometheus.GaugeVec
}

// New registers the metrics, with Go's runtime and process collectors.
func New() *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		reg: reg,
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "helpcenter_http_request_duration_seconds",
			Help:    "Time to answer a request, by route pattern, method and status class (2xx, 3xx, 4xx, 5xx).",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route", "method", "class"}),
		VotesWritten: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "helpcenter_votes_written_total", Help: "Votes committed to the database and acknowledged.",
		}),
		VoteBatch: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "helpcenter_write_batch_size", Help: "Writes committed together in one transaction by the database writer.",
			Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128, 256, 512},
		}),
		SearchLatency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "helpcenter_search_duration_seconds", Help: "Time to search one language's index.",
			Buckets: []float64{.00005, .0001, .00025, .0005, .001, .0025, .005, .01, .025, .1},
		}),
		MissedSearches: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "helpcenter_missed_searches_total", Help: "Searches that found nothing.",
		}),
		StartupPhase: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "helpcenter_startup_phase_seconds", Help: "Time each start-up phase took.",
		}, []string{"phase"}),
	}
	reg.MustRegister(m.requests, m.VotesWritten, m.VoteBatch, m.SearchLatency, m.MissedSearches, m.StartupPhase,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// ObserveRequest records one answered request. route is the matched
// route pattern, or "" when none matched (redirects, 404s).
func (m *Metrics) ObserveRequest(route, method string, status int, took time.Duration) {
	if route == "" {
		route = "none"
	}
	class := classes[min(max(status/100, 0), 5)]
	key := route + "|" + method + "|" + class
	o, ok := m.observe.Load(key)
	if !ok {
		switch method {
		case http.MethodGet, http.MethodHead, http.MethodPost:
		default:
			method = "other" // methods are the client's to choose
		}
		o, _ = m.observe.LoadOrStore(key, m.requests.WithLabelValues(route, method, class))
	}
	o.(prometheus.Observer).Observe(took.Seconds())
}

var classes = [6]string{"other", "1xx", "2xx", "3xx", "4xx", "5xx"}

// Gauge registers a value read when the metrics are scraped.
func (m *Metrics) Gauge(name, help string, read func() float64) {
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, read))
}

// Counter registers a counting value read when the metrics are scraped.
func (m *Metrics) Counter(name, help string, read func() float64) {
	m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, read))
}

// Handler serves the metrics in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}
