package bus

import (
	"fmt"
	"strings"
)

// StreamKind names one of the hub's three streams independently of the
// namespace; [Names.Stream] turns it into the actual stream name.
type StreamKind int

// The hub's streams. The zero StreamKind is invalid on purpose, so a
// ConsumerConfig without a Stream is rejected instead of silently reading
// INBOUND.
const (
	// StreamInbound carries raw-message work: dealerhub.inbound.<doctype>.<partner>.
	StreamInbound StreamKind = iota + 1
	// StreamEvents carries canonical document events: dealerhub.event.<doctype>.<partner>.
	StreamEvents
	// StreamOutbound carries deliveries: dealerhub.outbound.<channel>.<partner>.
	StreamOutbound
)

// String returns the stream's base name (INBOUND, EVENTS, OUTBOUND).
func (k StreamKind) String() string {
	switch k {
	case StreamInbound:
		return "INBOUND"
	case StreamEvents:
		return "EVENTS"
	case StreamOutbound:
		return "OUTBOUND"
	default:
		return fmt.Sprintf("StreamKind(%d)", int(k))
	}
}

func (k StreamKind) valid() bool { return k >= StreamInbound && k <= StreamOutbound }

// subjectWord is the subject segment of each stream ("dealerhub.<word>.>").
func (k StreamKind) subjectWord() string {
	switch k {
	case StreamInbound:
		return "inbound"
	case StreamEvents:
		return "event"
	case StreamOutbound:
		return "outbound"
	default:
		return ""
	}
}

// validToken reports whether s is non-empty and only A-Z a-z 0-9 _ -, which
// is safe in stream names, subject tokens and bucket names alike.
func validToken(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-':
		default:
			return false
		}
	}
	return true
}

// Names computes stream, subject and bucket names for a namespace without a
// connection (the CLI queues replays through the store and only needs the
// subject). The zero value names the default, un-namespaced hub. *Bus
// answers the same questions for its own namespace.
type Names struct {
	// Namespace prefixes everything so several hubs (or tests) share one
	// NATS server: streams "<NS>_INBOUND" (upper-cased), subjects
	// "<ns>.dealerhub.…", lease bucket "<ns>_dealerhub_leases". Empty means
	// no prefix. Allowed characters: A-Z a-z 0-9 _ -.
	Namespace string
}

// Validate reports whether the namespace can be used in stream, subject and
// bucket names.
func (n Names) Validate() error {
	if n.Namespace != "" && !validToken(n.Namespace) {
		return fmt.Errorf("bus: Namespace %q must match [A-Za-z0-9_-]+", n.Namespace)
	}
	return nil
}

func (n Names) subjectRoot() string {
	if n.Namespace == "" {
		return "dealerhub"
	}
	return n.Namespace + ".dealerhub"
}

// InboundSubject is "dealerhub.inbound.<doctype>.<partner>". Tokens must not
// contain dots or spaces; "*" may be passed to build a filter.
func (n Names) InboundSubject(doctype, partner string) string {
	return n.subjectRoot() + ".inbound." + doctype + "." + partner
}

// EventSubject is "dealerhub.event.<doctype>.<partner>". Tokens must not
// contain dots or spaces; "*" may be passed to build a filter.
func (n Names) EventSubject(doctype, partner string) string {
	return n.subjectRoot() + ".event." + doctype + "." + partner
}

// OutboundSubject is "dealerhub.outbound.<channel>.<partner>". Tokens must
// not contain dots or spaces; "*" may be passed to build a filter.
func (n Names) OutboundSubject(channel, partner string) string {
	return n.subjectRoot() + ".outbound." + channel + "." + partner
}

// Stream returns the actual stream name of kind: INBOUND, EVENTS, OUTBOUND,
// or "<NS>_INBOUND" … with a namespace. It returns "" for an invalid kind.
func (n Names) Stream(kind StreamKind) string {
	if !kind.valid() {
		return ""
	}
	if n.Namespace == "" {
		return kind.String()
	}
	return strings.ToUpper(n.Namespace) + "_" + kind.String()
}

// StreamSubjects returns the subject filter the stream of kind captures,
// e.g. "dealerhub.inbound.>".
func (n Names) StreamSubjects(kind StreamKind) string {
	if !kind.valid() {
		return ""
	}
	return n.subjectRoot() + "." + kind.subjectWord() + ".>"
}

// LeaseBucket returns the KV bucket holding poller leases:
// "dealerhub_leases", or "<ns>_dealerhub_leases" with a namespace.
func (n Names) LeaseBucket() string {
	if n.Namespace == "" {
		return "dealerhub_leases"
	}
	return n.Namespace + "_dealerhub_leases"
}
