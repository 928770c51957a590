// Command capacity makes the capacity test's database: the brief demo and
// 1,500 companies beside it, each with a year of daily roll-ups (SMS and
// spending) and a payment a month, then a few days of SMS at 2,000 a day a
// company, «Такси Пример» included, with the ledger's entries for them, one
// a batch of SMS as the API records them. Every balance is the sum of its
// transactions: elk check's ledger part passes on it. A year of raw SMS at that rate
// (1.1 billion) does not fit the build machine: the README extrapolates
// from the bytes these days take (bench/size measures them).
//
//	go run ./bench/capacity -db /tmp/elk-capacity/bench.db
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"time"

	"elk/bench/scale"
	"elk/db"
	"elk/db/demo"
)

// shape is what the fill makes.
type shape struct {
	companies, smsADay, days, batch int
}

func main() {
	path := flag.String("db", "bench.db", "the database file to make")
	target := flag.String("target", "127.0.0.1:18080", "where the demo's monitors connect (the portal itself)")
	var s shape
	flag.IntVar(&s.companies, "companies", 1500, "companies besides the demo's")
	flag.IntVar(&s.smsADay, "sms-a-day", 2000, "SMS a company sends a day")
	flag.IntVar(&s.days, "days", 3, "days of SMS filled (the roll-ups hold a year)")
	flag.IntVar(&s.batch, "batch", 100, "SMS a POST /api/v1/sms carries: one ledger transaction each")
	flag.Parse()
	if err := fill(context.Background(), *path, *target, s); err != nil {
		log.Fatal(err)
	}
}

func fill(ctx context.Context, path, target string, s shape) error {
	started := time.Now()
	store, err := db.Open(ctx, path)
	if err != nil {
		return err
	}
	defer store.Close()
	if _, err := demo.Seed(ctx, store, demo.Options{Brief: true, Addr: target}); err != nil {
		return err
	}
	manager, err := store.UserByLogin(ctx, "manager")
	if err != nil {
		return err
	}
	invoices, err := store.ListInvoices(ctx, db.InvoiceFilter{Limit: 1})
	if err != nil || len(invoices) == 0 {
		return errors.Join(errors.New("capacity: the demo has no invoice to pay"), err)
	}
	taxi, err := scale.SMSService(ctx, store, 1)
	if err != nil {
		return err
	}
	now := store.Now()
	services := []scale.Service{{CompanyID: taxi.CompanyID, ID: taxi.ID}}
	sending := s.companies + 1 // with «Такси Пример»
	return scale.Run([]scale.Step{
		{What: fmt.Sprintf("%d companies", s.companies), Do: func() error {
			if err := scale.Companies(ctx, path, s.companies, 365, manager.ID, taxi.Tariff.ID, invoices[0].ID, now); err != nil {
				return err
			}
			if err := scale.OpeningBalances(ctx, store, path); err != nil {
				return err
			}
			added, err := scale.Services(ctx, path)
			services = append(services, added...)
			return err
		}},
		{What: fmt.Sprintf("%d SMS", sending*s.smsADay*s.days), Do: func() error {
			ids := make([]int64, len(services))
			for i, sv := range services {
				ids[i] = sv.CompanyID
			}
			return scale.SMS(ctx, path, ids, s.smsADay*s.days, now, time.Duration(s.days)*24*time.Hour)
		}},
		// Spread over the year by scale.Transactions: where in time a
		// ledger row falls does not change its bytes.
		{What: fmt.Sprintf("%d transactions", sending*s.smsADay*s.days/s.batch), Do: func() error {
			for _, sv := range services {
				if err := scale.Transactions(ctx, store, sv.ID, s.smsADay*s.days/s.batch); err != nil {
					return err
				}
			}
			return nil
		}},
	}, started)
}
