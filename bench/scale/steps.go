package scale

import (
	"fmt"
	"time"
)

// Step is one part of a fill, named as its progress line prints it.
type Step struct {
	What string
	Do   func() error
}

// Run does the steps in order, printing how long each took and, at the
// end, the whole fill since started.
func Run(steps []Step, started time.Time) error {
	for _, s := range steps {
		t := time.Now()
		if err := s.Do(); err != nil {
			return err
		}
		fmt.Printf("%-20s %s\n", s.What, time.Since(t).Round(time.Second))
	}
	fmt.Printf("%-20s %s\n", "filled in", time.Since(started).Round(time.Second))
	return nil
}
