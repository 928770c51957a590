package db_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"elk/db"
	"elk/db/money"
)

// alertStep is one change in an SMS balance alert scenario and the alerts it
// must write (one notice per recipient each).
type alertStep struct {
	amount    money.Kopecks // a balance change; 0 for none
	enable    *bool         // switch notifications on or off
	threshold *money.Kopecks
	contacts  *db.NotificationContacts
	want      []string // kinds of the alerts written by this step
}

func TestSMSBalanceAlertSteps(t *testing.T) {
	on, off := true, false
	both := &db.NotificationContacts{Emails: []string{"dispatch@north.example"}, Phones: []string{"+79001234567"}}
	none := &db.NotificationContacts{}
	zero, thousand := money.Kopecks(0), money.Kopecks(100000)
	low, negative := []string{db.NoticeSMSLow}, []string{db.NoticeSMSNegative}
	cases := []struct {
		name  string
		start []alertStep // applied with notifications on, threshold 500 ₽ and both contacts after a credit of 1 000 ₽
		steps []alertStep
	}{
		{name: "crossing down", steps: []alertStep{{amount: -40000}, {amount: -20000, want: low}}},
		{name: "landing on the threshold is not below it", steps: []alertStep{{amount: -50000}, {amount: -1, want: low}}},
		{name: "staying below", steps: []alertStep{{amount: -60000, want: low}, {amount: -10000}, {amount: -10000}}},
		{name: "up and down again", steps: []alertStep{
			{amount: -60000, want: low}, {amount: 5000}, {amount: -1000},
			{amount: 20000}, {amount: -30000, want: low}}},
		{name: "going below zero", steps: []alertStep{
			{amount: -60000, want: low}, {amount: -50000, want: negative}, {amount: -5000},
			{amount: 20000}, {amount: -20000, want: negative}, {amount: 80000}, {amount: -30000, want: low}}},
		{name: "straight below zero tells the urgent alert only", steps: []alertStep{{amount: -110000, want: negative}}},
		{name: "notifications disabled", steps: []alertStep{
			{enable: &off}, {amount: -60000}, {amount: -50000},
			{enable: &on, want: negative}, {amount: -1000}}},
		{name: "no recipients", steps: []alertStep{
			{contacts: none}, {amount: -60000}, {amount: -1000},
			{contacts: both, want: low}, {amount: -1000}}},
		{name: "a zero threshold warns below zero only", steps: []alertStep{
			{threshold: &zero}, {amount: -99999}, {amount: -2, want: negative}}},
		{name: "a threshold raised above the balance tells at once", steps: []alertStep{
			{amount: -40000}, {threshold: &thousand, want: low}, {amount: -1000}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, cs := connected(t)
			ctx := context.Background()
			run := func(i int, st alertStep) {
				t.Helper()
				before := outboxCount(t, s, cs.CompanyID)
				applyAlertStep(t, s, cs, i, st)
				got := newNoticeKinds(t, s, cs.CompanyID, before)
				var want []string
				for _, k := range st.want {
					want = append(want, k, k) // one e-mail, one SMS
				}
				if !slices.Equal(got, want) {
					co, _ := s.Company(ctx, cs.CompanyID)
					svc, _ := s.CompanyService(ctx, cs.CompanyID, cs.ID)
					t.Fatalf("step %d (%+v): notices %v, want %v (balance %s, threshold %s)", i, st, got, want, svc.Balance, co.SMSAlertThreshold)
				}
			}
			applyAlertStep(t, s, cs, -1, alertStep{amount: 100000})
			applyAlertStep(t, s, cs, -2, alertStep{enable: &on, threshold: ptr(db.DefaultSMSAlertThreshold), contacts: both})
			for i, st := range tc.steps {
				run(i, st)
			}
		})
	}
}

func TestSMSAlertNoticesNameTheirEventAndRecipient(t *testing.T) {
	s, cs := connected(t)
	ctx := context.Background()
	applyAlertStep(t, s, cs, 0, alertStep{amount: 100000})
	applyAlertStep(t, s, cs, 1, alertStep{enable: ptr(true), threshold: ptr(db.DefaultSMSAlertThreshold),
		contacts: &db.NotificationContacts{Emails: []string{"a@north.example", "b@north.example"}}})
	applyAlertStep(t, s, cs, 2, alertStep{amount: -70000})
	notices, err := s.CompanyNotices(ctx, cs.CompanyID, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(notices) != 2 {
		t.Fatalf("notices: %+v", notices)
	}
	for _, n := range notices {
		if n.Status != db.NoticePending || n.Channel != db.ChannelEmail || n.Lang != "ru" ||
			n.Params.Company != "Такси Север" || n.Params.Balance != 30000 || n.Params.Threshold != 50000 {
			t.Errorf("notice %+v", n)
		}
	}
	if notices[0].Recipient == notices[1].Recipient || notices[0].DedupeKey == notices[1].DedupeKey {
		t.Errorf("two recipients expected: %+v", notices)
	}
}

func ptr[T any](v T) *T { return &v }

func applyAlertStep(t *testing.T, s *db.Store, cs db.CompanyService, i int, st alertStep) {
	t.Helper()
	ctx := context.Background()
	if st.amount != 0 {
		if _, _, err := s.Post(ctx, db.Entry{CompanyServiceID: cs.ID, Amount: st.amount, Source: db.SourceCorrection,
			IdempotencyKey: fmt.Sprintf("alert-step:%d:%d", cs.ID, i)}); err != nil {
			t.Fatal(err)
		}
	}
	if st.enable != nil || st.threshold != nil {
		co, err := s.Company(ctx, cs.CompanyID)
		if err != nil {
			t.Fatal(err)
		}
		if st.enable != nil {
			co.NotifyEnabled = *st.enable
		}
		if st.threshold != nil {
			co.SMSAlertThreshold = *st.threshold
		}
		if err := s.UpdateCompany(ctx, db.Actor{}, co); err != nil {
			t.Fatal(err)
		}
	}
	if st.contacts != nil {
		if err := s.SetCompanyContacts(ctx, db.Actor{}, cs.CompanyID, *st.contacts); err != nil {
			t.Fatal(err)
		}
	}
}

func outboxCount(t *testing.T, s *db.Store, companyID int64) int {
	t.Helper()
	n, err := s.CompanyNotices(context.Background(), companyID, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return len(n)
}

// newNoticeKinds returns the kinds of the company's notices after the first
// skip ones, oldest first.
func newNoticeKinds(t *testing.T, s *db.Store, companyID int64, skip int) []string {
	t.Helper()
	all, err := s.CompanyNotices(context.Background(), companyID, 1000)
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(all)
	var kinds []string
	for _, n := range all[skip:] {
		kinds = append(kinds, n.Kind)
	}
	return kinds
}
