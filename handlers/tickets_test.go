package handlers_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"elk/db"
)

// upload is a file as a browser sends it in a form.
type upload struct {
	name string
	data []byte
}

var (
	pngHead  = []byte("\x89PNG\r\n\x1a\n")
	logLines = []byte("09:40:01 ERROR sms-gateway: 503\n09:40:07 ERROR sms-gateway: 503\n")
)

// postFiles submits a multipart form with files under "files", with the
// page's CSRF token.
func (c *client) postFiles(path string, form url.Values, files ...upload) *response {
	c.t.Helper()
	return c.postMultipart(path, "files", form, files...)
}

// postMultipart submits a multipart form with files under field, with the
// page's CSRF token.
func (c *client) postMultipart(path, field string, form url.Values, files ...upload) *response {
	c.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	form = cloneValues(form)
	form.Set("_csrf", c.token())
	for k, vs := range form {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	for _, f := range files {
		part, err := w.CreateFormFile(field, f.name)
		if err != nil {
			c.t.Fatal(err)
		}
		part.Write(f.data)
	}
	w.Close()
	req, err := http.NewRequest(http.MethodPost, c.e.URL+path, &body)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

// openTicket opens a ticket as the client and returns its page's path.
func openTicket(t *testing.T, c *client, subject, body string, files ...upload) string {
	t.Helper()
	r := c.postFiles("/tickets", url.Values{"subject": {subject}, "priority": {"high"}, "body": {body}}, files...)
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/tickets/") {
		t.Fatalf("open ticket: %d %s %s", r.Status, r.Location(), r.Text(".error, .alert"))
	}
	return r.Location()
}

func ticketNotices(t *testing.T, e *env, kind string) []db.Notice {
	t.Helper()
	ns, err := e.Store.ListNotices(context.Background(), db.NoticeFilter{Kind: kind, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	return ns
}

func recipients(ns []db.Notice) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Recipient)
	}
	slices.Sort(out)
	return out
}

