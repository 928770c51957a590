package handlers

import "elk/db"

// recentNotices is how many of its latest notifications a company sees.
const recentNotices = 20

// noticeView is an outbox notice with its subject as its recipient read it.
type noticeView struct {
	db.Notice
	Subject string
}

func (s *Server) noticeViews(notices []db.Notice) []noticeView {
	out := make([]noticeView, len(notices))
	for i, n := range notices {
		out[i] = noticeView{Notice: n, Subject: s.composer.Subject(n)}
	}
	return out
}
