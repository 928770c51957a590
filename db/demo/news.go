package demo

import (
	"context"
	"fmt"
	"time"

	"elk/db"
)

// demoNews is one of the vendor's posts: days ago (negative: a draft), for
// one company only or all, pinned, and the demo logins that have read them.
type demoNews struct {
	daysAgo int
	title   string
	body    string
	only    string
	pinned  bool
	readBy  []string
}

// news are the vendor's posts as of the demo's today in Moscow. A post
// about a date is published before that date: new tariffs start on the
// first of next month, planned works are five days ahead.
func news(today time.Time) []demoNews {
	tariffsFrom := db.MonthStart(today).AddDate(0, 1, 0)
	works := today.AddDate(0, 0, 5)
	return []demoNews{
		{20, "Тарифы на СМС с " + longDay(tariffsFrom), "С **" + longDay(tariffsFrom) + "** цена части СМС по тарифу «СМС — базовый» остаётся прежней — *2,50 ₽*.\n\n" +
			"Для компаний, отправляющих больше 100 000 СМС в месяц, появится тариф «СМС — оптовый». Подробности — у вашего менеджера.", "", false, []string{"taxi", "vostok"}},
		{10, "Вышла версия TMServer 5.3", "Что нового:\n\n- отчёт по сменам водителей;\n- быстрый поиск заказа по телефону;\n" +
			"- отправка СМС через несколько шлюзов.\n\nОбновление бесплатно для клиентов с действующей лицензией.", "", false, nil},
		{5, "Для «Такси Пример»: подключена онлайн-оплата", "Модуль онлайн-оплаты подключён к вашей лицензии. Настройки — в TMServer, раздел «Оплата».", "Такси Пример", false, nil},
		{2, "Плановые работы " + longDay(works) + " с 02:00 до 04:00 (МСК)", "В это время личный кабинет и API могут быть недоступны до 10 минут. " +
			"Отправка СМС с ваших серверов не прервётся: отчёты придут после окончания работ.", "", true, nil},
		{-1, "Праздничный график технической поддержки", "Черновик: график на новогодние праздники.", "", false, nil},
	}
}

// longDay writes a day as news speaks of it: «1 января 2027 года».
func longDay(t time.Time) string {
	months := [...]string{"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"}
	return fmt.Sprintf("%d %s %d года", t.Day(), months[t.Month()-1], t.Year())
}

// seedNews posts the demo's news once, each opened by the users who read it.
func seedNews(ctx context.Context, s *db.Store, companyIDs map[string]int64) error {
	if has, err := s.AllNews(ctx); err != nil || len(has) > 0 {
		return err
	}
	now := s.Now()
	for _, dn := range news(db.Today(now, db.VendorLocation)) {
		item := db.News{Title: dn.title, Body: dn.body, Pinned: dn.pinned, Audience: db.AudienceAll}
		if dn.daysAgo >= 0 {
			at := now.AddDate(0, 0, -dn.daysAgo).Truncate(time.Hour)
			item.PublishedAt = &at
		}
		if dn.only != "" {
			item.Audience, item.CompanyIDs = db.AudienceCompanies, []int64{companyIDs[dn.only]}
		}
		id, err := s.SaveNews(ctx, actor, item)
		if err != nil {
			return err
		}
		for _, login := range dn.readBy {
			u, err := s.UserByLogin(ctx, login)
			if err != nil {
				return err
			}
			if _, err := s.OpenNews(ctx, u.CompanyID, u.ID, id); err != nil {
				return err
			}
		}
	}
	return nil
}
