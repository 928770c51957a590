package testutil

import (
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"elk/db"
)

// NowVariable names the environment variable that says when every test
// clock starts, in RFC 3339 ("2028-02-29T20:30:00Z"). CI sets it to a date
// far ahead, so that a test written for today's calendar fails at once
// rather than on the day the calendar reaches it.
const NowVariable = "ELK_TEST_NOW"

// Moscow is the vendor's calendar, which dates and numbers documents, and
// the demo's «Такси Пример»'s.
var Moscow = db.Company{Timezone: "Europe/Moscow"}.Location()

// start is read once per test binary: with ELK_TEST_NOW unset, a demo
// seeded at the start and a test run half a minute later still share one
// day, even when midnight falls in between.
var start = sync.OnceValues(func() (time.Time, error) { return startAt(os.Getenv(NowVariable)) })

// Start is the instant test clocks start at: ELK_TEST_NOW, or the moment
// the test binary first asked, when it is unset.
func Start() (time.Time, error) { return start() }

// startAt reads a value of ELK_TEST_NOW; empty is the real now.
func startAt(value string) (time.Time, error) {
	if value == "" {
		return time.Now().UTC(), nil
	}
	at, err := time.Parse(time.RFC3339, value)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s=%q is not an RFC 3339 time like 2028-02-29T20:30:00Z: %w", NowVariable, value, err)
	}
	return at.UTC(), nil
}

// Clock is a test's time. It stands still where it starts and moves only
// when the test moves it, so that what a test sees never depends on how
// fast the machine runs it.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock starts a clock at Start.
func NewClock(t testing.TB) *Clock {
	t.Helper()
	at, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	return &Clock{now: at}
}

// Now is the clock's time; a store reads it through SetClock(clock.Now).
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Set moves the clock to at.
func (c *Clock) Set(at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = at.UTC()
}

// Day is the clock's date at hour:minute UTC, for a test that needs a known
// time of day on whatever date it runs.
func (c *Clock) Day(hour, minute int) time.Time {
	y, m, d := c.Now().Date()
	return time.Date(y, m, d, hour, minute, 0, 0, time.UTC)
}
