// Package jobs runs ELK's background work inside the server process.
package jobs

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Job is one piece of periodic work.
type Job interface {
	Name() string
	Interval() time.Duration
	Run(ctx context.Context) error
}

// Runner runs jobs on their intervals under one context; Stop waits for them.
type Runner struct {
	log    *slog.Logger
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// Start runs each job once at once and then on its interval, until Stop.
func Start(ctx context.Context, log *slog.Logger, jobs ...Job) *Runner {
	ctx, cancel := context.WithCancel(ctx)
	r := &Runner{log: log, cancel: cancel}
	for _, j := range jobs {
		r.wg.Add(1)
		go r.loop(ctx, j)
	}
	return r
}

func (r *Runner) loop(ctx context.Context, j Job) {
	defer r.wg.Done()
	t := time.NewTicker(j.Interval())
	defer t.Stop()
	for {
		if err := j.Run(ctx); err != nil && ctx.Err() == nil {
			r.log.Error("job failed", "job", j.Name(), "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Stop cancels the jobs and waits for them to return, or for ctx to end.
func (r *Runner) Stop(ctx context.Context) error {
	r.cancel()
	done := make(chan struct{})
	go func() { r.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
