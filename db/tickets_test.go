package db_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"elk/db"
	"elk/testutil"
)

func actor(t *testing.T, s *db.Store, login string) (db.Actor, int64) {
	t.Helper()
	u, err := s.UserByLogin(context.Background(), login)
	if err != nil {
		t.Fatal(err)
	}
	return db.Actor{UserID: u.ID, Login: u.Login}, u.CompanyID
}

// noticesTo lists who got notices of a kind about a ticket.
func noticesTo(t *testing.T, s *db.Store, kind string, ticketID int64) []string {
	t.Helper()
	ns, err := s.ListNotices(context.Background(), db.NoticeFilter{Kind: kind, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range ns {
		if n.Params.TicketID == ticketID {
			out = append(out, n.Recipient)
		}
	}
	slices.Sort(out)
	return out
}

func TestTicketNoticesReachTheOtherSide(t *testing.T) {
	ctx := context.Background()
	s := demoStore(t)
	support, _ := actor(t, s, "support")

	// A dispatcher without an e-mail of her own: the company's address
	// gets staff's reply.
	disp, primer := actor(t, s, "dispatcher")
	id, err := s.OpenTicket(ctx, disp, primer, db.NewTicket{Subject: "Карта", Priority: "normal", Body: "Не грузится карта"})
	if err != nil {
		t.Fatal(err)
	}
	if got := noticesTo(t, s, db.NoticeTicketClientMessage, id); len(got) != 3 {
		t.Errorf("staff told of a new ticket: %v", got)
	}
	if err := s.StaffReply(ctx, support, id, db.MessageNote, "внутреннее", nil, db.TicketWaiting); err != nil {
		t.Fatal(err)
	}
	if got := noticesTo(t, s, db.NoticeTicketReply, id); len(got) != 0 {
		t.Errorf("a note told the client: %v", got)
	}
	if err := s.StaffReply(ctx, support, id, db.MessageStaff, "Обновите браузер", nil, db.TicketWaiting); err != nil {
		t.Fatal(err)
	}
	if got := noticesTo(t, s, db.NoticeTicketReply, id); !slices.Equal(got, []string{"dispatch@taxi-primer.example"}) {
		t.Errorf("client told of the reply: %v", got)
	}

	// Восток's notifications are off: staff hear of it, the client does not.
	vostok, vostokID := actor(t, s, "vostok")
	id2, err := s.OpenTicket(ctx, vostok, vostokID, db.NewTicket{Subject: "Вопрос", Priority: "low", Body: "Текст"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.StaffReply(ctx, support, id2, db.MessageStaff, "Ответ", nil, db.TicketClosed); err != nil {
		t.Fatal(err)
	}
	if got := noticesTo(t, s, db.NoticeTicketReply, id2); len(got) != 0 {
		t.Errorf("a company with notifications off was told: %v", got)
	}
	if got := noticesTo(t, s, db.NoticeTicketClientMessage, id2); len(got) != 3 {
		t.Errorf("staff told of Восток's ticket: %v", got)
	}
}

func TestTicketWithAnUnreachableAssigneeReachesEveryone(t *testing.T) {
	ctx := context.Background()
	s := demoStore(t)
	taxi, primer := actor(t, s, "taxi")
	support, _ := actor(t, s, "support")
	admin, _ := actor(t, s, "admin")
	id, err := s.OpenTicket(ctx, taxi, primer, db.NewTicket{Subject: "Уволился", Priority: "normal", Body: "Первое"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.StaffReply(ctx, support, id, db.MessageStaff, "Смотрю", nil, db.TicketWaiting); err != nil {
		t.Fatal(err)
	}
	if err := s.ClientReply(ctx, taxi, primer, id, "Второе", nil); err != nil {
		t.Fatal(err)
	}
	if got := noticesTo(t, s, db.NoticeTicketClientMessage, id); len(got) != 4 || !slices.Contains(got, "support@taxisoft.example") {
		t.Fatalf("three told of the ticket, then the assignee alone: %v", got)
	}
	u, _ := s.UserByLogin(ctx, "support")
	if err := s.SetUserDisabled(ctx, admin, u, true); err != nil {
		t.Fatal(err)
	}
	if err := s.ClientReply(ctx, taxi, primer, id, "Третье", nil); err != nil {
		t.Fatal(err)
	}
	if got := noticesTo(t, s, db.NoticeTicketClientMessage, id); len(got) != 6 {
		t.Errorf("with the assignee gone, the other two are told: %v", got)
	}
	ns, _ := s.CompanyNotices(ctx, primer, 50)
	for _, n := range ns {
		if n.Kind == db.NoticeTicketClientMessage {
			t.Errorf("the company's notifications hold staff's %s", n.Recipient)
		}
	}
}

func TestTicketStatusFollowsTheConversation(t *testing.T) {
	ctx := context.Background()
	s := demoStore(t)
	taxi, primer := actor(t, s, "taxi")
	vostok, vostokID := actor(t, s, "vostok")
	support, _ := actor(t, s, "support")
	id, err := s.OpenTicket(ctx, taxi, primer, db.NewTicket{Subject: "Статусы", Priority: "high", Body: "Первое"})
	if err != nil {
		t.Fatal(err)
	}
	check := func(step, status string, waiting bool) {
		t.Helper()
		tk, err := s.CompanyTicket(ctx, primer, id)
		if err != nil {
			t.Fatal(err)
		}
		if tk.Status != status || (tk.WaitingSince != nil) != waiting || (tk.ClosedAt != nil) != (status == db.TicketClosed) {
			t.Errorf("%s: %s, waiting since %v, closed %v", step, tk.Status, tk.WaitingSince, tk.ClosedAt)
		}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	check("opened", db.TicketOpen, true)
	opened, _ := s.CompanyTicket(ctx, primer, id)
	clock := s.Now()
	s.SetClock(func() time.Time { return clock.Add(time.Hour) })
	must(s.StaffReply(ctx, support, id, db.MessageNote, "смотрим", nil, db.TicketWaiting))
	check("after a note", db.TicketOpen, true)
	if tk, _ := s.CompanyTicket(ctx, primer, id); !tk.UpdatedAt.Equal(opened.UpdatedAt) {
		t.Errorf("a note changed what the client sees: updated %v, was %v", tk.UpdatedAt, opened.UpdatedAt)
	}
	must(s.SetTicketStatus(ctx, taxi, primer, id, db.TicketOpen))
	must(s.StaffReply(ctx, support, id, db.MessageStaff, "Взяли в работу", nil, db.TicketInProgress))
	check("staff answered", db.TicketInProgress, false)
	must(s.SetTicketStatus(ctx, taxi, primer, id, db.TicketOpen))
	check("the client cannot «reopen» a ticket in work", db.TicketInProgress, false)
	must(s.ClientReply(ctx, taxi, primer, id, "Спасибо", nil))
	check("client wrote while in progress", db.TicketInProgress, true)
	must(s.SetTicketStatusByID(ctx, support, id, db.TicketWaiting))
	check("staff set «waiting for the client»", db.TicketWaiting, false)
	must(s.ClientReply(ctx, taxi, primer, id, "Проверили", nil))
	check("the client answered", db.TicketOpen, true)
	must(s.SetTicketStatus(ctx, taxi, primer, id, db.TicketClosed))
	check("closed", db.TicketClosed, false)
	if err := s.StaffReply(ctx, support, id, db.MessageStaff, "Ещё", nil, db.TicketWaiting); !errors.Is(err, db.ErrTicketClosed) {
		t.Errorf("staff reply to a closed ticket: %v", err)
	}
	must(s.StaffReply(ctx, support, id, db.MessageNote, "закрыто клиентом", nil, ""))
	check("a note on a closed ticket", db.TicketClosed, false)
	must(s.ClientReply(ctx, taxi, primer, id, "Снова не работает", nil))
	check("a client's reply reopens", db.TicketOpen, true)

	// Another company reaches none of it.
	if err := s.ClientReply(ctx, vostok, vostokID, id, "чужое", nil); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("foreign reply: %v", err)
	}
	if err := s.SetTicketStatus(ctx, vostok, vostokID, id, db.TicketClosed); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("foreign close: %v", err)
	}
	if _, err := s.CompanyTicket(ctx, vostokID, id); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("foreign read: %v", err)
	}
	thread, err := s.TicketThread(ctx, id, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range thread {
		if m.Kind == db.MessageNote || m.Body == "чужое" {
			t.Errorf("the client's thread holds %s %q", m.Kind, m.Body)
		}
	}
}

func TestBackupHoldsTicketFiles(t *testing.T) {
	ctx := context.Background()
	path := testutil.DemoCopy(t)
	s := testutil.Open(t, path, testutil.NewClock(t))
	taxi, primer := actor(t, s, "taxi")
	data := []byte("%PDF-1.4 a scanned act")
	id, err := s.OpenTicket(ctx, taxi, primer, db.NewTicket{Subject: "Скан", Priority: "normal", Body: "Во вложении",
		Attachments: []db.Attachment{{Name: "акт.pdf", ContentType: "application/pdf", Size: int64(len(data)), Content: bytes.NewReader(data)}}})
	if err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(t.TempDir(), "copy.db")
	if err := s.Backup(ctx, copyPath); err != nil {
		t.Fatal(err)
	}
	testutil.RestoreKey(t, path, copyPath)
	restored, err := db.Open(ctx, copyPath)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	thread, err := restored.TicketThread(ctx, id, false)
	if err != nil || len(thread) != 1 || len(thread[0].Attachments) != 1 {
		t.Fatalf("restored thread: %+v, %v", thread, err)
	}
	f, err := restored.TicketAttachment(ctx, primer, thread[0].Attachments[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(restored.AttachmentContent(f.ID))
	if err != nil || string(got) != string(data) || f.Name != "акт.pdf" || f.Size != int64(len(data)) {
		t.Errorf("restored file: %q %q %d, %v", f.Name, got, f.Size, err)
	}
}

// A ticket moved into the past takes its messages' times, and the notices
// of those messages, never sent, go.
func TestBackdatedTicketFollowsItsThread(t *testing.T) {
	ctx := context.Background()
	s := demoStore(t)
	support, _ := actor(t, s, "support")
	disp, primer := actor(t, s, "dispatcher")
	id, err := s.OpenTicket(ctx, disp, primer, db.NewTicket{Subject: "Карта", Priority: "normal", Body: "Не грузится карта"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.StaffReply(ctx, support, id, db.MessageStaff, "Проверяем", nil, db.TicketInProgress); err != nil {
		t.Fatal(err)
	}
	thread, err := s.TicketThread(ctx, id, true)
	if err != nil || len(thread) != 3 { // the question, the reply, the status
		t.Fatalf("thread %+v %v", thread, err)
	}
	opened, answered := s.Now().Add(-50*time.Hour), s.Now().Add(-47*time.Hour)
	at := map[int64]time.Time{thread[0].ID: opened, thread[1].ID: answered, thread[2].ID: answered}
	if err := s.BackdateTicket(ctx, id, at); err != nil {
		t.Fatal(err)
	}
	tk, err := s.TicketByID(ctx, id)
	if err != nil || !tk.CreatedAt.Equal(opened.Truncate(time.Millisecond)) || !tk.UpdatedAt.Equal(answered.Truncate(time.Millisecond)) ||
		tk.WaitingSince != nil || tk.Status != db.TicketInProgress {
		t.Errorf("ticket %+v %v", tk, err)
	}
	if got := noticesTo(t, s, db.NoticeTicketClientMessage, id); len(got) != 0 {
		t.Errorf("staff still to be told: %v", got)
	}
	if got := noticesTo(t, s, db.NoticeTicketReply, id); len(got) != 0 {
		t.Errorf("the client still to be told: %v", got)
	}
}

// A file bigger than a piece comes back byte for byte; a file shorter than
// announced leaves nothing behind.
func TestFileIsStoredInPieces(t *testing.T) {
	ctx := context.Background()
	s := demoStore(t)
	taxi, primer := actor(t, s, "taxi")
	data := make([]byte, 600<<10)
	for i := range data {
		data[i] = byte(i * 7 % 251)
	}
	id, err := s.OpenTicket(ctx, taxi, primer, db.NewTicket{Subject: "Журнал", Priority: "normal", Body: "Во вложении",
		Attachments: []db.Attachment{{Name: "big.log", ContentType: "text/plain", Size: int64(len(data)), Content: bytes.NewReader(data)}}})
	if err != nil {
		t.Fatal(err)
	}
	thread, err := s.TicketThread(ctx, id, false)
	if err != nil || len(thread) != 1 || len(thread[0].Attachments) != 1 {
		t.Fatalf("thread: %+v, %v", thread, err)
	}
	got, err := io.ReadAll(s.AttachmentContent(thread[0].Attachments[0].ID))
	if err != nil || !bytes.Equal(got, data) {
		t.Errorf("read back %d bytes (want %d), equal %v, %v", len(got), len(data), bytes.Equal(got, data), err)
	}

	before := countRows(t, s, "tickets")
	_, err = s.OpenTicket(ctx, taxi, primer, db.NewTicket{Subject: "Обрыв", Priority: "normal", Body: "Файл оборвался",
		Attachments: []db.Attachment{{Name: "cut.log", ContentType: "text/plain", Size: int64(len(data)) + 1, Content: bytes.NewReader(data)}}})
	if err == nil {
		t.Fatal("a file shorter than announced was stored")
	}
	if n := countRows(t, s, "tickets"); n != before {
		t.Errorf("tickets: %d after the refused file, %d before", n, before)
	}
}

func countRows(t *testing.T, s *db.Store, table string) int {
	t.Helper()
	var n int
	if err := s.WithTx(context.Background(), func(tx *sql.Tx) error {
		return tx.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n)
	}); err != nil {
		t.Fatal(err)
	}
	return n
}
