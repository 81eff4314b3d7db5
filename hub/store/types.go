package store

import (
	"encoding/json"
	"time"
)

// Partner is an organisation connected to the hub.
type Partner struct {
	ID        string    `json:"id"` // short lowercase slug [a-z0-9-]+
	Name      string    `json:"name"`
	Roles     []string  `json:"roles"` // supplier, dealer, logistics, operator; a set, sorted
	Enabled   bool      `json:"enabled"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Relationship records that a dealer buys from a supplier, and what the dealer
// shares with that supplier.
type Relationship struct {
	Dealer      string    `json:"dealer"`
	Supplier    string    `json:"supplier"`
	SharesStock bool      `json:"shares_stock"`
	SharesSales bool      `json:"shares_sales"`
	CreatedAt   time.Time `json:"created_at"`
}

// APIKey is a stored API key. The secret itself is never stored: only its
// SHA-256 (keys are 256-bit random, so a fast hash is enough).
type APIKey struct {
	ID        string     `json:"id"`
	Partner   string     `json:"partner,omitempty"` // empty for operator keys
	Operator  bool       `json:"operator"`
	Label     string     `json:"label,omitempty"`
	Hash      []byte     `json:"-"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// MessageStatus is where a raw message is in the pipeline.
type MessageStatus string

// Message statuses: received → processing → done | failed | dead.
const (
	StatusReceived   MessageStatus = "received"
	StatusProcessing MessageStatus = "processing"
	StatusDone       MessageStatus = "done"
	StatusFailed     MessageStatus = "failed" // permanent data errors; dead-lettered
	StatusDead       MessageStatus = "dead"   // transient failures exhausted retries; dead-lettered
)

// DataError is one thing wrong with a message's content, with where it is.
type DataError struct {
	Code     string `json:"code,omitempty"`    // machine-readable: schema, sender_mismatch, unknown_partner, decode, …
	Pointer  string `json:"pointer,omitempty"` // JSON pointer into the document
	Location string `json:"location,omitempty"`
	Reason   string `json:"reason"`
	// Sheet, Row (as Excel numbers it), Column (letter), Header and Value
	// locate an error in a spreadsheet row, when it came from one.
	Sheet  string `json:"sheet,omitempty"`
	Row    int    `json:"row,omitempty"`
	Column string `json:"column,omitempty"`
	Header string `json:"header,omitempty"`
	Value  string `json:"value,omitempty"`
}

// NewMessage is a raw message to store.
type NewMessage struct {
	Partner  string
	Doctype  string
	Format   string
	Source   string
	Filename string
	Mapping  string
	// Body is the message's bytes for InsertMessage(s); InsertMessageFrom
	// reads them from a reader instead and wants Body empty.
	Body []byte
}

// Message is a raw message as stored, with its processing state.
type Message struct {
	ID          string        `json:"id"`
	Partner     string        `json:"partner"`
	Doctype     string        `json:"doctype"`
	Format      string        `json:"format"`
	Source      string        `json:"source"`
	Filename    string        `json:"filename,omitempty"`
	Mapping     string        `json:"mapping,omitempty"`
	SHA256      string        `json:"sha256"` // hex SHA-256 of the body
	Size        int           `json:"size"`   // of the body, in bytes
	Status      MessageStatus `json:"status"`
	Errors      []DataError   `json:"errors,omitempty"`
	Attempts    int           `json:"attempts"` // times processing started
	DocumentIDs []string      `json:"document_ids,omitempty"`
	ReceivedAt  time.Time     `json:"received_at"`
	UpdatedAt   time.Time     `json:"updated_at"`
	FinishedAt  *time.Time    `json:"finished_at,omitempty"`
	// Body reads the message's bytes once they are opened
	// (Store.OpenBody): a store never loads a body with its message, so
	// Body is nil as read. The hub sets it before it hands the message to
	// a decoder. Not serialised.
	Body Body `json:"-"`
}

// MessageFilter selects messages; zero fields match everything.
type MessageFilter struct {
	Partner string
	Doctype string
	Status  MessageStatus
	Since   time.Time // received at or after
	Until   time.Time // received before
	Page
}

// Page is a cursor page request. Lists are newest first unless said otherwise;
// Cursor is the opaque next_cursor of the previous page.
type Page struct {
	Cursor string
	Limit  int // 0 means 100; capped at 1000
}

// NewOutbox is a bus message to publish after the transaction commits.
type NewOutbox struct {
	Subject     string
	MsgID       string // Nats-Msg-Id, for de-duplication
	Payload     []byte
	AvailableAt time.Time // zero means now
}

// OutboxItem is a claimed outbox row.
type OutboxItem struct {
	ID          int64
	Subject     string
	MsgID       string
	Payload     []byte
	AvailableAt time.Time
	Attempts    int
}

// DocumentInput is one canonical document decoded from a message.
type DocumentInput struct {
	Doctype     string
	Sender      string
	Receiver    string // may be empty
	ExternalID  string
	Status      string // the document's own status (order status, tracking status), if any
	Body        []byte // canonical JSON
	ContentHash string // hex SHA-256 of the content that counts for versioning
	// Deliveries to create when this document gets a new version.
	Deliveries []NewDelivery
}

// NewDelivery is a delivery to create with a new document version.
type NewDelivery struct {
	Receiver string
	Channel  string // inbox, webhook, …
	Format   string // json, …
	Config   []byte // channel settings (JSON), may be nil
}

// DocumentResult reports what CommitMessage did with one document.
type DocumentResult struct {
	DocumentID string
	Version    int
	Changed    bool // false: content equal to the current version, nothing written
	Previous   int  // previous version number, 0 if new
	Deliveries []Delivery
	Input      DocumentInput
}

// OutboxFunc builds, inside the commit transaction, the bus messages for
// the documents that changed.
type OutboxFunc func(results []DocumentResult) []NewOutbox

// Document is the current version of a canonical document.
type Document struct {
	ID         string          `json:"id"`
	Doctype    string          `json:"doctype"`
	Sender     string          `json:"sender"`
	Receiver   string          `json:"receiver,omitempty"`
	ExternalID string          `json:"external_id"`
	Status     string          `json:"status,omitempty"`
	Version    int             `json:"version"`
	MessageID  string          `json:"message_id"`
	Body       json.RawMessage `json:"body"`
	CreatedAt  time.Time       `json:"created_at"`
	UpdatedAt  time.Time       `json:"updated_at"`
}

// DocumentFilter selects documents; zero fields match everything.
type DocumentFilter struct {
	Doctype    string
	ExternalID string
	Sender     string
	Receiver   string
	Status     string
	Since      time.Time // updated at or after
	Until      time.Time // updated before
	Page
}

// DeliveryStatus is where a delivery is.
type DeliveryStatus string

// Delivery statuses: pending → delivered | failed → dead. failed means "last
// attempt failed, another is scheduled".
const (
	DeliveryPending   DeliveryStatus = "pending"
	DeliveryDelivered DeliveryStatus = "delivered"
	DeliveryFailed    DeliveryStatus = "failed"
	DeliveryDead      DeliveryStatus = "dead"
)

// Delivery is one document version on its way to one receiver.
type Delivery struct {
	ID            string         `json:"id"`
	DocumentID    string         `json:"document_id"`
	Version       int            `json:"version"`
	MessageID     string         `json:"message_id"`
	Doctype       string         `json:"doctype"`
	Sender        string         `json:"sender"`
	Receiver      string         `json:"receiver"`
	Channel       string         `json:"channel"`
	Format        string         `json:"format"`
	Config        []byte         `json:"-"`
	Status        DeliveryStatus `json:"status"`
	Attempts      int            `json:"attempts"`
	LastError     string         `json:"last_error,omitempty"`
	NextAttemptAt time.Time      `json:"next_attempt_at"`
	ContentType   string         `json:"content_type,omitempty"`
	SentBody      []byte         `json:"-"` // bytes of the last attempt
	CreatedAt     time.Time      `json:"created_at"`
	UpdatedAt     time.Time      `json:"updated_at"`
	DeliveredAt   *time.Time     `json:"delivered_at,omitempty"`
}

// DeliveryFilter selects deliveries; zero fields match everything.
type DeliveryFilter struct {
	Status     DeliveryStatus
	Channel    string
	Receiver   string
	DocumentID string
	MessageID  string
	Page
}

// DeliveryAttempt is the outcome of one delivery attempt.
type DeliveryAttempt struct {
	DeliveryID  string
	Delivered   bool
	Error       string
	ContentType string
	SentBody    []byte
	// Dead ends the delivery (no more attempts); it is dead-lettered.
	Dead bool
	// NextAttemptAt schedules the next attempt when neither Delivered nor Dead.
	NextAttemptAt time.Time
	// Retry is the bus message that triggers the next attempt; stored in the
	// same transaction, with AvailableAt = NextAttemptAt.
	Retry *NewOutbox
}

// InboxItem is a document waiting in a receiver's inbox.
type InboxItem struct {
	DeliveryID string          `json:"delivery_id"`
	DocumentID string          `json:"document_id"`
	Version    int             `json:"version"`
	Doctype    string          `json:"doctype"`
	Sender     string          `json:"sender"`
	ExternalID string          `json:"external_id"`
	Body       json.RawMessage `json:"document"`
	CreatedAt  time.Time       `json:"created_at"`
}

// DeadLetter is a message or delivery that needs a person.
type DeadLetter struct {
	ID         string     `json:"id"`
	Kind       string     `json:"kind"` // message or delivery
	RefID      string     `json:"ref_id"`
	Partner    string     `json:"partner"` // the message's partner, or the delivery's sender
	Receiver   string     `json:"receiver,omitempty"`
	Reason     string     `json:"reason"`
	CreatedAt  time.Time  `json:"created_at"`
	ResolvedAt *time.Time `json:"resolved_at,omitempty"`
}

// DeadLetterFilter selects dead letters.
type DeadLetterFilter struct {
	Kind            string
	IncludeResolved bool
	Page
}

// Notification is a record for a partner: a price change, low stock, a
// failed message, a dead delivery.
type Notification struct {
	ID        string          `json:"id"`
	Partner   string          `json:"partner"`
	Type      string          `json:"type"` // message_failed, delivery_dead, price_change, low_stock, …
	Title     string          `json:"title"`
	Link      string          `json:"link,omitempty"`
	Data      json.RawMessage `json:"data,omitempty"`
	CreatedAt time.Time       `json:"created_at"`
	// Key marks an alert: at most one notification per (partner, type,
	// key) is open (ResolvedAt nil) at a time. Empty for plain records.
	Key string `json:"key,omitempty"`
	// ResolvedAt is when the condition of an alert ended.
	ResolvedAt *time.Time `json:"resolved_at,omitempty"`
}

// NotificationFilter selects notifications.
type NotificationFilter struct {
	Type string
	// Open keeps only alerts not resolved (and records without a key).
	Open bool
	Page
}

// CrossRef maps a partner's own item code to a supplier and supplier SKU.
type CrossRef struct {
	Partner     string `json:"partner"`
	Code        string `json:"code"`
	Supplier    string `json:"supplier"`
	SupplierSKU string `json:"supplier_sku"`
}

// Scope says on whose behalf a query runs. Every query that returns partner
// data takes one and filters by it in SQL.
type Scope struct {
	Partner  string
	Operator bool
}

// OperatorScope sees everything.
func OperatorScope() Scope { return Scope{Operator: true} }

// PartnerScope sees what partner sent and what is addressed to it.
func PartnerScope(partner string) Scope { return Scope{Partner: partner} }
