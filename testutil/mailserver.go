// Package testutil holds what every package's tests share: the test clock
// (ELK_TEST_NOW), the brief demo seeded once and copied, the portal serving
// it on a loopback port, and an SMTP server that keeps what it receives.
package testutil

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Mail is one message the server accepted, decoded.
type Mail struct {
	From    string
	To      []string
	Header  mail.Header
	Subject string // decoded from RFC 2047
	Text    string // the text/plain part
	HTML    string // the text/html part
	// Attachments are the parts sent as files.
	Attachments []MailAttachment
}

// MailAttachment is a file a message carries, decoded.
type MailAttachment struct {
	Name        string // decoded from RFC 2047
	ContentType string
	Data        []byte
}

// MailServer is an SMTP server on 127.0.0.1 that keeps every message.
type MailServer struct {
	Host string
	Port int

	t      testing.TB
	mu     sync.Mutex
	mails  []Mail
	refuse int // an SMTP code to answer every message with; 0 accepts
	srv    *smtp.Server
	added  chan struct{}
}

// StartMailServer starts a server on a free port, stopped after the test.
func StartMailServer(t testing.TB) *MailServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().(*net.TCPAddr)
	m := &MailServer{Host: "127.0.0.1", Port: addr.Port, t: t, added: make(chan struct{}, 1)}
	m.serve(ln)
	t.Cleanup(m.Stop)
	return m
}

func (m *MailServer) serve(ln net.Listener) {
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &mailSession{server: m}, nil }))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	m.mu.Lock()
	m.srv = srv
	m.mu.Unlock()
	go srv.Serve(ln)
}

// Stop shuts the server down: connections are refused until Start.
func (m *MailServer) Stop() {
	m.mu.Lock()
	srv := m.srv
	m.srv = nil
	m.mu.Unlock()
	if srv != nil {
		srv.Close()
	}
}

// Start listens again on the same port after Stop.
func (m *MailServer) Start() {
	m.t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(m.Host, strconv.Itoa(m.Port)))
	if err != nil {
		m.t.Fatal(err)
	}
	m.serve(ln)
}

// Refuse makes the server answer every message with the SMTP code: 451
// for a temporary failure, 550 for a permanent one, 0 to accept again.
func (m *MailServer) Refuse(code int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.refuse = code
}

// Mails returns the messages received so far.
func (m *MailServer) Mails() []Mail {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Mail(nil), m.mails...)
}

// WaitFor waits until n messages have arrived or the timeout passes, and
// returns what has arrived.
func (m *MailServer) WaitFor(n int, timeout time.Duration) []Mail {
	deadline := time.After(timeout)
	for {
		if got := m.Mails(); len(got) >= n {
			return got
		}
		select {
		case <-m.added:
		case <-deadline:
			return m.Mails()
		}
	}
}

type mailSession struct {
	server *MailServer
	from   string
	to     []string
}

func (s *mailSession) Reset()        { s.from, s.to = "", nil }
func (s *mailSession) Logout() error { return nil }

func (s *mailSession) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}

func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *mailSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := s.server
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.refuse != 0 {
		return &smtp.SMTPError{Code: m.refuse, EnhancedCode: smtp.EnhancedCode{m.refuse / 100, 0, 0}, Message: "Refused by the test"}
	}
	parsed, err := decodeMail(raw)
	if err != nil {
		m.t.Errorf("testutil: a malformed message arrived: %v\n%s", err, raw)
		return err
	}
	parsed.From, parsed.To = s.from, s.to
	m.mails = append(m.mails, parsed)
	select {
	case m.added <- struct{}{}:
	default:
	}
	return nil
}

// decodeMail reads a message as a mail client would: the subject's encoded
// words and each part's transfer encoding decoded.
func decodeMail(raw []byte) (Mail, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Mail{}, err
	}
	out := Mail{Header: msg.Header}
	if out.Subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return out, err
	}
	err = decodePart(&out, msg.Header, msg.Body)
	return out, err
}

// partHeader is a message's or a part's header.
type partHeader interface{ Get(key string) string }

func decodePart(out *Mail, h partHeader, body io.Reader) error {
	mediaType, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		return err
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if err := decodePart(out, p.Header, p); err != nil {
				return err
			}
		}
	}
	switch strings.ToLower(h.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	if disposition, dp, err := mime.ParseMediaType(h.Get("Content-Disposition")); err == nil && disposition == "attachment" {
		name, err := new(mime.WordDecoder).DecodeHeader(dp["filename"])
		if err != nil {
			return err
		}
		out.Attachments = append(out.Attachments, MailAttachment{Name: name, ContentType: mediaType, Data: b})
		return nil
	}
	switch mediaType {
	case "text/plain":
		out.Text = string(b)
	case "text/html":
		out.HTML = string(b)
	}
	return nil
}
