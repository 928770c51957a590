package views

import (
	"strings"
	"unicode/utf16"
)

// chatLimit is the longest text Telegram takes in one message, counted in
// UTF-16 code units as its Bot API counts them.
const chatLimit = 4096

// chatText is a notice as a Telegram message: the subject, the paragraphs
// and the link, as plain text (sent without parse_mode, so nothing in it
// is markup). A body too long is cut with «…», keeping the subject and the link.
func chatText(subject string, paragraphs []string, link string) string {
	head, tail := subject+"\n\n", "\n\n"+link
	body := strings.Join(paragraphs, "\n\n")
	room := chatLimit - utf16Len(head) - utf16Len(tail)
	if utf16Len(body) > room {
		body = cutUTF16(body, room-1) + "…"
	}
	return head + body + tail
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// cutUTF16 is the longest start of s that is at most n UTF-16 code units.
func cutUTF16(s string, n int) string {
	used := 0
	for i, r := range s {
		if used+utf16.RuneLen(r) > n {
			return s[:i]
		}
		used += utf16.RuneLen(r)
	}
	return s
}
