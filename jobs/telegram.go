package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode"
)

// DefaultTelegramAPI is the public Bot API.
const DefaultTelegramAPI = "https://api.telegram.org"

// ErrChatBlocked marks Telegram's 403: the user blocked the bot, or the bot
// was removed from the group. The notice fails and the chat is marked, so
// that nothing more is written for it.
var ErrChatBlocked = errors.New("the bot is blocked in the chat")

// TelegramBot talks to the Telegram Bot API. The token is part of every
// URL, so no error it returns carries a URL: the token never reaches a log
// or the outbox.
type TelegramBot struct {
	api    string // without a trailing slash
	token  string
	Client *http.Client

	mu       sync.Mutex
	username string // from getMe, once known
}

// NewTelegramBot checks the API's address; the token is checked by the
// first call.
func NewTelegramBot(apiURL, token string) (*TelegramBot, error) {
	u, err := url.Parse(apiURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("ELK_TELEGRAM_API_URL: want an http or https URL, such as " + DefaultTelegramAPI)
	}
	if token == "" || strings.ContainsAny(token, "/?# ") {
		return nil, errors.New("ELK_TELEGRAM_TOKEN: want the token @BotFather gave, such as 123456:ABC-DEF")
	}
	return &TelegramBot{api: strings.TrimRight(apiURL, "/"), token: token, Client: &http.Client{}}, nil
}

// TelegramError is the Bot API's refusal.
type TelegramError struct {
	Status      int
	Description string
	Retry       time.Duration // from parameters.retry_after, with 429
}

func (e *TelegramError) Error() string {
	switch {
	case e.Status == http.StatusTooManyRequests:
		return fmt.Sprintf("Telegram asked to wait %s: %d %s", e.Retry, e.Status, e.Description)
	case e.Status == http.StatusForbidden:
		return fmt.Sprintf("%s: Telegram answered %d %s", ErrChatBlocked, e.Status, e.Description)
	}
	return fmt.Sprintf("Telegram answered %d %s", e.Status, e.Description)
}

// Is makes a 403 ErrChatBlocked, and every 4xx but 429 ErrRefused: trying
// the same request again cannot help.
func (e *TelegramError) Is(target error) bool {
	switch target {
	case ErrChatBlocked:
		return e.Status == http.StatusForbidden
	case ErrRefused:
		return e.Status >= 400 && e.Status < 500 && e.Status != http.StatusTooManyRequests
	}
	return false
}

// RetryAfter is how long Telegram asked to wait before the next message
// (0 when it did not ask).
func (e *TelegramError) RetryAfter() time.Duration { return e.Retry }

// call posts params as JSON to the method and decodes the answer's result.
func (b *TelegramBot) call(ctx context.Context, method string, params, result any) error {
	body, err := json.Marshal(params)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.api+"/bot"+b.token+"/"+method, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("telegram %s: bad request", method)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := b.Client.Do(req)
	if err != nil {
		// The URL carries the token: name the host and the method only.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("telegram %s at %s: %s", method, req.URL.Host, b.redact(err.Error()))
	}
	defer resp.Body.Close()
	var answer struct {
		OK          bool            `json:"ok"`
		Result      json.RawMessage `json:"result"`
		Description string          `json:"description"`
		Parameters  struct {
			RetryAfter int `json:"retry_after"`
		} `json:"parameters"`
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return fmt.Errorf("telegram %s: %s", method, b.redact(err.Error()))
	}
	// Redacted before printable cuts it, so that no part of a token
	// straddling the cut stays.
	if json.Unmarshal(raw, &answer) != nil && resp.StatusCode < 300 {
		return fmt.Errorf("telegram %s: the answer is not JSON: %s", method, printable([]byte(b.redact(string(raw)))))
	}
	if resp.StatusCode >= 300 || !answer.OK {
		desc := answer.Description
		if desc == "" {
			desc = string(raw)
		}
		return &TelegramError{Status: resp.StatusCode, Description: printable([]byte(b.redact(desc))),
			Retry: time.Duration(answer.Parameters.RetryAfter) * time.Second}
	}
	if result != nil {
		if err := json.Unmarshal(answer.Result, result); err != nil {
			return fmt.Errorf("telegram %s: %w", method, err)
		}
	}
	return nil
}

// redact hides the token in text that may echo the request, as it is and
// URL-encoded (in a path "/bot<token>" as well).
func (b *TelegramBot) redact(s string) string {
	escaped := url.QueryEscape(b.token)
	return strings.NewReplacer(b.token, "***", escaped, "***", lowerHexEscapes(escaped), "***").Replace(s)
}

// lowerHexEscapes writes a URL-encoded text's escapes in lower case, as
// some encoders do: "%3A" as "%3a".
func lowerHexEscapes(s string) string {
	b := []byte(s)
	for i := range b {
		if i >= 1 && (b[i-1] == '%' || i >= 2 && b[i-2] == '%') {
			b[i] = byte(unicode.ToLower(rune(b[i])))
		}
	}
	return string(b)
}

// Username is the bot's @username, for the link that opens a chat with it;
// asked of Telegram (getMe) until it answers. The lock is not held while
// asking: a stalled getMe delays only the caller, within its own deadline.
func (b *TelegramBot) Username(ctx context.Context) (string, error) {
	b.mu.Lock()
	known := b.username
	b.mu.Unlock()
	if known != "" {
		return known, nil
	}
	var me struct {
		Username string `json:"username"`
	}
	if err := b.call(ctx, "getMe", struct{}{}, &me); err != nil {
		return "", err
	}
	if me.Username == "" {
		return "", errors.New("telegram getMe: the bot has no username")
	}
	b.mu.Lock()
	b.username = me.Username
	b.mu.Unlock()
	return me.Username, nil
}

// SendMessage sends plain text to a chat: no parse_mode, so nothing in it
// is read as markup.
func (b *TelegramBot) SendMessage(ctx context.Context, chatID, text string) error {
	return b.call(ctx, "sendMessage", map[string]any{"chat_id": json.Number(chatID), "text": text,
		"link_preview_options": map[string]bool{"is_disabled": true}}, nil)
}

// TelegramUpdate is one incoming update, as far as the bot reads it.
type TelegramUpdate struct {
	UpdateID int64            `json:"update_id"`
	Message  *TelegramMessage `json:"message"`
}

// TelegramMessage is a message sent to the bot.
type TelegramMessage struct {
	MessageID int64 `json:"message_id"`
	Chat      struct {
		ID   int64  `json:"id"`
		Type string `json:"type"` // private, group, supergroup, channel
	} `json:"chat"`
	From *TelegramUser `json:"from"`
	Text string        `json:"text"`
}

// TelegramUser is who sent a message, as far as the bot reads it.
type TelegramUser struct {
	LanguageCode string `json:"language_code"` // the language of their Telegram app
}

// Updates long-polls for messages from offset on (0: those Telegram has
// not had confirmed), waiting up to wait for the first; ctx must outlast
// wait.
func (b *TelegramBot) Updates(ctx context.Context, offset int64, wait time.Duration) ([]TelegramUpdate, error) {
	params := map[string]any{"timeout": int(wait / time.Second), "allowed_updates": []string{"message"}}
	if offset != 0 {
		params["offset"] = offset
	}
	var out []TelegramUpdate
	err := b.call(ctx, "getUpdates", params, &out)
	return out, err
}
