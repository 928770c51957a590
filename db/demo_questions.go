package db

import "context"

// demoQuestions are the demo's Вопросы и ответы: by section, asked by a
// demo login ("" for staff's own), answered or not, published or not.
var demoQuestions = []struct {
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

// seedDemoQuestions fills Вопросы и ответы once.
func (s *Store) seedDemoQuestions(ctx context.Context) error {
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM question_sections`).Scan(&n); err != nil || n > 0 {
		return err
	}
	for _, title := range []string{"Баланс и оплата", "Документы", "TMServer"} {
		if err := s.AddSection(ctx, demoActor, title); err != nil {
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
	for _, dq := range demoQuestions {
		var asker Actor
		var companyID int64
		if dq.askedBy != "" {
			u, err := s.UserByLogin(ctx, dq.askedBy)
			if err != nil {
				return err
			}
			asker, companyID = Actor{UserID: u.ID, Login: demoActor.Login}, u.CompanyID // audited as the demo's doing
		}
		body := dq.body
		if body == "" {
			body = dq.subject
		}
		id, err := s.Ask(ctx, asker, companyID, Question{SectionID: sectionID[dq.section], Subject: dq.subject, Body: body})
		if err != nil {
			return err
		}
		if dq.answer == "" {
			continue
		}
		if _, err := s.w.ExecContext(ctx, `UPDATE questions SET answer = ?, status = 'answered', published = ?, answered_by = 'support',
			answered_at = created_at WHERE id = ?`, dq.answer, dq.published, id); err != nil {
			return err
		}
	}
	return nil
}
