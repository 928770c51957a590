package jobs_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"elk/db"
	"elk/jobs"
	"elk/testutil"
)

// BenchmarkMonitoringAtScale checks ELK_SCALE_MONITORS monitors (default
// 10 000) at a 60-second interval against listeners on 127.0.0.1 for
// ELK_SCALE_DURATION (default 3m), and reports the checks per second, how
// late checks started, CPU and memory:
//
//	go test ./jobs -run '^$' -bench MonitoringAtScale -benchtime 1x -timeout 30m
func BenchmarkMonitoringAtScale(b *testing.B) {
	for b.Loop() {
		monitorAtScale(b)
	}
}

func monitorAtScale(t *testing.B) {
	n, _ := strconv.Atoi(os.Getenv("ELK_SCALE_MONITORS"))
	if n == 0 {
		n = 10000
	}
	duration, err := time.ParseDuration(os.Getenv("ELK_SCALE_DURATION"))
	if err != nil {
		duration = 3 * time.Minute
	}
	ctx := context.Background()
	store, _ := testutil.OpenDemo(t)

	// Ten TCP listeners that accept and close, and two HTTP servers.
	var tcpTargets []string
	for range 10 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				c.Close()
			}
		}()
		tcpTargets = append(tcpTargets, ln.Addr().String())
	}
	var httpTargets []string
	for range 2 {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") }))
		defer srv.Close()
		httpTargets = append(httpTargets, srv.URL+"/health")
	}
	start := time.Now()
	for i := range n {
		m := db.Monitor{CompanyID: taxiPrimer, Name: fmt.Sprintf("server %05d", i), Kind: db.MonitorOther, CheckType: db.CheckTCP,
			Target: tcpTargets[i%len(tcpTargets)], Interval: time.Minute, Timeout: 5 * time.Second, Retries: 1, Active: true,
			ExpectStatusMin: 200, ExpectStatusMax: 399}
		if i%10 < 3 {
			m.CheckType, m.Target, m.ExpectWord = db.CheckHTTP, httpTargets[i%len(httpTargets)], "ok"
		}
		if _, err := store.SaveMonitor(ctx, db.Actor{}, m); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d monitors made in %s", n, time.Since(start).Round(time.Millisecond))

	var mu sync.Mutex
	var late []time.Duration
	var checks atomic.Int64
	mon := &jobs.Monitoring{Store: store, Log: quietLog(), Late: func(d time.Duration) {
		checks.Add(1)
		mu.Lock()
		late = append(late, d)
		mu.Unlock()
	}}
	var before syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	runCtx, stop := context.WithTimeout(ctx, duration)
	defer stop()
	began := time.Now()
	var peakHeap uint64
	go func() {
		for runCtx.Err() == nil {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			peakHeap = max(peakHeap, ms.HeapInuse)
			time.Sleep(5 * time.Second)
		}
	}()
	if err := mon.Run(runCtx); err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(began)
	var after syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	cpu := time.Duration(after.Utime.Nano()+after.Stime.Nano()-before.Utime.Nano()-before.Stime.Nano()) * time.Nanosecond

	mu.Lock()
	slices.Sort(late)
	q := func(p float64) time.Duration { return late[min(len(late)-1, int(p*float64(len(late))))] }
	over2s := 0
	if i := slices.IndexFunc(late, func(d time.Duration) bool { return d > 2*time.Second }); i >= 0 {
		over2s = len(late) - i
	}
	mu.Unlock()
	t.Logf("%d monitors, %s: %d checks started (%.0f/s); late p50 %s, p99 %s, max %s, over 2 s: %d",
		n, elapsed.Round(time.Second), checks.Load(), float64(checks.Load())/elapsed.Seconds(),
		q(0.5).Round(time.Microsecond), q(0.99).Round(time.Microsecond), late[len(late)-1].Round(time.Millisecond), over2s)
	t.Logf("CPU %s over %s (%.0f%% of one core), peak heap %d MiB, max RSS %d MiB",
		cpu.Round(time.Millisecond), elapsed.Round(time.Second), 100*cpu.Seconds()/elapsed.Seconds(), peakHeap>>20, after.Maxrss>>10)
	t.ReportMetric(float64(checks.Load())/elapsed.Seconds(), "checks/s")
	t.ReportMetric(float64(q(0.99).Microseconds())/1000, "p99-late-ms")
	if over2s > 0 {
		t.Errorf("%d checks started more than 2 s late", over2s)
	}
}
