package handlers

import (
	"strconv"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Forms with files are received a few at a time: each holds a connection
// and a temporary file for as long as its sender's link needs, so one user
// (or a script with their session) cannot take every slot.
const (
	uploadsPerUser   = 2
	uploadsInAll     = 8
	uploadsQueued    = 4 // per user, waiting for a slot
	uploadSlotWait   = 20 * time.Second
	uploadRetryAfter = 30 // seconds, told to a refused sender
)

// uploadGate counts the uploads running and waiting, per user and in all.
type uploadGate struct {
	all   chan struct{}
	mu    sync.Mutex
	users map[int64]*userUploads
}

type userUploads struct {
	running chan struct{}
	callers int // running and waiting
}

func newUploadGate() *uploadGate {
	return &uploadGate{all: make(chan struct{}, uploadsInAll), users: map[int64]*userUploads{}}
}

// enter waits for a slot of the user's and one of all; ok is false when
// the user has too many uploads under way or none came free in time.
func (g *uploadGate) enter(user int64) (leave func(), ok bool) {
	g.mu.Lock()
	u := g.users[user]
	if u == nil {
		u = &userUploads{running: make(chan struct{}, uploadsPerUser)}
		g.users[user] = u
	}
	if u.callers == uploadsPerUser+uploadsQueued {
		g.mu.Unlock()
		return nil, false
	}
	u.callers++
	g.mu.Unlock()

	timeout := time.NewTimer(uploadSlotWait)
	defer timeout.Stop()
	select {
	case u.running <- struct{}{}:
	case <-timeout.C:
		g.done(user, u)
		return nil, false
	}
	select {
	case g.all <- struct{}{}:
	case <-timeout.C:
		<-u.running
		g.done(user, u)
		return nil, false
	}
	return func() {
		<-g.all
		<-u.running
		g.done(user, u)
	}, true
}

func (g *uploadGate) done(user int64, u *userUploads) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if u.callers--; u.callers == 0 {
		delete(g.users, user)
	}
}

// uploadSlot lets a form with files through when a slot is free; a sender
// with too many under way is told to wait, after its body is read so that
// the browser shows that answer.
func (s *Server) uploadSlot(c *fiber.Ctx) error {
	leave, ok := s.uploads.enter(state(c).user.ID)
	if !ok {
		discardUpload(c)
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(uploadRetryAfter))
		return fiber.NewError(fiber.StatusTooManyRequests, "error.uploads_busy")
	}
	defer leave()
	return c.Next()
}
