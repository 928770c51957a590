package db

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"
	"time"
)

// demoStep is one entry of a demo ticket's thread, hoursAgo before seeding:
// a message by a demo login (its kind follows from who writes), or a status.
type demoStep struct {
	hoursAgo float64
	by       string
	kind     string // MessageClient, MessageStaff, MessageNote or MessageStatus
	body     string // for a status, the status
	file     string // "log" or "png" attaches a demo file
}

// demoTickets are the demo's Обращения в ТП, one in each status.
var demoTickets = []struct {
	by, subject, priority, service string
	steps                          []demoStep
}{
	{"taxi", "Не уходят СМС клиентам", "urgent", "sms", []demoStep{
		{3, "taxi", MessageClient, "С 9:40 клиенты не получают СМС о назначенной машине. В журнале сервера сообщений ошибки отправки, журнал прикладываю.", "log"},
	}},
	{"dispatcher", "Сервер сообщений перезагружается ночью", "high", "", []demoStep{
		{50, "dispatcher", MessageClient, "Третью ночь подряд около 3:00 сервер сообщений перезапускается, водители на 5 минут пропадают с карты.", ""},
		{47, "support", MessageStaff, "Спасибо, видим перезапуски в мониторинге. Проверяем журнал службы, напишем сегодня.", ""},
		{46.5, "support", MessageNote, "Похоже на ночное обновление антивируса у клиента — уточнить у Павла, есть ли он на сервере.", ""},
		{46, "support", MessageStatus, TicketInProgress, ""},
	}},
	{"taxi", "Как добавить второго диспетчера?", "normal", "", []demoStep{
		{30, "taxi", MessageClient, "Хотим дать доступ к кабинету ещё одному диспетчеру. Где это сделать?", ""},
		{26, "support", MessageStaff, "Откройте вкладку «Пользователи» и нажмите «Добавить пользователя»: роль — «Диспетчер». Получилось?", ""},
	}},
	{"taxi", "Нужен акт сверки за октябрь", "low", "support", []demoStep{
		{170, "taxi", MessageClient, "Пришлите, пожалуйста, акт сверки за октябрь для бухгалтерии.", ""},
		{150, "manager", MessageStaff, "Отправили акт сверки на почту бухгалтерии. Закрываем обращение; если что-то не сходится — откройте его снова.", ""},
		{150, "manager", MessageStatus, TicketClosed, ""},
	}},
	{"vostok", "Водители не видят заказы в приложении", "high", "", []demoStep{
		{5, "vostok", MessageClient, "С утра часть водителей видит пустой список заказов, хотя заказы есть. Снимок экрана во вложении.", "png"},
	}},
}

// seedDemoTickets fills Обращения в ТП once, with their history spread over
// the last week.
func (s *Store) seedDemoTickets(ctx context.Context) error {
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM tickets`).Scan(&n); err != nil || n > 0 {
		return err
	}
	now := s.Now()
	for _, dt := range demoTickets {
		author, err := s.UserByLogin(ctx, dt.by)
		if err != nil {
			return err
		}
		var serviceID int64
		if dt.service != "" {
			if err := s.r.QueryRowContext(ctx, `SELECT cs.id FROM company_services cs JOIN services sv ON sv.id = cs.service_id
				WHERE cs.company_id = ? AND sv.code = ?`, author.CompanyID, dt.service).Scan(&serviceID); err != nil {
				return fmt.Errorf("db: demo ticket service %s: %w", dt.service, err)
			}
		}
		var id int64
		for i, st := range dt.steps {
			u, err := s.UserByLogin(ctx, st.by)
			if err != nil {
				return err
			}
			a := Actor{UserID: u.ID, Login: demoActor.Login}
			var files []Attachment
			if st.file != "" {
				files = append(files, demoAttachment(st.file))
			}
			var lastID int64
			if err := s.r.QueryRowContext(ctx, `SELECT COALESCE(max(id), 0) FROM ticket_messages`).Scan(&lastID); err != nil {
				return err
			}
			switch {
			case i == 0:
				id, err = s.OpenTicket(ctx, a, author.CompanyID, NewTicket{Subject: dt.subject, Priority: dt.priority,
					ServiceID: serviceID, Body: st.body, Attachments: files})
			case st.kind == MessageClient:
				err = s.ClientReply(ctx, a, author.CompanyID, id, st.body, files)
			case st.kind == MessageStatus:
				err = s.SetTicketStatusByID(ctx, a, id, st.body)
			default:
				err = s.StaffReply(ctx, a, id, st.kind, st.body, files, TicketWaiting)
			}
			if err != nil {
				return err
			}
			at := formatTime(now.Add(-time.Duration(st.hoursAgo * float64(time.Hour))))
			if _, err := s.w.ExecContext(ctx, `UPDATE ticket_messages SET created_at = ? WHERE ticket_id = ? AND id > ?`, at, id, lastID); err != nil {
				return err
			}
		}
		// The times follow the backdated thread.
		if _, err := s.w.ExecContext(ctx, `UPDATE tickets SET
			created_at = (SELECT min(created_at) FROM ticket_messages WHERE ticket_id = tickets.id),
			updated_at = (SELECT max(created_at) FROM ticket_messages WHERE ticket_id = tickets.id),
			closed_at = CASE WHEN closed_at IS NULL THEN NULL ELSE (SELECT max(created_at) FROM ticket_messages WHERE ticket_id = tickets.id) END,
			waiting_since = CASE WHEN waiting_since IS NULL THEN NULL ELSE (SELECT min(created_at) FROM ticket_messages
				WHERE ticket_id = tickets.id AND kind = 'client' AND id > (SELECT COALESCE(max(id), 0) FROM ticket_messages
					WHERE ticket_id = tickets.id AND kind = 'staff')) END
			WHERE id = ?`, id); err != nil {
			return err
		}
	}
	// The demo's history was never e-mailed.
	_, err := s.w.ExecContext(ctx, `DELETE FROM outbox WHERE kind IN (?, ?)`, NoticeTicketReply, NoticeTicketClientMessage)
	return err
}

// demoAttachment is a small file of a kind: a server log or a screenshot.
func demoAttachment(kind string) Attachment {
	if kind == "log" {
		var b strings.Builder
		for i := range 40 {
			fmt.Fprintf(&b, "2026-11-27 09:%02d:%02d ERROR sms-gateway: send failed: 503 Service Unavailable (attempt %d)\n", 40+i/10, i*7%60, i%3+1)
		}
		return Attachment{Name: "messages-server.log", ContentType: "text/plain; charset=utf-8", Data: []byte(b.String())}
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
	return Attachment{Name: "Снимок экрана.png", ContentType: "image/png", Data: buf.Bytes()}
}
