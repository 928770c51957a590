package demo

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"
	"time"

	"elk/db"
)

// step is one entry of a demo ticket's thread, hoursAgo before seeding: a
// message by a demo login (its kind follows from who writes), or a status.
type step struct {
	hoursAgo float64
	by       string
	kind     string // MessageClient, MessageStaff, MessageNote or MessageStatus
	body     string // for a status, the status
	file     string // "log" or "png" attaches a demo file
}

// tickets are the demo's Обращения в ТП, one in each status.
var tickets = []struct {
	by, subject, priority, service string
	steps                          []step
}{
	{"taxi", "Не уходят СМС клиентам", "urgent", "sms", []step{
		{3, "taxi", db.MessageClient, "С 9:40 клиенты не получают СМС о назначенной машине. В журнале сервера сообщений ошибки отправки, журнал прикладываю.", "log"},
	}},
	{"dispatcher", "Сервер сообщений перезагружается ночью", "high", "", []step{
		{50, "dispatcher", db.MessageClient, "Третью ночь подряд около 3:00 сервер сообщений перезапускается, водители на 5 минут пропадают с карты.", ""},
		{47, "support", db.MessageStaff, "Спасибо, видим перезапуски в мониторинге. Проверяем журнал службы, напишем сегодня.", ""},
		{46.5, "support", db.MessageNote, "Похоже на ночное обновление антивируса у клиента — уточнить у Павла, есть ли он на сервере.", ""},
		{46, "support", db.MessageStatus, db.TicketInProgress, ""},
	}},
	{"taxi", "Как добавить второго диспетчера?", "normal", "", []step{
		{30, "taxi", db.MessageClient, "Хотим дать доступ к кабинету ещё одному диспетчеру. Где это сделать?", ""},
		{26, "support", db.MessageStaff, "Откройте вкладку «Пользователи» и нажмите «Добавить пользователя»: роль — «Диспетчер». Получилось?", ""},
	}},
	{"taxi", "Нужен акт сверки за октябрь", "low", "support", []step{
		{170, "taxi", db.MessageClient, "Пришлите, пожалуйста, акт сверки за октябрь для бухгалтерии.", ""},
		{150, "manager", db.MessageStaff, "Отправили акт сверки на почту бухгалтерии. Закрываем обращение; если что-то не сходится — откройте его снова.", ""},
		{150, "manager", db.MessageStatus, db.TicketClosed, ""},
	}},
	{"vostok", "Водители не видят заказы в приложении", "high", "", []step{
		{5, "vostok", db.MessageClient, "С утра часть водителей видит пустой список заказов, хотя заказы есть. Снимок экрана во вложении.", "png"},
	}},
}

// seedTickets fills Обращения в ТП once, each ticket written step by step
// through the store and then moved back to when its steps happened over the
// last week.
func seedTickets(ctx context.Context, s *db.Store) error {
	if has, err := s.TicketQueue(ctx, db.TicketFilter{}); err != nil || len(has) > 0 {
		return err
	}
	now := s.Now()
	for _, dt := range tickets {
		author, err := s.UserByLogin(ctx, dt.by)
		if err != nil {
			return err
		}
		var serviceID int64
		if dt.service != "" {
			services, err := s.CompanyServices(ctx, author.CompanyID, false)
			if err != nil {
				return err
			}
			for _, cs := range services {
				if cs.ServiceCode == dt.service {
					serviceID = cs.ID
				}
			}
			if serviceID == 0 {
				return fmt.Errorf("demo: ticket service %s: %w", dt.service, db.ErrNotFound)
			}
		}
		var id int64
		times := map[int64]time.Time{}
		for i, st := range dt.steps {
			u, err := s.UserByLogin(ctx, st.by)
			if err != nil {
				return err
			}
			a := db.Actor{UserID: u.ID, Login: actor.Login}
			var files []db.Attachment
			if st.file != "" {
				files = append(files, attachment(st.file))
			}
			switch {
			case i == 0:
				id, err = s.OpenTicket(ctx, a, author.CompanyID, db.NewTicket{Subject: dt.subject, Priority: dt.priority,
					ServiceID: serviceID, Body: st.body, Attachments: files})
			case st.kind == db.MessageClient:
				err = s.ClientReply(ctx, a, author.CompanyID, id, st.body, files)
			case st.kind == db.MessageStatus:
				err = s.SetTicketStatusByID(ctx, a, id, st.body)
			default:
				err = s.StaffReply(ctx, a, id, st.kind, st.body, files, db.TicketWaiting)
			}
			if err != nil {
				return err
			}
			// The step's messages are those of the thread not timed yet.
			thread, err := s.TicketThread(ctx, id, true)
			if err != nil {
				return err
			}
			for _, m := range thread {
				if _, ok := times[m.ID]; !ok {
					times[m.ID] = now.Add(-time.Duration(st.hoursAgo * float64(time.Hour)))
				}
			}
		}
		if err := s.BackdateTicket(ctx, id, times); err != nil {
			return err
		}
	}
	return nil
}

// attachment is a small file of a kind: a server log or a screenshot.
func attachment(kind string) db.Attachment {
	if kind == "log" {
		var b strings.Builder
		for i := range 40 {
			fmt.Fprintf(&b, "2026-11-27 09:%02d:%02d ERROR sms-gateway: send failed: 503 Service Unavailable (attempt %d)\n", 40+i/10, i*7%60, i%3+1)
		}
		return db.Attachment{Name: "messages-server.log", ContentType: "text/plain; charset=utf-8", Size: int64(b.Len()),
			Content: strings.NewReader(b.String())}
	}
	img := image.NewRGBA(image.Rect(0, 0, 320, 200))
	for y := range 200 {
		for x := range 320 {
			c := color.RGBA{R: 245, G: 247, B: 250, A: 255}
			switch {
			case y < 36:
				c = color.RGBA{R: 37, G: 99, B: 235, A: 255}
			case y > 80 && y < 120 && x > 40 && x < 280:
				c = color.RGBA{R: 220, G: 38, B: 38, A: 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img) // writing to memory does not fail
	return db.Attachment{Name: "Снимок экрана.png", ContentType: "image/png", Size: int64(buf.Len()), Content: &buf}
}
