package erp

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestLimits(t *testing.T) {
	t.Parallel()
	require.Equal(t, 30*time.Second, CallTimeout(0, 30*time.Second), "zero is the default")
	require.Equal(t, 5*time.Second, CallTimeout(5*time.Second, 30*time.Second))
	require.Equal(t, 4, Retries(0, 4), "zero is the default")
	require.Equal(t, 0, Retries(-1, 4), "negative is none")
	require.Equal(t, 7, Retries(7, 4))
}
