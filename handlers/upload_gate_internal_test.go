package handlers

import (
	"errors"
	"testing"
	"time"
)

// A user runs two uploads and queues four; a company runs four; the
// portal eight. A refused or finished upload gives its slots back.
func TestUploadGate(t *testing.T) {
	g := newUploadGate()
	g.wait = 50 * time.Millisecond
	enter := func(user, company int64) func() {
		t.Helper()
		leave, err := g.enter(user, company)
		if err != nil {
			t.Fatalf("user %d of company %d: %v", user, company, err)
		}
		return leave
	}
	var leaves []func()
	for user := int64(1); user <= 2; user++ {
		leaves = append(leaves, enter(user, 1), enter(user, 1))
	}
	if _, err := g.enter(1, 1); !errors.Is(err, errUploadsBusyUser) {
		t.Errorf("a user's third upload: %v", err)
	}
	if _, err := g.enter(3, 1); !errors.Is(err, errUploadsBusy) {
		t.Errorf("the company's fifth upload: %v", err)
	}
	leaves = append(leaves, enter(4, 2), enter(5, 2), enter(6, 0), enter(7, 0))
	if _, err := g.enter(8, 3); !errors.Is(err, errUploadsBusy) {
		t.Errorf("the portal's ninth upload: %v", err)
	}

	// Four of the user's uploads wait; a seventh is refused at once.
	g.wait = time.Minute
	got := make(chan error, 4)
	for range 4 {
		go func() {
			leave, err := g.enter(1, 1)
			if err == nil {
				leave()
			}
			got <- err
		}()
	}
	for g.callersOf(1) != 2+4 {
		time.Sleep(time.Millisecond)
	}
	if _, err := g.enter(1, 1); !errors.Is(err, errUploadsBusyUser) {
		t.Errorf("a user's seventh upload: %v", err)
	}
	for _, leave := range leaves {
		leave()
	}
	for range 4 {
		if err := <-got; err != nil {
			t.Errorf("a queued upload: %v", err)
		}
	}
	if len(g.users) != 0 || len(g.companies) != 0 || len(g.all) != 0 {
		t.Errorf("slots left: %d users, %d companies, %d in all", len(g.users), len(g.companies), len(g.all))
	}
}

func (g *uploadGate) callersOf(user int64) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	if sl := g.users[user]; sl != nil {
		return sl.callers
	}
	return 0
}
