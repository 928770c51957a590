package handlers

import (
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Files are received a few at a time: each upload holds a connection and
// temporary files for as long as its sender's link needs, so one user, or
// one company's users together, cannot take every slot. A form takes a
// slot at its first file; one without files never waits.
const (
	uploadsPerUser    = 2
	uploadsPerCompany = 4 // staff count as one company
	uploadsInAll      = 8
	uploadsQueued     = 4 // per user, waiting for a slot
	uploadSlotWait    = 20 * time.Second
	uploadRetryAfter  = 30 * time.Second
)

var (
	errUploadsBusyUser = fiber.NewError(fiber.StatusTooManyRequests, "error.uploads_busy")
	errUploadsBusy     = fiber.NewError(fiber.StatusTooManyRequests, "error.uploads_busy_all")
)

// uploadGate counts the uploads running, per user, per company and in all.
type uploadGate struct {
	all       chan struct{}
	wait      time.Duration // for a slot, before the sender is refused
	mu        sync.Mutex
	users     map[int64]*slots
	companies map[int64]*slots
}

// slots are one user's or one company's: those running, and the callers
// running or waiting, so that the entry goes once nobody uses it.
type slots struct {
	running chan struct{}
	callers int
}

func newUploadGate() *uploadGate {
	return &uploadGate{all: make(chan struct{}, uploadsInAll), wait: uploadSlotWait,
		users: map[int64]*slots{}, companies: map[int64]*slots{}}
}

// enterUpload gives the request's upload a slot (see uploadGate.enter).
func (s *Server) enterUpload(c *fiber.Ctx) (leave func(), err error) {
	st := state(c)
	var company int64 // staff
	if st.company != nil {
		company = st.company.ID
	}
	leave, err = s.uploads.enter(st.user.ID, company)
	if err != nil {
		retryAfter(c, uploadRetryAfter)
	}
	return leave, err
}

// enter waits for a slot of the user's, of their company's and of all;
// the sender is refused at once when they have too many uploads under
// way, or when no slot came free in time.
func (g *uploadGate) enter(userID, companyID int64) (leave func(), err error) {
	g.mu.Lock()
	user, company := g.take(g.users, userID, uploadsPerUser), g.take(g.companies, companyID, uploadsPerCompany)
	tooMany := user.callers > uploadsPerUser+uploadsQueued
	g.mu.Unlock()
	var held []chan struct{}
	release := func() {
		for _, ch := range held {
			<-ch
		}
		g.mu.Lock()
		g.give(g.users, userID, user)
		g.give(g.companies, companyID, company)
		g.mu.Unlock()
	}
	if tooMany {
		release()
		return nil, errUploadsBusyUser
	}
	timeout := time.NewTimer(g.wait)
	defer timeout.Stop()
	for _, ch := range []chan struct{}{user.running, company.running, g.all} {
		select {
		case ch <- struct{}{}:
			held = append(held, ch)
		case <-timeout.C:
			release()
			if ch == user.running {
				return nil, errUploadsBusyUser
			}
			return nil, errUploadsBusy
		}
	}
	return release, nil
}

// take counts a caller of key's slots, making them if needed; g.mu held.
func (g *uploadGate) take(m map[int64]*slots, key int64, size int) *slots {
	sl := m[key]
	if sl == nil {
		sl = &slots{running: make(chan struct{}, size)}
		m[key] = sl
	}
	sl.callers++
	return sl
}

// give uncounts a caller; g.mu held.
func (g *uploadGate) give(m map[int64]*slots, key int64, sl *slots) {
	if sl.callers--; sl.callers == 0 {
		delete(m, key)
	}
}
