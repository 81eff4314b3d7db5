package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/dealerhub/dealerhub/hub/store"
)

const partnerCols = `id, name, roles, enabled, created_at, updated_at`

// rowScanner is a *sql.Row or *sql.Rows.
type rowScanner interface {
	Scan(dest ...any) error
}

func scanPartner(row rowScanner) (store.Partner, error) {
	var (
		p                store.Partner
		roles            string
		created, updated int64
	)
	if err := row.Scan(&p.ID, &p.Name, &roles, &p.Enabled, &created, &updated); err != nil {
		return store.Partner{}, err
	}
	if err := json.Unmarshal([]byte(roles), &p.Roles); err != nil {
		return store.Partner{}, fmt.Errorf("decoding roles of partner %q: %w", p.ID, err)
	}
	if len(p.Roles) == 0 {
		p.Roles = nil
	}
	p.CreatedAt, p.UpdatedAt = fromUS(created), fromUS(updated)
	return p, nil
}

// rolesJSON is store.NormRoles as the JSON array the roles column holds.
func rolesJSON(roles []string) string {
	b, _ := json.Marshal(store.NormRoles(roles)) // a []string always encodes
	return string(b)
}

// UpsertPartner creates or updates a partner (name, roles, enabled); an
// existing partner keeps its CreatedAt. Roles are stored sorted and
// de-duplicated.
func (s *Store) UpsertPartner(ctx context.Context, p store.Partner) (store.Partner, error) {
	if p.ID == "" {
		return store.Partner{}, errors.New("upserting partner: empty id")
	}
	var out store.Partner
	t := us(now())
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = scanPartner(tx.QueryRowContext(ctx, `
			INSERT INTO partners (id, name, roles, enabled, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE
			SET name = excluded.name, roles = excluded.roles, enabled = excluded.enabled,
			    updated_at = excluded.updated_at
			RETURNING `+partnerCols,
			p.ID, p.Name, rolesJSON(p.Roles), p.Enabled, t, t))
		return err
	})
	if err != nil {
		return store.Partner{}, fmt.Errorf("upserting partner %q: %w", p.ID, err)
	}
	return out, nil
}

// GetPartner returns a partner by id; ErrNotFound if absent.
func (s *Store) GetPartner(ctx context.Context, id string) (store.Partner, error) {
	p, err := scanPartner(s.r.QueryRowContext(ctx, `SELECT `+partnerCols+` FROM partners WHERE id = ?`, id))
	if err != nil {
		return store.Partner{}, notFound(err, fmt.Sprintf("getting partner %q", id))
	}
	return p, nil
}

// ListPartners returns every partner, ordered by id.
func (s *Store) ListPartners(ctx context.Context) ([]store.Partner, error) {
	ps, err := collect(ctx, s.r, `SELECT `+partnerCols+` FROM partners ORDER BY id`, nil, scanPartner)
	if err != nil {
		return nil, fmt.Errorf("listing partners: %w", err)
	}
	return ps, nil
}

// SetPartnerEnabled enables or disables a partner; ErrNotFound if absent.
func (s *Store) SetPartnerEnabled(ctx context.Context, id string, enabled bool) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE partners SET enabled = ?, updated_at = ? WHERE id = ?`,
			enabled, us(now()), id)
		if err != nil {
			return err
		}
		return requireAffected(res)
	})
	if err != nil {
		return fmt.Errorf("setting partner %q enabled: %w", id, err)
	}
	return nil
}

// requireAffected returns ErrNotFound when a statement changed no row.
func requireAffected(res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("counting changed rows: %w", err)
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

// UpsertRelationship creates or updates a dealer–supplier relationship,
// keeping its CreatedAt. Both partners must exist (ErrNotFound otherwise).
func (s *Store) UpsertRelationship(ctx context.Context, r store.Relationship) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO relationships (dealer, supplier, shares_stock, shares_sales, created_at)
			VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (dealer, supplier) DO UPDATE
			SET shares_stock = excluded.shares_stock, shares_sales = excluded.shares_sales`,
			r.Dealer, r.Supplier, r.SharesStock, r.SharesSales, us(now()))
		if isForeignKeyViolation(err) {
			return store.ErrNotFound // a partner is missing
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("upserting relationship %s→%s: %w", r.Dealer, r.Supplier, err)
	}
	return nil
}

// ListRelationships returns relationships where partner is the dealer or
// the supplier, ordered by dealer then supplier; an empty partner returns
// all.
func (s *Store) ListRelationships(ctx context.Context, partner string) ([]store.Relationship, error) {
	rs, err := collect(ctx, s.r, `
		SELECT dealer, supplier, shares_stock, shares_sales, created_at FROM relationships
		WHERE ?1 = '' OR dealer = ?1 OR supplier = ?1
		ORDER BY dealer, supplier`, []any{partner}, func(row rowScanner) (store.Relationship, error) {
		var (
			rel     store.Relationship
			created int64
		)
		err := row.Scan(&rel.Dealer, &rel.Supplier, &rel.SharesStock, &rel.SharesSales, &created)
		rel.CreatedAt = fromUS(created)
		return rel, err
	})
	if err != nil {
		return nil, fmt.Errorf("listing relationships: %w", err)
	}
	return rs, nil
}

