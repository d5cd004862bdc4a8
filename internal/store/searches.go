package store

// MissedSearch is how often one normalized query found nothing on a day.
type MissedSearch struct {
	Day    string // YYYY-MM-DD, UTC
	Locale string
	Query  string
	Count  int
}

// MaxMissedPerDay bounds the distinct queries kept per day and locale.
const MaxMissedPerDay = 2000
