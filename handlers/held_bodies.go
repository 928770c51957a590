package handlers

import (
	"context"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/sync/semaphore"
)

// Bodies over smallBody held in memory at once share heldBodiesBudget; a
// known caller (a session, an API token) holds at most callerBodies of it,
// strangers together strangerBodies and one address strangerAddressBodies,
// so that no one sender, nor a crowd of strangers, spends it all. A body
// that finds the budget spent waits a little, then is told to come back.
const (
	heldBodiesBudget      = 64 << 20
	callerBodies          = 4 << 20
	strangerBodies        = 8 << 20
	strangerAddressBodies = 256 << 10
	heldBodiesWait        = 10 * time.Second
)

type heldBodies struct {
	all       *semaphore.Weighted
	mu        sync.Mutex
	byCaller  map[string]int64
	strangers int64
}

func newHeldBodies() *heldBodies {
	return &heldBodies{all: semaphore.NewWeighted(heldBodiesBudget), byCaller: map[string]int64{}}
}

// take reserves n bytes for a caller's body; release gives them back.
func (h *heldBodies) take(ctx context.Context, caller string, known bool, n int64) (release func(), err error) {
	h.mu.Lock()
	share := int64(callerBodies)
	if !known {
		share = strangerAddressBodies
	}
	if h.byCaller[caller]+n > share || (!known && h.strangers+n > strangerBodies) {
		h.mu.Unlock()
		return nil, fiber.ErrTooManyRequests
	}
	h.byCaller[caller] += n
	if !known {
		h.strangers += n
	}
	h.mu.Unlock()
	giveBack := func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		if h.byCaller[caller] -= n; h.byCaller[caller] == 0 {
			delete(h.byCaller, caller)
		}
		if !known {
			h.strangers -= n
		}
	}
	ctx, cancel := context.WithTimeout(ctx, heldBodiesWait)
	defer cancel()
	if err := h.all.Acquire(ctx, n); err != nil {
		giveBack()
		return nil, fiber.ErrTooManyRequests
	}
	return func() {
		h.all.Release(n)
		giveBack()
	}, nil
}
