package storetest

import (
	"crypto/sha256"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
)

func partnerCases() []testCase {
	return []testCase{
		{"UpsertKeepsCreatedAt", func(t *testing.T, f *fixture) {
			first, err := f.st.UpsertPartner(f.ctx, store.Partner{ID: "acme", Name: "Acme", Roles: []string{"supplier"}, Enabled: true})
			require.NoError(t, err)
			require.Equal(t, "acme", first.ID)
			require.Equal(t, "Acme", first.Name)
			require.True(t, first.Enabled)
			requireRecent(t, first.CreatedAt, "created_at")
			requireRecent(t, first.UpdatedAt, "updated_at")

			second, err := f.st.UpsertPartner(f.ctx, store.Partner{ID: "acme", Name: "Acme Ltd", Roles: []string{"dealer"}, Enabled: false})
			require.NoError(t, err)
			require.Equal(t, "Acme Ltd", second.Name)
			require.Equal(t, []string{"dealer"}, second.Roles)
			require.False(t, second.Enabled)
			requireSameTime(t, first.CreatedAt, second.CreatedAt, "created_at kept")
			require.False(t, second.UpdatedAt.Before(first.UpdatedAt), "updated_at moves forward")

			got, err := f.st.GetPartner(f.ctx, "acme")
			require.NoError(t, err)
			require.Equal(t, "Acme Ltd", got.Name)
			require.Equal(t, []string{"dealer"}, got.Roles)
			require.False(t, got.Enabled)
			requireSameTime(t, first.CreatedAt, got.CreatedAt, "created_at read back")
		}},
		{"RolesAreASortedSet", func(t *testing.T, f *fixture) {
			p, err := f.st.UpsertPartner(f.ctx, store.Partner{ID: "multi", Name: "Multi", Roles: []string{"supplier", "dealer", "supplier", "logistics", "dealer"}, Enabled: true})
			require.NoError(t, err)
			require.Equal(t, []string{"dealer", "logistics", "supplier"}, p.Roles)
			got, err := f.st.GetPartner(f.ctx, "multi")
			require.NoError(t, err)
			require.Equal(t, []string{"dealer", "logistics", "supplier"}, got.Roles)

			none, err := f.st.UpsertPartner(f.ctx, store.Partner{ID: "none", Name: "None", Enabled: true})
			require.NoError(t, err)
			require.Empty(t, none.Roles)
			got, err = f.st.GetPartner(f.ctx, "none")
			require.NoError(t, err)
			require.Empty(t, got.Roles)
		}},
		{"GetUnknown", func(t *testing.T, f *fixture) {
			_, err := f.st.GetPartner(f.ctx, "nobody")
			errorsIsNotFound(t, err)
		}},
		{"EnableDisable", func(t *testing.T, f *fixture) {
			f.partner("acme", "supplier")
			require.NoError(t, f.st.SetPartnerEnabled(f.ctx, "acme", false))
			got, err := f.st.GetPartner(f.ctx, "acme")
			require.NoError(t, err)
			require.False(t, got.Enabled)
			require.Equal(t, []string{"supplier"}, got.Roles, "disabling keeps roles")

			require.NoError(t, f.st.SetPartnerEnabled(f.ctx, "acme", true))
			got, err = f.st.GetPartner(f.ctx, "acme")
			require.NoError(t, err)
			require.True(t, got.Enabled)

			errorsIsNotFound(t, f.st.SetPartnerEnabled(f.ctx, "nobody", false))
		}},
		{"List", func(t *testing.T, f *fixture) {
			list, err := f.st.ListPartners(f.ctx)
			require.NoError(t, err)
			require.Empty(t, list)
			f.partner("b-dealer", "dealer")
			f.partner("a-supplier", "supplier")
			f.partner("c-carrier", "logistics")
			list, err = f.st.ListPartners(f.ctx)
			require.NoError(t, err)
			ids := make([]string, 0, len(list))
			for _, p := range list {
				ids = append(ids, p.ID)
				requireTime(t, p.CreatedAt, "created_at")
			}
			require.ElementsMatch(t, []string{"a-supplier", "b-dealer", "c-carrier"}, ids)
		}},
	}
}

