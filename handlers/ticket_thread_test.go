package handlers_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"elk/db"
)

// longThread is a ticket of «Такси Пример» with 25 messages of the client
// («сообщение 1» … «сообщение 25») and an internal note after every fifth
// («заметка 5» … «заметка 25»). Message 3 and note 5 carry a file each.
type longThread struct {
	id       int64
	messages map[string]int64 // entry ids by text
}

func newLongThread(t *testing.T, e *env) longThread {
	t.Helper()
	ctx := context.Background()
	client, support := actorOf(e, "taxi"), actorOf(e, "support")
	th := longThread{messages: map[string]int64{}}
	var err error
	for i := 1; i <= 25; i++ {
		text := fmt.Sprintf("сообщение %d", i)
		var files []db.Attachment
		if i == 3 {
			files = []db.Attachment{{Name: "журнал-3.log", ContentType: "text/plain; charset=utf-8", Size: int64(len(logLines)), Content: bytes.NewReader(logLines)}}
		}
		if i == 1 {
			th.id, err = e.Store.OpenTicket(ctx, client, 1, db.NewTicket{Subject: "Длинная переписка", Priority: "normal", Body: text})
		} else {
			err = e.Store.ClientReply(ctx, client, 1, th.id, text, files)
		}
		if err != nil {
			t.Fatal(err)
		}
		th.messages[text] = int64(e.sqlInt(`SELECT max(id) FROM ticket_messages`))
		if i%5 == 0 {
			note := fmt.Sprintf("заметка %d", i)
			if i == 5 {
				files = []db.Attachment{{Name: "для-своих.log", ContentType: "text/plain; charset=utf-8", Size: int64(len(logLines)), Content: bytes.NewReader(logLines)}}
			}
			if err := e.Store.StaffReply(ctx, support, th.id, db.MessageNote, note, files, ""); err != nil {
				t.Fatal(err)
			}
			th.messages[note] = int64(e.sqlInt(`SELECT max(id) FROM ticket_messages`))
		}
	}
	return th
}

// shownEntries are the thread's entries shown, in order.
func shownEntries(r *response) []string {
	var out []string
	r.Find("li.message .prose").Each(func(_ int, s *goquery.Selection) { out = append(out, strings.TrimSpace(s.Text())) })
	return out
}

// longThreadEntries are the texts of messages from … to, with the notes
// after every fifth when notes.
func longThreadEntries(from, to int, notes bool) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, fmt.Sprintf("сообщение %d", i))
		if notes && i%5 == 0 {
			out = append(out, fmt.Sprintf("заметка %d", i))
		}
	}
	return out
}

