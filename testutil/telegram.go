package testutil

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Telegram is a Bot API server on 127.0.0.1 for one bot: getMe,
// getUpdates that serves the messages a test sends and forgets those
// below the offset asked (as Telegram confirms them), and sendMessage
// that keeps what it was sent and answers as the test scripts.
type Telegram struct {
	URL      string
	Token    string
	Username string

	mu       sync.Mutex
	updates  []telegramUpdate
	nextID   int64
	answers  map[string][]TelegramAnswer // by chat id
	sent     []TelegramSent
	requests int // sendMessage calls, answered or refused
}

// TelegramSent is a message the bot sent.
type TelegramSent struct {
	ChatID string
	Text   string
}

// TelegramAnswer is how the server answers one sendMessage.
type TelegramAnswer struct {
	Status      int
	Description string
	RetryAfter  int // seconds, with 429
}

type telegramUpdate struct {
	UpdateID int64 `json:"update_id"`
	Message  any   `json:"message"`
}

// StartTelegram serves a fake Bot API until the test ends.
func StartTelegram(t testing.TB) *Telegram {
	t.Helper()
	tg := &Telegram{Token: "123456:TEST-secret-token-ABCdef", Username: "elk_test_bot", nextID: 500}
	srv := httptest.NewServer(http.HandlerFunc(tg.serve))
	t.Cleanup(srv.Close)
	tg.URL = srv.URL
	return tg
}

func (tg *Telegram) serve(w http.ResponseWriter, r *http.Request) {
	method, ok := strings.CutPrefix(r.URL.Path, "/bot"+tg.Token+"/")
	if !ok || r.Method != http.MethodPost {
		reply(w, http.StatusUnauthorized, map[string]any{"ok": false, "error_code": 401, "description": "Unauthorized"})
		return
	}
	var params map[string]any
	d := json.NewDecoder(r.Body)
	d.UseNumber() // chat ids whole, as Telegram reads them
	if err := d.Decode(&params); err != nil {
		reply(w, http.StatusBadRequest, map[string]any{"ok": false, "description": "Bad Request: " + err.Error()})
		return
	}
	tg.mu.Lock()
	defer tg.mu.Unlock()
	switch method {
	case "getMe":
		reply(w, http.StatusOK, map[string]any{"ok": true, "result": map[string]any{"id": 123456, "is_bot": true, "username": tg.Username}})
	case "getUpdates":
		n, _ := params["offset"].(json.Number)
		offset, _ := n.Int64()
		kept := tg.updates[:0]
		for _, u := range tg.updates {
			if u.UpdateID >= offset {
				kept = append(kept, u)
			}
		}
		tg.updates = kept
		reply(w, http.StatusOK, map[string]any{"ok": true, "result": append([]telegramUpdate{}, kept...)})
	case "sendMessage":
		tg.requests++
		chat, _ := params["chat_id"].(json.Number)
		if queue := tg.answers[string(chat)]; len(queue) > 0 {
			a := queue[0]
			tg.answers[string(chat)] = queue[1:]
			if a.Status != http.StatusOK {
				answer := map[string]any{"ok": false, "error_code": a.Status, "description": a.Description}
				if a.RetryAfter > 0 {
					answer["parameters"] = map[string]any{"retry_after": a.RetryAfter}
				}
				reply(w, a.Status, answer)
				return
			}
		}
		text, _ := params["text"].(string)
		if _, markup := params["parse_mode"]; markup || text == "" || len([]rune(text)) > 4096 {
			reply(w, http.StatusBadRequest, map[string]any{"ok": false, "error_code": 400, "description": "Bad Request: message text is empty, too long or marked up"})
			return
		}
		tg.sent = append(tg.sent, TelegramSent{ChatID: string(chat), Text: text})
		reply(w, http.StatusOK, map[string]any{"ok": true, "result": map[string]any{"message_id": len(tg.sent)}})
	default:
		reply(w, http.StatusNotFound, map[string]any{"ok": false, "error_code": 404, "description": "Not Found"})
	}
}

func reply(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}

// Say queues a message from a user in a private chat, for getUpdates;
// lang is the user's Telegram language ("ru", "en").
func (tg *Telegram) Say(chatID int64, text, lang string) {
	tg.mu.Lock()
	defer tg.mu.Unlock()
	tg.nextID++
	tg.updates = append(tg.updates, telegramUpdate{UpdateID: tg.nextID, Message: map[string]any{
		"message_id": tg.nextID, "text": text,
		"chat": map[string]any{"id": chatID, "type": "private"},
		"from": map[string]any{"id": chatID, "is_bot": false, "first_name": "Test", "language_code": lang},
	}})
}

// RenumberUpdates numbers the next update next, as Telegram does, at
// random, after a week without updates.
func (tg *Telegram) RenumberUpdates(next int64) {
	tg.mu.Lock()
	defer tg.mu.Unlock()
	tg.nextID = next - 1
}

// Answer scripts the next answers to sendMessage to the chat, in order;
// after them, every message is taken.
func (tg *Telegram) Answer(chatID int64, answers ...TelegramAnswer) {
	tg.mu.Lock()
	defer tg.mu.Unlock()
	if tg.answers == nil {
		tg.answers = map[string][]TelegramAnswer{}
	}
	key := strconv.FormatInt(chatID, 10)
	tg.answers[key] = append(tg.answers[key], answers...)
}

// Sent returns the messages the bot sent so far.
func (tg *Telegram) Sent() []TelegramSent {
	tg.mu.Lock()
	defer tg.mu.Unlock()
	return append([]TelegramSent{}, tg.sent...)
}

// SendRequests counts sendMessage calls, refused ones included.
func (tg *Telegram) SendRequests() int {
	tg.mu.Lock()
	defer tg.mu.Unlock()
	return tg.requests
}