func relationshipCases() []testCase {
	return []testCase{
		{"UnknownPartner", func(t *testing.T, f *fixture) {
			f.partner("dlr", "dealer")
			f.partner("sup", "supplier")
			errorsIsNotFound(t, f.st.UpsertRelationship(f.ctx, store.Relationship{Dealer: "ghost", Supplier: "sup"}))
			errorsIsNotFound(t, f.st.UpsertRelationship(f.ctx, store.Relationship{Dealer: "dlr", Supplier: "ghost"}))
			list, err := f.st.ListRelationships(f.ctx, "")
			require.NoError(t, err)
			require.Empty(t, list)
		}},
		{"UpsertAndList", func(t *testing.T, f *fixture) {
			f.partner("d1", "dealer")
			f.partner("d2", "dealer")
			f.partner("s1", "supplier")
			f.partner("s2", "supplier")
			require.NoError(t, f.st.UpsertRelationship(f.ctx, store.Relationship{Dealer: "d1", Supplier: "s1"}))
			require.NoError(t, f.st.UpsertRelationship(f.ctx, store.Relationship{Dealer: "d2", Supplier: "s1", SharesStock: true}))
			require.NoError(t, f.st.UpsertRelationship(f.ctx, store.Relationship{Dealer: "d2", Supplier: "s2"}))

			before, err := f.st.ListRelationships(f.ctx, "d1")
			require.NoError(t, err)
			require.Len(t, before, 1)
			requireRecent(t, before[0].CreatedAt, "created_at")

			// The same pair again updates the flags, it does not add a row.
			require.NoError(t, f.st.UpsertRelationship(f.ctx, store.Relationship{Dealer: "d1", Supplier: "s1", SharesStock: true, SharesSales: true}))
			after, err := f.st.ListRelationships(f.ctx, "d1")
			require.NoError(t, err)
			require.Len(t, after, 1)
			require.Equal(t, "d1", after[0].Dealer)
			require.Equal(t, "s1", after[0].Supplier)
			require.True(t, after[0].SharesStock)
			require.True(t, after[0].SharesSales)
			requireSameTime(t, before[0].CreatedAt, after[0].CreatedAt, "created_at kept")

			bySupplier, err := f.st.ListRelationships(f.ctx, "s1")
			require.NoError(t, err)
			require.Len(t, bySupplier, 2)
			require.ElementsMatch(t, []string{"d1", "d2"}, []string{bySupplier[0].Dealer, bySupplier[1].Dealer})

			byDealer, err := f.st.ListRelationships(f.ctx, "d2")
			require.NoError(t, err)
			require.Len(t, byDealer, 2)

			all, err := f.st.ListRelationships(f.ctx, "")
			require.NoError(t, err)
			require.Len(t, all, 3)

			none, err := f.st.ListRelationships(f.ctx, "nobody")
			require.NoError(t, err)
			require.Empty(t, none)
		}},
	}
}

