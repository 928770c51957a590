package db_test

import (
	"context"
	"testing"

	"elk/db"
)

func TestQuestionsAreAnsweredPublishedAndFoundInRussian(t *testing.T) {
	s, cs := connected(t)
	ctx := context.Background()
	if err := s.AddSection(ctx, db.Actor{}, "Звонки"); err != nil {
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
	base, _ := s.PublishedQuestions(ctx, "")
	public := ask("Как изменить тарификацию звонков?", "Хотим поминутно.")
	private := ask("Почему списали за звонки дважды?", "Номер заказа 77.")
	duplicate := ask("Смена тарификации", "Как?")
	answer := func(id int64, text string, published bool, merged int64) {
		q, _ := s.QuestionByID(ctx, id)
		q.Answer, q.Published, q.MergedInto = text, published, merged
		if err := s.AnswerQuestion(ctx, db.Actor{Login: "support"}, q); err != nil {
			t.Fatal(err)
		}
	}
	answer(public, "Тарификация меняется в настройках АТС: поминутная включится на следующий день.", true, 0)
	answer(private, "Проверили: списание одно.", false, 0)
	answer(duplicate, "", true, public)

	for query, want := range map[string]int{"": len(base) + 1, "тарификации": 1, "ТАРИФИКАЦИЯ": 1, "звонков поминутная": 1, "настройках": 1,
		"дважды": 0, "изменить": 1, "смена": 0 /* only the merged duplicate says it */, "ерунда": 0, `"; DROP TABLE questions; --`: 0, "<script>": 0} {
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
