// Package rest pulls records from any paginated JSON REST API described by
// configuration alone: the endpoint, the credentials (API key header, basic,
// bearer, OAuth2 client credentials), how pages follow each other (page
// number, offset, a cursor in the body, a Link header), where the records sit
// in a reply, a rate limit, retries that honour Retry-After, and an
// incremental watermark.
//
// A Source fetches page after page and hands each one to a callback; the
// hub stores the page durably and returns nil, and only then does the Source
// save its checkpoint (watermark and position) through a State. After a crash
// the next Run resumes after the last stored page.
//
//	src, err := rest.New("acme", cfg, rest.WithLogger(log))
//	if err != nil {
//		return err
//	}
//	res, err := src.Run(ctx, state, func(ctx context.Context, p rest.Page) error {
//		// p.RawBody or p.Records go to the hub's Ingester here; return its
//		// error, so the checkpoint is not advanced past a page that was
//		// not stored.
//		return nil
//	})
//
// See README.md for every config key and a complete YAML example.
package rest
