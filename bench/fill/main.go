// Command fill makes the load test's database: the demo, then a year of
// history at scale for «Такси Пример».
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"time"

	"elk/bench/scale"
	"elk/db"
	"elk/db/demo"
)

func main() {
	path := flag.String("db", "bench.db", "the database file to make")
	transactions := flag.Int("transactions", 1_000_000, "transactions of the SMS service")
	sms := flag.Int("sms", 5_000_000, "SMS sent")
	monitors := flag.Int("monitors", 1000, "TCP monitors checked every minute")
	target := flag.String("target", "127.0.0.1:18080", "where the monitors connect (the portal itself)")
	flag.Parse()
	if err := fill(context.Background(), *path, *transactions, *sms, *monitors, *target); err != nil {
		log.Fatal(err)
	}
}

func fill(ctx context.Context, path string, transactions, sms, monitors int, target string) error {
	started := time.Now()
	store, err := db.Open(ctx, path)
	if err != nil {
		return err
	}
	defer store.Close()
	if _, err := demo.Seed(ctx, store, demo.Options{Brief: true, Addr: target}); err != nil {
		return err
	}
	smsService, err := scale.SMSService(ctx, store, 1)
	if err != nil {
		return err
	}
	return scale.Run([]scale.Step{
		{What: fmt.Sprintf("%d transactions", transactions), Do: func() error { return scale.Transactions(ctx, store, smsService.ID, transactions) }},
		{What: fmt.Sprintf("%d SMS", sms), Do: func() error { return scale.SMS(ctx, path, []int64{1}, sms, store.Now(), 365*24*time.Hour) }},
		// On «Алма Такси»: the scheduler's load, while the owner measured
		// sees the two servers of a real taxi service.
		{What: fmt.Sprintf("%d monitors", monitors), Do: func() error { return scale.Monitors(ctx, store, 3, monitors, target) }},
	}, started)
}
