package db

import (
	"context"
	"time"
)

// MonitorSummary is what a monitor's card shows from the hourly roll-up.
type MonitorSummary struct {
	Day, Week, Month Uptime        // over the last 24 hours, 7 and 30 days
	Hours            []MonitorHour // the last 24 hours with checks, oldest first
}

// MonitorSummary returns the monitor's uptimes and its last 24 hours as of
// now. The windows start at whole hours, as the roll-up's rows do.
func (s *Store) MonitorSummary(ctx context.Context, m Monitor, now time.Time) (MonitorSummary, error) {
	hour := now.UTC().Truncate(time.Hour)
	var sum MonitorSummary
	for _, w := range []struct {
		into *Uptime
		from time.Time
	}{{&sum.Day, hour.Add(-24 * time.Hour)}, {&sum.Week, hour.AddDate(0, 0, -7)}, {&sum.Month, hour.AddDate(0, 0, -30)}} {
		u, err := s.MonitorUptime(ctx, m.ID, w.from)
		if err != nil {
			return sum, err
		}
		*w.into = u
	}
	hours, err := s.MonitorHours(ctx, m.ID, hour.Add(-23*time.Hour))
	if err != nil {
		return sum, err
	}
	sum.Hours = hours
	return sum, nil
}