// A long thread opens on its newest 20 entries above the reply form;
// «Показать ранние сообщения» brings the ones before, without gaps or
// repeats, as an htmx fragment or, without JavaScript, as a page. The
// client never sees a note on any page.
func TestTicketThreadIsPaged(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	th := newLongThread(t, e)
	path := "/tickets/" + itoa(th.id)
	taxi := e.loggedIn("taxi", "taxi123")

	page := taxi.get(path)
	if got := shownEntries(page); !slices.Equal(got, longThreadEntries(6, 25, false)) {
		t.Fatalf("the first page: %q", got)
	}
	if page.Find("#reply-form").Length() != 1 || page.Find(".thread ~ #reply").Length() != 1 {
		t.Errorf("the reply form is not below the thread")
	}
	earlier := fmt.Sprintf("%s?before=%d", path, th.messages["сообщение 6"])
	link := page.Find("#thread-earlier a")
	if href, _ := link.Attr("href"); href != earlier || link.AttrOr("hx-get", "") != earlier ||
		link.AttrOr("hx-target", "") != "#thread-earlier" || strings.TrimSpace(link.Text()) != "Показать ранние сообщения" {
		t.Fatalf("the link to earlier messages: %q %q %q", href, link.AttrOr("hx-get", ""), link.Text())
	}
	if strings.Contains(page.Text("main"), "журнал-3.log") || page.Find(".thread-more").Length() != 1 {
		t.Errorf("the newest page shows an earlier message's file or a link to itself")
	}

	part := taxi.getWith(earlier, map[string]string{"HX-Request": "true", "HX-Target": "thread-earlier"})
	if part.Status != http.StatusOK || part.Find("header, #reply-form").Length() != 0 {
		t.Fatalf("the earlier messages' fragment: %d %s", part.Status, part.Body)
	}
	if got := shownEntries(part); !slices.Equal(got, longThreadEntries(1, 5, false)) || part.Find("#thread-earlier").Length() != 0 {
		t.Errorf("the earlier messages: %q, a link further: %d", got, part.Find("#thread-earlier").Length())
	}
	if got := part.Text(".files a"); got != "журнал-3.log" {
		t.Errorf("the earlier messages' files: %q", got)
	}

	whole := taxi.get(earlier) // without JavaScript
	if got := shownEntries(whole); whole.Status != http.StatusOK || !slices.Equal(got, longThreadEntries(1, 5, false)) ||
		whole.Find(".thread-more a").AttrOr("href", "") != path+"#reply" || whole.Find("#reply-form").Length() != 1 {
		t.Errorf("the earlier messages as a page: %d %q, back to the latest %q", whole.Status, got, whole.Find(".thread-more a").AttrOr("href", ""))
	}
	for _, r := range []*response{page, part, whole} {
		if body := r.Body; strings.Contains(body, "заметка") || strings.Contains(body, "для-своих.log") {
			t.Errorf("the client sees a note on %s", r.Body)
		}
	}

	// Staff see the notes among the messages, 20 entries a page.
	support := e.loggedIn("support", "support123")
	admin := "/admin/tickets/" + itoa(th.id)
	staffPage := support.get(admin)
	all := longThreadEntries(1, 25, true)
	if got := shownEntries(staffPage); !slices.Equal(got, all[len(all)-20:]) {
		t.Fatalf("staff's first page: %q", got)
	}
	next := staffPage.Find("#thread-earlier a").AttrOr("hx-get", "")
	staffPart := support.getWith(next, map[string]string{"HX-Request": "true", "HX-Target": "thread-earlier"})
	if got := shownEntries(staffPart); !slices.Equal(got, all[:len(all)-20]) || !strings.Contains(staffPart.Text(".files"), "для-своих.log") {
		t.Errorf("staff's earlier entries from %s: %q", next, got)
	}
}

// ?before= names an entry of the ticket the reader sees; anything else is
// a 404, as another company's ticket is.
func TestTicketThreadPageOfAnotherTicketIsNotFound(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	th := newLongThread(t, e)
	ctx := context.Background()
	foreign, err := e.Store.OpenTicket(ctx, actorOf(e, "vostok"), 2, db.NewTicket{Subject: "Чужое", Priority: "normal", Body: "чужое"})
	if err != nil {
		t.Fatal(err)
	}
	foreignMessage := itoa(int64(e.sqlInt(`SELECT max(id) FROM ticket_messages WHERE ticket_id = ?`, foreign)))
	path := "/tickets/" + itoa(th.id)
	taxi := e.loggedIn("taxi", "taxi123")
	fragment := map[string]string{"HX-Request": "true", "HX-Target": "thread-earlier"}
	for _, p := range []string{
		path + "?before=" + foreignMessage,
		path + "?before=" + itoa(th.messages["заметка 10"]),
		path + "?before=0",
		path + "?before=-5",
		path + "?before=abc",
		"/tickets/" + itoa(foreign),
		"/tickets/" + itoa(foreign) + "?before=" + foreignMessage,
	} {
		for _, r := range []*response{taxi.get(p), taxi.getWith(p, fragment)} {
			if r.Status != http.StatusNotFound || strings.Contains(r.Body, "чужое") || strings.Contains(r.Body, "заметка") {
				t.Errorf("%s: %d", p, r.Status)
			}
		}
	}
	support := e.loggedIn("support", "support123")
	if r := support.get("/admin/tickets/" + itoa(th.id) + "?before=" + foreignMessage); r.Status != http.StatusNotFound {
		t.Errorf("staff: another ticket's entry: %d", r.Status)
	}
	if r := support.get("/admin/tickets/" + itoa(th.id) + "?before=" + itoa(th.messages["заметка 10"])); r.Status != http.StatusOK ||
		!slices.Equal(shownEntries(r), longThreadEntries(1, 10, true)[:11]) {
		t.Errorf("staff: the entries before a note: %d %q", r.Status, shownEntries(r))
	}
}
