package db_test

import (
	"context"
	"testing"

	"elk/db"
)

func TestQuestionsAreAnsweredPublishedAndFoundInRussian(t *testing.T) {
	s, cs := connected(t)
	ctx := context.Background()
	if err := s.AddSection(ctx, db.Actor{}, "Баланс и оплата"); err != nil {
		t.Fatal(err)
	}
	sections, _ := s.Sections(ctx)
	section := sections[len(sections)-1].ID
	ask := func(subject, body string) int64 {
		id, err := s.Ask(ctx, db.Actor{}, cs.CompanyID, db.Question{SectionID: section, Subject: subject, Body: body})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	public := ask("Как пополнить баланс СМС?", "Хотим оплатить заранее.")
	private := ask("Почему списали за СМС дважды?", "Номер заказа 77.")
	duplicate := ask("Пополнение баланса", "Как?")
	answer := func(id int64, text string, published bool, merged int64) {
		q, _ := s.QuestionByID(ctx, id)
		q.Answer, q.Published, q.MergedInto = text, published, merged
		if err := s.AnswerQuestion(ctx, db.Actor{Login: "support"}, q); err != nil {
			t.Fatal(err)
		}
	}
	answer(public, "Создайте счёт в разделе «Документы» и оплатите его: баланс пополнится в день оплаты.", true, 0)
	answer(private, "Проверили: списание одно.", false, 0)
	answer(duplicate, "", true, public)

	for query, want := range map[string]int{"": 1, "баланса": 1, "БАЛАНС": 1, "балансе пополнится": 1, "документах": 1,
		"списали": 0, "дважды": 0, "пополнить": 1, "пополнение": 0 /* only the merged duplicate says it */, "ерунда": 0, `"; DROP TABLE questions; --`: 0, "<script>": 0} {
		got, err := s.PublishedQuestions(ctx, query)
		if err != nil || len(got) != want {
			t.Errorf("%q: %d questions (%v), want %d", query, len(got), err, want)
		}
	}
	mine, _ := s.CompanyQuestions(ctx, cs.CompanyID)
	if len(mine) != 3 || mine[0].Status != db.QuestionAnswered || mine[0].MergedInto != public {
		t.Errorf("the company's questions: %+v", mine)
	}
	other, _ := s.CompanyQuestions(ctx, cs.CompanyID+1)
	if len(other) != 0 {
		t.Errorf("another company sees %d questions", len(other))
	}
}
