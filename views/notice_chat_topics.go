package views

import (
	"slices"
	"strings"

	"elk/db"
)

// chatTopics are what a linked chat will be told of, as catalog keys, for
// the bot's answer to the link.
type chatTopics []string

// chatTopicKinds name, for each kind a chat may get, its topic; kinds of
// one topic (down and up) name it once.
var chatTopicKinds = []struct{ kind, topic string }{
	{db.NoticeSMSLow, "notice.topic.balance"},
	{db.NoticeSMSNegative, "notice.topic.balance"},
	{db.NoticeServerDown, "notice.topic.servers"},
	{db.NoticeServerUp, "notice.topic.servers"},
	{db.NoticeLicenseExpiring, "notice.topic.licenses"},
	{db.NoticeTicketReply, "notice.topic.tickets"},
}

// chatTopicsOf are the topics of the kinds; every topic for an answer
// written before the answer named the kinds.
func chatTopicsOf(kinds []string) chatTopics {
	var out chatTopics
	for _, t := range chatTopicKinds {
		if (len(kinds) == 0 || slices.Contains(kinds, t.kind)) && !slices.Contains(out, t.topic) {
			out = append(out, t.topic)
		}
	}
	return out
}

// In lists the topics in the catalog's language: «a, b и c».
func (t chatTopics) In(c *Catalog) string {
	words := make([]string, len(t))
	for i, key := range t {
		words[i] = c.T(key)
	}
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	last := len(words) - 1
	return strings.Join(words[:last], ", ") + c.T("notice.topic.and") + words[last]
}
