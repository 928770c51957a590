package views

import (
	"regexp"
	"strconv"
	"strings"
)

// Failure is why something failed as a catalog key and its arguments, so
// that a client reads the reason in their language, never a library's text.
type Failure struct {
	Key  string
	Args []any
}

// In is the failure's text in the catalog's language.
func (f Failure) In(c *Catalog) string { return c.T(f.Key, f.Args...) }

var httpStatus = regexp.MustCompile(`^HTTP (\d{3}), expected`)

// checkFailures are the marks of a failed check's recorded error, the first
// that matches naming it; the error comes from jobs' checker or Go's net package.
var checkFailures = []struct {
	key   string
	marks []string
}{
	{"monitoring.fail_content", []string{"the answer lacks "}},
	{"monitoring.fail_heartbeat", []string{"no heartbeat since"}},
	{"monitoring.fail_timeout", []string{"no answer within", "i/o timeout", "deadline exceeded", "Timeout"}},
	{"monitoring.fail_refused", []string{"connection refused"}},
	{"monitoring.fail_dns", []string{"no such host", "lookup "}},
	{"monitoring.fail_tls", []string{"tls:", "x509:", "certificate"}},
	{"monitoring.fail_reset", []string{"connection reset", "broken pipe", "EOF"}},
	{"monitoring.fail_unreachable", []string{"unreachable", "no route to host"}},
}

// CheckFailure names why a monitor's check failed from its recorded error
// («dial tcp 127.0.0.1:9: connect: connection refused» is a refused connection).
func CheckFailure(raw string) Failure {
	if m := httpStatus.FindStringSubmatch(raw); m != nil {
		code, _ := strconv.Atoi(m[1])
		return Failure{Key: "monitoring.fail_status", Args: []any{code}}
	}
	for _, f := range checkFailures {
		for _, mark := range f.marks {
			if strings.Contains(raw, mark) {
				return Failure{Key: f.key}
			}
		}
	}
	return Failure{Key: "monitoring.fail_other"}
}
