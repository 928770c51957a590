package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"elk/testutil"
)

// A client asks; staff answer and publish; the client sees the answer and
// another company finds it by searching a word in another form.
func TestQuestionAskedAnsweredAndFound(t *testing.T) {
	browserTest(t)
	p := testutil.StartPortal(t)
	client := tab(t)
	logIn(t, client, p.URL, "taxi", "taxi123")
	do(t, client,
		chromedp.WaitVisible(chromedp.ID("contacts-form")),
		chromedp.Click(chromedp.CSS(`.tabs a[href="/questions"]`)),
		chromedp.Click(chromedp.CSS(`#ask summary`)),
		chromedp.WaitVisible(chromedp.ID("ask-form")),
		chromedp.SetValue(chromedp.ID("f-section_id"), "3"),
		chromedp.SendKeys(chromedp.ID("f-subject"), "Как выгрузить отчёт по водителям?"),
		chromedp.SendKeys(chromedp.ID("f-body"), "Нужен отчёт за прошлый месяц."),
		chromedp.Click(chromedp.CSS(`#ask-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	if mine := run(t, client, chromedp.Text(chromedp.ID("mine"))); mine == "" {
		t.Fatal("no «Мои вопросы»")
	}
	screenshot(t, client, "questions")

	staff := tab(t)
	logIn(t, staff, p.URL, "manager", "manager123")
	do(t, staff,
		chromedp.WaitVisible(chromedp.ID("home-figures")), // staff land on the back office's home
		chromedp.Click(chromedp.CSS(`.tabs a[href="/admin/questions"]`)),
		chromedp.Click(chromedp.Search(`//a[text()="Как выгрузить отчёт по водителям?"]`)),
		chromedp.WaitVisible(chromedp.ID("answer-form")),
		chromedp.SendKeys(chromedp.ID("f-answer"), "Откройте в TMServer «Отчёты» → «Водители» и нажмите «Выгрузить»."),
		chromedp.Click(chromedp.CSS(`#answer-form input[name=published]`)),
		chromedp.Click(chromedp.CSS(`#answer-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	screenshot(t, staff, "admin-questions")

	do(t, client, chromedp.Navigate(p.URL+"/questions"), chromedp.WaitVisible(chromedp.ID("mine")))
	if mine := run(t, client, chromedp.Text(chromedp.CSS(`article.question`))); !strings.Contains(mine, "Есть ответ") || !strings.Contains(mine, "«Выгрузить»") {
		t.Errorf("the asker sees: %s", mine)
	}

	other := tab(t)
	logIn(t, other, p.URL, "vostok", "vostok123")
	do(t, other,
		chromedp.WaitVisible(chromedp.ID("bell")),
		chromedp.Navigate(p.URL+"/questions"),
		chromedp.SendKeys(chromedp.CSS(`input[name=q]`), "водителей"),
	)
	// The list narrows as one types, without a reload.
	var found string
	for range 50 {
		if found = run(t, other, chromedp.Text(chromedp.ID("answers"))); !strings.Contains(found, "Как пополнить баланс") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if strings.Contains(found, "Как пополнить баланс") || !strings.Contains(found, "Как выгрузить отчёт по водителям?") {
		t.Errorf("the search for «водителей» shows: %s", found)
	}
}
