package jobs

import (
	"cmp"
	"container/heap"
	"context"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"elk/db"
)

// MonitorStore is what Monitoring needs from the database.
type MonitorStore interface {
	Now() time.Time
	ActiveMonitors(ctx context.Context) ([]db.Monitor, error)
	MonitorByID(ctx context.Context, id int64) (db.Monitor, error)
	RecordChecks(ctx context.Context, results []db.CheckResult) error
}

// Monitoring checks every active monitor on its interval: each check starts
// at its own time (spread by jitter), runs with its own timeout among a
// bounded number at once, so a slow or hanging target delays only itself;
// results are written in batches.
type Monitoring struct {
	Store MonitorStore
	Log   *slog.Logger
	// Concurrency bounds the checks in flight; 0 means 512.
	Concurrency int
	// Reload is how often the list of monitors is read again; 0 means 10 s.
	Reload time.Duration
	// PushGrace is how late a heartbeat may be before a push monitor
	// counts as down; 0 means 30 s.
	PushGrace time.Duration
	// Spread bounds the random delay of a monitor's first check, which
	// spreads monitors made together over their interval; 0 means the
	// whole interval.
	Spread time.Duration
	// Late, when set, is told how late each check started.
	Late func(time.Duration)

	once    sync.Once
	checker *checker
}

// checks is the shared checker, made on first use.
func (m *Monitoring) checks() *checker {
	m.once.Do(func() { m.checker = newChecker() })
	return m.checker
}

// Name implements Job.
func (m *Monitoring) Name() string { return "monitoring" }

// Interval implements Job: Run returns only when stopped (or on an error,
// after which it starts again this much later).
func (m *Monitoring) Interval() time.Duration { return 10 * time.Second }

// scheduled is a monitor with the time of its next check.
type scheduled struct {
	monitor db.Monitor
	next    time.Time
	index   int
}

// schedule is a min-heap of monitors by their next check.
type schedule []*scheduled

func (s schedule) Len() int           { return len(s) }
func (s schedule) Less(i, j int) bool { return s[i].next.Before(s[j].next) }
func (s schedule) Swap(i, j int)      { s[i], s[j] = s[j], s[i]; s[i].index = i; s[j].index = j }
func (s *schedule) Push(x any)        { e := x.(*scheduled); e.index = len(*s); *s = append(*s, e) }
func (s *schedule) Pop() any {
	old := *s
	e := old[len(old)-1]
	*s = old[:len(old)-1]
	return e
}

// Run checks monitors until ctx ends.
func (m *Monitoring) Run(ctx context.Context) error {
	results := make(chan db.CheckResult, 1024)
	var writer sync.WaitGroup
	writer.Go(func() { m.write(results) })
	defer writer.Wait()
	defer close(results)

	var checks sync.WaitGroup
	defer checks.Wait()
	slots := make(chan struct{}, cmp.Or(m.Concurrency, 512))

	entries := map[int64]*scheduled{}
	var due schedule
	if err := m.reload(ctx, entries, &due); err != nil {
		return err
	}
	reload := time.NewTicker(cmp.Or(m.Reload, 10*time.Second))
	defer reload.Stop()
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		wait := time.Hour
		if len(due) > 0 {
			wait = time.Until(due[0].next)
		}
		timer.Reset(max(wait, 0))
		select {
		case <-ctx.Done():
			return nil
		case <-reload.C:
			if err := m.reload(ctx, entries, &due); err != nil && ctx.Err() == nil {
				m.log().Error("monitors not reloaded", "err", err)
			}
		case <-timer.C:
			now := time.Now()
			for len(due) > 0 && !due[0].next.After(now) {
				e := due[0]
				planned, mon := e.next, e.monitor
				e.next = e.next.Add(mon.Interval)
				if e.next.Before(now) {
					e.next = now.Add(mon.Interval) // far behind (the machine slept): no burst of catch-up checks
				}
				heap.Fix(&due, 0)
				select {
				case slots <- struct{}{}:
				case <-ctx.Done():
					return nil
				}
				checks.Go(func() {
					defer func() { <-slots }()
					late := time.Since(planned)
					monitorLateness.Update(late.Seconds())
					if m.Late != nil {
						m.Late(late)
					}
					// A check cut short by shutdown says nothing of the server.
					if r, ok := m.check(ctx, mon); ok && ctx.Err() == nil {
						if r.OK {
							monitorChecksUp.Inc()
						} else {
							monitorChecksDown.Inc()
						}
						results <- r
					}
				})
			}
		}
	}
}