func TestTicketThreadBetweenClientAndStaff(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	taxi := e.loggedIn("taxi", "taxi123")
	support := e.loggedIn("support", "support123")

	path := openTicket(t, taxi, "Не печатается счёт", "Кнопка «Открыть и распечатать» ничего не делает.",
		upload{"журнал.log", logLines})
	id := strings.TrimPrefix(path, "/tickets/")
	page := taxi.follow(path)
	if page.Text("h1") != "Не печатается счёт" || !strings.Contains(page.Text(".thread"), "ничего не делает") ||
		page.Text(".thread .files a") != "журнал.log" || page.Text(".head-row .badge") != "Открыто" {
		t.Fatalf("client's ticket page: %s", page.Text("main"))
	}
	// Nobody has it yet: every staff member who answers tickets is told.
	if got := recipients(ticketNotices(t, e, db.NoticeTicketClientMessage)); !slices.Equal(got,
		[]string{"admin@taxisoft.example", "i.smirnova@taxisoft.example", "support@taxisoft.example"}) {
		t.Errorf("staff told of the new ticket: %v", got)
	}

	href, _ := page.Find(".thread .files a").Attr("href")
	file := taxi.get(href)
	if file.Status != 200 || file.Body != string(logLines) || file.Header.Get("Content-Type") != "text/plain; charset=utf-8" ||
		!strings.HasPrefix(file.Header.Get("Content-Disposition"), "attachment;") ||
		!strings.Contains(file.Header.Get("Content-Disposition"), "filename*=UTF-8''%D0%B6%D1%83%D1%80%D0%BD%D0%B0%D0%BB.log") ||
		file.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(file.Header.Get("Content-Security-Policy"), "sandbox") {
		t.Errorf("the file: %d %v %q", file.Status, file.Header, file.Body)
	}

	// In the queue, staff add an internal note and then reply.
	queue := support.get("/admin/tickets")
	if !strings.Contains(queue.Text("#ticket-queue"), "Не печатается счёт") {
		t.Fatalf("queue: %s", queue.Text("#ticket-queue"))
	}
	if r := support.postFiles("/admin/tickets/"+id+"/replies", url.Values{"kind": {"note"}, "body": {"Проверить версию Chrome у клиента"}},
		upload{"заметка.txt", []byte("только для своих")}); r.Status != http.StatusSeeOther {
		t.Fatalf("note: %d %s", r.Status, r.Text(".error"))
	}
	noteFile := e.sqlInt(`SELECT max(id) FROM ticket_attachments`)
	if r := support.postFiles("/admin/tickets/"+id+"/replies", url.Values{"kind": {"staff"}, "status": {"waiting"},
		"body": {"Обновите страницу с Ctrl+F5 и попробуйте ещё раз."}}); r.Status != http.StatusSeeOther {
		t.Fatalf("reply: %d %s", r.Status, r.Text(".error"))
	}
	page = taxi.follow(path)
	thread := page.Text(".thread")
	if !strings.Contains(thread, "Ctrl+F5") || strings.Contains(thread, "Chrome") || strings.Contains(thread, "заметка.txt") ||
		page.Text(".head-row .badge") != "Ожидает ответа клиента" || !strings.Contains(page.Text(".props"), "Олег Кравцов") {
		t.Errorf("client's thread after the reply: %s / %s", thread, page.Text(".props"))
	}
	if r := taxi.get("/tickets/files/" + itoa(int64(noteFile))); r.Status != http.StatusNotFound {
		t.Errorf("client fetched a note's file: %d", r.Status)
	}
	if r := support.get("/admin/tickets/files/" + itoa(int64(noteFile))); r.Status != 200 || r.Body != "только для своих" {
		t.Errorf("staff fetch a note's file: %d %q", r.Status, r.Body)
	}
	replies := ticketNotices(t, e, db.NoticeTicketReply)
	if len(replies) != 1 || replies[0].Recipient != "director@taxi-primer.example" || replies[0].Params.Text != "Обновите страницу с Ctrl+F5 и попробуйте ещё раз." {
		t.Errorf("client told of the reply: %+v", replies)
	}

	// The client answers: back to staff, and only the assignee is told.
	before := len(ticketNotices(t, e, db.NoticeTicketClientMessage))
	if r := taxi.postFiles(path+"/replies", url.Values{"body": {"Не помогло."}}); r.Status != http.StatusSeeOther {
		t.Fatalf("client reply: %d %s", r.Status, r.Text(".error"))
	}
	if page = taxi.follow(path); page.Text(".head-row .badge") != "Открыто" {
		t.Errorf("after the client's reply: %s", page.Text(".head-row .badge"))
	}
	if ns := ticketNotices(t, e, db.NoticeTicketClientMessage); len(ns) != before+1 || ns[0].Recipient != "support@taxisoft.example" {
		t.Errorf("after the client's reply staff were told: %v", recipients(ns))
	}

	// Closed by the client, then reopened.
	taxi.post(path+"/close", nil)
	if page = taxi.follow(path); page.Text(".head-row .badge") != "Закрыто" || page.Find("#reply-form").Length() != 0 {
		t.Errorf("closed ticket: %s", page.Text("#reply"))
	}
	// Staff who were typing while it closed keep their text, and may keep
	// it as a note.
	if r := support.postFiles("/admin/tickets/"+id+"/replies", url.Values{"kind": {"staff"}, "status": {"waiting"}, "body": {"Ещё вопрос"}}); r.Status != http.StatusUnprocessableEntity ||
		r.Find("#f-body").Text() != "Ещё вопрос" || !strings.Contains(r.Text("#reply .error"), "смените его статус") {
		t.Errorf("staff reply to a closed ticket: %d, text %q, error %q", r.Status, r.Find("#f-body").Text(), r.Text("#reply .error"))
	}
	if r := support.postFiles("/admin/tickets/"+id+"/replies", url.Values{"kind": {"note"}, "body": {"Закрыли сами"}}); r.Status != http.StatusSeeOther {
		t.Errorf("a note on a closed ticket: %d", r.Status)
	}

	// The client's own notifications never show staff's addresses.
	if list := taxi.get("/company").Text("main"); strings.Contains(list, "support@taxisoft.example") || strings.Contains(list, "admin@taxisoft.example") {
		t.Errorf("the client's notifications show staff: %s", list)
	}
	taxi.post(path+"/reopen", nil)
	if page = taxi.follow(path); page.Text(".head-row .badge") != "Открыто" || page.Find("#reply-form").Length() != 1 {
		t.Errorf("reopened ticket: %s", page.Text(".head-row"))
	}
	if n := e.sqlInt(`SELECT count(*) FROM tickets WHERE id = ? AND waiting_since IS NOT NULL AND closed_at IS NULL`, id); n != 1 {
		t.Errorf("a reopened ticket is not waiting for staff")
	}
}

func TestTicketFormRefusesBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	taxi := e.loggedIn("taxi", "taxi123")
	form := url.Values{"subject": {"Проблема с «кавычками» ' OR 1=1 --"}, "priority": {"normal"}, "body": {"Текст обращения"}}
	count := func() int {
		return e.sqlInt(`SELECT count(*) FROM tickets`) + e.sqlInt(`SELECT count(*) FROM ticket_attachments`)
	}
	before := count()
	cases := []struct {
		name   string
		change func(url.Values)
		files  []upload
		field  string
		want   string
	}{
		{"empty subject", func(f url.Values) { f.Set("subject", "  ") }, nil, "subject", "Заполните"},
		{"huge text", func(f url.Values) { f.Set("body", strings.Repeat("я", 20001)) }, nil, "body", "длинн"},
		{"unknown priority", func(f url.Values) { f.Set("priority", "asap") }, nil, "priority", "приоритет"},
		{"another company's service", func(f url.Values) { f.Set("service_id", itoa(vostokServiceID(t, e))) }, nil, "service_id", "услугу"},
		{"file over 10 MB", nil, []upload{{"big.png", append(append([]byte{}, pngHead...), make([]byte, 10<<20)...)}}, "files", "10 МБ"},
		{"disallowed type", nil, []upload{{"setup.exe", []byte("MZ\x90\x00")}}, "files", "нельзя"},
		{"html page", nil, []upload{{"page.html", []byte("<script>alert(1)</script>")}}, "files", "нельзя"},
		{"a path for a name", nil, []upload{{"../../etc/passwd", []byte("root:x:0:0")}}, "files", "нельзя"},
		{"contents not matching the name", nil, []upload{{"photo.png", []byte("<html><script>alert(1)</script>")}}, "files", "не соответствует"},
		{"binary text", nil, []upload{{"notes.txt", []byte("MZ\x00\x00\x00")}}, "files", "не соответствует"},
		{"empty file", nil, []upload{{"empty.log", nil}}, "files", "пуст"},
		{"four files", nil, []upload{{"1.log", logLines}, {"2.log", logLines}, {"3.log", logLines}, {"4.log", logLines}}, "files", "Не больше 3"},
	}
	for _, tc := range cases {
		f := cloneValues(form)
		if tc.change != nil {
			tc.change(f)
		}
		r := taxi.postFiles("/tickets", f, tc.files...)
		field := r.Find(`[name="` + tc.field + `"]`).Closest(".field")
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(field.Find(".error").Text(), tc.want) {
			t.Errorf("%s: %d, error %q", tc.name, r.Status, field.Find(".error").Text())
			continue
		}
		if v, _ := r.Find("#f-subject").Attr("value"); tc.field != "subject" && v != f.Get("subject") {
			t.Errorf("%s: the subject typed is lost: %q", tc.name, v)
		}
		if tc.field != "body" && r.Find("#f-body").Text() != f.Get("body") {
			t.Errorf("%s: the text typed is lost", tc.name)
		}
	}
	// A refused form posts again to an address whose reload opens it.
	empty := cloneValues(form)
	empty.Set("subject", "")
	r := taxi.postFiles("/tickets?new=1", empty)
	action := r.Find("#ticket-form").AttrOr("action", "")
	if reload := taxi.get(action); r.Status != http.StatusUnprocessableEntity || !reload.Find("#new").Is("[open]") {
		t.Errorf("reloading %q after an error (%d) closes the form", action, r.Status)
	}
	if after := count(); after != before {
		t.Errorf("refused forms stored %d rows", after-before)
	}

	// A name with directories keeps only its last part; exactly 10 MB passes.
	path := openTicket(t, taxi, "Файлы", "Во вложении", upload{`../../etc/passwd.txt`, []byte("root")},
		upload{`C:\Users\Павел\Desktop\скрин.png`, append(append([]byte{}, pngHead...), make([]byte, 10<<20-len(pngHead))...)})
	page := taxi.follow(path)
	if got := page.Text(".thread .files"); !strings.Contains(got, "passwd.txt") || strings.Contains(got, "etc") ||
		!strings.Contains(got, "скрин.png") || strings.Contains(got, "Desktop") || !strings.Contains(got, "10 МБ") {
		t.Errorf("stored names: %q", got)
	}
	href, _ := page.Find(`.thread .files a:contains("passwd.txt")`).Attr("href")
	if d := taxi.get(href).Header.Get("Content-Disposition"); d != `attachment; filename="passwd.txt"; filename*=UTF-8''passwd.txt` {
		t.Errorf("disposition of a path's file: %q", d)
	}
	img, _ := page.Find(`.thread .files a:contains("скрин.png")`).Attr("href")
	if r := taxi.get(img); r.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(r.Header.Get("Content-Disposition"), "inline;") || len(r.Body) != 10<<20 {
		t.Errorf("an image: %v, %d bytes", r.Header, len(r.Body))
	}

	// Directional and invisible characters cannot disguise a name.
	path = openTicket(t, taxi, "Архив", "Во вложении", upload{"x\u202Efdp\u2028.zip", []byte("PK\x05\x06" + strings.Repeat("\x00", 18))})
	if got := taxi.follow(path).Text(".thread .files a"); got != "xfdp.zip" {
		t.Errorf("a disguised name is shown as %q", got)
	}

	// Any other form stays within 1 MB, and so does a ticket's without a session.
	for _, tc := range []struct {
		c      *client
		path   string
		n      int
		status int
	}{
		{taxi, "/company/contacts", 2 << 20, http.StatusRequestEntityTooLarge},
		{e.client(), "/tickets", 2 << 20, http.StatusRequestEntityTooLarge},
		{withCookie(e, "elk_session", strings.Repeat("ab", 16)), "/tickets", 2 << 20, http.StatusRequestEntityTooLarge}, // a made-up session
		{taxi, "/tickets", 32 << 20, http.StatusRequestEntityTooLarge},
	} {
		if status := tc.c.declaredBodyStatus(tc.path, tc.n); status != tc.status {
			t.Errorf("%d bytes to %s: %d", tc.n, tc.path, status)
		}
	}
}

