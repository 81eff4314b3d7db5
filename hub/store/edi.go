package store

import (
	"fmt"
	"time"
)

// EDIInterchange is an inbound EDI interchange as recorded for duplicate
// detection: who sent it under which control number, in which message.
type EDIInterchange struct {
	Partner string `json:"partner"`
	// Standard is "x12" or "edifact".
	Standard string `json:"standard"`
	// Sender is the interchange sender as "QUALIFIER:ID" (ISA05:ISA06,
	// UNB S002).
	Sender string `json:"sender"`
	// Control is the interchange control number (ISA13, UNB 0020).
	Control    string    `json:"control"`
	MessageID  string    `json:"message_id"`
	ReceivedAt time.Time `json:"received_at"`
}

// CheckEDIInterchange checks RecordInterchange's argument.
func CheckEDIInterchange(in EDIInterchange) error {
	if in.Partner == "" || in.Standard == "" || in.Sender == "" || in.Control == "" || in.MessageID == "" {
		return fmt.Errorf("recording an interchange: partner, standard, sender, control and message id are required (got %+v)", in)
	}
	return nil
}

// CheckControlNumber checks ControlNumber's arguments.
func CheckControlNumber(counter, deliveryID string, max int64) error {
	if counter == "" || deliveryID == "" || max < 1 {
		return fmt.Errorf("assigning a control number: counter, delivery id and a positive maximum are required")
	}
	return nil
}
