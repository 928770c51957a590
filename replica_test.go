package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/benbjohnson/litestream"

	"elk/db"
	"elk/testutil"
)

// A write the server acknowledged, and when its answer came.
type ackedWrite struct {
	table, key string // sms.sender_id or payments.reference
	at         time.Time
}

// The box dies while clients write: the server is killed with SIGKILL in
// the middle of API SMS batches and staff payments, its database, WAL and
// shared memory are deleted, and elk restore brings the database back
// from the file replica. elk check passes on it, and every write acknowledged longer ago
// than the replica's sync interval plus Litestream's look at the WAL is in
// it. Started again with the replica and no database, the server restores
// by itself and goes on replicating.
func TestReplicaRestoresWhatWasAcknowledged(t *testing.T) {
	path := testutil.DemoCopy(t)
	replicaDir := filepath.Join(t.TempDir(), "replica")
	invoiceID, paidOn := openInvoice(t, path)
	addr := freeAddr(t)
	base := "http://" + addr
	server := serveAlone(t, "-db", path, "-addr", addr, "-replica", replicaDir)
	waitHealthy(t, base+"/healthz")

	var (
		mu    sync.Mutex
		acked []ackedWrite
	)
	ack := func(table, key string) {
		mu.Lock()
		defer mu.Unlock()
		acked = append(acked, ackedWrite{table: table, key: key, at: time.Now()})
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	day := testutil.NewClock(t).Now().AddDate(0, 0, -1).Format(time.DateOnly)
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			id := fmt.Sprintf("replica-%d", i)
			if postSMS(base, id, day) == http.StatusOK {
				ack("sms", id)
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
	staff, csrf := loggedInClient(t, base, "admin", "admin123", fmt.Sprintf("/admin/invoices/%d", invoiceID))
	staff.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			ref := fmt.Sprintf("%d", 770000+i)
			res, err := staff.PostForm(fmt.Sprintf("%s/admin/invoices/%d/payments", base, invoiceID),
				url.Values{"_csrf": {csrf}, "paid_on": {paidOn}, "amount": {"1,00"}, "reference": {ref}})
			if err == nil {
				res.Body.Close()
				if res.StatusCode == http.StatusSeeOther {
					ack("payments", ref)
				}
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
	// Four seconds of writes, and the kill anywhere in Litestream's second.
	time.Sleep(4*time.Second + rand.N(defaultReplicaSync))
	if err := server.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	killedAt := time.Now()
	server.Wait()
	close(stop)
	wg.Wait()
	deleteDatabase(t, path, false)

	ctx := context.Background()
	var out bytes.Buffer
	if err := run(ctx, testutil.NewClock(t).Now, []string{"restore", "-replica", replicaDir, "-db", path}, nil, &out); err != nil {
		t.Fatalf("restore: %v", err)
	}
	if err := run(ctx, testutil.NewClock(t).Now, []string{"restore", "-replica", "file://" + replicaDir, "-db", path}, nil, &out); err == nil ||
		!strings.Contains(err.Error(), "already exists") {
		t.Errorf("a restore over the database: %v", err)
	}
	if err := run(ctx, testutil.NewClock(t).Now, []string{"check", "-db", path}, nil, &out); err != nil {
		t.Fatalf("check after restore: %v\n%s", err, out.String())
	}

	margin := defaultReplicaSync + litestream.DefaultMonitorInterval
	present := keysIn(t, path)
	var lost int
	newest := time.Duration(-1)
	for _, w := range acked {
		age := killedAt.Sub(w.at)
		if present[w.table][w.key] {
			if newest < 0 || age < newest {
				newest = age
			}
			continue
		}
		if age > margin {
			t.Errorf("%s %s, acknowledged %s before the kill, is not in the restored database", w.table, w.key, age.Round(time.Millisecond))
		}
		lost++
	}
	newestAge := newest.Milliseconds()
	if len(acked) < 20 || newest < 0 {
		t.Fatalf("%d writes acknowledged, the newest restored %d ms before the kill", len(acked), newestAge)
	}
	t.Logf("%d writes acknowledged, %d lost (the last %s); the newest restored was acknowledged %d ms before the kill",
		len(acked), lost, margin, newestAge)

	// The disk lost: the server brings the database back itself, takes a
	// write, and replicates it before it stops.
	deleteDatabase(t, path, true)
	server = serveAlone(t, "-db", path, "-addr", addr, "-replica", replicaDir)
	waitHealthy(t, base+"/healthz")
	if status := postSMS(base, "after-restore", day); status != http.StatusOK {
		t.Fatalf("a write after the automatic restore: %d", status)
	}
	if err := server.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := server.Wait(); err != nil {
		t.Fatalf("the server's stop: %v", err)
	}
	out.Reset()
	if err := run(ctx, testutil.NewClock(t).Now, []string{"-replica", replicaDir, "check", "-db", path}, nil, &out); err != nil ||
		!strings.Contains(out.String(), "replica OK") {
		t.Errorf("check of the replica after a stop: %v\n%s", err, out.String())
	}
	again := filepath.Join(t.TempDir(), "again.db")
	if err := run(ctx, testutil.NewClock(t).Now, []string{"restore", "-replica", replicaDir, "-db", again}, nil, &out); err != nil {
		t.Fatalf("restore after the automatic one: %v", err)
	}
	if keys := keysIn(t, again); !keys["sms"]["after-restore"] || len(keys["sms"]) < len(present["sms"]) {
		t.Errorf("the replica after the automatic restore: %d SMS, the one written after it there: %v", len(keys["sms"]), keys["sms"]["after-restore"])
	}

	// The replica stopped taking changes two minutes ago: elk check says so.
	stallReplica(t, replicaDir, 2*replicaBehindLimit)
	out.Reset()
	if err := run(ctx, testutil.NewClock(t).Now, []string{"-replica", replicaDir, "check", "-db", path}, nil, &out); err == nil ||
		!strings.Contains(err.Error(), "transaction(s) behind the server's, the newest shipped 2m0s ago") {
		t.Errorf("check of a replica left behind: %v", err)
	}
}

// stallReplica takes the newest transaction out of a replica and dates the
// rest ago, as if the replica had stopped taking changes then.
func stallReplica(t *testing.T, dir string, ago time.Duration) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "ltx", "*", "*.ltx"))
	if err != nil || len(files) == 0 {
		t.Fatalf("the replica's files: %v, %v", files, err)
	}
	newest := func(f string) string { return strings.TrimSuffix(filepath.Base(f)[17:], ".ltx") } // min-max.ltx, in hex
	last := slices.MaxFunc(files, func(a, b string) int { return strings.Compare(newest(a), newest(b)) })
	for _, f := range files {
		if newest(f) == newest(last) {
			err = os.Remove(f)
		} else {
			err = os.Chtimes(f, time.Now().Add(-ago), time.Now().Add(-ago))
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// openInvoice is an invoice of the demo still awaiting payment, and the
// day payments are dated (today in the vendor's calendar).
func openInvoice(t *testing.T, path string) (int64, string) {
	t.Helper()
	clock := testutil.NewClock(t)
	s := testutil.Open(t, path, clock)
	invoices, err := s.ListInvoices(context.Background(), db.InvoiceFilter{Status: db.InvoiceIssued, Limit: 1})
	if err != nil || len(invoices) == 0 {
		t.Fatalf("an open invoice of the demo: %v, %v", invoices, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return invoices[0].ID, db.Today(clock.Now(), db.VendorLocation).Format(time.DateOnly)
}

// postSMS sends one message through the API with the demo's token and
// returns the answer's status, 0 when there was none.
func postSMS(base, id, day string) int {
	body := fmt.Sprintf(`{"messages":[{"id":%q,"phone":"+79001234567","parts":1,"sent_at":"%sT10:00:00Z","status":"sent"}]}`, id, day)
	req, err := http.NewRequest(http.MethodPost, base+"/api/v1/sms", strings.NewReader(body))
	if err != nil {
		return 0
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer demo-taxi-token")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	res.Body.Close()
	return res.StatusCode
}

// deleteDatabase deletes the database, its WAL and shared memory, and
// with the whole disk lost Litestream's staging folder beside them too;
// the key file stays, as it is kept apart from the database.
func deleteDatabase(t *testing.T, path string, wholeDisk bool) {
	t.Helper()
	files := []string{path, path + "-wal", path + "-shm"}
	if wholeDisk {
		files = append(files, filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+litestream.MetaDirSuffix))
	}
	for _, f := range files {
		if err := os.RemoveAll(f); err != nil {
			t.Fatal(err)
		}
	}
}

// keysIn is the SMS ids and payment references in a database.
func keysIn(t *testing.T, path string) map[string]map[string]bool {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	keys := map[string]map[string]bool{}
	for table, query := range map[string]string{"sms": `SELECT sender_id FROM sms`, "payments": `SELECT reference FROM payments`} {
		keys[table] = map[string]bool{}
		rows, err := conn.Query(query)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				t.Fatal(err)
			}
			keys[table][k] = true
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	return keys
}
