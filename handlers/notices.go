package handlers

import (
	"elk/db"
	"elk/views"
)

// recentNotices is how many of its latest notifications a company sees.
const recentNotices = 20

// noticeView is an outbox notice with its subject as its recipient read it.
type noticeView struct {
	db.Notice
	Subject string
}

// noticeRow is a notice as a row of О компании's table, ready to print.
type noticeRow struct {
	At        string
	Channel   string
	Recipient string
	Subject   string
	Status    badge // with when it was sent, once it was
}

// noticeRows are notices as the rows of О компании's table.
func (s *Server) noticeRows(p *Page, notices []db.Notice) []noticeRow {
	rows := make([]noticeRow, len(notices))
	for i, n := range notices {
		r := noticeRow{At: p.DateTime(n.CreatedAt), Channel: p.T("notices.channel_" + n.Channel), Recipient: recipientText(n.Channel, n.Recipient),
			Subject: s.composer.Subject(n), Status: badge{Class: "badge notice-" + n.Status, Text: p.T("notices.status_" + n.Status)}}
		if n.SentAt != nil {
			r.Status.Note = p.DateTime(*n.SentAt)
		}
		// The portal's own settings missing is no fault of the client's:
		// a grey «Не отправлено» with why, not a red «Не доставлено».
		if n.Status == db.NoticeFailed && views.NotConfigured(n.LastError) {
			r.Status = badge{Class: "badge notice-unsent", Text: p.T("notices.status_unsent"), Note: p.T("notices.unsent_" + n.Channel)}
		}
		rows[i] = r
	}
	return rows
}

// recipientText is a notice's address as people see it: a phone
// formatted, a Telegram chat id masked, an e-mail as it is.
func recipientText(channel, recipient string) string {
	switch channel {
	case db.ChannelSMS:
		return formatPhone(recipient)
	case db.ChannelTelegram:
		return db.MaskChatID(recipient)
	}
	return recipient
}

func (s *Server) noticeViews(notices []db.Notice) []noticeView {
	out := make([]noticeView, len(notices))
	for i, n := range notices {
		out[i] = noticeView{Notice: n, Subject: s.composer.Subject(n)}
	}
	return out
}

// NoticeFailure is why a notice was not delivered, in the page's language.
func (p *Page) NoticeFailure(raw string) string { return views.NoticeFailure(raw).In(p.cat) }
