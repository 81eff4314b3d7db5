package webhook_test

import (
	"fmt"

	"github.com/dealerhub/dealerhub/connectors/webhook"
)

// A receiver checks the signature of each request against the shared secret
// before it trusts the body.
func ExampleVerify() {
	body := []byte(`{"external_id":"PO-1"}`)
	sig := webhook.Sign("whsec", 1764064800, body) // what the hub sends in X-Dealerhub-Signature

	fmt.Println(webhook.Verify("whsec", sig, "1764064800", body))
	fmt.Println(webhook.Verify("whsec", sig, "1764064800", []byte(`{"external_id":"PO-2"}`)))
	// Output:
	// true
	// false
}
