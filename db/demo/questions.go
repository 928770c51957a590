package demo

import (
	"context"

	"elk/db"
)

// questions are the demo's Вопросы и ответы: by section, asked by a demo
// login ("" for staff's own), answered or not, published or not.
var questions = []struct {
	section, subject, body, answer, askedBy string
	published                               bool
}{
	{"Баланс и оплата", "Как пополнить баланс СМС?", "Хотим оплатить СМС заранее, на месяц вперёд.",
		"Нажмите «Оплата» вверху страницы, выберите услугу «СМС» и сумму — появится счёт. Оплатите его по реквизитам или по QR-коду: баланс пополнится в день поступления денег.", "taxi", true},
	{"Баланс и оплата", "Что будет, если баланс СМС уйдёт в минус?", "",
		"СМС продолжат уходить: ваш сервер уже отправил их. Мы предупредим по почте, когда баланс опустится ниже порога и когда уйдёт в минус.", "", true},
	{"TMServer", "Как подключить сервер к мониторингу?", "",
		"Напишите своему менеджеру адрес сервера. Сервер за NAT может сам присылать сигнал на адрес из раздела «Мониторинг».", "", true},
	{"Документы", "Можно ли получить акт за прошлый месяц?", "Нужен акт для бухгалтерии.",
		"Акты выставляются на каждую оплату и лежат в разделе «Документы»: их можно скачать в PDF.", "vostok", true},
	{"TMServer", "Когда выйдет модуль для такси-межгорода?", "Интересует расчёт цены по расстоянию.", "", "dispatcher", false},
}

// seedQuestions fills Вопросы и ответы once.
func seedQuestions(ctx context.Context, s *db.Store) error {
	if has, err := s.Sections(ctx); err != nil || len(has) > 0 {
		return err
	}
	for _, title := range []string{"Баланс и оплата", "Документы", "TMServer"} {
		if err := s.AddSection(ctx, actor, title); err != nil {
			return err
		}
	}
	sections, err := s.Sections(ctx)
	if err != nil {
		return err
	}
	sectionID := map[string]int64{}
	for _, sc := range sections {
		sectionID[sc.Title] = sc.ID
	}
	answerer := db.Actor{Login: "support"}
	for _, dq := range questions {
		var asker db.Actor
		var companyID int64
		if dq.askedBy != "" {
			u, err := s.UserByLogin(ctx, dq.askedBy)
			if err != nil {
				return err
			}
			asker, companyID = db.Actor{UserID: u.ID, Login: actor.Login}, u.CompanyID // audited as the demo's doing
		}
		body := dq.body
		if body == "" {
			body = dq.subject
		}
		q := db.Question{SectionID: sectionID[dq.section], Subject: dq.subject, Body: body, Answer: dq.answer, Published: dq.published}
		if _, err := s.ImportQuestion(ctx, asker, answerer, companyID, q); err != nil {
			return err
		}
	}
	return nil
}
