package jobs

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"elk/db"
	"elk/views"
)

// Mailer sends one e-mail.
type Mailer interface {
	SendMail(ctx context.Context, to string, m views.Message, messageID string) error
}

// SMSGateway sends one SMS.
type SMSGateway interface {
	// key names the message: the same key is the same message, for a
	// gateway that can tell a repeated request.
	SendSMS(ctx context.Context, phone, text, key string) error
}

// InvoiceFiles gives the PDF of the invoice a notice carries (its params
// name it), as Документы serves it, when the notice is sent: the outbox
// keeps no files.
type InvoiceFiles interface {
	InvoiceFile(ctx context.Context, companyID, invoiceID int64) (views.Attachment, error)
}

// TelegramSender sends one message to a Telegram chat.
type TelegramSender interface {
	SendMessage(ctx context.Context, chatID, text string) error
}

// ErrNotConfigured fails a notice whose channel has no settings at once:
// retrying cannot help until the operator configures it and resends.
var ErrNotConfigured = errors.New("not configured")

// ErrRefused marks a server's permanent refusal (an SMTP 5xx answer):
// the notice fails at once rather than repeating it for hours.
var ErrRefused = errors.New("refused")

// attemptLease is how long a claimed notice is not due again: far longer
// than any attempt can last, so that no two attempts ever overlap, and the
// retry time of a notice whose process died while sending.
const attemptLease = 10 * time.Minute

// OutboxStore is what Outbox needs from the database.
type OutboxStore interface {
	Now() time.Time
	DueNotices(ctx context.Context, limit int) ([]db.Notice, error)
	ClaimNotice(ctx context.Context, id int64, leaseUntil time.Time) (db.Notice, bool, error)
	NoticeSent(ctx context.Context, id int64) error
	NoticeAttemptFailed(ctx context.Context, id int64, reason string, final bool, retryAt time.Time) error
	NoticeDeferred(ctx context.Context, id int64, reason string, retryAt time.Time) error
	TelegramChatBlocked(ctx context.Context, chatID string) error
	// Invoice is read when a balance alert that carries one is sent.
	Invoice(ctx context.Context, companyID, id int64) (db.Invoice, error)
}

// retryLater is an error of a server that asked to be called again after
// a while (Telegram's 429 with retry_after).
type retryLater interface {
	error
	RetryAfter() time.Duration
}

// Outbox delivers the notifications waiting in the outbox. Each attempt is
// recorded before it is made, so a crash never loses a notice; a notice is
// marked sent right after the server accepts it, so only a crash in that
// instant can repeat one, and then with the same Message-ID.
type Outbox struct {
	Store    OutboxStore
	Composer *views.Composer
	Mail     Mailer         // nil when SMTP is not configured
	SMS      SMSGateway     // nil when no SMS gateway is configured
	Telegram TelegramSender // nil when no Telegram bot is configured
	Invoices InvoiceFiles
	Log      *slog.Logger
	// MaxAttempts is how many times a notice is tried before it is given
	// up as failed; 0 means 10 (about three hours of retries).
	MaxAttempts int
	// Backoff is the wait after the n-th attempt; nil means 30 s doubling up to an hour.
	Backoff func(attempt int) time.Duration
	// SendTimeout bounds one attempt; 0 means 30 s.
	SendTimeout time.Duration
	// Every is how often the outbox is polled; 0 means 2 s.
	Every time.Duration
}

// Name implements Job.
func (o *Outbox) Name() string { return "outbox" }

// Interval implements Job.
func (o *Outbox) Interval() time.Duration { return cmp.Or(o.Every, 2*time.Second) }

// Run delivers every notice that is due, a few at a time, so that one slow
// server holds up only its own messages.
func (o *Outbox) Run(ctx context.Context) error {
	const batch, parallel = 50, 4
	for ctx.Err() == nil {
		due, err := o.Store.DueNotices(ctx, batch)
		if err != nil {
			return err
		}
		var wg sync.WaitGroup
		slots := make(chan struct{}, parallel)
		for _, n := range due {
			slots <- struct{}{}
			wg.Go(func() {
				defer func() { <-slots }()
				if err := o.Deliver(ctx, n.ID); err != nil && ctx.Err() == nil {
					o.log().Warn("notice not delivered", "id", n.ID, "channel", n.Channel, "to", n.Recipient, "err", err)
				}
			})
		}
		wg.Wait()
		if len(due) < batch {
			return nil
		}
	}
	return nil
}

