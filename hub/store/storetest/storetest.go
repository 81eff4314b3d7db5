package storetest

import (
	"testing"

	"github.com/dealerhub/dealerhub/hub/store"
)

// testCase is one conformance check; it gets a fixture over a fresh store.
type testCase struct {
	name string
	fn   func(t *testing.T, f *fixture)
}

// group is a named set of checks, run as nested subtests.
type group struct {
	name  string
	cases []testCase
}

// Run runs the whole conformance suite against the implementation built by
// newStore. newStore must return a fresh, empty store (migrated, no rows)
// and register its own cleanup with t.Cleanup.
func Run(t *testing.T, newStore func(t *testing.T) store.Store) {
	t.Helper()
	groups := []group{
		{"Partners", partnerCases()},
		{"Relationships", relationshipCases()},
		{"APIKeys", apiKeyCases()},
		{"CrossRefs", crossRefCases()},
		{"Messages", messageCases()},
		{"Batch", batchCases()},
		{"Bodies", bodyCases()},
		{"Lifecycle", lifecycleCases()},
		{"Versioning", versioningCases()},
		{"Commit", commitCases()},
		{"Outbox", outboxCases()},
		{"Deliveries", deliveryCases()},
		{"Inbox", inboxCases()},
		{"Notifications", notificationCases()},
		{"Isolation", isolationCases()},
		{"Pagination", paginationCases()},
		{"PriceLists", priceListCases()},
		{"PriceListReads", priceListReadCases()},
		{"CommitPartial", commitPartialCases()},
		{"Stock", stockCases()},
		{"StockPolicies", stockPolicyCases()},
		{"SyncRuns", syncRunCases()},
		{"SourceStates", sourceStateCases()},
		{"EDI", ediCases()},
		{"Alerts", alertCases()},
		{"Accounts", accountCases()},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			for _, tc := range g.cases {
				t.Run(tc.name, func(t *testing.T) {
					tc.fn(t, newFixture(t, newStore(t)))
				})
			}
		})
	}
}
