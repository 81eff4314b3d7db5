package sftp_test

import (
	"fmt"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/sftp"
)

// A delivery's file name comes from the route's template, so every attempt of
// the same delivery writes the same file.
func ExampleFileName() {
	out := connectors.Outbound{DeliveryID: "d-42", Doctype: "order", ExternalID: "PO/2026/7", Format: "x12-850"}
	name, _ := sftp.FileName(sftp.DefaultNameTemplate, out)
	fmt.Println(name)

	err := sftp.Upload{Dir: "/inbox", Name: "{doctype}.{ext}"}.Validate("partners[0].sftp.upload")
	fmt.Println(err)
	// Output:
	// order-PO_2026_7-d-42.x12
	// partners[0].sftp.upload.name: "{doctype}.{ext}" must contain {delivery_id} or {document_id}, or deliveries would overwrite each other
}