func apiKeyCases() []testCase {
	return []testCase{
		{"CreateGetRevokeList", func(t *testing.T, f *fixture) {
			f.partner("acme", "supplier")
			f.partner("other", "dealer")
			hash := sha256.Sum256([]byte("secret-1"))
			k, err := f.st.CreateAPIKey(f.ctx, store.APIKey{ID: "key-1", Partner: "acme", Label: "ci", Hash: hash[:]})
			require.NoError(t, err)
			require.Equal(t, "key-1", k.ID)
			requireRecent(t, k.CreatedAt, "created_at")
			require.Nil(t, k.RevokedAt)

			got, err := f.st.GetAPIKey(f.ctx, "key-1")
			require.NoError(t, err)
			require.Equal(t, "acme", got.Partner)
			require.False(t, got.Operator)
			require.Equal(t, "ci", got.Label)
			require.Equal(t, hash[:], got.Hash)
			requireSameTime(t, k.CreatedAt, got.CreatedAt, "created_at")
			require.Nil(t, got.RevokedAt)

			opHash := sha256.Sum256([]byte("secret-op"))
			_, err = f.st.CreateAPIKey(f.ctx, store.APIKey{ID: "key-op", Operator: true, Label: "ops", Hash: opHash[:]})
			require.NoError(t, err)
			op, err := f.st.GetAPIKey(f.ctx, "key-op")
			require.NoError(t, err)
			require.True(t, op.Operator)
			require.Empty(t, op.Partner)
			require.Equal(t, opHash[:], op.Hash)

			otherHash := sha256.Sum256([]byte("secret-2"))
			_, err = f.st.CreateAPIKey(f.ctx, store.APIKey{ID: "key-2", Partner: "other", Hash: otherHash[:]})
			require.NoError(t, err)

			list, err := f.st.ListAPIKeys(f.ctx, "acme")
			require.NoError(t, err)
			require.Len(t, list, 1)
			require.Equal(t, "key-1", list[0].ID)

			all, err := f.st.ListAPIKeys(f.ctx, "")
			require.NoError(t, err)
			require.Len(t, all, 3, "an empty partner lists every key")

			require.NoError(t, f.st.RevokeAPIKey(f.ctx, "key-1"))
			revoked, err := f.st.GetAPIKey(f.ctx, "key-1")
			require.NoError(t, err, "revoked keys are still returned by id")
			require.NotNil(t, revoked.RevokedAt)
			requireRecent(t, *revoked.RevokedAt, "revoked_at")
			require.Equal(t, hash[:], revoked.Hash)

			still, err := f.st.GetAPIKey(f.ctx, "key-2")
			require.NoError(t, err)
			require.Nil(t, still.RevokedAt, "revoking one key leaves the others")

			listed, err := f.st.ListAPIKeys(f.ctx, "acme")
			require.NoError(t, err)
			require.Len(t, listed, 1, "revoked keys are still listed")
			require.NotNil(t, listed[0].RevokedAt)

			errorsIsNotFound(t, f.st.RevokeAPIKey(f.ctx, "nope"))
			_, err = f.st.GetAPIKey(f.ctx, "nope")
			errorsIsNotFound(t, err)
		}},
	}
}

func crossRefCases() []testCase {
	return []testCase{
		{"PutAndLookup", func(t *testing.T, f *fixture) {
			f.partner("dlr", "dealer")
			f.partner("dlr2", "dealer")
			f.partner("sup", "supplier")
			require.NoError(t, f.st.PutCrossRefs(f.ctx, "dlr", []store.CrossRef{
				{Code: "ERP-1", Supplier: "sup", SupplierSKU: "SKU-1"},
				{Code: "ERP-2", Supplier: "sup", SupplierSKU: "SKU-2"},
			}))
			got, err := f.st.LookupCrossRef(f.ctx, "dlr", "ERP-2")
			require.NoError(t, err)
			require.Equal(t, store.CrossRef{Partner: "dlr", Code: "ERP-2", Supplier: "sup", SupplierSKU: "SKU-2"}, got)

			// Upsert replaces the mapping of an existing code.
			require.NoError(t, f.st.PutCrossRefs(f.ctx, "dlr", []store.CrossRef{{Code: "ERP-2", Supplier: "sup", SupplierSKU: "SKU-22"}}))
			got, err = f.st.LookupCrossRef(f.ctx, "dlr", "ERP-2")
			require.NoError(t, err)
			require.Equal(t, "SKU-22", got.SupplierSKU)
			got, err = f.st.LookupCrossRef(f.ctx, "dlr", "ERP-1")
			require.NoError(t, err)
			require.Equal(t, "SKU-1", got.SupplierSKU, "rows not in the batch stay")

			// Codes belong to their partner.
			_, err = f.st.LookupCrossRef(f.ctx, "dlr2", "ERP-1")
			errorsIsNotFound(t, err)
			_, err = f.st.LookupCrossRef(f.ctx, "dlr", "ERP-404")
			errorsIsNotFound(t, err)

			require.NoError(t, f.st.PutCrossRefs(f.ctx, "dlr", nil), "an empty batch is fine")
		}},
	}
}