const apiKeyCols = `id, partner, operator, label, hash, created_at, revoked_at`

func scanAPIKey(row rowScanner) (store.APIKey, error) {
	var (
		k       store.APIKey
		created int64
		revoked sql.NullInt64
	)
	if err := row.Scan(&k.ID, &k.Partner, &k.Operator, &k.Label, &k.Hash, &created, &revoked); err != nil {
		return store.APIKey{}, err
	}
	k.CreatedAt, k.RevokedAt = fromUS(created), fromNullUS(revoked)
	return k, nil
}

// CreateAPIKey stores a key (ID and Hash set by the caller); the store sets
// CreatedAt. A duplicate id is ErrConflict.
func (s *Store) CreateAPIKey(ctx context.Context, k store.APIKey) (store.APIKey, error) {
	if k.ID == "" || len(k.Hash) == 0 {
		return store.APIKey{}, errors.New("creating api key: id and hash are required")
	}
	var out store.APIKey
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = scanAPIKey(tx.QueryRowContext(ctx, `
			INSERT INTO api_keys (id, partner, operator, label, hash, created_at)
			VALUES (?, ?, ?, ?, ?, ?)
			RETURNING `+apiKeyCols,
			k.ID, k.Partner, k.Operator, k.Label, k.Hash, us(now())))
		if isUniqueViolation(err) {
			return store.ErrConflict
		}
		return err
	})
	if err != nil {
		return store.APIKey{}, fmt.Errorf("creating api key %q: %w", k.ID, err)
	}
	return out, nil
}

// GetAPIKey returns a key by id, revoked or not; ErrNotFound if absent.
func (s *Store) GetAPIKey(ctx context.Context, id string) (store.APIKey, error) {
	k, err := scanAPIKey(s.r.QueryRowContext(ctx, `SELECT `+apiKeyCols+` FROM api_keys WHERE id = ?`, id))
	if err != nil {
		return store.APIKey{}, notFound(err, fmt.Sprintf("getting api key %q", id))
	}
	return k, nil
}

// ListAPIKeys returns a partner's keys (revoked ones too), oldest first; an
// empty partner returns every key.
func (s *Store) ListAPIKeys(ctx context.Context, partner string) ([]store.APIKey, error) {
	ks, err := collect(ctx, s.r, `SELECT `+apiKeyCols+` FROM api_keys
		WHERE ?1 = '' OR partner = ?1 ORDER BY created_at, id`, []any{partner}, scanAPIKey)
	if err != nil {
		return nil, fmt.Errorf("listing api keys: %w", err)
	}
	return ks, nil
}

// RevokeAPIKey marks a key revoked; revoking twice keeps the first time.
// ErrNotFound if absent.
func (s *Store) RevokeAPIKey(ctx context.Context, id string) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?`,
			us(now()), id)
		if err != nil {
			return err
		}
		return requireAffected(res)
	})
	if err != nil {
		return fmt.Errorf("revoking api key %q: %w", id, err)
	}
	return nil
}

// PutCrossRefs upserts a partner's cross-reference rows in one transaction
// with one prepared statement; the partner argument overrides each row's
// Partner, and for a code given twice the last row wins
// (store.LastCrossRefs).
func (s *Store) PutCrossRefs(ctx context.Context, partner string, refs []store.CrossRef) error {
	if len(refs) == 0 {
		return nil
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `
			INSERT INTO cross_refs (partner, code, supplier, supplier_sku) VALUES (?, ?, ?, ?)
			ON CONFLICT (partner, code) DO UPDATE
			SET supplier = excluded.supplier, supplier_sku = excluded.supplier_sku`)
		if err != nil {
			return fmt.Errorf("preparing upsert: %w", err)
		}
		defer func() { _ = stmt.Close() }()
		for _, r := range store.LastCrossRefs(refs) {
			if _, err := stmt.ExecContext(ctx, partner, r.Code, r.Supplier, r.SupplierSKU); err != nil {
				return fmt.Errorf("upserting code %q: %w", r.Code, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("putting %d cross-refs of %q: %w", len(refs), partner, err)
	}
	return nil
}

// LookupCrossRef finds the row for a partner's code; ErrNotFound if absent.
func (s *Store) LookupCrossRef(ctx context.Context, partner, code string) (store.CrossRef, error) {
	var r store.CrossRef
	err := s.r.QueryRowContext(ctx, `SELECT partner, code, supplier, supplier_sku FROM cross_refs
		WHERE partner = ? AND code = ?`, partner, code).Scan(&r.Partner, &r.Code, &r.Supplier, &r.SupplierSKU)
	if err != nil {
		return store.CrossRef{}, notFound(err, fmt.Sprintf("looking up cross-ref %q of %q", code, partner))
	}
	return r, nil
}

// collect runs a query and scans every row.
func collect[T any](ctx context.Context, q queryer, query string, args []any, scan func(rowScanner) (T, error)) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer func() { _ = rows.Close() }()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}
