// Package trytontest runs a live Tryton 6.0 server (trytond, SQLite
// backend) on loopback for tests, with a seeded database: modules party,
// product, stock, purchase and sale; a company "Hub Test Co" in USD that
// the admin user works for; the stock module's warehouse "WH"; a customer
// "Hub Customer" with an address.
//
// The seeded database is built once per machine and trytond version (about
// 20 s) under os.UserCacheDir()/dealerhub/tryton-VERSION/, guarded by a
// file lock; each Start copies it, so a server is up in about a second.
//
//	func TestStock(t *testing.T) {
//		srv := trytontest.Start(t)
//		srv.CreateProduct(t, "SKU-1", "Widget", "12.50")
//		srv.SetStock(t, "WH", map[string]float64{"SKU-1": 40})
//		c, _ := tryton.New(srv.Config())
//		…
//	}
//
// Start skips the test when trytond is not installed, and fails it when
// CI=true. Install it on Debian 12 with:
//
//	apt-get install -y --no-install-recommends tryton-server tryton-modules-party \
//	  tryton-modules-product tryton-modules-stock tryton-modules-purchase tryton-modules-sale
package trytontest
