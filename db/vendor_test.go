package db_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"elk/db"
	"elk/testutil"
)

// A new closing policy waits for the first of next month; choosing back
// the one in force before then cancels the change instead of dating the
// old policy anew, and both are audited.
func TestClosingPolicyChangeWaitsAndCanBeCancelled(t *testing.T) {
	s, clock := testutil.OpenDemo(t)
	ctx := context.Background()
	admin := db.Actor{Login: "admin"}
	setPolicy(t, s, db.ClosingOnPayment)
	v, err := s.Vendor(ctx)
	today := db.Today(clock.Now(), db.VendorLocation)
	if err != nil || v.ClosingPolicyOn(today) != db.ClosingOnPayment {
		t.Fatalf("the policy: %q from %v, %v", v.ClosingPolicy, v.ClosingPolicyFrom, err)
	}
	next := time.Date(today.Year(), today.Month()+1, 1, 0, 0, 0, 0, time.UTC)

	v.ClosingPolicy = db.ClosingMonthly
	if err := s.UpdateVendor(ctx, admin, v); err != nil {
		t.Fatal(err)
	}
	v, _ = s.Vendor(ctx)
	if v.ClosingPolicyFrom == nil || !v.ClosingPolicyFrom.Equal(next) ||
		v.ClosingPolicyOn(today) != db.ClosingOnPayment || v.ClosingPolicyOn(next) != db.ClosingMonthly {
		t.Errorf("pending: %q from %v", v.ClosingPolicy, v.ClosingPolicyFrom)
	}

	v.ClosingPolicy = db.ClosingOnPayment
	if err := s.UpdateVendor(ctx, admin, v); err != nil {
		t.Fatal(err)
	}
	v, _ = s.Vendor(ctx)
	// The policy in force keeps the day it took effect: this month's first.
	if v.ClosingPolicy != db.ClosingOnPayment || v.ClosingPolicyFrom == nil || !v.ClosingPolicyFrom.Equal(db.MonthStart(today)) ||
		v.ClosingPolicyOn(today) != db.ClosingOnPayment || v.ClosingPolicyOn(next) != db.ClosingOnPayment {
		t.Errorf("cancelled: %q from %v, today %q", v.ClosingPolicy, v.ClosingPolicyFrom, v.ClosingPolicyOn(today))
	}
	entries, _, err := s.ListAudit(ctx, db.AuditFilter{Login: "admin"}, 0, 10)
	var details []string
	for _, e := range entries {
		if e.Action == db.AuditClosingPolicy {
			details = append(details, e.Details)
		}
	}
	if err != nil || len(details) != 2 || !strings.Contains(details[0], "отменён") {
		t.Errorf("policy changes audited: %q %v", details, err)
	}
}
