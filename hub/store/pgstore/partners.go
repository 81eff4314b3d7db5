package pgstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/dealerhub/dealerhub/hub/store"
)

const partnerCols = `id, name, roles, enabled, created_at, updated_at`

func scanPartner(row pgx.Row) (store.Partner, error) {
	var p store.Partner
	if err := row.Scan(&p.ID, &p.Name, &p.Roles, &p.Enabled, &p.CreatedAt, &p.UpdatedAt); err != nil {
		return store.Partner{}, err
	}
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	if len(p.Roles) == 0 {
		p.Roles = nil
	}
	return p, nil
}

// UpsertPartner creates or updates a partner (name, roles, enabled); an
// existing partner keeps its CreatedAt. Roles are stored sorted and
// de-duplicated.
func (s *Store) UpsertPartner(ctx context.Context, p store.Partner) (store.Partner, error) {
	if p.ID == "" {
		return store.Partner{}, fmt.Errorf("upserting partner: empty id")
	}
	t := now()
	out, err := scanPartner(s.pool.QueryRow(ctx, `
		INSERT INTO partners (id, name, roles, enabled, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $5)
		ON CONFLICT (id) DO UPDATE
		SET name = excluded.name, roles = excluded.roles, enabled = excluded.enabled,
		    updated_at = excluded.updated_at
		RETURNING `+partnerCols,
		p.ID, p.Name, store.NormRoles(p.Roles), p.Enabled, t))
	if err != nil {
		return store.Partner{}, fmt.Errorf("upserting partner %q: %w", p.ID, err)
	}
	return out, nil
}

// GetPartner returns a partner by id; ErrNotFound if absent.
func (s *Store) GetPartner(ctx context.Context, id string) (store.Partner, error) {
	p, err := scanPartner(s.pool.QueryRow(ctx, `SELECT `+partnerCols+` FROM partners WHERE id = $1`, id))
	if err != nil {
		return store.Partner{}, notFound(err, fmt.Sprintf("getting partner %q", id))
	}
	return p, nil
}

// ListPartners returns every partner, ordered by id.
func (s *Store) ListPartners(ctx context.Context) ([]store.Partner, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+partnerCols+` FROM partners ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("listing partners: %w", err)
	}
	ps, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Partner, error) { return scanPartner(r) })
	if err != nil {
		return nil, fmt.Errorf("listing partners: %w", err)
	}
	return ps, nil
}

// SetPartnerEnabled enables or disables a partner; ErrNotFound if absent.
func (s *Store) SetPartnerEnabled(ctx context.Context, id string, enabled bool) error {
	tag, err := s.pool.Exec(ctx, `UPDATE partners SET enabled = $2, updated_at = $3 WHERE id = $1`, id, enabled, now())
	if err != nil {
		return fmt.Errorf("setting partner %q enabled: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("setting partner %q enabled: %w", id, store.ErrNotFound)
	}
	return nil
}

// UpsertRelationship creates or updates a dealer–supplier relationship,
// keeping its CreatedAt. Both partners must exist (ErrNotFound otherwise).
func (s *Store) UpsertRelationship(ctx context.Context, r store.Relationship) error {
	_, err := s.pool.Exec(ctx, `
		INSERT INTO relationships (dealer, supplier, shares_stock, shares_sales, created_at)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (dealer, supplier) DO UPDATE
		SET shares_stock = excluded.shares_stock, shares_sales = excluded.shares_sales`,
		r.Dealer, r.Supplier, r.SharesStock, r.SharesSales, now())
	if isCode(err, "23503") { // foreign_key_violation: a partner is missing
		return fmt.Errorf("upserting relationship %s→%s: %w", r.Dealer, r.Supplier, store.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("upserting relationship %s→%s: %w", r.Dealer, r.Supplier, err)
	}
	return nil
}

// ListRelationships returns relationships where partner is the dealer or
// the supplier, ordered by dealer then supplier; an empty partner returns
// all.
func (s *Store) ListRelationships(ctx context.Context, partner string) ([]store.Relationship, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT dealer, supplier, shares_stock, shares_sales, created_at FROM relationships
		WHERE $1 = '' OR dealer = $1 OR supplier = $1
		ORDER BY dealer, supplier`, partner)
	if err != nil {
		return nil, fmt.Errorf("listing relationships: %w", err)
	}
	rs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Relationship, error) {
		var rel store.Relationship
		err := r.Scan(&rel.Dealer, &rel.Supplier, &rel.SharesStock, &rel.SharesSales, &rel.CreatedAt)
		rel.CreatedAt = rel.CreatedAt.UTC()
		return rel, err
	})
	if err != nil {
		return nil, fmt.Errorf("listing relationships: %w", err)
	}
	return rs, nil
}

const apiKeyCols = `id, partner, operator, label, hash, created_at, revoked_at`

func scanAPIKey(row pgx.Row) (store.APIKey, error) {
	var k store.APIKey
	if err := row.Scan(&k.ID, &k.Partner, &k.Operator, &k.Label, &k.Hash, &k.CreatedAt, &k.RevokedAt); err != nil {
		return store.APIKey{}, err
	}
	k.CreatedAt = k.CreatedAt.UTC()
	k.RevokedAt = utcPtr(k.RevokedAt)
	return k, nil
}

