package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"elk/db"
)

func TestAskAnswerPublishAndFind(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	taxi := e.loggedIn("taxi", "taxi123")
	section := strconv.Itoa(e.sqlInt(`SELECT id FROM question_sections ORDER BY position LIMIT 1`))
	before := e.sqlInt(`SELECT count(*) FROM questions`)
	for _, tc := range []struct {
		form  url.Values
		field string
	}{
		{url.Values{"section_id": {"0"}, "subject": {"Тема"}, "body": {"Вопрос"}}, "section_id"},
		{url.Values{"section_id": {section}, "subject": {""}, "body": {"Вопрос"}}, "subject"},
		{url.Values{"section_id": {section}, "subject": {"Тема"}, "body": {""}}, "body"},
		{url.Values{"section_id": {section}, "subject": {strings.Repeat("т", 201)}, "body": {"Вопрос"}}, "subject"},
	} {
		r := taxi.post("/questions", tc.form)
		if r.Status != http.StatusUnprocessableEntity || r.Find("#f-"+tc.field+" ~ .error").Length() == 0 || !r.Find("#ask").Is("[open]") ||
			r.Find("#f-subject").AttrOr("value", "") != tc.form.Get("subject") {
			t.Errorf("%v: %d", tc.form, r.Status)
		}
	}
	if e.sqlInt(`SELECT count(*) FROM questions`) != before {
		t.Fatal("a refused question was stored")
	}
	r := taxi.post("/questions", url.Values{"section_id": {section}, "subject": {"Как выгрузить отчёт по водителям?"},
		"body": {"Нужен <script>alert(1)</script> отчёт за месяц."}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("ask: %d %s", r.Status, r.Text(".error"))
	}
	id := strconv.Itoa(e.sqlInt(`SELECT max(id) FROM questions`))
	mine := taxi.get("/questions")
	if !strings.Contains(mine.Text("#question-"+id), "Ждёт ответа") || strings.Contains(mine.Body, "<script>alert") {
		t.Errorf("my question: %q", mine.Text("#question-"+id))
	}
	if other := e.loggedIn("dispatcher", "dispatcher123").get("/questions"); other.Find("#question-"+id).Length() != 0 {
		t.Error("another user sees it among their own questions")
	}

	support := e.loggedIn("manager", "manager123")
	pending := strconv.Itoa(e.sqlInt(`SELECT id FROM questions WHERE status = 'new' AND id <> ` + id + ` LIMIT 1`))
	for _, bad := range []url.Values{
		{"section_id": {section}, "subject": {"x"}, "body": {"x"}, "published": {"1"}},  // published with no answer
		{"section_id": {section}, "subject": {"x"}, "body": {"x"}, "merged_into": {id}}, // itself
		{"section_id": {section}, "subject": {"x"}, "body": {"x"}, "merged_into": {"abc"}},
		{"section_id": {section}, "subject": {"x"}, "body": {"x"}, "answer": {"   "}, "published": {"1"}}, // an answer of spaces
		{"section_id": {section}, "subject": {"x"}, "body": {" \t "}},                                     // a body of spaces
		{"section_id": {section}, "subject": {"x"}, "body": {"x"}, "merged_into": {pending}},              // into an unanswered one
	} {
		if r := support.post("/admin/questions/"+id, bad); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("%v: %d", bad, r.Status)
		}
	}
	r = support.post("/admin/questions/"+id, url.Values{"section_id": {section}, "subject": {"Как выгрузить отчёт по водителям?"},
		"body": {"Нужен отчёт за месяц."}, "answer": {"Отчёт по водителям выгружается в TMServer: «Отчёты» → «Водители»."}, "published": {"1"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("answer: %d %s", r.Status, r.Text(".error"))
	}
	if got := taxi.get("/questions").Text("#question-" + id); !strings.Contains(got, "Есть ответ") || !strings.Contains(got, "«Отчёты» → «Водители»") {
		t.Errorf("the asker sees: %q", got)
	}
	notices, _ := e.Store.ListNotices(context.Background(), db.NoticeFilter{Kind: db.NoticeQuestionAnswered, Limit: 10})
	if len(notices) != 1 || notices[0].Recipient != "director@taxi-primer.example" {
		t.Errorf("the asker is told once by e-mail: %+v", notices)
	}
	// Another company finds it by a word in another form.
	found := e.loggedIn("vostok", "vostok123").getWith("/questions?q=водителей", map[string]string{"HX-Request": "true", "HX-Target": "answers"})
	if found.Find("#answer-"+id).Length() != 1 || found.Find("h1").Length() != 0 {
		t.Errorf("search by «водителей»: %s", found.Body)
	}
	if none := e.loggedIn("vostok", "vostok123").get("/questions?q=ерундаслово"); none.Find("[id^=answer-]").Length() != 0 {
		t.Error("a search for nothing found something")
	}
}

// The flash after asking promises an e-mail only to a user who will get one.
func TestAskedFlashPromisesMailOnlyWithAnAddress(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	section := strconv.Itoa(e.sqlInt(`SELECT id FROM question_sections ORDER BY position LIMIT 1`))
	ask := func(login, password string) string {
		c := e.loggedIn(login, password)
		r := c.post("/questions", url.Values{"section_id": {section}, "subject": {"Вопрос от " + login}, "body": {"Текст"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("%s asks: %d", login, r.Status)
		}
		return c.get("/questions").Text(".flash")
	}
	if got := ask("taxi", "taxi123"); got != "Вопрос отправлен. Ответ придёт сюда и на вашу почту." {
		t.Errorf("with an e-mail: %q", got)
	}
	got := ask("dispatcher", "dispatcher123")
	if strings.Contains(got, "на вашу почту") || !strings.Contains(got, "Ответ появится здесь") || !strings.Contains(got, "«Профиль и пароль»") {
		t.Errorf("without an e-mail: %q", got)
	}
	e.sqlExec(`UPDATE companies SET notify_enabled = 0 WHERE id = (SELECT company_id FROM users WHERE login = 'taxi')`)
	if got := ask("taxi", "taxi123"); got != "Вопрос отправлен. Ответ появится здесь, в разделе «Мои вопросы»." {
		t.Errorf("with notifications off: %q", got)
	}
}