// Deliver makes one attempt at a notice that is due now. It returns the
// attempt's error; a notice no longer due (sent meanwhile) is no error.
func (o *Outbox) Deliver(ctx context.Context, id int64) error {
	n, ok, err := o.Store.ClaimNotice(ctx, id, o.Store.Now().Add(attemptLease))
	if err != nil || !ok {
		return err
	}
	sendErr := o.send(ctx, n)
	// The outcome is recorded even when shutdown cancels ctx meanwhile: a
	// message the server took must not stay pending and go out again.
	record, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if sendErr == nil {
		return o.Store.NoticeSent(record, n.ID)
	}
	if rl := retryLater(nil); errors.As(sendErr, &rl) && rl.RetryAfter() > 0 {
		return errors.Join(sendErr, o.Store.NoticeDeferred(record, n.ID, sendErr.Error(), o.Store.Now().Add(rl.RetryAfter())))
	}
	if errors.Is(sendErr, ErrChatBlocked) {
		if err := o.Store.TelegramChatBlocked(record, n.Recipient); err != nil {
			sendErr = errors.Join(sendErr, err)
		}
	}
	final := errors.Is(sendErr, ErrNotConfigured) || errors.Is(sendErr, ErrRefused) || n.Attempts >= cmp.Or(o.MaxAttempts, 10)
	retryAt := o.Store.Now().Add(o.backoff(n.Attempts))
	return errors.Join(sendErr, o.Store.NoticeAttemptFailed(record, n.ID, sendErr.Error(), final, retryAt))
}

func (o *Outbox) send(ctx context.Context, n db.Notice) error {
	if err := o.alertInvoiceNow(ctx, &n); err != nil {
		return err
	}
	var file *views.Attachment
	if n.Channel == db.ChannelEmail && o.Mail != nil {
		file = o.alertInvoiceFile(ctx, &n)
	}
	m, err := o.Composer.Compose(n)
	if err != nil {
		return err
	}
	if file != nil {
		m.Attachments = append(m.Attachments, *file)
	}
	ctx, cancel := context.WithTimeout(ctx, cmp.Or(o.SendTimeout, 30*time.Second))
	defer cancel()
	switch n.Channel {
	case db.ChannelEmail:
		if o.Mail == nil {
			return fmt.Errorf("SMTP is %w (ELK_SMTP_HOST)", ErrNotConfigured)
		}
		return o.Mail.SendMail(ctx, n.Recipient, m, fmt.Sprintf("outbox-%d.%s", n.ID, n.CreatedAt.Format("20060102150405")))
	case db.ChannelSMS:
		if o.SMS == nil {
			return fmt.Errorf("the SMS gateway is %w (ELK_SMS_GATEWAY_URL)", ErrNotConfigured)
		}
		return o.SMS.SendSMS(ctx, n.Recipient, m.SMS, n.DedupeKey)
	case db.ChannelTelegram:
		if o.Telegram == nil {
			return fmt.Errorf("the Telegram bot is %w (ELK_TELEGRAM_TOKEN)", ErrNotConfigured)
		}
		return o.Telegram.SendMessage(ctx, n.Recipient, m.Chat)
	}
	return fmt.Errorf("unknown channel %q", n.Channel)
}

// alertInvoiceNow brings the invoice a low-balance alert carries up to
// date when the alert is sent: one paid or cancelled since is dropped (the
// alert offers the filled-in form instead), one paid in part says what is
// still due.
func (o *Outbox) alertInvoiceNow(ctx context.Context, n *db.Notice) error {
	if n.Params.InvoiceID == 0 || (n.Kind != db.NoticeSMSLow && n.Kind != db.NoticeSMSNegative) {
		return nil
	}
	inv, err := o.Store.Invoice(ctx, n.CompanyID, n.Params.InvoiceID)
	switch {
	case errors.Is(err, db.ErrNotFound) || err == nil && (inv.Status == db.InvoicePaid || inv.Status == db.InvoiceCancelled):
		n.Params.InvoiceID, n.Params.Number = 0, ""
	case err != nil:
		return fmt.Errorf("the alert's invoice: %w", err)
	case inv.Status == db.InvoicePartiallyPaid:
		n.Params.Due = inv.Amount - inv.Paid
	}
	return nil
}

// alertInvoiceFile is the PDF of the invoice a low-balance alert carries.
// A file that cannot be read or drawn must not cost the alert: it goes
// without it, pointing to Документы, and staff are told in the log.
func (o *Outbox) alertInvoiceFile(ctx context.Context, n *db.Notice) *views.Attachment {
	if n.Params.InvoiceID == 0 || (n.Kind != db.NoticeSMSLow && n.Kind != db.NoticeSMSNegative) {
		return nil
	}
	err := fmt.Errorf("invoice files are %w", ErrNotConfigured)
	if o.Invoices != nil {
		var a views.Attachment
		if a, err = o.Invoices.InvoiceFile(ctx, n.CompanyID, n.Params.InvoiceID); err == nil {
			return &a
		}
	}
	o.log().Warn("the balance alert goes without its invoice file", "notice", n.ID, "invoice", n.Params.InvoiceID, "err", err)
	n.Params.Unattached = true
	return nil
}

func (o *Outbox) backoff(attempt int) time.Duration {
	if o.Backoff != nil {
		return o.Backoff(attempt)
	}
	d := 30 * time.Second << min(attempt-1, 7)
	return min(d, time.Hour)
}

func (o *Outbox) log() *slog.Logger {
	if o.Log != nil {
		return o.Log
	}
	return slog.Default()
}
