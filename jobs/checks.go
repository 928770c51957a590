package jobs

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"elk/db"
)

// checker makes TCP and HTTP checks, sharing one HTTP transport.
type checker struct {
	client *http.Client
}

func newChecker() *checker {
	transport := &http.Transport{
		Proxy:       nil, // a client's server is reached directly
		DialContext: (&net.Dialer{KeepAlive: 30 * time.Second}).DialContext,
		// A fresh connection each check: thousands of monitors keep no idle
		// sockets, and a server that stops accepting is seen at once.
		DisableKeepAlives:   true,
		TLSHandshakeTimeout: 10 * time.Second,
		// Expired or self-signed certificates are what monitoring is
		// there to report, not a reason to see nothing.
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true},
	}
	return &checker{client: &http.Client{Transport: transport}}
}

// run checks a TCP or HTTP monitor within ctx's deadline.
func (c *checker) run(ctx context.Context, mon db.Monitor, now func() time.Time) db.CheckResult {
	r := db.CheckResult{MonitorID: mon.ID, At: now()}
	start := time.Now()
	var err error
	switch mon.CheckType {
	case db.CheckTCP:
		err = checkTCP(ctx, mon.Target)
	case db.CheckHTTP:
		r.CertExpiresAt, err = c.checkHTTP(ctx, mon)
	default:
		err = fmt.Errorf("unknown check type %q", mon.CheckType)
	}
	r.Latency = time.Since(start)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
			err = fmt.Errorf("no answer within %s", mon.Timeout)
		}
		r.Error = err.Error()
		return r
	}
	r.OK = true
	return r
}

func checkTCP(ctx context.Context, target string) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", target)
	if err != nil {
		return err
	}
	return conn.Close()
}

// checkHTTP GETs the URL and checks the status and, when asked, a word in
// the first 64 KB of the body; it returns the certificate's expiry.
func (c *checker) checkHTTP(ctx context.Context, mon db.Monitor) (*time.Time, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, mon.Target, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "ELK-monitoring/1")
	resp, err := c.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // without the URL, which the card shows anyway
		}
		return nil, err
	}
	defer resp.Body.Close()
	var expires *time.Time
	if resp.TLS != nil && len(resp.TLS.PeerCertificates) > 0 {
		t := resp.TLS.PeerCertificates[0].NotAfter
		expires = &t
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return expires, err
	}
	if resp.StatusCode < mon.ExpectStatusMin || resp.StatusCode > mon.ExpectStatusMax {
		return expires, fmt.Errorf("HTTP %d, expected %d–%d", resp.StatusCode, mon.ExpectStatusMin, mon.ExpectStatusMax)
	}
	if mon.ExpectWord != "" && !strings.Contains(string(body), mon.ExpectWord) {
		return expires, fmt.Errorf("the answer lacks %q", mon.ExpectWord)
	}
	return expires, nil
}