// declaredBodyStatus announces a multipart body of n bytes with the
// client's cookies, sends no more than its first bytes (serverPeek), and
// returns the answer, which comes before the rest.
func (c *client) declaredBodyStatus(path string, n int) int {
	c.t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(c.e.URL, "http://"))
	if err != nil {
		c.t.Fatal(err)
	}
	defer conn.Close()
	u, _ := url.Parse(c.e.URL)
	var cookies []string
	for _, ck := range c.http.Jar.Cookies(u) {
		cookies = append(cookies, ck.String())
	}
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: elk\r\nCookie: %s\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: %d\r\n\r\n",
		path, strings.Join(cookies, "; "), n)
	conn.Write(make([]byte, min(n, serverPeek)))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		c.t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// serverPeek is how much of a body the server reads with its header, before
// any handler looks at it (fasthttp's prefetch of a streamed body).
const serverPeek = 8 << 10

// withCookie is a client that sends a cookie of its own making.
func withCookie(e *env, name, value string) *client {
	c := e.client()
	u, _ := url.Parse(e.URL)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value}})
	return c
}

func vostokServiceID(t *testing.T, e *env) int64 {
	services, err := e.Store.CompanyServices(context.Background(), 2, false)
	if err != nil || len(services) == 0 {
		t.Fatal(services, err)
	}
	return services[0].ID
}

func TestTicketTextIsInert(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	taxi := e.loggedIn("taxi", "taxi123")
	hostile := "<script>alert(1)</script> \"><img src=x onerror=alert(2)> [ссылка](javascript:alert(3))"
	path := openTicket(t, taxi, hostile, hostile)
	for _, c := range []*client{taxi, e.loggedIn("support", "support123")} {
		page := c.follow(strings.Replace(path, "/tickets/", map[bool]string{true: "/admin/tickets/", false: "/tickets/"}[c != taxi], 1))
		if n := page.Find("main script, main [onerror], main a[href^='javascript']").Length(); n != 0 || page.Text("h1") != hostile {
			t.Errorf("hostile ticket page has %d live elements, heading %q", n, page.Text("h1"))
		}
	}
}

