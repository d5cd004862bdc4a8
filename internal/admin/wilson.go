package admin

import "math"

// wilsonLower is the lower bound of the Wilson score interval at 95 %
// for pos successes out of n: the share of helpful votes we can be
// confident of, so that 2 of 2 ranks below 480 of 500.
func wilsonLower(pos, n int) float64 {
	if n == 0 {
		return 0
	}
	const z = 1.959963984540054
	p := float64(pos) / float64(n)
	fn := float64(n)
	return (p + z*z/(2*fn) - z*math.Sqrt((p*(1-p)+z*z/(4*fn))/fn)) / (1 + z*z/fn)
}
