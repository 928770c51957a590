package handlers

import (
	"context"
	"fmt"
	"testing"
)

// One caller holds at most its share; strangers at most theirs, one
// address less; what is given back can be taken again.
func TestHeldBodiesShares(t *testing.T) {
	h := newHeldBodies()
	ctx := context.Background()
	take := func(caller string, known bool, n int64) (func(), bool) {
		release, err := h.take(ctx, caller, known, n)
		return release, err == nil
	}
	var releases []func()
	for range 4 {
		r, ok := take("session:a", true, 1<<20)
		if !ok {
			t.Fatal("a caller's first 4 MB refused")
		}
		releases = append(releases, r)
	}
	if _, ok := take("session:a", true, 1); ok {
		t.Error("a caller held more than its share")
	}
	if r, ok := take("session:b", true, 1<<20); !ok {
		t.Error("another caller refused")
	} else {
		r()
	}
	for range 8 {
		r, ok := take("ip:10.0.0.1", false, 32<<10)
		if !ok {
			t.Fatal("an address's first 256 KB refused")
		}
		releases = append(releases, r)
	}
	if _, ok := take("ip:10.0.0.1", false, 1); ok {
		t.Error("an address held more than its share")
	}
	for i := 2; h.strangers+32<<10 <= strangerBodies; i++ {
		r, ok := take(fmt.Sprintf("ip:10.0.%d.%d", i/256, i%256), false, 32<<10)
		if !ok {
			t.Fatalf("strangers refused at %d bytes", h.strangers)
		}
		releases = append(releases, r)
	}
	if _, ok := take("ip:10.9.9.9", false, 32<<10); ok {
		t.Error("strangers together held more than theirs")
	}
	for _, r := range releases {
		r()
	}
	if len(h.byCaller) != 0 || h.strangers != 0 {
		t.Errorf("left held: %v, strangers %d", h.byCaller, h.strangers)
	}
	if r, ok := take("session:a", true, 4<<20); !ok {
		t.Error("a caller's share not given back")
	} else {
		r()
	}
}