func TestTicketQueueOrderAndFilters(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	staff := e.loggedIn("manager", "manager123")
	subjects := func(query string) []string {
		var out []string
		staff.get("/admin/tickets" + query).Find("#ticket-queue tbody td:nth-child(2) a").Each(func(_ int, s *goquery.Selection) {
			out = append(out, s.Text())
		})
		return out
	}
	// Waiting for staff first, the longest waiting at the top, then the rest
	// by their last change; closed ones only when asked for.
	if got := subjects(""); !slices.Equal(got, []string{"Водители не видят заказы в приложении", "Не уходят СМС клиентам",
		"Как добавить второго диспетчера?", "Сервер сообщений перезагружается ночью"}) {
		t.Errorf("queue: %q", got)
	}
	if got := subjects("?status=closed"); !slices.Equal(got, []string{"Нужен акт сверки за октябрь"}) {
		t.Errorf("closed: %q", got)
	}
	if got := subjects("?company=2"); !slices.Equal(got, []string{"Водители не видят заказы в приложении"}) {
		t.Errorf("Восток's: %q", got)
	}
	if got := subjects("?priority=urgent&status=all"); !slices.Equal(got, []string{"Не уходят СМС клиентам"}) {
		t.Errorf("urgent: %q", got)
	}
	if got := subjects("?assignee=-1"); !slices.Equal(got, []string{"Водители не видят заказы в приложении", "Не уходят СМС клиентам"}) {
		t.Errorf("unassigned: %q", got)
	}

	// Assigning: only staff who answer tickets; a client's id is refused.
	id := itoa(int64(e.sqlInt(`SELECT id FROM tickets WHERE subject = 'Не уходят СМС клиентам'`)))
	if r := staff.post("/admin/tickets/"+id+"/assign", url.Values{"assignee_id": {itoa(e.userID("taxi"))}}); r.Status != http.StatusSeeOther {
		t.Fatalf("assign a client: %d", r.Status)
	}
	if page := staff.follow("/admin/tickets/" + id); !strings.Contains(page.Text(".flash.err"), "Назначить можно только") {
		t.Errorf("assigning a client: %q", page.Text(".flash"))
	}
	staff.post("/admin/tickets/"+id+"/assign", url.Values{"assignee_id": {itoa(e.userID("support"))}})
	if got := subjects("?assignee=" + itoa(e.userID("support"))); !slices.Contains(got, "Не уходят СМС клиентам") {
		t.Errorf("support's tickets: %q", got)
	}
}

func TestTicketPagesInEnglish(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	taxi := e.loggedIn("taxi", "taxi123")
	taxi.post("/account/language", url.Values{"lang": {"en"}})
	support := e.loggedIn("support", "support123")
	support.post("/account/language", url.Values{"lang": {"en"}})
	id := itoa(int64(e.sqlInt(`SELECT id FROM tickets WHERE subject = 'Сервер сообщений перезагружается ночью'`)))
	for _, page := range []struct {
		c          *client
		path, want string
	}{
		{taxi, "/tickets", "Support tickets"},
		{taxi, "/tickets/" + id, "In progress"},
		{support, "/admin/tickets", "Waiting since"},
		{support, "/admin/tickets/" + id, "Internal note"},
	} {
		r := page.c.get(page.path)
		if r.Status != http.StatusOK || !strings.Contains(r.Text("main"), page.want) || strings.Contains(r.Body, "tickets.") {
			t.Errorf("%s in English: %d, %q missing or a key shown", page.path, r.Status, page.want)
		}
	}
}

// A client filters their tickets by status: the list narrows and the
// chosen chip is current; all is current without a filter.
func TestClientTicketsByStatus(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	taxi := e.loggedIn("taxi", "taxi123")
	all := taxi.get("/tickets")
	if all.Find(".chips a").Length() != 1+len(db.TicketStatuses) || all.Find(`.chips a[aria-current="page"]`).AttrOr("href", "") != "/tickets" {
		t.Errorf("chips without a filter: %q", all.Text(".chips"))
	}
	seen := 0
	for _, status := range db.TicketStatuses {
		r := taxi.get("/tickets?status=" + status)
		current := r.Find(`.chips a[aria-current="page"]`)
		if current.Length() != 1 || current.AttrOr("href", "") != "/tickets?status="+status {
			t.Errorf("%s: current chip %q", status, current.AttrOr("href", ""))
		}
		want := e.sqlInt(`SELECT count(*) FROM tickets WHERE company_id = 1 AND status = ?`, status)
		if want > 0 {
			seen++
		}
		badges := r.Find(".t-" + status).Length()
		if rows := r.Find("tbody tr td a[href^='/tickets/']").Length(); rows != want || badges != want {
			t.Errorf("%s: %d rows, %d badges, want %d", status, rows, badges, want)
		}
	}
	if seen < 2 {
		t.Errorf("the demo's tickets have %d statuses: the filter is not tried", seen)
	}
}