// reload brings the schedule in line with the active monitors: new ones
// start at a random point of their first interval, so that a thousand
// monitors made at once do not all check in the same second.
func (m *Monitoring) reload(ctx context.Context, entries map[int64]*scheduled, due *schedule) error {
	monitors, err := m.Store.ActiveMonitors(ctx)
	if err != nil {
		return err
	}
	seen := make(map[int64]bool, len(monitors))
	now := time.Now()
	for _, mon := range monitors {
		seen[mon.ID] = true
		if e, ok := entries[mon.ID]; ok {
			if e.monitor.Interval != mon.Interval {
				e.next = now.Add(m.firstDelay(mon))
				heap.Fix(due, e.index)
			}
			e.monitor = mon
			continue
		}
		e := &scheduled{monitor: mon, next: now.Add(m.firstDelay(mon))}
		entries[mon.ID] = e
		heap.Push(due, e)
	}
	for id, e := range entries {
		if !seen[id] {
			heap.Remove(due, e.index)
			delete(entries, id)
		}
	}
	return nil
}

// firstDelay is a random wait before a monitor's first check.
func (m *Monitoring) firstDelay(mon db.Monitor) time.Duration {
	return rand.N(min(mon.Interval, cmp.Or(m.Spread, mon.Interval)))
}

// CheckNow checks the monitors at once and stores the results as the
// schedule would, for tests that cannot wait for the schedule.
func (m *Monitoring) CheckNow(ctx context.Context, ids ...int64) error {
	var results []db.CheckResult
	for _, id := range ids {
		mon, err := m.Store.MonitorByID(ctx, id)
		if err != nil {
			return err
		}
		if r, ok := m.check(ctx, mon); ok {
			results = append(results, r)
		}
	}
	return m.Store.RecordChecks(ctx, results)
}

// check runs one check; a push monitor whose heartbeat is on time has
// nothing to record (the heartbeat did).
func (m *Monitoring) check(ctx context.Context, mon db.Monitor) (db.CheckResult, bool) {
	if mon.CheckType == db.CheckPush {
		return m.checkPush(ctx, mon)
	}
	ctx, cancel := context.WithTimeout(ctx, mon.Timeout)
	defer cancel()
	return m.checks().run(ctx, mon, m.Store.Now), true
}

func (m *Monitoring) checkPush(ctx context.Context, mon db.Monitor) (db.CheckResult, bool) {
	fresh, err := m.Store.MonitorByID(ctx, mon.ID)
	if err != nil {
		return db.CheckResult{}, false
	}
	last := fresh.CreatedAt
	if fresh.LastHeartbeatAt != nil {
		last = *fresh.LastHeartbeatAt
	}
	now := m.Store.Now()
	if now.Sub(last) <= mon.Interval+cmp.Or(m.PushGrace, 30*time.Second) {
		return db.CheckResult{}, false
	}
	return db.CheckResult{MonitorID: mon.ID, At: now, Error: "no heartbeat since " + last.Format(time.RFC3339), HeartbeatSeen: last}, true
}

// write stores results in batches: whatever has come within a moment, up
// to a few hundred, in one transaction.
func (m *Monitoring) write(results <-chan db.CheckResult) {
	const most = 500
	batch := make([]db.CheckResult, 0, most)
	flush := func() {
		if len(batch) == 0 {
			return
		}
		// Results in hand are written even while stopping.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := m.Store.RecordChecks(ctx, batch); err != nil {
			m.log().Error("check results not stored", "n", len(batch), "err", err)
		}
		batch = batch[:0]
	}
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case r, ok := <-results:
			if !ok {
				flush()
				return
			}
			batch = append(batch, r)
			if len(batch) == most {
				flush()
			}
		case <-tick.C:
			flush()
		}
	}
}

func (m *Monitoring) log() *slog.Logger {
	if m.Log != nil {
		return m.Log
	}
	return slog.Default()
}
