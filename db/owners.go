package db

import (
	"context"
	"fmt"
)

// Owned names a kind of object the back office's URLs carry an id of, so
// that a write to it can be checked against the company it belongs to.
type Owned string

// The kinds of objects CompanyOf resolves.
const (
	OwnedCompany      Owned = "company"
	OwnedUser         Owned = "user" // a staff account belongs to no company
	OwnedService      Owned = "company service"
	OwnedSubscription Owned = "subscription"
	OwnedToken        Owned = "API token"
	OwnedInvoice      Owned = "invoice"
	OwnedMonitor      Owned = "monitor"
)

// ownerQueries find an object's company and that company's manager.
var ownerQueries = map[Owned]string{
	OwnedCompany: `SELECT id, COALESCE(manager_id, 0) FROM companies WHERE id = ?`,
	OwnedUser: `SELECT COALESCE(x.company_id, 0), COALESCE(co.manager_id, 0)
		FROM users x LEFT JOIN companies co ON co.id = x.company_id WHERE x.id = ?`,
	OwnedService:      ownerOf("company_services"),
	OwnedSubscription: ownerOf("subscriptions"),
	OwnedToken:        ownerOf("api_tokens"),
	OwnedInvoice:      ownerOf("invoices"),
	OwnedMonitor:      ownerOf("monitors"),
}

func ownerOf(table string) string {
	return `SELECT co.id, COALESCE(co.manager_id, 0) FROM ` + table + ` x JOIN companies co ON co.id = x.company_id WHERE x.id = ?`
}

// Owner is the company an object belongs to and the staff user who manages
// it; either is 0 when there is none.
type Owner struct {
	CompanyID, ManagerID int64
}

// CompanyOf returns whose the object of the kind with the id is; a missing
// object is ErrNotFound.
func (s *Store) CompanyOf(ctx context.Context, kind Owned, id int64) (Owner, error) {
	query, ok := ownerQueries[kind]
	if !ok {
		return Owner{}, fmt.Errorf("db: owner of an unknown kind %q", kind)
	}
	return queryOne(ctx, s.r, func(row scanner) (Owner, error) {
		var o Owner
		return o, row.Scan(&o.CompanyID, &o.ManagerID)
	}, fmt.Sprintf("owner of %s %d", kind, id), query, id)
}
