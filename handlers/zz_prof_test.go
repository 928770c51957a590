package handlers_test

import "testing"

func BenchmarkZZCompany(b *testing.B) {
	e := newEnv(b)
	c := e.loggedIn("taxi", "taxi123")
	for _, path := range []string{"/company", "/services/1"} {
		b.Run(path, func(b *testing.B) {
			for b.Loop() {
				if r := c.get(path); r.Status != 200 {
					b.Fatal(r.Status)
				}
			}
		})
	}
}
