package handlers

import (
	"html/template"

	"elk/db"
)

// recentNotices is how many of its latest notifications a company sees.
const recentNotices = 20

// noticeView is an outbox notice with its subject as its recipient read it.
type noticeView struct {
	db.Notice
	Subject string
}

// noticeRows writes notices as the rows of О компании's table.
func (s *Server) noticeRows(p *Page, notices []db.Notice) template.HTML {
	rows := newTableRows(len(notices), p.T("notices.at"), p.T("notices.channel"), p.T("notices.recipient"), p.T("notices.subject"), p.T("notices.status"))
	for _, n := range notices {
		recipient := n.Recipient
		if n.Channel == db.ChannelSMS {
			recipient = formatPhone(recipient)
		}
		status := cell{text: p.T("notices.status_" + n.Status), span: "badge notice-" + n.Status}
		if n.SentAt != nil {
			status.note = p.DateTime(*n.SentAt)
		}
		rows.row(cell{text: p.DateTime(n.CreatedAt)}, cell{text: p.T("notices.channel_" + n.Channel)}, cell{text: recipient},
			cell{text: s.composer.Subject(n)}, status)
	}
	return rows.HTML()
}

func (s *Server) noticeViews(notices []db.Notice) []noticeView {
	out := make([]noticeView, len(notices))
	for i, n := range notices {
		out[i] = noticeView{Notice: n, Subject: s.composer.Subject(n)}
	}
	return out
}
