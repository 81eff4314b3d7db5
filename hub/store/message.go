package store

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
)

// HashNewMessage checks that a new message names its partner, doctype and
// format, and returns the hex SHA-256 of its body: with those three, the
// message's idempotency key.
func HashNewMessage(nm NewMessage) (string, error) {
	if err := CheckNewMessage(nm); err != nil {
		return "", err
	}
	if len(nm.Body) > MaxBodySize {
		return "", fmt.Errorf("the message body is larger than %d bytes", int64(MaxBodySize))
	}
	sum := sha256.Sum256(nm.Body)
	return hex.EncodeToString(sum[:]), nil
}

// CheckNewMessage checks that a new message names its partner, doctype
// and format.
func CheckNewMessage(nm NewMessage) error {
	if nm.Partner == "" || nm.Doctype == "" || nm.Format == "" {
		return errors.New("partner, doctype and format are required")
	}
	return nil
}

// CheckStreamedMessage checks a message for InsertMessageFrom: as
// CheckNewMessage, and with no Body of its own (the body comes from the
// reader).
func CheckStreamedMessage(nm NewMessage) error {
	if err := CheckNewMessage(nm); err != nil {
		return err
	}
	if len(nm.Body) > 0 {
		return errors.New("the body comes from the reader: NewMessage.Body must be empty")
	}
	return nil
}

// InboundOutbox builds the outbox rows of a stored batch: inbound's row for
// each message created, in batch order; a duplicate gets none. nil when
// inbound is nil.
func InboundOutbox(msgs []Message, created []bool, inbound func(i int, id string) NewOutbox) []NewOutbox {
	if inbound == nil {
		return nil
	}
	var out []NewOutbox
	for i, c := range created {
		if c {
			out = append(out, inbound(i, msgs[i].ID))
		}
	}
	return out
}
