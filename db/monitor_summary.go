package db

import (
	"context"
	"sync"
	"time"
)

// MonitorSummary is what a monitor's card shows from the hourly roll-up.
type MonitorSummary struct {
	Day, Week, Month Uptime        // over the last 24 hours, 7 and 30 days
	Hours            []MonitorHour // the last 24 hours with checks, oldest first; shared, not to be changed
}

// summaryKey names the roll-up's state a summary was read in. The roll-up
// changes only when a check is recorded, which moves the monitor's
// last_checked_at in the same transaction, and the windows move with the hour.
type summaryKey struct {
	lastChecked time.Time
	hour        time.Time
}

type summaryEntry struct {
	key     summaryKey
	summary MonitorSummary
}

// summaryMemo remembers each monitor's last summary: the Мониторинг tab
// refreshes its cards every five seconds in every open browser, and summing
// a month of hours is most of its work.
type summaryMemo struct {
	mu      sync.Mutex
	entries map[int64]summaryEntry
}

// maxSummaries bounds the memo; deleted monitors' entries go when it is full.
const maxSummaries = 10_000

func (m *summaryMemo) get(id int64, key summaryKey) (MonitorSummary, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.entries[id]
	return e.summary, ok && e.key == key
}

func (m *summaryMemo) put(id int64, key summaryKey, s MonitorSummary) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.entries == nil || len(m.entries) >= maxSummaries {
		m.entries = make(map[int64]summaryEntry)
	}
	m.entries[id] = summaryEntry{key, s}
}

// MonitorSummary returns the monitor's uptimes and its last 24 hours as of
// now, read again only after its next check or at the next hour.
func (s *Store) MonitorSummary(ctx context.Context, m Monitor, now time.Time) (MonitorSummary, error) {
	key := summaryKey{hour: now.UTC().Truncate(time.Hour)}
	if m.LastCheckedAt != nil {
		key.lastChecked = m.LastCheckedAt.UTC()
	}
	if sum, ok := s.summaries.get(m.ID, key); ok {
		return sum, nil
	}
	var sum MonitorSummary
	for _, w := range []struct {
		into *Uptime
		from time.Time
	}{{&sum.Day, key.hour.Add(-24 * time.Hour)}, {&sum.Week, key.hour.AddDate(0, 0, -7)}, {&sum.Month, key.hour.AddDate(0, 0, -30)}} {
		u, err := s.MonitorUptime(ctx, m.ID, w.from)
		if err != nil {
			return sum, err
		}
		*w.into = u
	}
	hours, err := s.MonitorHours(ctx, m.ID, key.hour.Add(-23*time.Hour))
	if err != nil {
		return sum, err
	}
	sum.Hours = hours
	s.summaries.put(m.ID, key, sum)
	return sum, nil
}
