package trytontest_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dealerhub/dealerhub/connectors/erp/tryton/trytontest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestServersAreIsolated starts two servers at once: each has its own
// port and its own copy of the template, and is gone once its test ended.
func TestServersAreIsolated(t *testing.T) {
	var urls [2]string
	t.Run("group", func(t *testing.T) {
		for i := range urls {
			t.Run("server", func(t *testing.T) {
				t.Parallel()
				began := time.Now()
				srv := trytontest.Start(t)
				t.Logf("Start took %s", time.Since(began).Round(time.Millisecond))
				urls[i] = srv.URL()
				srv.CreateProduct(t, "ONLY-HERE", "Mine", "1.00")
				var ids []int
				require.NoError(t, srv.Client(t).Execute(context.Background(), "product.product", "search",
					[]any{[]any{[]any{"code", "like", "ONLY-%"}}, 0, nil, nil}, nil, &ids))
				assert.Len(t, ids, 1, "the other server's product is not here")
				assert.Equal(t, "hubtest", srv.Database())
				assert.NotEmpty(t, srv.Version())
			})
		}
	})
	assert.NotEqual(t, urls[0], urls[1])
	for _, u := range urls {
		_, err := http.Post(u+"/", "application/json", strings.NewReader(`{"id":1,"method":"common.server.version","params":[]}`))
		assert.Error(t, err, "trytond at %s still answers after its test", u)
	}
}
