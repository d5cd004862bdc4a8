//go:build race

package search

// raceEnabled skips timing reports, which mean nothing under the race
// detector.
const raceEnabled = true
