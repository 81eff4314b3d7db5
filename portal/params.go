package portal

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/hub/store"
)

// maxLimit is the largest page a client may ask for (the store's cap).
const maxLimit = 1000

// query reads list parameters and keeps the first error, so a handler reads
// every parameter and checks once.
type query struct {
	values url.Values
	err    error
}

func newQuery(u *url.URL) *query { return &query{values: u.Query()} }

func (q *query) fail(name, want string) {
	if q.err == nil {
		q.err = badParam(name, want)
	}
}

// str returns a parameter as given ("" when absent).
func (q *query) str(name string) string { return strings.TrimSpace(q.values.Get(name)) }

// oneOf returns a parameter that must be one of allowed (or absent).
func (q *query) oneOf(name string, allowed ...string) string {
	v := q.str(name)
	if v != "" && !slices.Contains(allowed, v) {
		q.fail(name, "must be one of "+strings.Join(allowed, ", "))
	}
	return v
}

// time returns an RFC 3339 instant (zero when absent).
func (q *query) time(name string) time.Time {
	v := q.str(name)
	if v == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		q.fail(name, "must be an RFC 3339 time such as 2026-01-02T15:04:05Z")
		return time.Time{}
	}
	return t
}

// boolean returns a true/false parameter (false when absent).
func (q *query) boolean(name string) bool {
	v := q.str(name)
	if v == "" {
		return false
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		q.fail(name, "must be true or false")
	}
	return b
}

// duration returns a wait such as 30s, 1m or 45 (seconds) from 0 to
// most; def when absent.
func (q *query) duration(name string, def, most time.Duration) time.Duration {
	v := q.str(name)
	if v == "" {
		return def
	}
	want := "must be a duration from 0s to " + most.String() + ", such as 30s or 45"
	d, err := time.ParseDuration(v)
	if err != nil {
		n, nerr := strconv.Atoi(v)
		if nerr != nil {
			q.fail(name, want)
			return def
		}
		d = time.Duration(n) * time.Second
	}
	if d < 0 || d > most {
		q.fail(name, want)
		return def
	}
	return d
}

// page returns the cursor and limit parameters.
func (q *query) page() store.Page {
	p := store.Page{Cursor: q.str("cursor")}
	if v := q.str("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxLimit {
			q.fail("limit", "must be an integer from 1 to "+strconv.Itoa(maxLimit))
			return p
		}
		p.Limit = n
	}
	return p
}

// timeRange reads since and until and checks that they are in order.
func (q *query) timeRange() (since, until time.Time) {
	since, until = q.time("since"), q.time("until")
	if !since.IsZero() && !until.IsZero() && !since.Before(until) {
		q.fail("until", "must be after since")
	}
	return since, until
}

// messageStatuses are the message statuses a filter may name.
func messageStatuses() []string {
	return []string{
		string(store.StatusReceived), string(store.StatusProcessing), string(store.StatusDone),
		string(store.StatusFailed), string(store.StatusDead),
	}
}

// deliveryStatuses are the delivery statuses a filter may name.
func deliveryStatuses() []string {
	return []string{
		string(store.DeliveryPending), string(store.DeliveryDelivered),
		string(store.DeliveryFailed), string(store.DeliveryDead),
	}
}

// priceListStatuses are the price-list statuses a filter may name.
func priceListStatuses() []string {
	return []string{store.PriceListCurrent, store.PriceListUpcoming, store.PriceListSuperseded, store.PriceListExpired}
}

// deadLetterKinds are the dead-letter kinds a filter may name.
func deadLetterKinds() []string { return []string{"message", "delivery"} }
