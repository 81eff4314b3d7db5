package hub_test

import (
	"fmt"

	"github.com/dealerhub/dealerhub/hub"
)

// A carrier's own status code becomes a tracking status; an unknown one
// is refused rather than guessed.
func ExampleCarrierStatus() {
	for _, code := range []string{"D", "OFD", "已揽收", "ZZ9"} {
		status, ok := hub.CarrierStatus(code)
		fmt.Println(code, status, ok)
	}
	// Output:
	// D delivered true
	// OFD out_for_delivery true
	// 已揽收 picked_up true
	// ZZ9  false
}
