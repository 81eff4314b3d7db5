package pgstore

// This file keeps the package compiling while the price-list methods are
// written; the helper implementing them deletes it.

import (
	"context"
	"errors"

	"github.com/dealerhub/dealerhub/hub/store"
)

var errPending = errors.New("price lists: not written yet")

func (s *Store) CommitPartial(ctx context.Context, messageID string, docs []store.DocumentInput, rejected []store.DataError, outbox store.OutboxFunc) ([]store.DocumentResult, error) {
	if len(rejected) > 0 {
		return nil, errPending
	}
	return s.CommitMessage(ctx, messageID, docs, outbox)
}

func (s *Store) PublishPriceList(context.Context, store.PriceListPublish) (store.PriceListResult, error) {
	return store.PriceListResult{}, errPending
}

func (s *Store) GetPriceList(context.Context, store.Scope, string, string) (store.PriceList, error) {
	return store.PriceList{}, errPending
}

func (s *Store) ListPriceLists(context.Context, store.Scope, store.PriceListFilter) ([]store.PriceList, string, error) {
	return nil, "", errPending
}

func (s *Store) ListPriceListLines(context.Context, store.Scope, string, store.Page) ([]store.PriceLine, string, error) {
	return nil, "", errPending
}

func (s *Store) ListPriceListChanges(context.Context, store.Scope, string, store.Page) ([]store.PriceChange, string, error) {
	return nil, "", errPending
}

func (s *Store) PriceListOf(context.Context, store.Scope, string, int, string) (store.PriceList, error) {
	return store.PriceList{}, errPending
}
