package views

import "strings"

// noticeFailures are the marks of a notice's recorded failure, the first
// that matches naming it; the reasons come from jobs' outbox and mailers.
var noticeFailures = []struct {
	key   string
	marks []string
}{
	{"outbox.reason_no_smtp", []string{"(ELK_SMTP_HOST)"}},
	{"outbox.reason_no_sms", []string{"(ELK_SMS_GATEWAY_URL)"}},
	{"outbox.reason_no_telegram", []string{"(ELK_TELEGRAM_TOKEN)"}},
	{"outbox.reason_telegram_blocked", []string{"the bot is blocked in the chat"}},
	{"outbox.reason_telegram_unlinked", []string{"the chat was unlinked"}},
	{"outbox.reason_telegram_wait", []string{"Telegram asked to wait"}},
	{"outbox.reason_telegram", []string{"Telegram answered"}},
	{"outbox.reason_refused", []string{"refused: "}},
	{"outbox.reason_gateway", []string{"gateway answered"}},
	{"outbox.reason_timeout", []string{"i/o timeout", "deadline exceeded", "Timeout"}},
}

// NoticeFailure names why a notice was not delivered from its recorded reason.
func NoticeFailure(raw string) Failure {
	for _, f := range noticeFailures {
		for _, mark := range f.marks {
			if strings.Contains(raw, mark) {
				return Failure{Key: f.key}
			}
		}
	}
	return Failure{Key: "outbox.reason_other"}
}

// NotConfigured reports whether a notice failed only because the portal
// has no mail, SMS or Telegram settings: nothing the recipient did or can fix.
func NotConfigured(raw string) bool {
	key := NoticeFailure(raw).Key
	return key == "outbox.reason_no_smtp" || key == "outbox.reason_no_sms" || key == "outbox.reason_no_telegram"
}
