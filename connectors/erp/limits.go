package erp

import "time"

// CallTimeout is a configured per-call timeout: def when it is zero.
func CallTimeout(configured, def time.Duration) time.Duration {
	if configured == 0 {
		return def
	}
	return configured
}

// Retries is how often a transient failure is retried for a configured
// count: def when it is zero, none when it is negative.
func Retries(configured, def int) int {
	switch {
	case configured == 0:
		return def
	case configured < 0:
		return 0
	}
	return configured
}