// CreateAPIKey stores a key (ID and Hash set by the caller); the store sets
// CreatedAt. A duplicate id is ErrConflict.
func (s *Store) CreateAPIKey(ctx context.Context, k store.APIKey) (store.APIKey, error) {
	if k.ID == "" || len(k.Hash) == 0 {
		return store.APIKey{}, errors.New("creating api key: id and hash are required")
	}
	out, err := scanAPIKey(s.pool.QueryRow(ctx, `
		INSERT INTO api_keys (id, partner, operator, label, hash, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)
		RETURNING `+apiKeyCols,
		k.ID, k.Partner, k.Operator, k.Label, k.Hash, now()))
	if isCode(err, "23505") { // unique_violation
		return store.APIKey{}, fmt.Errorf("creating api key %q: %w", k.ID, store.ErrConflict)
	}
	if err != nil {
		return store.APIKey{}, fmt.Errorf("creating api key %q: %w", k.ID, err)
	}
	return out, nil
}

// GetAPIKey returns a key by id, revoked or not; ErrNotFound if absent.
func (s *Store) GetAPIKey(ctx context.Context, id string) (store.APIKey, error) {
	k, err := scanAPIKey(s.pool.QueryRow(ctx, `SELECT `+apiKeyCols+` FROM api_keys WHERE id = $1`, id))
	if err != nil {
		return store.APIKey{}, notFound(err, fmt.Sprintf("getting api key %q", id))
	}
	return k, nil
}

// ListAPIKeys returns a partner's keys (revoked ones too), oldest first; an
// empty partner returns every key.
func (s *Store) ListAPIKeys(ctx context.Context, partner string) ([]store.APIKey, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+apiKeyCols+` FROM api_keys
		WHERE $1 = '' OR partner = $1 ORDER BY created_at, id`, partner)
	if err != nil {
		return nil, fmt.Errorf("listing api keys: %w", err)
	}
	ks, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.APIKey, error) { return scanAPIKey(r) })
	if err != nil {
		return nil, fmt.Errorf("listing api keys: %w", err)
	}
	return ks, nil
}

// RevokeAPIKey marks a key revoked; revoking twice keeps the first time.
// ErrNotFound if absent.
func (s *Store) RevokeAPIKey(ctx context.Context, id string) error {
	tag, err := s.pool.Exec(ctx, `UPDATE api_keys SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1`, id, now())
	if err != nil {
		return fmt.Errorf("revoking api key %q: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("revoking api key %q: %w", id, store.ErrNotFound)
	}
	return nil
}

// PutCrossRefs upserts a partner's cross-reference rows in one statement;
// the partner argument overrides each row's Partner, and for a code given
// twice the last row wins (store.LastCrossRefs).
func (s *Store) PutCrossRefs(ctx context.Context, partner string, refs []store.CrossRef) error {
	if len(refs) == 0 {
		return nil
	}
	refs = store.LastCrossRefs(refs)
	codes := make([]string, 0, len(refs))
	suppliers := make([]string, 0, len(refs))
	skus := make([]string, 0, len(refs))
	for _, r := range refs {
		codes = append(codes, r.Code)
		suppliers = append(suppliers, r.Supplier)
		skus = append(skus, r.SupplierSKU)
	}
	_, err := s.pool.Exec(ctx, `
		INSERT INTO cross_refs (partner, code, supplier, supplier_sku)
		SELECT $1, code, supplier, sku FROM unnest($2::text[], $3::text[], $4::text[]) AS r (code, supplier, sku)
		ON CONFLICT (partner, code) DO UPDATE
		SET supplier = excluded.supplier, supplier_sku = excluded.supplier_sku`,
		partner, codes, suppliers, skus)
	if err != nil {
		return fmt.Errorf("putting %d cross-refs of %q: %w", len(codes), partner, err)
	}
	return nil
}

// LookupCrossRef finds the row for a partner's code; ErrNotFound if absent.
func (s *Store) LookupCrossRef(ctx context.Context, partner, code string) (store.CrossRef, error) {
	var r store.CrossRef
	err := s.pool.QueryRow(ctx, `SELECT partner, code, supplier, supplier_sku FROM cross_refs
		WHERE partner = $1 AND code = $2`, partner, code).Scan(&r.Partner, &r.Code, &r.Supplier, &r.SupplierSKU)
	if err != nil {
		return store.CrossRef{}, notFound(err, fmt.Sprintf("looking up cross-ref %q of %q", code, partner))
	}
	return r, nil
}

// ListCrossRefs returns all of a partner's rows, in code order (bytewise,
// as SQLite sorts).
func (s *Store) ListCrossRefs(ctx context.Context, partner string) ([]store.CrossRef, error) {
	rows, err := s.pool.Query(ctx, `SELECT partner, code, supplier, supplier_sku FROM cross_refs
		WHERE partner = $1 ORDER BY code COLLATE "C"`, partner)
	if err != nil {
		return nil, fmt.Errorf("listing cross-refs of %q: %w", partner, err)
	}
	refs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.CrossRef, error) {
		var c store.CrossRef
		err := r.Scan(&c.Partner, &c.Code, &c.Supplier, &c.SupplierSKU)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("listing cross-refs of %q: %w", partner, err)
	}
	return refs, nil
}
