package hub

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/dealerhub/dealerhub/hub/store"
)

// API keys look like "dhk_<id>_<secret>": the id (16 hex digits) finds the
// row, the secret (32 random bytes, base64url) is checked against its
// SHA-256. The plain key is shown once and never stored; a fast hash is enough
// because the secret has 256 bits of entropy.
const apiKeyPrefix = "dhk_"

// CreateAPIKey makes a key for a partner (or an operator key when operator is
// true), stores its hash and returns the plain key, to be shown once.
func CreateAPIKey(ctx context.Context, st store.Store, partner string, operator bool, label string) (string, store.APIKey, error) {
	if operator == (partner != "") {
		return "", store.APIKey{}, errors.New("an API key belongs to exactly one partner, or is an operator key")
	}
	if partner != "" {
		if _, err := st.GetPartner(ctx, partner); err != nil {
			return "", store.APIKey{}, fmt.Errorf("partner %q: %w", partner, err)
		}
	}
	idb := make([]byte, 8)
	secret := make([]byte, 32)
	rand.Read(idb)
	rand.Read(secret)
	id := hex.EncodeToString(idb)
	plainSecret := base64.RawURLEncoding.EncodeToString(secret)
	sum := sha256.Sum256([]byte(plainSecret))
	k, err := st.CreateAPIKey(ctx, store.APIKey{ID: id, Partner: partner, Operator: operator, Label: label, Hash: sum[:]})
	if err != nil {
		return "", store.APIKey{}, fmt.Errorf("storing API key: %w", err)
	}
	return apiKeyPrefix + id + "_" + plainSecret, k, nil
}

// Authenticate resolves an API key to a principal. Every failure is
// ErrUnauthorized, so a caller cannot tell a wrong secret from an unknown id.
func (h *Hub) Authenticate(ctx context.Context, apiKey string) (Principal, error) {
	rest, ok := strings.CutPrefix(apiKey, apiKeyPrefix)
	if !ok {
		return Principal{}, fmt.Errorf("%w: not a dealerhub API key", ErrUnauthorized)
	}
	id, secret, ok := strings.Cut(rest, "_")
	if !ok || len(id) != 16 || secret == "" {
		return Principal{}, fmt.Errorf("%w: malformed API key", ErrUnauthorized)
	}
	k, err := h.st.GetAPIKey(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return Principal{}, fmt.Errorf("%w: unknown API key", ErrUnauthorized)
	}
	if err != nil {
		return Principal{}, fmt.Errorf("looking up API key: %w", err)
	}
	sum := sha256.Sum256([]byte(secret))
	if subtle.ConstantTimeCompare(sum[:], k.Hash) != 1 {
		return Principal{}, fmt.Errorf("%w: unknown API key", ErrUnauthorized)
	}
	if k.RevokedAt != nil {
		return Principal{}, fmt.Errorf("%w: API key revoked", ErrUnauthorized)
	}
	if k.Operator {
		return Principal{KeyID: k.ID, Operator: true}, nil
	}
	p, err := h.parties.partner(ctx, k.Partner)
	if err != nil {
		return Principal{}, fmt.Errorf("%w: partner of API key: %v", ErrUnauthorized, err)
	}
	if !p.Enabled {
		return Principal{}, fmt.Errorf("%w: partner %q is disabled", ErrUnauthorized, p.ID)
	}
	return Principal{KeyID: k.ID, Partner: k.Partner}, nil
}
