package db_test

import (
	"context"
	"testing"

	"elk/db"
)

// The choices of a select of services agree with whole services: the same
// services in the same order, each with its code, state and current tariff,
// and none of another company's.
func TestServiceChoicesAgreeWithServices(t *testing.T) {
	s := demoStore(t)
	ctx := context.Background()
	_, companyID := actor(t, s, "taxi")
	whole, err := s.CompanyServices(ctx, companyID, false)
	if err != nil {
		t.Fatal(err)
	}
	// One switched off, so that the state is seen to follow.
	off := whole[len(whole)-1]
	off.Active = false
	if err := s.UpdateCompanyService(ctx, db.Actor{Login: "admin"}, off, off.Tariff); err != nil {
		t.Fatal(err)
	}
	whole[len(whole)-1].Active = false
	choices, err := s.CompanyServiceChoices(ctx, companyID)
	if err != nil {
		t.Fatal(err)
	}
	if len(choices) != len(whole) {
		t.Fatalf("%d choices for %d services", len(choices), len(whole))
	}
	for i, ch := range choices {
		w := whole[i]
		if ch.ID != w.ID || ch.CompanyID != companyID || ch.ServiceID != w.ServiceID || ch.ServiceCode != w.ServiceCode ||
			ch.Active != w.Active || ch.Tariff.ID != w.Tariff.ID {
			t.Errorf("choice %d: %+v, service %+v", i, ch, w)
		}
	}
	_, other := actor(t, s, "vostok")
	theirs, err := s.CompanyServiceChoices(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	for _, ch := range theirs {
		for _, w := range whole {
			if ch.ID == w.ID {
				t.Errorf("service %d is both companies'", ch.ID)
			}
		}
	}
}
