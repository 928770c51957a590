package jobs

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"elk/views"
)

// SMTP security modes (ELK_SMTP_TLS).
const (
	SMTPPlain    = "none"     // no encryption: a relay on the same host
	SMTPStartTLS = "starttls" // upgrade the connection, refuse if the server cannot
	SMTPTLS      = "tls"      // implicit TLS from the first byte (port 465)
)

// SMTPConfig is where and how e-mail is sent.
type SMTPConfig struct {
	Host     string
	Port     int
	User     string
	Password string
	From     string // "ЕЛК <lk@example.ru>"
	TLS      string // SMTPPlain, SMTPStartTLS or SMTPTLS
	Timeout  time.Duration
}

// SMTPMailer sends e-mail through an SMTP server, one connection a message:
// notifications are few, and a fresh connection never goes stale.
type SMTPMailer struct {
	cfg    SMTPConfig
	domain string // of the From address, for Message-IDs
}

// NewSMTPMailer checks the settings and returns a mailer.
func NewSMTPMailer(cfg SMTPConfig) (*SMTPMailer, error) {
	from, err := mail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("ELK_SMTP_FROM %q: %w", cfg.From, err)
	}
	switch cfg.TLS {
	case SMTPPlain, SMTPStartTLS, SMTPTLS:
	default:
		return nil, fmt.Errorf("ELK_SMTP_TLS %q: want none, starttls or tls", cfg.TLS)
	}
	if cfg.Port <= 0 || cfg.Port > 65535 {
		return nil, fmt.Errorf("ELK_SMTP_PORT %d: out of range", cfg.Port)
	}
	_, domain, _ := strings.Cut(from.Address, "@")
	return &SMTPMailer{cfg: cfg, domain: domain}, nil
}

// SendMail sends one multipart message (plain text and HTML), with its
// attachments.
func (m *SMTPMailer) SendMail(ctx context.Context, to string, msg views.Message, messageID string) error {
	em := gomail.NewMsg()
	if err := em.From(m.cfg.From); err != nil {
		return err
	}
	if err := em.To(to); err != nil {
		return err
	}
	em.Subject(msg.Subject)
	em.SetMessageIDWithValue(messageID + "@" + m.domain)
	em.SetDate()
	em.SetBulk()
	em.SetBodyString(gomail.TypeTextPlain, msg.Text)
	em.AddAlternativeString(gomail.TypeTextHTML, msg.HTML)
	for _, a := range msg.Attachments {
		if err := em.AttachReader(a.Name, bytes.NewReader(a.Data), gomail.WithFileContentType(gomail.ContentType(a.ContentType))); err != nil {
			return err
		}
	}
	opts := []gomail.Option{gomail.WithPort(m.cfg.Port), gomail.WithTimeout(cmp.Or(m.cfg.Timeout, 30*time.Second))}
	switch m.cfg.TLS {
	case SMTPPlain:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case SMTPStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case SMTPTLS:
		opts = append(opts, gomail.WithSSL())
	}
	if m.cfg.User != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(m.cfg.User), gomail.WithPassword(m.cfg.Password))
	}
	client, err := gomail.NewClient(m.cfg.Host, opts...)
	if err != nil {
		return err
	}
	err = client.DialAndSendWithContext(ctx, em)
	switch {
	case err == nil || em.IsDelivered():
		return nil // a failing RSET or QUIT after the server took the message
	case smtpCode(err) >= 500:
		return fmt.Errorf("%w: %w", ErrRefused, err)
	}
	return err
}

// smtpCode is the SMTP reply code of a failed send, 0 when there was none.
func smtpCode(err error) int {
	var se *gomail.SendError
	if errors.As(err, &se) {
		return se.ErrorCode()
	}
	return 0
}
