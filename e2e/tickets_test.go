package e2e

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"elk/db"
	"elk/testutil"
)

// A client opens a ticket with a screenshot; support replies; the client
// sees the reply in the thread and gets it by e-mail.
func TestTicketOpenedAnsweredAndMailed(t *testing.T) {
	browserTest(t)
	p := testutil.StartPortal(t)
	ms := testutil.StartMailServer(t)
	deliverTo(t, p, ms)
	dir := t.TempDir()
	shot := writeFile(t, dir, "ошибка.png", pngImage(t))
	tooBig := writeFile(t, dir, "огромный.log", bytes.Repeat([]byte("x"), 10<<20+1))

	client := tab(t)
	logIn(t, client, p.URL, "taxi", "taxi123")
	do(t, client,
		chromedp.WaitVisible(chromedp.ID("contacts-form")),
		chromedp.Click(chromedp.CSS(`.tabs a[href="/tickets"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#new summary`)),
	)
	screenshot(t, client, "tickets")
	do(t, client,
		chromedp.Click(chromedp.CSS(`#new summary`)),
		chromedp.WaitVisible(chromedp.ID("ticket-form")),
		chromedp.SendKeys(chromedp.ID("f-subject"), "Не открывается карта в диспетчерской"),
		chromedp.SetValue(chromedp.ID("f-priority"), "urgent"),
		chromedp.SendKeys(chromedp.ID("f-body"), "После обновления карта серая. Снимок экрана прилагаю.\n\n"+hostileMarkdown),
		// A file over the limit is refused in the browser, before sending.
		chromedp.SetUploadFiles(chromedp.ID("f-files"), []string{tooBig}),
		chromedp.WaitVisible(chromedp.ID("e-files")),
	)
	if msg := run(t, client, chromedp.Text(chromedp.ID("e-files"))); !strings.Contains(msg, "10 МБ") {
		t.Errorf("too large a file: %q", msg)
	}
	do(t, client, chromedp.Click(chromedp.CSS(`#ticket-form button[type=submit]`)))
	time.Sleep(300 * time.Millisecond)
	if tickets, err := p.Store.CompanyTickets(context.Background(), 1, ""); err != nil || len(tickets) != 4 {
		t.Fatalf("a form with a refused file was sent: %d tickets, %v", len(tickets), err)
	}
	do(t, client,
		chromedp.SetUploadFiles(chromedp.ID("f-files"), []string{shot}),
		chromedp.WaitNotVisible(chromedp.ID("e-files")),
		chromedp.Click(chromedp.CSS(`#ticket-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	if files := run(t, client, chromedp.Text(chromedp.CSS(".thread .files"))); !strings.Contains(files, "ошибка.png") {
		t.Fatalf("the ticket's files: %q", files)
	}
	ticketURL := run(t, client, chromedp.Location())
	screenshot(t, client, "ticket")

	staff := tab(t)
	logIn(t, staff, p.URL, "support", "support123")
	do(t, staff,
		chromedp.WaitVisible(chromedp.ID("home-figures")), // staff land on the back office's home
		chromedp.Click(chromedp.CSS(`.tabs a[href="/admin/tickets"]`)),
		chromedp.WaitVisible(chromedp.ID("ticket-queue")),
	)
	screenshot(t, staff, "admin-tickets")
	// The queue's link is followed by its address: a click could land on
	// the page while htmx still settles it.
	link := run(t, staff, chromedp.AttributeValue(chromedp.Search(`//a[text()="Не открывается карта в диспетчерской"]`), "href"))
	do(t, staff,
		chromedp.Navigate(p.URL+link.Value),
		chromedp.WaitVisible(chromedp.ID("reply-form")),
	)
	noScriptRan(t, staff)
	do(t, staff,
		chromedp.SendKeys(chromedp.ID("f-body"), "Очистите кэш браузера: Ctrl+Shift+Delete, затем обновите страницу.\n\n"+hostileMarkdown),
		chromedp.Click(chromedp.CSS(`#reply-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	screenshot(t, staff, "admin-ticket")

	do(t, client, chromedp.Navigate(ticketURL), chromedp.WaitVisible(chromedp.CSS(".thread")))
	thread := run(t, client, chromedp.Text(chromedp.CSS(".thread")))
	status := run(t, client, chromedp.Text(chromedp.CSS(".head-row .badge")))
	if !strings.Contains(thread, "Очистите кэш браузера") || !strings.Contains(thread, "Техподдержка") || status != "Ожидает ответа клиента" {
		t.Errorf("the client sees %q, status %q", thread, status)
	}
	noScriptRan(t, client)

	// Staff were told of the ticket (three of them) and the client of the reply.
	mails := ms.WaitFor(4, 10*time.Second)
	i := slices.IndexFunc(mails, func(m testutil.Mail) bool { return slices.Contains(m.To, "director@taxi-primer.example") })
	if len(mails) != 4 || i < 0 {
		t.Fatalf("mails: %d, to the client at %d", len(mails), i)
	}
	if m := mails[i]; !strings.Contains(m.Subject, "Не открывается карта") || !strings.Contains(m.Text, "Очистите кэш браузера") ||
		!strings.Contains(m.Text, ticketURL) {
		t.Errorf("the client's e-mail: %q\n%s", m.Subject, m.Text)
	}

	// A file over 64 KB is read as it arrives, behind the token the form
	// sends first.
	bigLog := writeFile(t, dir, "server.log", bytes.Repeat([]byte("2026 INFO all is well\n"), 10000))
	do(t, client,
		chromedp.Navigate(ticketURL),
		chromedp.SendKeys(chromedp.CSS(`#reply-form textarea[name="body"]`), "Журнал сервера за сутки"),
		chromedp.SetUploadFiles(chromedp.CSS(`#reply-form input[type="file"]`), []string{bigLog}),
		chromedp.Click(chromedp.CSS(`#reply-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.Search(`//a[contains(., "server.log")]`)),
	)
	if thread := run(t, client, chromedp.Text(chromedp.CSS(".thread"))); !strings.Contains(thread, "Журнал сервера за сутки") {
		t.Errorf("the reply with a big file: %q", thread)
	}
}

// A long thread opens on its newest messages above the reply form;
// «Показать ранние сообщения» puts the earlier ones above them, in order,
// without leaving the page.
func TestEarlierMessagesLoadAbove(t *testing.T) {
	browserTest(t)
	p := testutil.StartPortal(t)
	ctx := context.Background()
	u, err := p.Store.UserByLogin(ctx, "taxi")
	if err != nil {
		t.Fatal(err)
	}
	taxi := db.Actor{UserID: u.ID, Login: u.Login}
	id, err := p.Store.OpenTicket(ctx, taxi, u.CompanyID, db.NewTicket{Subject: "Длинная переписка", Priority: "normal", Body: "сообщение 1"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"сообщение 1"}
	for i := 2; i <= 25; i++ {
		want = append(want, fmt.Sprintf("сообщение %d", i))
		if err := p.Store.ClientReply(ctx, taxi, u.CompanyID, id, want[i-1], nil); err != nil {
			t.Fatal(err)
		}
	}
	ticketURL := fmt.Sprintf("%s/tickets/%d", p.URL, id)
	texts := `[...document.querySelectorAll(".thread li.message .prose")].map(e => e.textContent.trim())`

	client := tab(t)
	logIn(t, client, p.URL, "taxi", "taxi123")
	do(t, client, chromedp.WaitVisible(chromedp.ID("contacts-form")),
		chromedp.Navigate(ticketURL), chromedp.WaitVisible(chromedp.ID("thread-earlier")))
	if got := run(t, client, chromedp.Evaluate[[]string](texts)); !slices.Equal(got, want[5:]) {
		t.Fatalf("the newest messages: %q", got)
	}
	screenshot(t, client, "ticket-long-thread")
	do(t, client, chromedp.Click(chromedp.CSS("#thread-earlier a")), chromedp.WaitNotPresent(chromedp.ID("thread-earlier")))
	if got := run(t, client, chromedp.Evaluate[[]string](texts)); !slices.Equal(got, want) {
		t.Errorf("after «Показать ранние сообщения»: %q", got)
	}
	below := `document.querySelector(".thread li.message:last-child").compareDocumentPosition(document.getElementById("reply-form")) === Node.DOCUMENT_POSITION_FOLLOWING`
	if url := run(t, client, chromedp.Location()); url != ticketURL || !run(t, client, chromedp.Evaluate[bool](below)) {
		t.Errorf("the page is now %s, the reply form below the newest message: %v", url, run(t, client, chromedp.Evaluate[bool](below)))
	}
}

// hostileMarkdown tries every way into a page that Markdown offers.
const hostileMarkdown = "<script>window.ran=1</script>\n\n[нажми](javascript:window.ran=1)\n\n<img src=x onerror=\"window.ran=1\">"

// noScriptRan checks that nothing the texts carried has run or could run
// on a click: no script ran, and no link of the thread leads to javascript:.
func noScriptRan(t *testing.T, ctx context.Context) {
	t.Helper()
	time.Sleep(300 * time.Millisecond) // let any image error fire
	if ran := run(t, ctx, chromedp.Evaluate[bool](`window.ran === 1`)); ran {
		t.Error("a script from a ticket ran")
	}
	live := `document.querySelectorAll(".thread script, .thread [onerror]").length +
		[...document.querySelectorAll(".thread a")].filter(a => a.protocol === "javascript:").length`
	if n := run(t, ctx, chromedp.Evaluate[int](live)); n != 0 {
		t.Errorf("%d live elements in the thread", n)
	}
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func pngImage(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for x := range 64 {
		img.Set(x, 24, color.RGBA{R: 200, A: 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
